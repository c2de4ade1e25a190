"""Fixtures for the ``kolben`` command's tests: a clean environment, a
project folder to write app modules into, and a click runner."""

from __future__ import annotations

import inspect
import os
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import flask
import pytest
from click.testing import CliRunner
from flask.globals import app_ctx

#: Environment variables the CLI reads or writes; each test starts without them.
CLI_VARIABLES = [
    "KOLBEN_APP",
    "FLASK_APP",
    "FLASK_DEBUG",
    "FLASK_ENV_FILE",
    "FLASK_RUN_FROM_CLI",
    "FLASK_SKIP_DOTENV",
    "FLASK_RUN_HOST",
    "FLASK_RUN_PORT",
    "FLASK_RUN_CERT",
    "FLASK_RUN_RELOAD",
    "FLASK_RUN_DEBUGGER",
    "WERKZEUG_RUN_MAIN",
    "WERKZEUG_SERVER_FD",
    "PYTHONSTARTUP",
]

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

#: The folder pytest puts on ``sys.path`` for the test packages.
TESTS = Path(__file__).resolve().parents[1]

WriteFile = Callable[[str, str], Path]


@pytest.fixture(autouse=True)
def _clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset the CLI's variables; monkeypatch unsets what the test sets."""
    for name in CLI_VARIABLES:
        # setenv first so that monkeypatch records the variable and removes
        # whatever value the code under test writes.
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def _pop_app_contexts() -> Iterator[None]:
    """Pop the app contexts a test left pushed. Flask's group pushes one to
    look up an app's command, on the click context, which is never closed when
    ``--help`` (or no command) ends the parsing: harmless in a process that
    exits then, but here the next test would find that app current."""
    pushed = flask.has_app_context()
    yield
    while flask.has_app_context() and not pushed:
        app_ctx.pop()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WriteFile]:
    """A temporary current directory, importable; ``project(name, source)``
    writes a file there. Modules imported from it are forgotten afterwards.

    The test folders (``tests/app`` is a package named ``app``) are taken off
    ``sys.path``, so that ``app`` and ``wsgi`` are only the project's."""
    monkeypatch.chdir(tmp_path)
    path = [p for p in sys.path if Path(p or ".").resolve() != TESTS]
    monkeypatch.setattr(sys, "path", [str(tmp_path), *path])
    for name in ("app", "wsgi"):
        monkeypatch.delitem(sys.modules, name, raising=False)
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
    """A click runner; ``result.stderr`` is kept apart from ``result.stdout``
    (click before 8.2 mixes them unless told not to)."""
    if "mix_stderr" in inspect.signature(CliRunner).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()
