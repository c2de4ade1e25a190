"""Whether the plain-response short path (:mod:`kolben.plain`) runs.

A request is served through the WSGI entry, ``app(environ, start_response)``,
while Flask's ``make_response`` and ``process_response`` and Werkzeug's
``Response.__init__`` are watched. The short path calls none of them; Flask's
way calls ``make_response``. What either sends is compared with what a stock
``flask.Flask`` app, set up the same way, sends for the same request.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import os
import typing as t

import flask
import pytest
import werkzeug.wrappers
from flask.ctx import AppContext
from flask.json.provider import DefaultJSONProvider
from flask.signals import request_finished
from itsdangerous.timed import TimestampSigner
from markupsafe import Markup
from werkzeug.datastructures import Headers
from werkzeug.exceptions import NotFound
from werkzeug.test import EnvironBuilder, run_wsgi_app

import kolben
from kolben._flask_private import PASSES_CONTEXT, context_args

#: What a WSGI app sent: status line, headers in order, body.
Sent = t.Tuple[str, t.List[t.Tuple[str, str]], bytes]
#: Sets an app up before its first request; the stack undoes global changes.
Setup = t.Callable[[flask.Flask, flask.Blueprint, contextlib.ExitStack], None]

#: The values the short path claims, as (method, path) on the apps below.
KINDS = {
    "str": ("GET", "/str"),
    "dict": ("GET", "/dict"),
    "404 from routing": ("GET", "/missing"),
    "abort": ("GET", "/abort"),
}


def _no_setup(app: flask.Flask, bp: flask.Blueprint, stack: t.Any) -> None:
    pass


def _make_app(
    base: type[flask.Flask],
    mixin: type | None = None,
    setup: Setup = _no_setup,
    stack: contextlib.ExitStack | None = None,
) -> flask.Flask:
    """An app of class ``base`` (with ``mixin`` first in its bases) serving the
    routes of :data:`KINDS` from the blueprint ``views``."""
    cls = base if mixin is None else type(base.__name__, (mixin, base), {})
    app: flask.Flask = cls("kolben_test", root_path=os.path.dirname(__file__))
    app.config.update(TESTING=True, SECRET_KEY="test key")
    bp = flask.Blueprint("views", __name__)
    bp.add_url_rule("/str", "str", lambda: "héllo wörld")
    bp.add_url_rule("/dict", "dict", lambda: {"b": [1, None, True], "a": "é"})
    bp.add_url_rule("/abort", "abort", lambda: flask.abort(403, "No entry."))
    setup(app, bp, stack or contextlib.ExitStack())
    app.register_blueprint(bp)
    return app


def _serve(app: flask.Flask, method: str, path: str, **environ: t.Any) -> Sent:
    """What ``app`` sends for one request through its WSGI entry."""
    env = EnvironBuilder(path=path, method=method, **environ).get_environ()
    app_iter, status, headers = run_wsgi_app(app, env)
    try:
        body = b"".join(app_iter)
    finally:
        close = getattr(app_iter, "close", None)
        if close is not None:
            close()
    # Allow lists a set of methods, in set (hash) order in Werkzeug as well.
    listed = [
        (name, ", ".join(sorted(value.split(", "))) if name == "Allow" else value)
        for name, value in headers.to_wsgi_list()
    ]
    return status, listed, body


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the Response-path steps taken, in order, while the test
    runs: Flask's ``make_response`` and ``process_response``, and each
    Werkzeug ``Response`` made."""
    calls: list[str] = []

    def watch(owner: type, name: str) -> None:
        original = getattr(owner, name)

        # Keeps the name: Flask 3.2 looks methods up by their __name__.
        @functools.wraps(original)
        def spy(*args: t.Any, **kwargs: t.Any) -> t.Any:
            calls.append(name)
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, spy)

    watch(flask.Flask, "make_response")
    watch(flask.Flask, "process_response")
    watch(werkzeug.wrappers.Response, "__init__")
    return calls


# -- the short path runs -----------------------------------------------------

SHORT = {
    **KINDS,
    "405 from routing": ("POST", "/str"),
}


@pytest.mark.parametrize(("method", "path"), SHORT.values(), ids=list(SHORT))
def test_plain_result_makes_no_response(
    made: list[str], method: str, path: str
) -> None:
    """No Response is made, and the bytes are Flask's."""
    app = _make_app(kolben.Kolben)
    sent = _serve(app, method, path)
    assert made == []
    expected = _serve(_make_app(flask.Flask), method, path)
    assert "make_response" in made  # the peer took Flask's way
    assert sent == expected


def test_plain_result_sends_flasks_bytes(made: list[str]) -> None:
    """Status, Content-Type, Content-Length and body, spelled out."""
    app = _make_app(kolben.Kolben)
    body = "héllo wörld".encode()
    assert _serve(app, "GET", "/str") == (
        "200 OK",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
        ],
        body,
    )
    body = b'{"a":"\\u00e9","b":[1,null,true]}\n'
    assert _serve(app, "GET", "/dict") == (
        "200 OK",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
        body,
    )
    status, headers, body = _serve(app, "GET", "/missing")
    assert status == "404 NOT FOUND"
    assert headers == [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(body))),
    ]
    assert body.startswith(b"<!doctype html>") and b"<h1>Not Found</h1>" in body
    status, _, body = _serve(app, "GET", "/abort")
    assert status == "403 FORBIDDEN"
    assert b"<p>No entry.</p>" in body
    assert made == []


@pytest.mark.parametrize(("method", "path"), KINDS.values(), ids=list(KINDS))
def test_test_client_takes_the_short_path(
    made: list[str], method: str, path: str
) -> None:
    """Flask's test client calls the app's WSGI entry, so the comparisons made
    through it elsewhere compare the short path with Flask's."""
    client = _make_app(kolben.Kolben).test_client()
    response = client.open(path, method=method)
    # The one Response made is the client's wrapper around what was sent.
    assert made == ["__init__"]
    assert response.content_length == len(response.data)


# -- it steps aside for what observes the Response ---------------------------


def _identity(response: flask.Response) -> flask.Response:
    return response


def _after_request(app: flask.Flask, bp: flask.Blueprint, stack: t.Any) -> None:
    app.after_request(_identity)


def _blueprint_after_request(
    app: flask.Flask, bp: flask.Blueprint, stack: t.Any
) -> None:
    bp.after_request(_identity)


def _after_this_request(app: flask.Flask, bp: flask.Blueprint, stack: t.Any) -> None:
    @app.before_request
    def register() -> None:
        flask.after_this_request(_identity)


def _request_finished(
    app: flask.Flask, bp: flask.Blueprint, stack: contextlib.ExitStack
) -> None:
    stack.enter_context(request_finished.connected_to(lambda *a, **k: None, app))


def _session_read(app: flask.Flask, bp: flask.Blueprint, stack: t.Any) -> None:
    app.before_request(lambda: flask.session.get("user") and None)


def _session_written(
    app: flask.Flask, bp: flask.Blueprint, stack: contextlib.ExitStack
) -> None:
    # The cookie's signature holds the time in seconds: fixed, so that the two
    # apps' cookies compare equal.
    stack.enter_context(pytest.MonkeyPatch.context()).setattr(
        TimestampSigner, "get_timestamp", lambda self: 1_700_000_000
    )

    @app.before_request
    def write() -> None:
        flask.session["user"] = "u"


class _CustomResponse(flask.Response):
    pass


def _response_class(app: flask.Flask, bp: flask.Blueprint, stack: t.Any) -> None:
    app.response_class = _CustomResponse


class _OwnMakeResponse:
    def make_response(self, rv: t.Any) -> flask.Response:
        return super().make_response(rv)  # type: ignore[misc, no-any-return]


if PASSES_CONTEXT:  # Flask 3.2 and later: the context first, as Flask asks

    class _OwnProcessResponse:
        def process_response(self, ctx: AppContext, response: flask.Response) -> t.Any:
            return super().process_response(ctx, response)  # type: ignore[misc]

else:

    class _OwnProcessResponse:  # type: ignore[no-redef]
        def process_response(self, response: flask.Response) -> t.Any:
            return super().process_response(response)  # type: ignore[misc]


class _OwnWsgiApp:
    """A ``wsgi_app`` that pushes its own request context and treats what
    ``full_dispatch_request`` returns as a Response."""

    def wsgi_app(self, environ: t.Any, start_response: t.Any) -> t.Any:
        app: t.Any = self
        with app.request_context(environ) as ctx:
            response = app.full_dispatch_request(*context_args(ctx))
            response.headers["X-Own"] = "1"
            return response(environ, start_response)


@dataclasses.dataclass
class Observer:
    """Something that observes the Response, set up before the first request."""

    setup: Setup = _no_setup
    mixin: type | None = None
    environ: dict[str, t.Any] = dataclasses.field(default_factory=dict)
    #: The kinds it observes (a blueprint's hook sees only its own views).
    kinds: tuple[str, ...] = tuple(KINDS)


OBSERVERS = {
    "after_request": Observer(_after_request),
    "blueprint after_request": Observer(
        _blueprint_after_request, kinds=("str", "dict", "abort")
    ),
    "after_this_request": Observer(_after_this_request),
    "request_finished receiver": Observer(_request_finished),
    "session read": Observer(_session_read),
    "session written": Observer(_session_written),
    "HEAD": Observer(environ={"method": "HEAD"}),
    "Cookie header": Observer(environ={"headers": {"Cookie": "a=b"}}),
    "response_class": Observer(_response_class),
    "make_response overridden": Observer(mixin=_OwnMakeResponse),
    "process_response overridden": Observer(mixin=_OwnProcessResponse),
    "wsgi_app of its own": Observer(mixin=_OwnWsgiApp),
}

OBSERVED = [
    pytest.param(observer, kind, id=f"{name}-{kind}")
    for name, observer in OBSERVERS.items()
    for kind in observer.kinds
]


@pytest.mark.parametrize(("observer", "kind"), OBSERVED)
def test_observed_result_goes_flasks_way(
    made: list[str], observer: Observer, kind: str
) -> None:
    """With an observer, a plain result is made into a Response by Flask, and
    the bytes are Flask's."""
    method, path = KINDS[kind]
    environ = {"method": method, **observer.environ}
    with contextlib.ExitStack() as stack:
        app = _make_app(kolben.Kolben, observer.mixin, observer.setup, stack)
        sent = _serve(app, path=path, **environ)
        assert "make_response" in made
        peer = _make_app(flask.Flask, observer.mixin, observer.setup, stack)
        assert sent == _serve(peer, path=path, **environ)


@pytest.mark.parametrize(("method", "path"), KINDS.values(), ids=list(KINDS))
def test_request_context_outside_wsgi_app_gets_a_response(
    made: list[str], method: str, path: str
) -> None:
    """A request context not made by Flask's ``wsgi_app`` has
    ``full_dispatch_request`` return a Response object."""
    app = _make_app(kolben.Kolben)
    with app.test_request_context(path, method=method) as ctx:
        response = app.full_dispatch_request(*context_args(ctx))
    assert type(response) is flask.Response
    assert made[0] == "make_response"


# -- values the short path leaves to Flask ---------------------------------------


class _OwnNotFound(NotFound):
    def get_response(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        response = super().get_response(*args, **kwargs)
        response.headers["X-Own"] = "1"
        return response


def _raise(error: BaseException) -> t.NoReturn:
    raise error


def _json_subclass(app: flask.Flask) -> None:
    app.json = type("Provider", (DefaultJSONProvider,), {})(app)


def _not_compact(app: flask.Flask) -> None:
    app.json.compact = False  # type: ignore[attr-defined]


def _debug(app: flask.Flask) -> None:
    app.config["DEBUG"] = True


def _errors_not_propagated(app: flask.Flask) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False


def _keep(app: flask.Flask) -> None:
    pass


#: (name, the view, app setup)
LEFT_TO_FLASK: list[tuple[str, t.Callable[[], t.Any], t.Callable[..., None]]] = [
    ("str subclass", lambda: Markup("<b>hi</b>"), _keep),
    ("dict subclass", lambda: collections.OrderedDict(a=1), _keep),
    ("str with a status line", lambda: ("made", "201 CREATED"), _keep),
    ("str with status 204", lambda: ("", 204), _keep),
    ("str with status 304", lambda: ("", 304), _keep),
    ("str with a Location", lambda: ("made", 302, {"Location": "/caf\u00e9"}), _keep),
    ("str with a Content-Location", lambda: ("m", {"Content-Location": "/x"}), _keep),
    ("str with a Headers object", lambda: ("made", Headers({"X-A": "1"})), _keep),
    ("str with a tuple of headers", lambda: ("made", (("X-A", "1"),)), _keep),
    ("bytes with headers", lambda: (b"made", {"X-A": "1"}), _keep),
    ("Response with headers", lambda: (flask.Response("m"), {"X-A": "1"}), _keep),
    ("dict, JSON provider subclass", lambda: {"a": 1}, _json_subclass),
    ("dict, JSON not compact", lambda: {"a": 1}, _not_compact),
    ("dict, debug", lambda: {"a": 1}, _debug),
    ("abort with a Response", lambda: flask.abort(flask.Response("t", 418)), _keep),
    (
        "error carrying a Response",
        lambda: _raise(NotFound(response=flask.Response("t", 418))),
        _keep,
    ),
    ("error with its own get_response", lambda: _raise(_OwnNotFound()), _keep),
    ("unhandled exception", lambda: _raise(RuntimeError()), _errors_not_propagated),
]


@pytest.mark.parametrize(
    ("view", "setup"),
    [row[1:] for row in LEFT_TO_FLASK],
    ids=[row[0] for row in LEFT_TO_FLASK],
)
def test_value_left_to_flask(
    made: list[str], view: t.Callable[[], t.Any], setup: t.Callable[..., None]
) -> None:
    """A value the short path does not reproduce is made by Flask."""

    def with_view(app: flask.Flask, bp: flask.Blueprint, stack: t.Any) -> None:
        app.add_url_rule("/v", "v", view)
        setup(app)

    sent = _serve(_make_app(kolben.Kolben, setup=with_view), "GET", "/v")
    assert "make_response" in made
    assert sent == _serve(_make_app(flask.Flask, setup=with_view), "GET", "/v")


def test_unencodable_dict_raises_flasks_error(made: list[str]) -> None:
    """A dict the short path cannot encode goes to Flask, which raises."""

    def with_view(app: flask.Flask, bp: flask.Blueprint, stack: t.Any) -> None:
        app.add_url_rule("/v", "v", lambda: {"a": {1}})

    for base in (kolben.Kolben, flask.Flask):
        with pytest.raises(TypeError, match="set is not JSON serializable"):
            _serve(_make_app(base, setup=with_view), "GET", "/v")
        assert made.count("make_response") == 1
        made.clear()


# -- lists and tuples --------------------------------------------------------

#: (name, a view's result the short path makes as Flask's make_response does)
TUPLES_AND_LISTS: list[tuple[str, t.Callable[[], t.Any]]] = [
    ("list", lambda: [1, "\u00e9", None, {"b": 2, "a": [True]}]),
    ("empty list", lambda: []),
    ("str, status", lambda: ("made", 201)),
    ("str, unknown status", lambda: ("made", 299)),
    ("str, status None", lambda: ("made", None)),
    ("str, Content-Type", lambda: ("made", {"Content-Type": "text/plain"})),
    ("str, headers in a list", lambda: ("made", [("X-A", "1"), ("X-A", "2")])),
    ("str, a header of two values", lambda: ("made", {"X-A": ["1", "2"]})),
    ("str, a header not a str", lambda: ("made", {"X-A": 3})),
    ("str, its own Content-Length", lambda: ("made", {"Content-Length": "99"})),
    ("str, no headers", lambda: ("made", {})),
    ("str, status, headers", lambda: ("made", 202, {"X-A": "1", "x-b": "2"})),
    ("str, None, headers", lambda: ("made", None, [("X-A", "1")])),
    (
        "str, two spellings",
        lambda: ("m", {"Content-Type": "a/b", "content-type": "c/d"}),
    ),
    ("dict, status", lambda: ({"a": 1}, 201)),
    ("dict, a header", lambda: ({"a": 1}, {"X-A": "1"})),
    ("list, a header of two values", lambda: ([1], {"X-A": ["1", "2"]})),
    ("dict, Content-Type", lambda: ({"a": 1}, {"Content-Type": "application/x+json"})),
    ("dict, its own Content-Length", lambda: ({"a": 1}, {"content-length": "3"})),
    ("list, status, headers", lambda: ([1, 2], 418, [("X-B", "2"), ("x-b", "3")])),
]


@pytest.mark.parametrize(
    "view", [row[1] for row in TUPLES_AND_LISTS], ids=[r[0] for r in TUPLES_AND_LISTS]
)
def test_list_or_tuple_sends_flasks_bytes(
    made: list[str], view: t.Callable[[], t.Any]
) -> None:
    """A list, or a str, dict or list in a tuple with a status and headers,
    takes the short path and sends what Flask sends."""

    def with_view(app: flask.Flask, bp: flask.Blueprint, stack: t.Any) -> None:
        app.add_url_rule("/v", "v", view)

    sent = _serve(_make_app(kolben.Kolben, setup=with_view), "GET", "/v")
    assert made == []
    assert sent == _serve(_make_app(flask.Flask, setup=with_view), "GET", "/v")
    assert "make_response" in made


#: (name, a view's result Flask refuses, the error it raises)
REFUSED: list[tuple[str, t.Callable[[], t.Any], type[Exception]]] = [
    ("a newline in a header", lambda: ("made", {"X-A": "1\r\nX-B: 2"}), ValueError),
    ("a newline in a JSON header", lambda: ({"a": 1}, {"X-A": "1\n2"}), ValueError),
    ("four items", lambda: ("made", 200, {}, None), TypeError),
    ("a body of None", lambda: (None, 201), TypeError),
]


@pytest.mark.parametrize(
    ("view", "error"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_refused_tuple_raises_flasks_error(
    made: list[str], view: t.Callable[[], t.Any], error: type[Exception]
) -> None:
    """A tuple Flask refuses is left to Flask, which raises its error."""

    def with_view(app: flask.Flask, bp: flask.Blueprint, stack: t.Any) -> None:
        app.add_url_rule("/v", "v", view)

    for base in (kolben.Kolben, flask.Flask):
        with pytest.raises(error):
            _serve(_make_app(base, setup=with_view), "GET", "/v")
        assert made.count("make_response") == 1
        made.clear()
