"""kolben's request path against Flask's: the same app built on ``flask.Flask``
and on ``kolben.Kolben`` answers every request of a table with the same status,
headers and body, whichever of kolben's short paths the request takes."""

from __future__ import annotations

import contextlib
import typing as t

import flask
import pytest
import werkzeug.exceptions
from werkzeug.test import Client, EnvironBuilder

import kolben
from kolben._flask_private import PASSES_CONTEXT, context_args


def _build(app_class: type[flask.Flask]) -> flask.Flask:
    app = app_class(__name__)
    app.secret_key = "not secret"

    @app.get("/")
    def hello() -> str:
        return "Hello, World!"

    @app.get("/user/<name>")
    def user(name: str) -> dict[str, t.Any]:
        return {"name": name, "n": [1, 2.5, None]}

    @app.post("/form")
    def form() -> str:
        return "posted"

    @app.get("/tuple")
    def with_status() -> tuple[str, int, dict[str, str]]:
        return "made", 201, {"X-Kind": "tuple"}

    @app.get("/later")
    def later() -> str:
        @flask.after_this_request
        def stamp(response: flask.Response) -> flask.Response:
            response.headers["X-Stamp"] = "1"
            return response

        return "stamped"

    @app.get("/login")
    def login() -> str:
        flask.session["user"] = "ada"
        return "in"

    @app.get("/me")
    def me() -> str:
        return str(flask.session.get("user"))

    @app.get("/abort")
    def aborted() -> str:
        flask.abort(418)

    @app.get("/redirect")
    def redirected() -> t.Any:
        return flask.redirect(flask.url_for("hello"))

    return app


REQUESTS = [
    ("GET", "/"),
    ("HEAD", "/"),
    ("GET", "/user/ada"),
    ("GET", "/user/%C3%A9"),
    ("GET", "/missing"),
    ("POST", "/"),
    ("OPTIONS", "/"),
    ("POST", "/form"),
    ("GET", "/form"),
    ("GET", "/tuple"),
    ("GET", "/later"),
    ("GET", "/abort"),
    ("GET", "/redirect"),
    ("GET", "/user/"),
    ("GET", "//user/ada"),
]


def _answer(client: Client, method: str, path: str) -> tuple[t.Any, ...]:
    response = client.open(path, method=method)
    # Werkzeug lists allowed methods in the order of a set of strings, which
    # changes with the hash seed: compared as sets.
    headers = sorted(
        (name, ", ".join(sorted(value.split(", "))) if name == "Allow" else value)
        for name, value in response.headers
        if name != "Set-Cookie"
    )
    return response.status, headers, response.get_data()


@pytest.mark.parametrize(("method", "path"), REQUESTS)
def test_same_answer_as_flask(method: str, path: str) -> None:
    flask_client = Client(_build(flask.Flask))
    kolben_client = Client(_build(kolben.Kolben))
    assert _answer(kolben_client, method, path) == _answer(flask_client, method, path)


def test_same_session_cookies_as_flask() -> None:
    """Login, then requests that read, ignore or miss the session."""
    answers = []
    for app_class in (flask.Flask, kolben.Kolben):
        client = Client(_build(app_class))
        rows = []
        for path in ["/me", "/login", "/me", "/", "/missing", "/me"]:
            response = client.get(path)
            rows.append(
                (
                    path,
                    response.status,
                    response.get_data(),
                    response.headers.get("Vary"),
                )
            )
        answers.append(rows)
    assert answers[0] == answers[1]


def test_full_dispatch_request_gives_a_response_outside_wsgi_app() -> None:
    """A caller of ``full_dispatch_request`` gets a Response, not the plain
    short path's WSGI callable."""
    app = _build(kolben.Kolben)
    for make in (app.test_request_context, lambda: app.request_context(_environ())):
        with make() as ctx:
            response = app.full_dispatch_request(*context_args(ctx))
        assert isinstance(response, flask.Response)
        assert response.get_data() == b"Hello, World!"


def _environ() -> dict[str, t.Any]:
    return EnvironBuilder("/").get_environ()


def test_adapter_bound_only_when_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """Binding is counted in the map (Flask's ``create_url_adapter`` binds it):
    a ``create_url_adapter`` of the app's own would take native routing off."""
    app = _build(kolben.Kolben)
    bound: list[str] = []
    map_class = type(app.url_map)
    original = map_class.bind_to_environ

    def counting(self: t.Any, environ: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:
        bound.append(environ["PATH_INFO"])
        return original(self, environ, *args, **kwargs)

    monkeypatch.setattr(map_class, "bind_to_environ", counting)
    client = app.test_client()
    client.get("/")
    # Bound once for a host not seen before: a host it cannot bind to is a 400.
    assert bound == ["/"]
    client.get("/")
    client.get("/missing")
    assert bound == ["/"]
    client.get("/redirect")
    assert bound == ["/", "/redirect"]


def _miss_variant(app: flask.Flask, variant: str) -> flask.Flask:
    """``app`` with one thing that changes how a routing miss is answered."""
    if variant == "app handler":
        app.register_error_handler(404, lambda e: ("app 404", 404))
    elif variant == "class handler":
        app.register_error_handler(
            werkzeug.exceptions.HTTPException, lambda e: (f"any {e.code}", e.code)
        )
    elif variant == "blueprint handler":
        blueprint = flask.Blueprint("bp", __name__)
        blueprint.app_errorhandler(405)(lambda e: ("bp 405", 405))
        app.register_blueprint(blueprint)
    elif variant == "trapped":
        app.config["TRAP_HTTP_EXCEPTIONS"] = True
    elif variant == "got_request_exception":
        flask.got_request_exception.connect(_record_exception, app)
    return app


_exceptions: list[str] = []


def _record_exception(sender: t.Any, exception: Exception, **extra: t.Any) -> None:
    _exceptions.append(type(exception).__name__)


@pytest.mark.parametrize(
    "variant",
    [
        "none",
        "app handler",
        "class handler",
        "blueprint handler",
        "trapped",
        "got_request_exception",
    ],
)
def test_misses_answered_as_flask(variant: str) -> None:
    """A 404 and a 405 are answered as Flask answers them, whether or not an
    error handler, trapping or a signal receiver sees them."""
    answers = []
    for app_class in (flask.Flask, kolben.Kolben):
        app = _miss_variant(_build(app_class), variant)
        client = Client(app)
        rows: list[t.Any] = []
        for method, path in [("GET", "/missing"), ("POST", "/")]:
            _exceptions.clear()
            rows.append(_answer(client, method, path))
            rows.append(list(_exceptions))
        answers.append(rows)
        flask.got_request_exception.disconnect(_record_exception, app)
    assert answers[0] == answers[1]
    if variant == "trapped":
        # A trapped miss is an unhandled exception: a 500.
        assert answers[1][0][0] == "500 INTERNAL SERVER ERROR"
    if variant == "got_request_exception":
        assert answers[1][1] == []


def test_miss_handling_override_is_called() -> None:
    """A subclass overriding how HTTP errors are handled sees routing misses,
    also with the signature before Flask 3.2 (which 3.2 still calls, with a
    deprecation warning)."""
    seen: list[int | None] = []
    warns = pytest.warns(DeprecationWarning, match="handle_http_exception")

    with warns if PASSES_CONTEXT else contextlib.nullcontext():

        class Handling(kolben.Kolben):
            def handle_http_exception(self, e: t.Any) -> t.Any:
                seen.append(e.code)
                return super().handle_http_exception(e)

    client = Client(_build(Handling))
    assert client.get("/missing").status_code == 404
    assert client.post("/").status_code == 405
    assert seen == [404, 405]
