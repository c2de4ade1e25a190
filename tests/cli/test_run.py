"""``kolben run`` is Flask's: serving for real (HTTP, and HTTPS with ``--cert
adhoc``), a busy port, and the options it passes to Werkzeug's
``run_simple``."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import typing as t
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from kolben import Kolben
from kolben.cli import KolbenGroup, cli
from production.servers import ROOT, fetch, free_port, serving

from .conftest import APP_HELPERS, WriteFile

#: How long a server may take to answer its first request.
START_TIMEOUT = 30.0


def _kolben(*args: str) -> list[str]:
    return [sys.executable, "-m", "kolben", "--app", "examples.hello", *args]


def test_run_serves() -> None:
    port = free_port()
    with serving(_kolben("run", "--port", str(port)), port):
        reply = fetch(port, "/hello")
        assert (reply.status, reply.body) == (200, b"Hello, World!")
        assert fetch(port, "/user/%3Ci%3E").body == b"User: &lt;i&gt;"


@contextlib.contextmanager
def _serving_https(command: list[str], port: int) -> Iterator[ssl.SSLContext]:
    """Run ``command`` until it answers HTTPS on ``port`` (any certificate);
    stop it on exit."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while _https_status(port, "/hello", context) is None:
            assert process.poll() is None, process.communicate()[1].decode()
            assert time.monotonic() < deadline, "no HTTPS answer"
            time.sleep(0.1)
        yield context
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)
        assert process.stderr is not None
        process.stderr.close()


def _https_status(port: int, path: str, context: ssl.SSLContext) -> int | None:
    conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=5, context=context)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def test_run_adhoc_certificate() -> None:
    """``--cert adhoc``: a certificate made on the fly (needs cryptography)."""
    port = free_port()
    command = _kolben("run", "--port", str(port), "--cert", "adhoc")
    with _serving_https(command, port) as context:
        assert _https_status(port, "/user/x", context) == 200


@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_port_in_use(debug: list[str]) -> None:
    """Werkzeug's message, as under ``flask run``: two lines, status 1."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            _kolben(*debug, "run", "--port", str(port)),
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "Address already in use",
        f"Port {port} is in use by another program. Either identify and stop that"
        " program, or start the server with a different port.",
    ]


@pytest.fixture
def run_simple(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, t.Any]]:
    """Calls to Werkzeug's ``run_simple`` (from Flask's ``run`` command or
    ``app.run()``), which serves nothing."""
    calls: list[dict[str, t.Any]] = []

    def fake(host: str, port: int, app: object, **options: t.Any) -> None:
        calls.append({"host": host, "port": port, "app": app, **options})

    monkeypatch.setattr("flask.cli.run_simple", fake)
    monkeypatch.setattr("werkzeug.serving.run_simple", fake)
    return calls


# arguments, and what run_simple is given
RUN_OPTIONS = [
    (["run"], {"host": "127.0.0.1", "port": 5000, "use_reloader": False}),
    (["run"], {"use_debugger": False, "threaded": True, "ssl_context": None}),
    (["--debug", "run"], {"use_reloader": True, "use_debugger": True}),
    (["run", "--debug"], {"use_reloader": True, "use_debugger": True}),
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
    args: list[str],
    expected: dict[str, t.Any],
) -> None:
    app = Kolben("served")
    result = runner.invoke(KolbenGroup(create_app=lambda: app), args)
    assert result.exit_code == 0, result.output
    (call,) = run_simple
    assert call["app"] is app
    assert {key: call[key] for key in expected} == expected
    assert " * Debug mode: " in result.stdout


def test_run_options_from_environment(
    runner: CliRunner,
    run_simple: list[dict[str, t.Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FLASK_RUN_PORT", "8765")
    monkeypatch.setenv("FLASK_DEBUG", "1")
    runner.invoke(KolbenGroup(create_app=lambda: Kolben("env")), ["run"])
    assert run_simple[0]["port"] == 8765
    assert run_simple[0]["use_debugger"] is True


def test_run_cert_needs_a_key(runner: CliRunner, run_simple: list[t.Any]) -> None:
    group = KolbenGroup(create_app=lambda: Kolben("x"))
    result = runner.invoke(group, ["run", "--cert", __file__])
    assert result.exit_code == 2
    assert 'Required when using "--cert".' in result.stderr
    assert run_simple == []


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
    run_simple: list[dict[str, t.Any]],
    source: str,
) -> None:
    """``app.run()`` at import time, of a kolben or a Flask app, must not
    start a server of its own."""
    project("app.py", source)
    result = runner.invoke(cli, ["routes", "--check"])
    assert "No conflicts among" in result.stdout, result.output
    assert "Ignoring a call to 'app.run()'" in result.output
    assert run_simple == []
