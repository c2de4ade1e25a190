"""``kolben run``: serving for real, a busy port, and the options it passes
to Werkzeug's ``run_simple``."""

from __future__ import annotations

import socket
import subprocess
import sys
import typing as t

import click
import pytest
import werkzeug.serving
from click.testing import CliRunner

import kolben.cli
from kolben import Kolben
from kolben.cli import KolbenGroup, run_command
from production.servers import ROOT, fetch, free_port, serving

from .conftest import APP_HELPERS, WriteFile


def _kolben(*args: str) -> list[str]:
    return [sys.executable, "-m", "kolben", "--app", "examples.hello", *args]


def test_run_serves() -> None:
    port = free_port()
    with serving(_kolben("run", "--port", str(port)), port):
        reply = fetch(port, "/hello")
        assert (reply.status, reply.body) == (200, b"Hello, World!")
        assert fetch(port, "/user/%3Ci%3E").body == b"User: &lt;i&gt;"


@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_port_in_use(debug: list[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [*_kolben(*debug, "run", "--port", str(port))],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"Error: Could not listen on 127.0.0.1:{port}: Address already in use."
        " Is another server using the port? Pick another with --port."
    ]


@pytest.fixture
def run_simple(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, t.Any]]:
    """Calls to ``run_simple``, which serves nothing."""
    calls: list[dict[str, t.Any]] = []

    def fake(host: str, port: int, app: object, **options: t.Any) -> None:
        calls.append({"host": host, "port": port, "app": app, **options})

    monkeypatch.setattr(kolben.cli, "run_simple", fake)
    return calls


# arguments, and what run_simple is given
RUN_OPTIONS = [
    ([], {"host": "127.0.0.1", "port": 5000, "use_reloader": False}),
    ([], {"use_debugger": False, "threaded": True, "ssl_context": None}),
    (["--debug", "run"], {"use_reloader": True, "use_debugger": True}),
    (["--debug", "run", "--no-reload"], {"use_reloader": False, "use_debugger": True}),
    (
        ["--debug", "run", "--no-debugger"],
        {"use_reloader": True, "use_debugger": False},
    ),
    (["run", "--reload", "--debugger"], {"use_reloader": True, "use_debugger": True}),
    (["run", "-h", "0.0.0.0", "-p", "8123"], {"host": "0.0.0.0", "port": 8123}),
    (["run", "--without-threads"], {"threaded": False}),
    (["run", "--cert", "adhoc"], {"ssl_context": "adhoc"}),
    (
        ["run", "--extra-files", "a.txt", "--exclude-patterns", "*.tmp"],
        {"extra_files": ["a.txt"], "exclude_patterns": ["*.tmp"]},
    ),
]


@pytest.mark.parametrize(("args", "expected"), RUN_OPTIONS)
def test_run_options(
    runner: CliRunner,
    run_simple: list[dict[str, t.Any]],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    expected: dict[str, t.Any],
) -> None:
    monkeypatch.setattr(kolben.cli, "_check_port", lambda host, port: None)
    app = Kolben("served")
    result = runner.invoke(KolbenGroup(create_app=lambda: app), args or ["run"])
    assert result.exit_code == 0, result.output
    (call,) = run_simple
    assert call["app"] is app
    assert {key: call[key] for key in expected} == expected
    assert result.stdout.startswith(" * Debug mode: ")


@pytest.mark.parametrize("prefix", ["KOLBEN", "FLASK"])
def test_run_options_from_environment(
    runner: CliRunner,
    run_simple: list[dict[str, t.Any]],
    monkeypatch: pytest.MonkeyPatch,
    prefix: str,
) -> None:
    monkeypatch.setattr(kolben.cli, "_check_port", lambda host, port: None)
    monkeypatch.setenv(f"{prefix}_RUN_PORT", "8765")
    runner.invoke(KolbenGroup(create_app=lambda: Kolben("env")), ["run"])
    assert run_simple[0]["port"] == 8765


FLASK_APP_RUNS = """\
from flask import Flask

app = Flask("runs")
app.add_url_rule("/", "index")
app.run()
"""


@pytest.mark.parametrize(
    "source", [APP_HELPERS + "app = _make('runs')\napp.run()\n", FLASK_APP_RUNS]
)
def test_app_run_in_module_is_ignored(
    project: WriteFile,
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    run_simple: list[dict[str, t.Any]],
    source: str,
) -> None:
    """``app.run()`` at import time, of a kolben or a Flask app, must not
    start a server of its own."""
    monkeypatch.setattr(werkzeug.serving, "run_simple", kolben.cli.run_simple)
    project("app.py", source)
    result = runner.invoke(kolben.cli.cli, ["routes", "--check"])
    assert "No conflicts among" in result.stdout, result.output
    assert "Ignoring a call to 'app.run()'" in result.output
    assert run_simple == []


# --cert/--key arguments (key first or not), and the error or the cert value
CERTS: list[tuple[list[str], str | tuple[str, str]]] = [
    (["--cert", __file__], 'Required when using "--cert".'),
    (["--key", __file__], '"--cert" must also be specified.'),
    (["--cert", "adhoc", "--key", __file__], 'When "--cert" is "adhoc"'),
    (["--cert", "not_a_file_or_import"], "does not exist"),
    (["--cert", __file__, "--key", __file__], (__file__, __file__)),
    (["--key", __file__, "--cert", __file__], (__file__, __file__)),
    (["--cert", "adhoc"], "adhoc"),
]


@pytest.mark.parametrize(("args", "expected"), CERTS)
def test_cert_and_key(args: list[str], expected: str | tuple[str, str]) -> None:
    if isinstance(expected, str) and expected != "adhoc":
        with pytest.raises(click.BadParameter, match=expected):
            run_command.make_context("run", args)
    else:
        assert run_command.make_context("run", args).params["cert"] == expected


def test_cert_ssl_context(monkeypatch: pytest.MonkeyPatch) -> None:
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    monkeypatch.setattr(kolben.cli, "test_context", context, raising=False)
    ctx = run_command.make_context("run", ["--cert", "kolben.cli.test_context"])
    assert ctx.params["cert"] is context
    with pytest.raises(click.BadParameter, match="SSLContext"):
        run_command.make_context(
            "run", ["--cert", "kolben.cli.test_context", "--key", __file__]
        )
