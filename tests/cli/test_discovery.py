"""Finding the app as Flask does (``--app``, ``FLASK_APP``, ``wsgi.py`` and
``app.py``, factories with arguments), ``KOLBEN_APP`` as an alias of
``FLASK_APP``, and the one-line errors when the app cannot be loaded."""

from __future__ import annotations

import subprocess
import sys

import click
import flask
import pytest
from click.testing import CliRunner

from kolben import Kolben
from kolben.cli import KolbenGroup, KolbenScriptInfo, NoAppException, cli

from .conftest import APP_HELPERS, WriteFile

# Files to write (name -> the lines after APP_HELPERS), the arguments or
# environment that name the app, and the name of the app found.
DISCOVERY = [
    ({"app.py": "app = _make('from_app_py')"}, [], {}, "from_app_py"),
    ({"wsgi.py": "application = _make('from_wsgi')"}, [], {}, "from_wsgi"),
    (
        {"wsgi.py": "app = _make('wsgi')", "app.py": "app = _make('app')"},
        [],
        {},
        "wsgi",
    ),
    ({"hello.py": "app = _make('hello')"}, ["--app", "hello"], {}, "hello"),
    ({"hello.py": "app = _make('hello')"}, ["-A", "hello.py"], {}, "hello"),
    ({"hello.py": "application = _make('appl')"}, ["--app", "hello"], {}, "appl"),
    ({"hello.py": "only = _make('only')"}, ["--app", "hello"], {}, "only"),
    ({"hello.py": "a = _make('a')\nb = _make('b')"}, ["--app", "hello:b"], {}, "b"),
    (
        {"hello.py": "def create_app():\n    return _make('factory')"},
        ["--app", "hello"],
        {},
        "factory",
    ),
    (
        {"hello.py": "def build(name, suffix=''):\n    return _make(name + suffix)"},
        ["--app", "hello:build('with', suffix='_args')"],
        {},
        "with_args",
    ),
    (
        {"pkg/__init__.py": "def create_app():\n    return _make('pkg')"},
        ["--app", "pkg"],
        {},
        "pkg",
    ),
    (
        {"pkg/__init__.py": "", "pkg/web.py": "app = _make('sub')"},
        ["--app", "pkg/web.py"],
        {},
        "sub",
    ),
    ({"hello.py": "app = _make('flask_env')"}, [], {"FLASK_APP": "hello"}, "flask_env"),
    ({"hello.py": "app = _make('env')"}, [], {"KOLBEN_APP": "hello:app"}, "env"),
    # KOLBEN_APP is read only when neither --app nor FLASK_APP names the app.
    (
        {"one.py": "app = _make('one')", "two.py": "app = _make('two')"},
        [],
        {"KOLBEN_APP": "one", "FLASK_APP": "two"},
        "two",
    ),
    (
        {"one.py": "app = _make('one')", "two.py": "app = _make('two')"},
        ["--app", "two"],
        {"KOLBEN_APP": "one"},
        "two",
    ),
    (
        {"one.py": "app = _make('one')", "app.py": "app = _make('app')"},
        [],
        {"KOLBEN_APP": "one"},
        "one",
    ),
]


@pytest.mark.parametrize(("files", "args", "env", "expected"), DISCOVERY)
def test_discovery(
    project: WriteFile,
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, str],
    args: list[str],
    env: dict[str, str],
    expected: str,
) -> None:
    for name, body in files.items():
        project(name, APP_HELPERS + body + "\n" if body else "")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = runner.invoke(cli, [*args, "which"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{expected}\n"


def test_flask_app(project: WriteFile, runner: CliRunner) -> None:
    """A plain Flask app is served by ``kolben`` as by ``flask``."""
    project(
        "app.py",
        """\
        import click
        from flask import Flask

        app = Flask("plain")

        @app.cli.command()
        def which():
            click.echo(type(app).__module__)
        """,
    )
    assert runner.invoke(cli, ["which"]).stdout == "flask.app\n"


@pytest.mark.parametrize(
    "body",
    ["found = _make('found')", "def make_app():\n    return _make('found')"],
    ids=["instance", "factory"],
)
def test_kolben_app_is_a_flask_app(
    project: WriteFile, runner: CliRunner, body: str
) -> None:
    """Flask's own command line, which tells an app by its type (the one
    ``flask.Flask`` in a module, or what a factory returns), finds a kolben app."""
    project("hello.py", APP_HELPERS + body + "\n")
    result = runner.invoke(flask.cli.FlaskGroup(), ["--app", "hello", "which"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "found\n"


def test_help_lists_app_commands(
    project: WriteFile, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--help`` alone, or no arguments (click then shows the help on
    stderr), loads the app named by KOLBEN_APP too."""
    project("hello.py", APP_HELPERS + "app = _make('x')\n")
    monkeypatch.setenv("KOLBEN_APP", "hello")
    assert "  which" in runner.invoke(cli, ["--help"]).stdout
    assert "  which" in runner.invoke(cli, []).output
    assert "Error" not in runner.invoke(cli, []).output


def test_help_without_app(runner: CliRunner, project: WriteFile) -> None:
    """Flask's behaviour: the help, and the reason the app's commands are missing."""
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert "  routes " in result.stdout
    assert result.stderr.startswith("Error: Could not locate a Flask application.")


# Module source, the --app value, and a part of the one-line error.
ERRORS = [
    ("", None, "Error: Could not locate a Flask application."),
    ("", "missing_module", "Error: Could not import 'missing_module'."),
    (
        "x = 1\nimport missing_dependency_xyz\n",
        "broken",
        "Error: While importing 'broken', an ImportError was raised:"
        " ModuleNotFoundError: No module named 'missing_dependency_xyz'"
        " ({path}, line 2)",
    ),
    (
        "from kolben import does_not_exist\n",
        "broken",
        "Error: While importing 'broken', an ImportError was raised: ImportError:"
        " cannot import name 'does_not_exist'",
    ),
    (
        APP_HELPERS + "a = _make('a')\nb = _make('b')\n",
        "broken",
        "Error: Detected multiple Flask applications in module 'broken'.",
    ),
    (
        APP_HELPERS + "def create_app(name):\n    return _make(name)\n",
        "broken",
        "Error: Detected factory 'create_app' in module 'broken', but could not"
        " call it without arguments.",
    ),
    ("x = 1\n", "broken", "Error: Failed to find Flask application or factory"),
    ("x = 1\n", "broken:nothere", "Error: Failed to find attribute 'nothere'"),
    ("x = 1\n", "broken:x", "Error: A valid Flask application was not obtained"),
    ("x = 1\n", "broken:x.y", "Error: Failed to parse 'x.y'"),
    ("x = 1\n", "broken:f(y)", "Error: Failed to parse arguments as literal values"),
    ("x = 1\n", "broken:a.b()", "Error: Function reference must be a simple name"),
]


@pytest.mark.parametrize(("source", "app", "message"), ERRORS)
@pytest.mark.parametrize("command", ["routes", "run", "shell"])
def test_errors_are_one_line(
    project: WriteFile,
    runner: CliRunner,
    source: str,
    app: str | None,
    message: str,
    command: str,
) -> None:
    path = project("broken.py", source) if source else None
    args = ["--app", app] if app else []
    result = runner.invoke(cli, [*args, command])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message.format(path=path) in result.stderr
    assert result.stderr.startswith("Error: ")
    assert len(result.stderr.splitlines()) == 1, result.stderr


def test_error_from_the_process(project: WriteFile) -> None:
    """The console script's own output: one line on stderr, status 2."""
    project("broken.py", "import missing_dependency_xyz\n")
    done = subprocess.run(
        [sys.executable, "-m", "kolben", "--app", "broken", "routes"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("Error: While importing 'broken'")
    assert len(done.stderr.splitlines()) == 1


def test_app_command_of_a_missing_app(runner: CliRunner, project: WriteFile) -> None:
    """Flask's behaviour: why the app is missing, then click's unknown command."""
    project("broken.py", "import missing_dependency_xyz\n")
    result = runner.invoke(cli, ["--app", "broken", "which"])
    assert result.exit_code == 2
    first, *rest = result.stderr.splitlines()
    assert first.startswith("Error: While importing 'broken'")
    assert "Traceback" not in result.stderr
    assert rest[-1] == "Error: No such command 'which'."


def test_other_exceptions_keep_their_traceback(
    project: WriteFile, runner: CliRunner
) -> None:
    """A bug in the app module is not a set-up mistake: it propagates."""
    project("broken.py", "1 / 0\n")
    result = runner.invoke(cli, ["--app", "broken", "routes"])
    assert isinstance(result.exception, ZeroDivisionError)


def test_script_info_is_flask_s(project: WriteFile) -> None:
    """The one-line error is still Flask's exception, for code catching it."""
    with pytest.raises(NoAppException, match="Could not locate"):
        KolbenScriptInfo().load_app()


def test_custom_group_keeps_its_app(runner: CliRunner) -> None:
    """A script's own group: its ``create_app`` wins over KOLBEN_APP."""
    group = KolbenGroup(create_app=lambda: Kolben("own"))

    @group.command()
    def which() -> None:
        click.echo(flask.current_app.name)

    result = runner.invoke(group, ["which"], env={"KOLBEN_APP": "nowhere"})
    assert result.stdout == "own\n", result.output
