"""Commands apps and blueprints add (``app.cli``, ``AppGroup``), the app
context they run in, ``app.test_cli_runner()``, ``shell``, ``--version`` and
``python -m kolben``."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import kolben.cli
from kolben import Blueprint, Kolben, current_app
from kolben.cli import (
    AppGroup,
    FlaskGroup,
    KolbenGroup,
    ScriptInfo,
    cli,
    with_appcontext,
)


@pytest.fixture
def app() -> Kolben:
    return Kolben("cmdapp")


def test_flask_group_is_kolben_group() -> None:
    assert FlaskGroup is KolbenGroup
    assert isinstance(Kolben("x").cli, AppGroup)


def test_app_command_has_app_context(app: Kolben) -> None:
    @app.cli.command()
    @click.argument("name")
    def greet(name: str) -> None:
        click.echo(f"{current_app.name} greets {name}")

    result = app.test_cli_runner().invoke(args=["greet", "you"])
    assert (result.exit_code, result.output) == (0, "cmdapp greets you\n")


def test_test_cli_runner_invokes_any_command(app: Kolben) -> None:
    @click.command()
    @with_appcontext
    def plain() -> None:
        click.echo(current_app.name)

    result = app.test_cli_runner().invoke(plain)
    assert result.output == "cmdapp\n"


def test_without_appcontext(app: Kolben) -> None:
    @app.cli.command(with_appcontext=False)
    def bare() -> None:
        click.echo(str(kolben.has_app_context()))

    assert app.test_cli_runner().invoke(args=["bare"]).output == "False\n"


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
    result = runner.invoke(group, ["sub", "deep"], obj=obj)
    assert result.output == "grouped\n"


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


@pytest.mark.parametrize("flag", [None, "--debug", "--no-debug"])
def test_debug_option(runner: CliRunner, app: Kolben, flag: str | None) -> None:
    @app.cli.command()
    def debug() -> None:
        click.echo(str(current_app.debug))

    args = [flag] if flag else []
    result = runner.invoke(KolbenGroup(create_app=lambda: app), [*args, "debug"])
    assert result.output == f"{flag == '--debug'}\n"


def test_blueprint_commands(app: Kolben) -> None:
    named = Blueprint("named", __name__, cli_group="renamed")
    default = Blueprint("default", __name__)
    merged = Blueprint("merged", __name__, cli_group=None)
    empty = Blueprint("empty", __name__)
    for bp in (named, default, merged):

        @bp.cli.command("cmd")
        def cmd() -> None:
            click.echo(current_app.name)

    for bp in (named, default, merged, empty):
        app.register_blueprint(bp)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["renamed", "cmd"]).output == "cmdapp\n"
    assert runner.invoke(args=["default", "cmd"]).output == "cmdapp\n"
    assert runner.invoke(args=["cmd"]).output == "cmdapp\n"
    assert runner.invoke(args=["empty", "--help"]).exit_code == 2


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
    assert "42 started cmdapp <kolben.g of 'cmdapp'>" in result.stdout


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert f"Kolben {importlib.metadata.version('kolben')}" in result.stdout
    assert f"Werkzeug {importlib.metadata.version('werkzeug')}" in result.stdout


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
    for command in ("routes", "run", "shell"):
        assert f"  {command} " in done.stdout
