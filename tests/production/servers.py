"""Start a server process on a free port, wait until it answers HTTP, stop it.

Shared by the production-server tests and the ``kolben run`` test.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import tempfile
import time
import typing as t
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: How long a server may take to answer its first request on a busy CI machine.
START_TIMEOUT = 30.0

#: Variables that would make a server load another app, or none.
_APP_VARIABLES = (
    "KOLBEN_APP",
    "FLASK_APP",
    "KOLBEN_DEBUG",
    "FLASK_DEBUG",
    "KOLBEN_RUN_FROM_CLI",
    "FLASK_RUN_FROM_CLI",
    "KOLBEN_RUN_PORT",
    "FLASK_RUN_PORT",
)


@dataclass
class Reply:
    """One HTTP response, read whole."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes


def free_port() -> int:
    """A port nothing listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(
    port: int,
    path: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 10.0,
) -> Reply:
    """Send one request to ``127.0.0.1:port``; redirects are not followed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()


def _environ() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _APP_VARIABLES}
    # The repository root first, so that ``examples.hello`` imports.
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
    )
    return env


def _wait_until_answering(
    process: subprocess.Popen[bytes], port: int, log: t.IO[bytes]
) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise AssertionError(
                f"server exited with {process.returncode}:\n{_read(log)}"
            )
        try:
            fetch(port, "/", timeout=5.0)
        except OSError:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"server did not answer within {START_TIMEOUT} s:\n{_read(log)}"
                ) from None
            time.sleep(0.1)
        else:
            return


def _read(log: t.IO[bytes]) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's process group (workers included), then SIGKILL."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            continue
        return


@contextlib.contextmanager
def serving(command: Sequence[str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command`` from the repository root until it answers HTTP on
    ``port``; stop it (and its workers) on exit. Output goes to a temporary
    file, shown when the server dies or never answers."""
    with tempfile.NamedTemporaryFile() as log:
        process = subprocess.Popen(
            [*command],
            cwd=ROOT,
            env=_environ(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_answering(process, port, log)
            yield process
        finally:
            _stop(process)
