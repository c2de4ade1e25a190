"""In-process WSGI benchmarks: a kolben app against the same Flask app, same run.

Each benchmark calls ``app(environ, start_response)`` on a prebuilt environ and
drains and closes the body, for an app with 1,000 extra rules: hello world,
``/user/<username>``, a JSON view and a 404. The group is ``"wsgi <case>"``;
``benches/report.py`` prints requests per second and the ratio to Flask.
With ``--benchmark-disable`` (the default) each runs once as a test and checks
the answer.
"""

from __future__ import annotations

import io
import sys
from types import ModuleType
from typing import Any, Callable

import pytest

EXTRA_RULES = 1_000

#: case -> (path, expected status, expected body)
CASES: dict[str, tuple[str, str, bytes]] = {
    "hello": ("/", "200 OK", b"Hello, World!"),
    "1-param": ("/user/ann", "200 OK", b"User: ann"),
    "json": ("/json", "200 OK", b'{"hello":"world","n":1}\n'),
    "404": ("/missing/page", "404 NOT FOUND", b""),
}
PEERS = ("flask", "kolben")


def make_app(framework: ModuleType) -> Any:
    """The benchmark app, written once against the Flask API."""
    app = framework.Flask("bench")
    for i in range(EXTRA_RULES):
        app.add_url_rule(f"/extra{i}/<int:x>/page{i}", f"extra{i}", lambda x: "")
    app.add_url_rule("/", "hello", lambda: "Hello, World!")
    app.add_url_rule("/user/<username>", "user", lambda username: f"User: {username}")
    app.add_url_rule("/json", "json", lambda: {"hello": "world", "n": 1})
    return app


def make_environ(path: str) -> dict[str, Any]:
    """A GET request's WSGI environ, as a server would pass it."""
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


class Recorder:
    """A ``start_response`` that keeps the status."""

    status = ""

    def __call__(self, status: str, headers: Any, exc_info: Any = None) -> None:
        self.status = status


def serve(app: Any, environ: dict[str, Any], start_response: Recorder) -> bytes:
    """One request: call the app, drain and close the body."""
    body = app(environ, start_response)
    try:
        return b"".join(body)
    finally:
        close: Callable[[], None] | None = getattr(body, "close", None)
        if close is not None:
            close()


@pytest.fixture(scope="module")
def apps() -> dict[str, Any]:
    import flask

    import kolben

    return {"flask": make_app(flask), "kolben": make_app(kolben)}


@pytest.mark.parametrize("peer", PEERS)
@pytest.mark.parametrize("case", CASES)
def test_wsgi(benchmark: Any, apps: dict[str, Any], case: str, peer: str) -> None:
    """One request through one framework."""
    path, status, body = CASES[case]
    environ = make_environ(path)
    start_response = Recorder()
    benchmark.group = f"wsgi {case}"
    benchmark.extra_info.update(
        op="wsgi", table=f"app-{EXTRA_RULES}", kind=case, peer=peer
    )
    result = benchmark(serve, apps[peer], environ, start_response)
    assert start_response.status == status
    if status.startswith("200"):
        assert result == body


def test_paired_script_checks_and_times() -> None:
    """``benches/wsgi_paired.py``, one round: a row per request, each ratio
    taken from both frameworks' timed answers."""
    from wsgi_paired import paired_requests

    rows = paired_requests(1).splitlines()[2:]
    assert [row.split(" | ")[0].lstrip("| ") for row in rows] == list(CASES)
    assert all(row.endswith("x |") for row in rows)
