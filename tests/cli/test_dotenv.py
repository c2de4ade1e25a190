"""Dotenv files: ``.env`` over ``.kolbenenv`` over ``.flaskenv``, a given file
over all of them, the real environment over everything."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from kolben.cli import cli, load_dotenv

from .conftest import APP_HELPERS, WriteFile

KEYS = ("ONLY_FLASKENV", "ONLY_KOLBENENV", "ONLY_ENV", "SHARED", "PRESET", "HAM")


@pytest.fixture
def dotenv_project(
    project: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> Iterator[WriteFile]:
    for key in KEYS:
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)
    project(".flaskenv", "ONLY_FLASKENV=f\nSHARED=flaskenv\nPRESET=file\n")
    project(".kolbenenv", "ONLY_KOLBENENV=k\nSHARED=kolbenenv\n")
    project(".env", "ONLY_ENV=e\nSHARED=env\nHAM=火腿\n")
    yield project


def test_precedence(dotenv_project: WriteFile, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESET", "environment")
    assert load_dotenv()
    assert {key: os.environ[key] for key in KEYS} == {
        "ONLY_FLASKENV": "f",
        "ONLY_KOLBENENV": "k",
        "ONLY_ENV": "e",
        "SHARED": "env",
        "PRESET": "environment",
        "HAM": "火腿",
    }


def test_given_file_wins(dotenv_project: WriteFile) -> None:
    path = dotenv_project("custom.env", "SHARED=custom\n")
    assert load_dotenv(path)
    assert os.environ["SHARED"] == "custom"
    assert os.environ["ONLY_ENV"] == "e"


def test_given_file_without_defaults(dotenv_project: WriteFile) -> None:
    path = dotenv_project("custom.env", "SHARED=custom\n")
    assert load_dotenv(path, load_defaults=False)
    assert os.environ["SHARED"] == "custom"
    assert "ONLY_ENV" not in os.environ


def test_missing_file(dotenv_project: WriteFile) -> None:
    assert not load_dotenv("no-such-file", load_defaults=False)


def test_without_python_dotenv(
    dotenv_project: WriteFile,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setitem(sys.modules, "dotenv", None)
    assert not load_dotenv()
    assert "ONLY_ENV" not in os.environ
    assert "Install python-dotenv" in capsys.readouterr().err


def test_cli_loads_the_files(dotenv_project: WriteFile, runner: CliRunner) -> None:
    """``.kolbenenv`` can name the app."""
    dotenv_project("hello.py", APP_HELPERS + "app = _make('from_dotenv')\n")
    dotenv_project(".kolbenenv", "KOLBEN_APP=hello\n")
    result = runner.invoke(cli, ["which"])
    assert result.stdout == "from_dotenv\n", result.output
    assert os.environ["ONLY_ENV"] == "e"


def test_cli_env_file_option(dotenv_project: WriteFile, runner: CliRunner) -> None:
    dotenv_project("hello.py", APP_HELPERS + "app = _make('from_env_file')\n")
    dotenv_project("custom.env", "KOLBEN_APP=hello\nSHARED=custom\n")
    result = runner.invoke(cli, ["-e", "custom.env", "which"])
    assert result.stdout == "from_env_file\n", result.output
    assert os.environ["SHARED"] == "custom"


@pytest.mark.parametrize("variable", ["KOLBEN_SKIP_DOTENV", "FLASK_SKIP_DOTENV"])
def test_cli_skip_dotenv(
    dotenv_project: WriteFile,
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    monkeypatch.setenv(variable, "1")
    runner.invoke(cli, ["--help"])
    assert "ONLY_ENV" not in os.environ
