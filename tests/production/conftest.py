"""The app served by real WSGI servers: ``examples.hello:app`` from the
repository root, under gunicorn and granian."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from .servers import free_port, serving

APP = "examples.hello:app"


def _gunicorn(port: int) -> list[str]:
    import gunicorn.config

    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}"]
    # gunicorn 25+ opens a control socket at one fixed path per user; two
    # servers (or test runs) at once would share it.
    if any(
        "--no-control-socket" in (s.cli or ()) for s in gunicorn.config.KNOWN_SETTINGS
    ):
        command.append("--no-control-socket")
    return [*command, APP]


def _granian(port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        APP,
    ]


SERVERS = {"gunicorn": _gunicorn, "granian": _granian}


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server_port(request: pytest.FixtureRequest) -> Iterator[int]:
    """The port of a running server (one per server kind, shared by a module's
    tests)."""
    port = free_port()
    with serving(SERVERS[request.param](port), port):
        yield port
