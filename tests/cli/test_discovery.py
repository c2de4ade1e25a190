"""Finding the app: ``--app``, ``KOLBEN_APP``/``FLASK_APP``, ``wsgi.py`` and
``app.py``, factories with arguments; and the one-line errors when it fails."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from kolben import Kolben
from kolben.cli import (
    NoAppException,
    ScriptInfo,
    cli,
    find_best_app,
    locate_app,
    prepare_import,
)

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
    (
        {"hello.py": "a = _make('a')\nb = _make('b')"},
        ["--app", "hello:b"],
        {},
        "b",
    ),
    (
        {"hello.py": "def create_app():\n    return _make('factory')"},
        ["--app", "hello"],
        {},
        "factory",
    ),
    (
        {"hello.py": "def make_app():\n    return _make('made')"},
        ["--app", "hello"],
        {},
        "made",
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
    ({"hello.py": "app = _make('env')"}, [], {"KOLBEN_APP": "hello"}, "env"),
    ({"hello.py": "app = _make('flask_env')"}, [], {"FLASK_APP": "hello"}, "flask_env"),
    (
        {"one.py": "app = _make('one')", "two.py": "app = _make('two')"},
        [],
        {"KOLBEN_APP": "one", "FLASK_APP": "two"},
        "one",
    ),
    (
        {"one.py": "app = _make('one')", "two.py": "app = _make('two')"},
        ["--app", "two"],
        {"KOLBEN_APP": "one"},
        "two",
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


# Module source, the --app value, and the start of the one-line error.
ERRORS = [
    ("", None, "Error: Could not locate a Kolben application."),
    ("", "missing_module", "Error: Could not import 'missing_module'."),
    (
        "import missing_dependency_xyz\n",
        "broken",
        "Error: While importing 'broken', an ImportError was raised:"
        " ModuleNotFoundError: No module named 'missing_dependency_xyz' (",
    ),
    (
        "from kolben import does_not_exist\n",
        "broken",
        "Error: While importing 'broken', an ImportError was raised: ImportError:",
    ),
    (
        APP_HELPERS + "a = _make('a')\nb = _make('b')\n",
        "broken",
        "Error: Detected multiple Kolben applications in module 'broken'.",
    ),
    (
        APP_HELPERS + "def create_app(name):\n    return _make(name)\n",
        "broken",
        "Error: Detected factory 'create_app' in module 'broken', but could not"
        " call it without arguments.",
    ),
    ("x = 1\n", "broken", "Error: Failed to find Kolben application or factory"),
    ("x = 1\n", "broken:nothere", "Error: Failed to find attribute 'nothere'"),
    ("x = 1\n", "broken:x", "Error: A valid Kolben application was not obtained"),
    ("x = 1\n", "broken:x.y", "Error: Failed to parse 'x.y'"),
    ("x = 1\n", "broken:f(y)", "Error: Failed to parse arguments as literal values"),
    ("x = 1\n", "broken:a.b()", "Error: Function reference must be a simple name"),
    (
        APP_HELPERS + "def create_app():\n    return _make('x')\n",
        "broken:create_app(1, 2)",
        "Error: The factory 'create_app(1, 2)' in module 'broken' could not be"
        " called with the specified arguments.",
    ),
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
    if source:
        project("broken.py", source)
    args = ["--app", app] if app else []
    result = runner.invoke(cli, [*args, command])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_import_error_names_the_line(project: WriteFile, runner: CliRunner) -> None:
    path = project("broken.py", "x = 1\nimport missing_dependency_xyz\n")
    result = runner.invoke(cli, ["--app", "broken", "routes"])
    assert result.stderr.rstrip().endswith(f"({path}, line 2)")


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


def test_other_exceptions_keep_their_traceback(
    project: WriteFile, runner: CliRunner
) -> None:
    """A bug in the app module is not a set-up mistake: it propagates."""
    project("broken.py", "1 / 0\n")
    result = runner.invoke(cli, ["--app", "broken", "routes"])
    assert isinstance(result.exception, ZeroDivisionError)


def test_unknown_command_without_app(runner: CliRunner, project: WriteFile) -> None:
    result = runner.invoke(cli, ["missing"])
    assert result.exit_code == 2
    assert "Could not locate a Kolben application" in result.stderr
    assert "No such command 'missing'" in result.stderr


def test_help_without_app(runner: CliRunner, project: WriteFile) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert "Could not locate a Kolben application" in result.stderr


def test_help_lists_app_commands(runner: CliRunner, project: WriteFile) -> None:
    project("app.py", APP_HELPERS + "app = _make('x')\n")
    result = runner.invoke(cli, ["--help"])
    assert "which" in result.stdout
    assert result.stderr == ""


# value, the module name, the folder put first on sys.path (relative to the
# project)
PREPARE = [
    ("hello", "hello", "."),
    ("hello.py", "hello", "."),
    ("pkg/web.py", "pkg.web", "."),
    ("pkg/__init__.py", "pkg", "."),
    ("pkg/inner/deep.py", "pkg.inner.deep", "."),
    ("loose/mod.py", "mod", "loose"),
]


@pytest.mark.parametrize(("value", "module", "folder"), PREPARE)
def test_prepare_import(
    project: WriteFile, value: str, module: str, folder: str
) -> None:
    root = project("pkg/__init__.py", "").parent.parent
    project("pkg/inner/__init__.py", "")
    assert prepare_import(value) == module
    assert sys.path[0] == str((root / folder).resolve())


def test_locate_app_missing_is_none(project: WriteFile) -> None:
    assert locate_app("no_such_module", None, raise_if_not_found=False) is None
    project("broken.py", "import missing_dependency_xyz\n")
    with pytest.raises(NoAppException):
        locate_app("broken", None, raise_if_not_found=False)


def test_find_best_app_factory_type_error_propagates(project: WriteFile) -> None:
    """A TypeError raised inside a factory is the factory's bug, not a call
    with the wrong arguments."""
    project("broken.py", "def create_app():\n    raise TypeError('inside')\n")
    import broken

    with pytest.raises(TypeError, match="inside"):
        find_best_app(broken)


def test_script_info_loads_once() -> None:
    calls = []

    def create_app() -> Kolben:
        calls.append(1)
        return Kolben("once")

    info = ScriptInfo(create_app=create_app)
    assert info.load_app() is info.load_app()
    assert calls == [1]


@pytest.mark.parametrize(
    ("debug_env", "expected"), [(None, False), ("1", True), ("0", False)]
)
def test_script_info_debug_flag(
    monkeypatch: pytest.MonkeyPatch, debug_env: str | None, expected: bool
) -> None:
    if debug_env is not None:
        monkeypatch.setenv("KOLBEN_DEBUG", debug_env)
    app = Kolben("dbg")
    app.debug = not expected
    assert ScriptInfo(create_app=lambda: app).load_app().debug is expected
    app.debug = True
    ScriptInfo(create_app=lambda: app, set_debug_flag=False).load_app()
    assert app.debug is True
