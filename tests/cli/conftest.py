"""Fixtures for the ``kolben`` command's tests: a clean environment, a
project folder to write app modules into, and a click runner."""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

#: Environment variables the CLI reads or writes; each test starts without them.
CLI_VARIABLES = [
    f"{prefix}_{name}"
    for prefix in ("KOLBEN", "FLASK")
    for name in (
        "APP",
        "DEBUG",
        "ENV_FILE",
        "RUN_FROM_CLI",
        "SKIP_DOTENV",
        "RUN_HOST",
        "RUN_PORT",
        "RUN_RELOAD",
        "RUN_DEBUGGER",
    )
] + ["WERKZEUG_RUN_MAIN", "WERKZEUG_SERVER_FD", "PYTHONSTARTUP"]

#: Source shared by the app modules tests write: ``_make(name)`` builds an app
#: whose ``which`` command prints the name of the app it runs in.
APP_HELPERS = """\
import click
from kolben import Kolben, current_app


def _make(name):
    app = Kolben(name)

    @app.cli.command("which")
    def which():
        click.echo(current_app.name)

    return app
"""

WriteFile = Callable[[str, str], Path]


@pytest.fixture(autouse=True)
def _clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset the CLI's variables; monkeypatch unsets what the test sets."""
    for name in CLI_VARIABLES:
        # setenv first so that monkeypatch records the variable and removes
        # whatever value the code under test writes.
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WriteFile]:
    """A temporary current directory, importable; ``project(name, source)``
    writes a file there. Modules imported from it are forgotten afterwards."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    before = set(sys.modules)

    def write(name: str, source: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return path

    yield write
    for name in set(sys.modules) - before:
        module_file = getattr(sys.modules[name], "__file__", None) or ""
        if module_file.startswith(str(tmp_path) + os.sep):
            del sys.modules[name]


@pytest.fixture
def runner() -> CliRunner:
    """A click runner; ``result.stderr`` is kept apart from ``result.stdout``."""
    return CliRunner()
