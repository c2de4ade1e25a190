"""Kolben's lane (:mod:`kolben.lane`): whether a request takes it, and that
what a request sees and sends on it is what a stock ``flask.Flask`` app, set
up the same way, gives.

A request takes the lane when Flask's ``full_dispatch_request`` is never
called for it: the lane dispatches in one function of its own. Every
observer it steps aside for is set up once on a Kolben app (the request
then goes Flask's way) and once on a stock Flask app, and both must report
the same.
"""

from __future__ import annotations

import contextlib
import io
import typing as t

import flask
import pytest
from flask import signals
from flask.ctx import AppContext
from werkzeug.test import EnvironBuilder, run_wsgi_app

import kolben
from kolben import lane
from kolben._flask_private import context_args

#: What a WSGI app sent: status line, headers, body.
Sent = t.Tuple[str, t.List[t.Tuple[str, str]], bytes]


def _make_app(base: type[flask.Flask]) -> flask.Flask:
    app = base(__name__)
    app.config.update(SECRET_KEY="test key")

    @app.get("/hello")
    def hello() -> str:
        flask.g.seen = flask.g.get("seen", 0) + 1
        return f"hello {flask.request.path} {flask.current_app.name} {flask.g.seen}"

    @app.get("/json/<int:n>")
    def as_json(n: int) -> dict[str, int]:
        return {"n": n}

    @app.get("/fail")
    def fail() -> str:
        raise ValueError("broken view")

    @app.get("/abort")
    def aborts() -> str:
        flask.abort(418)

    @app.post("/upload")
    def upload() -> str:
        return ",".join(sorted(flask.request.files))

    @app.get("/stream")
    def stream() -> flask.Response:
        def chunks() -> t.Iterator[str]:
            yield "path="
            yield flask.request.path

        return flask.Response(flask.stream_with_context(chunks()))

    @app.get("/session")
    def session_view() -> str:
        flask.session["n"] = flask.session.get("n", 0) + 1
        return str(flask.session["n"])

    return app


def _environ(path: str, method: str = "GET", **kwargs: t.Any) -> dict[str, t.Any]:
    """A request's environ; a callable ``data`` is called for each request."""
    if callable(kwargs.get("data")):
        kwargs["data"] = kwargs["data"]()
    return EnvironBuilder(path=path, method=method, **kwargs).get_environ()


def _serve(app: flask.Flask, environ: dict[str, t.Any]) -> Sent:
    """What ``app`` sends for ``environ`` (its body read and closed)."""
    body, status, headers = run_wsgi_app(app, environ, buffered=True)
    return status, headers.to_wsgi_list(), b"".join(body)


@contextlib.contextmanager
def _dispatch_counted() -> t.Iterator[list[int]]:
    """Count the calls of Flask's ``full_dispatch_request`` (any app)."""
    calls = [0]
    original = flask.Flask.full_dispatch_request

    def counted(self: flask.Flask, *args: t.Any) -> t.Any:
        calls[0] += 1
        return original(self, *args)

    flask.Flask.full_dispatch_request = counted  # type: ignore[method-assign]
    try:
        yield calls
    finally:
        flask.Flask.full_dispatch_request = original  # type: ignore[method-assign]


CASES = {
    "text": ("/hello", "GET", {}),
    "json": ("/json/7", "GET", {}),
    "view error": ("/fail", "GET", {}),
    "abort": ("/abort", "GET", {}),
    "404": ("/missing", "GET", {}),
    "405": ("/hello", "DELETE", {}),
    "upload": ("/upload", "POST", {"data": lambda: {"f": (io.BytesIO(b"x"), "f.txt")}}),
    "stream_with_context": ("/stream", "GET", {}),
    "session": ("/session", "GET", {}),
}


@pytest.mark.parametrize("case", CASES)
def test_lane_serves_what_flask_serves(case: str) -> None:
    path, method, kwargs = CASES[case]
    app = _make_app(kolben.Kolben)
    environ = _environ(path, method, **kwargs)
    with _dispatch_counted() as calls:
        ours = _serve(app, environ)
    assert calls[0] == 0, "the request did not take the lane"
    flask_environ = _environ(path, method, **kwargs)
    theirs = _serve(_make_app(flask.Flask), flask_environ)
    assert _comparable(ours) == _comparable(theirs)
    # Nothing is left current, and the environ lets the request go as
    # Flask's pop does.
    assert not flask.has_app_context()
    assert environ.get("werkzeug.request") is flask_environ.get("werkzeug.request")


def _comparable(sent: Sent) -> Sent:
    """``sent`` without the session cookie's signature (it holds a time),
    and with ``Allow`` sorted: kolben sorts it, Flask lists a set."""
    status, headers, body = sent
    kept = [
        (name, value.split(".", 1)[0] if name == "Set-Cookie" else value)
        for name, value in headers
    ]
    kept = [
        (name, ", ".join(sorted(value.split(", "))) if name == "Allow" else value)
        for name, value in kept
    ]
    return status, kept, body


def test_g_is_new_for_each_request() -> None:
    app = _make_app(kolben.Kolben)
    first = _serve(app, _environ("/hello"))
    second = _serve(app, _environ("/hello"))
    assert first[2] == second[2] == b"hello /hello test_lane 1"


def test_view_error_reaches_handlers_and_signal_as_on_flask() -> None:
    """A view's exception on the lane goes to the app's error handler, and
    ``got_request_exception`` (which the lane does not step aside for) is sent
    with it, as on Flask."""
    results = []
    for base in (kolben.Kolben, flask.Flask):
        app = _make_app(base)
        seen: list[str] = []

        def record(sender: t.Any, exception: BaseException, **kw: t.Any) -> None:
            seen.append(repr(exception))  # noqa: B023

        with signals.got_request_exception.connected_to(record, app):
            with _dispatch_counted() as calls:
                sent = _serve(app, _environ("/fail"))
        results.append((sent, seen, calls[0]))
    (ours, our_seen, our_calls), (theirs, their_seen, _) = results
    assert our_calls == 0
    assert ours == theirs and ours[0].startswith("500")
    assert our_seen == their_seen == ["ValueError('broken view')"]


def test_error_handler_on_the_lane() -> None:
    sent = []
    for base in (kolben.Kolben, flask.Flask):
        app = _make_app(base)
        app.register_error_handler(ValueError, lambda e: (f"handled {e}", 409))
        with _dispatch_counted() as calls:
            sent.append(_serve(app, _environ("/fail")))
        if base is kolben.Kolben:
            assert calls[0] == 0
    assert sent[0] == sent[1]
    assert sent[0][0] == "409 CONFLICT" and sent[0][2] == b"handled broken view"


def test_base_exception_leaves_no_context() -> None:
    """An exception that is not an ``Exception`` goes up through the lane,
    with the context popped, as through Flask's ``wsgi_app``."""
    for base in (kolben.Kolben, flask.Flask):
        app = _make_app(base)

        @app.get("/stop")
        def stop() -> str:
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            _serve(app, _environ("/stop"))
        assert not flask.has_app_context()
        assert not flask.has_request_context()


def _receiver(signal: t.Any) -> t.Callable[[flask.Flask, list[str]], t.Any]:
    def setup(app: flask.Flask, seen: list[str]) -> t.Any:
        def record(sender: t.Any, **kwargs: t.Any) -> None:
            seen.append(f"{signal.name} {flask.has_request_context()}")

        return signal.connected_to(record, app)

    return setup


def _teardown(app: flask.Flask, seen: list[str]) -> t.Any:
    app.teardown_request(lambda exc: seen.append(f"teardown {exc!r}"))
    return contextlib.nullcontext()


def _teardown_appcontext(app: flask.Flask, seen: list[str]) -> t.Any:
    app.teardown_appcontext(lambda exc: seen.append(f"app teardown {exc!r}"))
    return contextlib.nullcontext()


def _before_request(app: flask.Flask, seen: list[str]) -> t.Any:
    app.before_request(lambda: seen.append("before") and None)
    return contextlib.nullcontext()


def _preprocessor(app: flask.Flask, seen: list[str]) -> t.Any:
    app.url_value_preprocessor(lambda endpoint, values: seen.append(f"pre {values}"))
    return contextlib.nullcontext()


def _popped(app: flask.Flask, seen: list[str]) -> t.Any:
    def record(sender: t.Any, **kwargs: t.Any) -> None:
        seen.append("appcontext_popped")

    return signals.appcontext_popped.connected_to(record, app)


def _tearing_down(app: flask.Flask, seen: list[str]) -> t.Any:
    def record(sender: t.Any, exc: t.Any = None, **kwargs: t.Any) -> None:
        seen.append(f"request_tearing_down {exc!r}")

    return signals.request_tearing_down.connected_to(record, app)


def _app_tearing_down(app: flask.Flask, seen: list[str]) -> t.Any:
    def record(sender: t.Any, exc: t.Any = None, **kwargs: t.Any) -> None:
        seen.append(f"appcontext_tearing_down {exc!r}")

    return signals.appcontext_tearing_down.connected_to(record, app)


#: Observers, each set up on an app and reporting into ``seen``; whether a
#: request with it still takes the lane.
OBSERVERS: dict[str, tuple[t.Callable[[flask.Flask, list[str]], t.Any], bool]] = {
    "appcontext_pushed": (_receiver(signals.appcontext_pushed), False),
    "request_started": (_receiver(signals.request_started), False),
    "appcontext_popped": (_popped, False),
    "before_request": (_before_request, True),
    "url_value_preprocessor": (_preprocessor, True),
    "teardown_request": (_teardown, True),
    "teardown_appcontext": (_teardown_appcontext, True),
    "request_tearing_down": (_tearing_down, True),
    "appcontext_tearing_down": (_app_tearing_down, True),
}


@pytest.mark.parametrize("path", ["/hello", "/fail"])
@pytest.mark.parametrize("observer", OBSERVERS)
def test_observers_see_what_they_see_on_flask(observer: str, path: str) -> None:
    setup, on_lane = OBSERVERS[observer]
    reports = []
    for base in (kolben.Kolben, flask.Flask):
        app = _make_app(base)
        seen: list[str] = []
        with setup(app, seen), _dispatch_counted() as calls:
            sent = _serve(app, _environ(path))
        reports.append((sent, seen))
        if base is kolben.Kolben:
            assert (calls[0] == 0) is on_lane
    assert reports[0] == reports[1]
    assert reports[0][1], "the observer saw nothing"


def test_current_app_context_is_kept_as_flask_keeps_it() -> None:
    """A request served while the app's context is current goes Flask's way,
    and sees ``g`` as on Flask (before 3.2 it shares the current one's)."""
    seen = []
    for base in (kolben.Kolben, flask.Flask):
        app = _make_app(base)
        with app.app_context(), _dispatch_counted() as calls:
            flask.g.seen = 41
            body = _serve(app, _environ("/hello"))[2]
            seen.append((body, flask.g.seen))
        if base is kolben.Kolben:
            assert calls[0] == 1
    assert seen[0] == seen[1]


def test_preserved_context_goes_flasks_way() -> None:
    """The test client's ``with client:`` keeps the request's context, through
    the environ key the debugger uses: such a request goes Flask's way."""
    app = _make_app(kolben.Kolben)
    with _dispatch_counted() as calls, app.test_client() as client:
        assert client.get("/hello").data == b"hello /hello test_lane 1"
        assert flask.request.path == "/hello"
    assert calls[0] == 1


class _OwnDispatch(kolben.Kolben):
    # Declared with Flask 3.2's ``ctx`` parameter, which Flask before 3.2
    # does not pass.
    def full_dispatch_request(  # type: ignore[override]
        self,
        ctx: AppContext = None,  # type: ignore[assignment]
    ) -> flask.Response:
        response = super().full_dispatch_request(*context_args(ctx))
        response.headers["X-Own"] = "1"
        return response


class _OwnContext(kolben.Kolben):
    def request_context(self, environ: t.Any) -> t.Any:
        ctx = super().request_context(environ)
        ctx.request.own = True
        return ctx


def test_app_overriding_what_the_lane_stands_for_goes_flasks_way() -> None:
    """A subclass or an instance replacing a method whose work the lane does
    itself has it called."""
    app = _make_app(_OwnDispatch)
    sent = _serve(app, _environ("/hello"))
    assert ("X-Own", "1") in sent[1]

    app = _make_app(_OwnContext)

    @app.get("/own")
    def own() -> str:
        return str(getattr(flask.request, "own", False))

    assert _serve(app, _environ("/own"))[2] == b"True"

    app = _make_app(kolben.Kolben)
    original = app.full_dispatch_request
    called = []

    def replaced(*args: t.Any) -> t.Any:
        called.append(True)
        return original(*args)

    app.full_dispatch_request = replaced  # type: ignore[method-assign]
    assert _serve(app, _environ("/hello"))[0] == "200 OK"
    assert called == [True]


def test_is_unobserved_reads_each_signal() -> None:
    app = kolben.Kolben(__name__)
    environ = _environ("/")
    assert lane.is_unobserved(environ)
    for signal in (
        signals.appcontext_pushed,
        signals.request_started,
        signals.appcontext_popped,
    ):
        with signal.connected_to(lambda sender, **kw: None, app):
            assert not lane.is_unobserved(environ)
    with app.app_context():
        assert not lane.is_unobserved(environ)
    environ["werkzeug.debug.preserve_context"] = lambda ctx: None
    assert not lane.is_unobserved(environ)
