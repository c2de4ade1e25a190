"""The ``kolben`` command is Flask's: commands apps, blueprints and extensions
add (``app.cli``, ``AppGroup``, ``flask.commands`` entry points, Flask-Migrate's
``db``), ``shell``, ``--debug``; plus kolben's ``--version``, ``python -m
kolben``, and kolben's commands under ``flask``."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import flask
import flask.cli
import pytest
from click.testing import CliRunner

import kolben.cli
from kolben import Blueprint, Kolben, current_app
from kolben.cli import AppGroup, KolbenGroup, ScriptInfo, cli, with_appcontext
from production.servers import ROOT

from .conftest import WriteFile


@pytest.fixture
def app() -> Kolben:
    return Kolben("cmdapp")


def test_kolben_group_is_a_flask_group() -> None:
    assert isinstance(cli, flask.cli.FlaskGroup)
    assert issubclass(KolbenGroup, flask.cli.FlaskGroup)
    assert kolben.cli.main.__module__ == "kolben.cli"
    for name in ("AppGroup", "FlaskGroup", "ScriptInfo", "with_appcontext"):
        assert getattr(kolben.cli, name) is getattr(flask.cli, name)
    assert isinstance(Kolben("x").cli, AppGroup)


def test_commands() -> None:
    """Flask's commands, kolben's, and those installed packages register
    under ``flask.commands`` (Flask-Limiter's ``limiter``, say)."""
    every = importlib.metadata.entry_points()
    # Python 3.9 has no select(): a dict of groups.
    if hasattr(every, "select"):
        plugins = every.select(group="flask.commands")
    else:
        plugins = every.get("flask.commands", ())  # type: ignore[attr-defined]
    installed = {ep.name for ep in plugins}
    assert set(cli.commands) == {"run", "shell", "routes", "bench"} | installed
    assert cli.commands["run"] is flask.cli.run_command
    assert cli.commands["shell"] is flask.cli.shell_command
    assert set(KolbenGroup(add_default_commands=False).commands) == set()


def test_app_command_has_app_context(app: Kolben) -> None:
    @app.cli.command()
    @click.argument("name")
    def greet(name: str) -> None:
        click.echo(f"{current_app.name} greets {name}")

    result = app.test_cli_runner().invoke(args=["greet", "you"])
    assert (result.exit_code, result.output) == (0, "cmdapp greets you\n")


def test_app_group_subgroups(runner: CliRunner) -> None:
    @click.group(cls=AppGroup)
    def group() -> None:
        pass

    @group.group()
    def sub() -> None:
        pass

    @sub.command()
    def deep() -> None:
        click.echo(current_app.name)

    assert isinstance(sub, AppGroup)
    obj = ScriptInfo(create_app=lambda: Kolben("grouped"))
    assert runner.invoke(group, ["sub", "deep"], obj=obj).output == "grouped\n"


def test_kolben_group_runs_app_commands(runner: CliRunner, app: Kolben) -> None:
    @app.cli.command()
    def hello() -> None:
        click.echo(current_app.name)

    result = runner.invoke(KolbenGroup(create_app=lambda: app), ["hello"])
    assert result.output == "cmdapp\n"


def test_custom_group_callback(runner: CliRunner) -> None:
    @click.group(cls=KolbenGroup, create_app=lambda: Kolben("custom"))
    def manage() -> None:
        """Manage the custom app."""

    @manage.command()
    def name() -> None:
        click.echo(current_app.name)

    assert runner.invoke(manage, ["name"]).output == "custom\n"
    assert "bench" in runner.invoke(manage, ["--help"]).stdout


def test_with_appcontext(runner: CliRunner) -> None:
    @click.command()
    @with_appcontext
    def plain() -> None:
        click.echo(current_app.name)

    obj = ScriptInfo(create_app=lambda: Kolben("plain"))
    assert runner.invoke(plain, obj=obj).output == "plain\n"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], "False"),
        (["--debug"], "True"),
        (["--no-debug"], "False"),
    ],
)
def test_debug_option(
    runner: CliRunner, app: Kolben, args: list[str], expected: str
) -> None:
    @app.cli.command()
    def debug() -> None:
        click.echo(str(current_app.debug))

    result = runner.invoke(KolbenGroup(create_app=lambda: app), [*args, "debug"])
    assert result.output == f"{expected}\n"


def test_debug_from_environment(
    runner: CliRunner, app: Kolben, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``FLASK_DEBUG=1`` holds when no --debug is given."""
    monkeypatch.setenv("FLASK_DEBUG", "1")

    @app.cli.command()
    def debug() -> None:
        click.echo(str(current_app.debug))

    assert runner.invoke(KolbenGroup(create_app=lambda: app), ["debug"]).output == (
        "True\n"
    )


def test_blueprint_commands(app: Kolben) -> None:
    named = Blueprint("named", __name__, cli_group="renamed")
    default = Blueprint("default", __name__)
    merged = Blueprint("merged", __name__, cli_group=None)
    for bp in (named, default, merged):

        @bp.cli.command("cmd")
        def cmd() -> None:
            click.echo(current_app.name)

        app.register_blueprint(bp)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["renamed", "cmd"]).output == "cmdapp\n"
    assert runner.invoke(args=["default", "cmd"]).output == "cmdapp\n"
    assert runner.invoke(args=["cmd"]).output == "cmdapp\n"


def test_shell(
    app: Kolben,
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # The default hook would set up readline and history for a real terminal.
    monkeypatch.delattr(sys, "__interactivehook__", raising=False)
    startup = tmp_path / "startup.py"
    startup.write_text("from_startup = 'started'\n")
    monkeypatch.setenv("PYTHONSTARTUP", str(startup))
    app.shell_context_processor(lambda: {"answer": 42})
    result = runner.invoke(
        KolbenGroup(create_app=lambda: app),
        ["shell"],
        input="print(answer, from_startup, app.name, g)\n",
    )
    assert result.exit_code == 0, result.output
    assert "App: cmdapp" in result.stderr
    assert "42 started cmdapp <flask.g of 'cmdapp'>" in result.stdout


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    kolben_line, *flask_lines = result.stdout.splitlines()
    assert kolben_line == f"Kolben {importlib.metadata.version('kolben')}"
    assert (
        flask_lines
        == runner.invoke(flask.cli.cli, ["--version"]).stdout.split("\n")[:-1]
    )
    assert f"Werkzeug {importlib.metadata.version('werkzeug')}" in flask_lines


def test_python_dash_m_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kolben", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parent,  # no app.py or wsgi.py here
    )
    assert done.returncode == 0
    assert done.stdout.startswith("Usage: python -m kolben [OPTIONS] COMMAND")
    for command in ("bench", "routes", "run", "shell"):
        assert f"  {command} " in done.stdout


MIGRATING_APP = """\
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from kolben import Kolben

app = Kolben(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///app.db"
db = SQLAlchemy(app)
Migrate(app, db)
"""


def test_flask_migrate(project: WriteFile, runner: CliRunner) -> None:
    """Flask-Migrate adds ``db`` to ``app.cli``: listed, and it runs."""
    project("migrating.py", MIGRATING_APP)
    assert "  db " in runner.invoke(cli, ["--app", "migrating", "--help"]).stdout
    result = runner.invoke(cli, ["--app", "migrating", "db", "--help"])
    assert result.exit_code == 0, result.output
    assert "  upgrade " in result.stdout
    result = runner.invoke(cli, ["--app", "migrating", "db", "init"])
    assert result.exit_code == 0, result.output
    assert Path("migrations", "env.py").is_file()


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An installed distribution with a ``flask.commands`` entry point, as
    extensions register commands: ``greet`` from this module."""
    info = tmp_path / "site" / "greeter-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: greeter\nVersion: 1.0\n"
    )
    (info / "entry_points.txt").write_text(
        f"[flask.commands]\ngreet = {__name__}:greet_command\n"
    )
    monkeypatch.syspath_prepend(str(info.parent))
    yield


@click.command("greet")
def greet_command() -> None:
    """Say hello."""
    click.echo("hello from an extension")


def test_entry_point_commands(plugin: None, runner: CliRunner) -> None:
    group = KolbenGroup(create_app=lambda: Kolben("x"))
    assert "  greet " in runner.invoke(group, ["--help"]).stdout
    assert runner.invoke(group, ["greet"]).stdout == "hello from an extension\n"


def _flask(*args: str) -> subprocess.CompletedProcess[str]:
    """The ``flask`` console script, run on the repository root."""
    script = shutil.which("flask", path=os.path.dirname(sys.executable))
    command = [script] if script else [sys.executable, "-m", "flask"]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=60, cwd=ROOT
    )


def test_flask_has_kolben_commands() -> None:
    """Installed, kolben registers ``routes`` (with ``--check``) and ``bench``
    under Flask's ``flask.commands`` entry points."""
    every = importlib.metadata.entry_points()
    # Python 3.9 has no select(): a dict of groups.
    if hasattr(every, "select"):
        eps = every.select(group="flask.commands")
    else:
        eps = every.get("flask.commands", ())  # type: ignore[attr-defined]
    kolben_eps = {ep.name: ep.value for ep in eps if ep.value.startswith("kolben.")}
    assert kolben_eps == {
        "bench": "kolben.flask_commands:bench_command",
        "routes": "kolben.flask_commands:routes_command",
    }, "reinstall kolben (pip install -e .) to register its entry points"
    done = _flask("--app", "examples.hello", "--help")
    assert done.returncode == 0, done.stderr
    assert "  bench " in done.stdout
    assert "  routes " in done.stdout
    done = _flask("--app", "examples.hello", "routes", "--check")
    assert (done.returncode, done.stdout) == (0, "No conflicts among 7 rules.\n")
