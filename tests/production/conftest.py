"""The app served by real WSGI servers: ``examples.hello:app`` from the
repository root, under gunicorn and granian."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .servers import free_port, granian, gunicorn, serving

APP = "examples.hello:app"


SERVERS = {"gunicorn": gunicorn, "granian": granian}


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server_port(request: pytest.FixtureRequest) -> Iterator[int]:
    """The port of a running server (one per server kind, shared by a module's
    tests)."""
    port = free_port()
    with serving(SERVERS[request.param](APP, port), port):
        yield port
