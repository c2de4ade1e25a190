"""Start a server process on a free port, wait until it answers HTTP, stop it.

Shared by the production-server tests, the ``kolben run`` test, the fault tests
and the load benchmark (``benches/load.py``).
"""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import os
import signal
import socket
import subprocess
import sys
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


def granian(
    app: str,
    port: int,
    *,
    workers: int = 1,
    blocking_threads: int | None = None,
    python: str = sys.executable,
) -> list[str]:
    """granian serving the WSGI ``app`` (``module:name``) with ``workers``
    processes on ``127.0.0.1:port``, each running the app on granian's default
    pool of threads or on ``blocking_threads``."""
    threads = (
        ()
        if blocking_threads is None
        else ("--blocking-threads", str(blocking_threads))
    )
    return [
        *(python, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1"),
        *("--port", str(port), "--workers", str(workers), *threads, app),
    ]


def gunicorn(
    app: str,
    port: int,
    *,
    workers: int = 2,
    threads: int = 0,
    python: str = sys.executable,
) -> list[str]:
    """gunicorn serving ``app`` with ``workers`` processes: sync workers, or
    gthread workers of ``threads`` threads each when ``threads`` is given."""
    import gunicorn.config

    command = [python, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    if threads:
        command += ["-k", "gthread", "--threads", str(threads)]
    # gunicorn 25+ opens a control socket at one fixed path per user; two
    # servers (or test runs) at once would share it.
    if any(
        "--no-control-socket" in (s.cli or ()) for s in gunicorn.config.KNOWN_SETTINGS
    ):
        command.append("--no-control-socket")
    return [*command, app]


def waitress(
    app: str, port: int, *, threads: int = 4, python: str = sys.executable
) -> list[str]:
    """waitress serving ``app`` from one process of ``threads`` threads."""
    return [
        *(python, "-m", "waitress", f"--listen=127.0.0.1:{port}"),
        *(f"--threads={threads}", app),
    ]


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


def _prepare_child() -> None:
    """In the child, before the server starts: a process group of its own, so
    that :func:`_stop` reaches its workers, in the caller's session (a new
    session is a scheduling group of its own where the kernel's autogroup is
    on, which slows a loopback server and its load generator unevenly); and
    (Linux) SIGTERM when the thread that started it ends, so that a test or
    benchmark killed outright (a timeout's SIGKILL) leaves no server behind;
    the server's own SIGTERM handling then stops its workers."""
    os.setpgid(0, 0)
    if sys.platform == "linux":
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


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


class Server(subprocess.Popen[bytes]):
    """A server process started by :func:`serving`."""

    #: The file the server's output goes to.
    log_path: Path

    def output(self) -> str:
        """What the server has written so far (read through its own handle:
        the child shares the offset of the one it writes with)."""
        return self.log_path.read_bytes().decode(errors="replace")


@contextlib.contextmanager
def serving(command: Sequence[str], port: int) -> Iterator[Server]:
    """Run ``command`` from the repository root until it answers HTTP on
    ``port``; stop it (and its workers) on exit, or when the calling thread
    ends without stopping it. Output goes to a temporary file
    (:meth:`Server.output`), shown when the server dies or never answers."""
    with tempfile.NamedTemporaryFile() as log:
        process = Server(
            [*command],
            cwd=ROOT,
            env=_environ(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_prepare_child,
        )
        process.log_path = Path(log.name)
        try:
            _wait_until_answering(process, port, log)
            yield process
        finally:
            _stop(process)
