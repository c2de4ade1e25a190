"""Dotenv files: Flask's ``.flaskenv``, ``.env`` and ``-e`` file, and kolben's
``.kolbenenv``, which sets only what all of them and the environment leave
unset."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from kolben.cli import KolbenGroup, cli

from .conftest import APP_HELPERS, WriteFile

KEYS = (
    "ONLY_FLASKENV",
    "ONLY_KOLBENENV",
    "ONLY_ENV",
    "ONLY_CUSTOM",
    "SHARED",
    "FLASK_AND_KOLBEN",
    "PRESET",
    "HAM",
)


@pytest.fixture
def dotenv_project(
    project: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> Iterator[WriteFile]:
    for key in KEYS:
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)
    project(
        ".flaskenv", "ONLY_FLASKENV=f\nSHARED=flaskenv\nFLASK_AND_KOLBEN=flaskenv\n"
    )
    project(
        ".kolbenenv",
        "ONLY_KOLBENENV=k\nSHARED=kolbenenv\nFLASK_AND_KOLBEN=kolbenenv\n"
        "PRESET=file\nHAM=火腿\n",
    )
    project(".env", "ONLY_ENV=e\nSHARED=env\n")
    project("custom.env", "ONLY_CUSTOM=c\nSHARED=custom\n")
    project("hello.py", APP_HELPERS + "app = _make('hello')\n")
    yield project


def _environ() -> dict[str, str | None]:
    return {key: os.environ.get(key) for key in KEYS}


DEFAULTS = {
    "ONLY_FLASKENV": "f",
    "ONLY_KOLBENENV": "k",
    "ONLY_ENV": "e",
    "ONLY_CUSTOM": None,
    "SHARED": "env",
    "FLASK_AND_KOLBEN": "flaskenv",
    "PRESET": "environment",
    "HAM": "火腿",
}
WITH_CUSTOM = {**DEFAULTS, "ONLY_CUSTOM": "c", "SHARED": "custom"}

# Arguments, and what the variables are then.
PRECEDENCE = [
    (["--app", "hello", "which"], DEFAULTS),
    (["--app", "hello", "routes"], DEFAULTS),
    (["--help"], DEFAULTS),  # parsed apart: click handles --help first
    (["-e", "custom.env", "--app", "hello", "which"], WITH_CUSTOM),
    (["--app", "hello", "--env-file", "custom.env", "routes"], WITH_CUSTOM),
]


@pytest.mark.parametrize(("args", "expected"), PRECEDENCE)
def test_precedence(
    dotenv_project: WriteFile,
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    expected: dict[str, str | None],
) -> None:
    """The environment over ``-e`` over ``.env`` over ``.flaskenv`` over
    ``.kolbenenv``."""
    monkeypatch.setenv("PRESET", "environment")
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert _environ() == expected


def test_kolbenenv_names_the_app(dotenv_project: WriteFile, runner: CliRunner) -> None:
    dotenv_project(".kolbenenv", "KOLBEN_APP=hello\n")
    assert runner.invoke(cli, ["which"]).stdout == "hello\n"
    assert "  which" in runner.invoke(cli, ["--help"]).stdout


def test_flaskenv_names_the_app(dotenv_project: WriteFile, runner: CliRunner) -> None:
    dotenv_project(".flaskenv", "FLASK_APP=hello\n")
    assert runner.invoke(cli, ["which"]).stdout == "hello\n"


def test_kolbenenv_sets_flask_variables(
    dotenv_project: WriteFile, runner: CliRunner
) -> None:
    """A ``FLASK_`` variable in ``.kolbenenv`` reaches Flask's options."""
    dotenv_project(".kolbenenv", "FLASK_APP=hello\nFLASK_DEBUG=1\n")
    dotenv_project(
        "hello.py",
        APP_HELPERS + "app = _make('hello')\n"
        "@app.cli.command()\ndef debug():\n    click.echo(app.debug)\n",
    )
    assert runner.invoke(cli, ["debug"]).stdout == "True\n"


def test_found_in_a_parent_folder(
    dotenv_project: WriteFile, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like ``.flaskenv``, ``.kolbenenv`` is looked for up from the current folder."""
    sub = dotenv_project("sub/placeholder", "").parent
    monkeypatch.chdir(sub)
    runner.invoke(cli, ["--app", "hello", "which"])
    assert _environ()["ONLY_KOLBENENV"] == "k"
    assert _environ()["ONLY_FLASKENV"] == "f"


def test_skip_dotenv(
    dotenv_project: WriteFile, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLASK_SKIP_DOTENV", "1")
    runner.invoke(cli, ["--app", "hello", "which"])
    assert set(_environ().values()) == {None}
    runner.invoke(cli, ["--help"])
    assert set(_environ().values()) == {None}


def test_group_without_dotenv(dotenv_project: WriteFile, runner: CliRunner) -> None:
    """``KolbenGroup(load_dotenv=False)`` reads no default file, and ``-e`` only."""
    group = KolbenGroup(load_dotenv=False)
    runner.invoke(group, ["--app", "hello", "-e", "custom.env", "which"])
    assert {k: v for k, v in _environ().items() if v is not None} == {
        "ONLY_CUSTOM": "c",
        "SHARED": "custom",
    }


def test_without_python_dotenv(
    dotenv_project: WriteFile, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Flask's tip to install python-dotenv, once, and nothing read."""
    monkeypatch.setitem(sys.modules, "dotenv", None)
    for args in (["--app", "hello", "which"], ["--help"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert result.stderr.count("Install python-dotenv") == 1, result.stderr
    assert set(_environ().values()) == {None}


def test_only_kolbenenv_without_python_dotenv(
    project: WriteFile, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "dotenv", None)
    project(".kolbenenv", "ONLY_KOLBENENV=k\n")
    project("hello.py", APP_HELPERS + "app = _make('hello')\n")
    result = runner.invoke(cli, ["--app", "hello", "which"])
    assert "Install python-dotenv" in result.stderr
