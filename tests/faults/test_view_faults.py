"""Failures in the app under granian, gunicorn and waitress: an exception in a
view, a stream that raises after its first chunks, a client that leaves in the
middle of a stream. The worker lives on, and the stream's generator is closed
(its ``finally`` runs) every time."""

from __future__ import annotations

import http.client
import json
import socket
import time
from collections.abc import Iterator

import pytest

from .conftest import SERVERS, Served, serve

APP = "tests.faults.apps:fault_app"


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server(request: pytest.FixtureRequest) -> Iterator[Served]:
    with serve(request.param, APP) as served:
        yield served


def _endings(server: Served) -> dict[str, int]:
    reply = server.fetch("/endings")
    assert reply.status == 200
    return dict(json.loads(reply.body))


def _wait_for_ending(server: Served, key: str, count: int) -> dict[str, int]:
    """The endings once ``key`` has been counted ``count`` times (or after 10 s)."""
    deadline = time.monotonic() + 10
    while True:
        endings = _endings(server)
        if endings.get(key, 0) >= count or time.monotonic() > deadline:
            return endings
        time.sleep(0.05)


def test_view_error(server: Served) -> None:
    worker = server.pid()
    reply = server.fetch("/view-error")
    assert reply.status == 500
    assert server.pid() == worker
    assert "RuntimeError: a view failed on purpose" in server.server.output()


def test_stream_that_raises(server: Served) -> None:
    worker = server.pid()
    before = _endings(server).get("raise raised", 0)
    # The status is sent before the body: the server can only cut the response
    # short (granian 2.8 may before anything is sent; granian 2.5 ends the
    # chunked body as if it were whole).
    try:
        received = server.fetch("/stream/raise").body
    except http.client.IncompleteRead as cut:
        received = cut.partial
    except http.client.RemoteDisconnected:
        received = b""
    assert b"first\nsecond\n".startswith(received)
    endings = _wait_for_ending(server, "raise raised", before + 1)
    assert endings.get("raise raised") == before + 1
    assert server.pid() == worker
    assert "RuntimeError: a stream failed on purpose" in server.server.output()


def test_client_leaves_mid_stream(server: Served) -> None:
    worker = server.pid()
    before = _endings(server).get("endless closed", 0)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GET /stream/endless HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
    endings = _wait_for_ending(server, "endless closed", before + 1)
    assert endings.get("endless closed") == before + 1
    assert "endless exhausted" not in endings
    assert server.pid() == worker
