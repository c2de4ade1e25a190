"""In-process WSGI benchmarks: a kolben app against the same Flask app, same run.

Each benchmark calls ``app(environ, start_response)`` on a prebuilt environ and
drains and closes the body, for an app with 1,000 extra rules: hello world,
``/user/<username>``, a JSON view and a 404. The group is ``"wsgi <case>"``;
``benches/report.py`` prints requests per second and the ratio to Flask.

Before the first request is timed, every case is served once by every framework
and its status, ``Content-Type`` and body checked against the expected answer
(:data:`CASES`, :data:`CONTENT_TYPES`): what the view returns, and for the 404
the page Werkzeug's ``NotFound`` gives, which Flask sends. A wrong answer fails
every benchmark here with a :class:`~kolben.bench.WrongAnswer` naming it, and
nothing is timed. With ``--benchmark-disable`` (the default) each benchmark then
runs once as a test.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from types import ModuleType
from typing import Any, Callable

import pytest
from werkzeug.exceptions import NotFound

from kolben.bench import WrongAnswer

EXTRA_RULES = 1_000

HTML = "text/html; charset=utf-8"

#: case -> (path, expected status, expected body): the views' returns as Flask
#: sends them (a ``str`` as is, a ``dict`` as compact JSON with sorted keys and
#: a newline), and for the 404 Werkzeug's ``NotFound`` page.
CASES: dict[str, tuple[str, str, bytes]] = {
    "hello": ("/", "200 OK", b"Hello, World!"),
    "1-param": ("/user/ann", "200 OK", b"User: ann"),
    "json": ("/json", "200 OK", b'{"hello":"world","n":1}\n'),
    "404": ("/missing/page", "404 NOT FOUND", NotFound().get_body().encode()),
}
#: case -> expected ``Content-Type``
CONTENT_TYPES: dict[str, str] = {
    "hello": HTML,
    "1-param": HTML,
    "json": "application/json",
    "404": dict(NotFound().get_headers())["Content-Type"],
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


class _FullRecorder(Recorder):
    """A ``start_response`` that keeps the headers too (to check an answer;
    the timed requests keep only the status)."""

    headers: list[tuple[str, str]] = []

    def __call__(self, status: str, headers: Any, exc_info: Any = None) -> None:
        self.status, self.headers = status, headers


def serve(
    app: Any, environ: dict[str, Any], start_response: Callable[..., Any]
) -> bytes:
    """One request: call the app, drain and close the body."""
    body = app(environ, start_response)
    try:
        return b"".join(body)
    finally:
        close: Callable[[], None] | None = getattr(body, "close", None)
        if close is not None:
            close()


def expected(case: str) -> tuple[str, str, bytes]:
    """The status, ``Content-Type`` and body ``case`` must be answered with."""
    _, status, body = CASES[case]
    return status, CONTENT_TYPES[case], body


def wrong_answer(
    case: str, status: str, headers: Iterable[tuple[str, str]], body: bytes
) -> str | None:
    """What is wrong with an answer to ``case``, or ``None`` when it is the
    expected status, ``Content-Type`` and body."""
    want = expected(case)
    content_type = next(
        (value for name, value in headers if name.lower() == "content-type"), None
    )
    got = (status, content_type, body)
    if got == want:
        return None
    return f"{case}: got {got!r}; expected {want!r}"


def check_answers(apps: dict[str, Any]) -> None:
    """Serve every case once on each app (peer -> app) and check the answers.

    :raises WrongAnswer: some answer is not the expected one; the message
        names every such answer.
    """
    wrong = []
    for case, (path, _, _) in CASES.items():
        for peer, app in apps.items():
            start_response = _FullRecorder()
            body = serve(app, make_environ(path), start_response)
            problem = wrong_answer(
                case, start_response.status, start_response.headers, body
            )
            if problem is not None:
                wrong.append(f"{peer} {problem}")
    if wrong:
        raise WrongAnswer("wrong answers, nothing timed:\n" + "\n".join(wrong))


@pytest.fixture(scope="module")
def apps() -> dict[str, Any]:
    """The app on each framework, every answer checked."""
    import flask

    import kolben

    built = {"flask": make_app(flask), "kolben": make_app(kolben)}
    check_answers(built)
    return built


@pytest.mark.parametrize("peer", PEERS)
@pytest.mark.parametrize("case", CASES)
def test_wsgi(benchmark: Any, apps: dict[str, Any], case: str, peer: str) -> None:
    """One request through one framework (its answer checked in ``apps``)."""
    path = CASES[case][0]
    environ = make_environ(path)
    benchmark.group = f"wsgi {case}"
    benchmark.extra_info.update(
        op="wsgi", table=f"app-{EXTRA_RULES}", kind=case, peer=peer
    )
    benchmark(serve, apps[peer], environ, Recorder())


def test_paired_script_checks_and_times() -> None:
    """``benches/wsgi_paired.py``, one round: a row per request, each ratio
    taken from both frameworks' timed answers."""
    from wsgi_paired import paired_requests

    rows = paired_requests(1).splitlines()[2:]
    assert [row.split(" | ")[0].lstrip("| ") for row in rows] == list(CASES)
    assert all(row.endswith("x |") for row in rows)


def test_paired_script_stops_on_a_wrong_answer(monkeypatch: Any) -> None:
    """A 404 with the right status but another page stops the paired script
    before anything is timed."""
    import wsgi_paired

    made = wsgi_paired.make_app

    def with_own_404(framework: ModuleType) -> Any:
        app = made(framework)
        if framework.__name__ == "kolben":
            app.register_error_handler(404, lambda error: ("gone", 404))
        return app

    monkeypatch.setattr(wsgi_paired, "make_app", with_own_404)
    with pytest.raises(WrongAnswer, match="kolben 404"):
        wsgi_paired.paired_requests(1)
