"""A real panic inside the Rust router (the fault build, see conftest) is a
logged 500, in-process and under granian, gunicorn and waitress, and the worker
that answered it serves the next request."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from urllib.parse import unquote

import pytest

import kolben
from production.servers import ROOT

from .conftest import PANIC_MESSAGE, PANIC_SEGMENT, SERVERS, Served, serve

# The fault build is made on first use: more than the default timeout from scratch.
pytestmark = pytest.mark.timeout(600)

APP = "tests.faults.apps:fault_app"

#: Requests whose matching panics: method, path.
PANICS = [
    ("GET", f"/{PANIC_SEGMENT}"),
    ("GET", f"/pid/{PANIC_SEGMENT}/x"),
    ("POST", f"/a%20b/{PANIC_SEGMENT}"),
]


def test_the_main_build_has_no_fault_hook() -> None:
    """The build under test everywhere else routes the segment as any other."""
    app = kolben.Kolben("plain")
    app.add_url_rule("/files/<path:p>", "files", lambda p: p)
    reply = app.test_client().get(f"/files/{PANIC_SEGMENT}")
    assert (reply.status_code, reply.text) == (200, PANIC_SEGMENT)
    adapter = app.url_map.bind("example.org")
    assert adapter.match(f"/files/{PANIC_SEGMENT}") == ("files", {"p": PANIC_SEGMENT})


def test_in_process(fault_python: str) -> None:
    """The native route and the bound adapter (``TRUSTED_HOSTS``) both answer
    a panic with a 500 that Flask logs as a RouterPanic caused by PyO3's
    PanicException; the next request is answered as usual."""
    result = subprocess.run(
        [fault_python, "-m", "tests.faults.panic_probe"],
        cwd=ROOT,
        env={**os.environ, "RUST_BACKTRACE": "0"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = {row["way"]: row for row in map(json.loads, result.stdout.splitlines())}
    for way, native in [("native route", True), ("bound adapter", False)]:
        row = rows[way]
        assert row["native_router"] is native
        assert row["status"] == 500
        assert row["after"] == [200, "file a"]
        assert row["logged"] == [f"Exception on /files/{PANIC_SEGMENT}/x [GET]"]
        assert row["is_router_panic"] and row["cause"] == "PanicException"
        assert row["cause_text"].startswith(PANIC_MESSAGE)
    # Outside a request, the panic reaches the caller as PyO3 raises it.
    assert rows["adapter.match"]["error"] == "PanicException"
    assert "RouterPanic: the router failed" in result.stderr


@pytest.fixture(scope="module", params=sorted(SERVERS))
def fault_server(request: pytest.FixtureRequest, fault_python: str) -> Iterator[Served]:
    with serve(request.param, APP, fault_python) as served:
        yield served


@pytest.mark.parametrize(("method", "path"), PANICS)
def test_under_a_server(fault_server: Served, method: str, path: str) -> None:
    worker = fault_server.pid()
    reply = fault_server.fetch(path, method)
    assert reply.status == 500
    assert b"Internal Server Error" in reply.body
    assert fault_server.pid() == worker
    assert fault_server.fetch("/pid/").status == 404
    log = fault_server.server.output()
    assert f"Exception on {unquote(path)} [{method}]" in log
    assert "kolben.routing.exceptions.RouterPanic: the router failed" in log
    assert PANIC_MESSAGE in log
