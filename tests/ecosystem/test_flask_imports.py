"""Code that keeps importing ``flask`` (extensions, old modules) sees the same
objects as the app's own names: the app, the request, ``g``, the session, the
signals, and Flask's helpers and blueprints working inside its views."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from types import ModuleType
from typing import Any

import blinker
import flask
import flask.cli
import pytest
from flask.typing import ResponseReturnValue
from werkzeug.test import Client

#: Flask's default redirect status: 302, and 303 from Flask 3.2 on.
REDIRECT = flask.redirect("/").status_code


def test_app_is_a_flask(app: flask.Flask) -> None:
    """Flask's own code takes the app for one of its own: its app finder picks
    the one ``flask.Flask`` out of a module, and its request handling, called
    on the app as a subclass's ``super()`` would, serves the app's views."""
    module = ModuleType("project")
    module.other = object()  # type: ignore[attr-defined]
    module.made = app  # type: ignore[attr-defined]
    assert flask.cli.find_best_app(module) is app

    @app.get("/hi/<name>")
    def hi(name: str) -> str:
        return f"hi {name}"

    def flask_s_wsgi_app(environ: Any, start_response: Any) -> Any:
        return flask.Flask.wsgi_app(app, environ, start_response)

    rv = Client(flask_s_wsgi_app).get("/hi/there")
    assert (rv.status_code, rv.text) == (200, "hi there")


def test_proxies_are_the_same_objects(app: flask.Flask, framework: ModuleType) -> None:
    @app.get("/same")
    def same() -> dict[str, bool]:
        return {
            "app": flask.current_app._get_current_object() is app,
            "own app": framework.current_app._get_current_object() is app,
            "request": flask.request._get_current_object()
            is framework.request._get_current_object(),
            "g": flask.g._get_current_object() is framework.g._get_current_object(),
            "session": flask.session._get_current_object()
            is framework.session._get_current_object(),
            "contexts": flask.has_app_context() and flask.has_request_context(),
        }

    rv = app.test_client().get("/same")
    assert rv.json == dict.fromkeys(
        ["app", "own app", "request", "g", "session", "contexts"], True
    )


def test_request_seen_through_flask(app: flask.Flask) -> None:
    @app.post("/echo/<word>")
    def echo(word: str) -> dict[str, Any]:
        r = flask.request
        return {
            "method": r.method,
            "path": r.path,
            "args": r.args.to_dict(),
            "form": r.form.to_dict(),
            "view_args": r.view_args,
            "endpoint": r.endpoint,
            "url_rule": r.url_rule.rule if r.url_rule else None,
        }

    rv = app.test_client().post("/echo/hi?a=1", data={"b": "2"})
    assert rv.json == {
        "method": "POST",
        "path": "/echo/hi",
        "args": {"a": "1"},
        "form": {"b": "2"},
        "view_args": {"word": "hi"},
        "endpoint": "echo",
        "url_rule": "/echo/<word>",
    }


def test_g_shared(app: flask.Flask, framework: ModuleType) -> None:
    @app.before_request
    def set_with_flask() -> None:
        flask.g.by_flask = "flask"

    @app.get("/g")
    def read() -> dict[str, str]:
        framework.g.by_app = "app"
        return {"app sees": framework.g.by_flask, "flask sees": flask.g.by_app}

    assert app.test_client().get("/g").json == {
        "app sees": "flask",
        "flask sees": "app",
    }


@pytest.mark.parametrize(("writer", "reader"), [("flask", "app"), ("app", "flask")])
def test_session_shared(
    app: flask.Flask, framework: ModuleType, writer: str, reader: str
) -> None:
    modules = {"flask": flask, "app": framework}

    @app.post("/session")
    def write() -> str:
        modules[writer].session["who"] = writer
        return "written"

    @app.get("/session")
    def read() -> str:
        return str(modules[reader].session.get("who", "nobody"))

    client = app.test_client()
    assert client.get("/session").text == "nobody"
    assert client.post("/session").text == "written"
    assert client.get("/session").text == writer
    assert "Cookie" in client.get("/session").headers["Vary"]


def _helper_views(app: flask.Flask) -> None:
    @app.get("/url-for")
    def url_for() -> str:
        return flask.url_for("echo", word="x", q="1")

    @app.get("/echo/<word>")
    def echo(word: str) -> str:
        return word

    @app.get("/abort")
    def abort() -> ResponseReturnValue:
        flask.abort(418)

    @app.get("/redirect")
    def redirect() -> ResponseReturnValue:
        return flask.redirect(flask.url_for("echo", word="there"))

    @app.get("/jsonify")
    def jsonify() -> ResponseReturnValue:
        return flask.jsonify(a=1)

    @app.get("/make-response")
    def make_response() -> ResponseReturnValue:
        return flask.make_response("made", 201, {"X-Made": "yes"})

    @app.get("/template")
    def template() -> str:
        return flask.render_template_string("{{ request.path }} {{ g.x }}", x=1)

    @app.get("/flash")
    def flash() -> ResponseReturnValue:
        flask.flash("saved")
        return flask.redirect("/flashed")

    @app.get("/flashed")
    def flashed() -> str:
        return ",".join(flask.get_flashed_messages())

    @app.get("/after-this-request")
    def after() -> str:
        @flask.after_this_request
        def add_header(response: flask.Response) -> flask.Response:
            response.headers["X-After"] = "yes"
            return response

        return "after"

    @app.before_request
    def set_g() -> None:
        flask.g.x = "gx"


@pytest.mark.parametrize(
    ("path", "status", "body", "headers"),
    [
        ("/url-for", 200, "/echo/x?q=1", {}),
        ("/abort", 418, None, {}),
        ("/redirect", REDIRECT, None, {"Location": "/echo/there"}),
        ("/jsonify", 200, '{"a":1}\n', {"Content-Type": "application/json"}),
        ("/make-response", 201, "made", {"X-Made": "yes"}),
        ("/template", 200, "/template gx", {}),
        ("/after-this-request", 200, "after", {"X-After": "yes"}),
    ],
)
def test_flask_helpers_in_views(
    app: flask.Flask,
    path: str,
    status: int,
    body: str | None,
    headers: dict[str, str],
) -> None:
    _helper_views(app)
    rv = app.test_client().get(path)
    assert rv.status_code == status
    if body is not None:
        assert rv.text == body
    for name, value in headers.items():
        assert rv.headers[name] == value


def test_flash_through_flask(app: flask.Flask) -> None:
    _helper_views(app)
    rv = app.test_client().get("/flash", follow_redirects=True)
    assert rv.text == "saved"


def test_flask_blueprint(app: flask.Flask) -> None:
    bp = flask.Blueprint("shop", __name__, url_prefix="/shop")

    @bp.get("/<int:id>")
    def item(id: int) -> str:
        return f"{flask.request.blueprint} {id} {flask.url_for('.item', id=id + 1)}"

    @bp.errorhandler(404)
    def missing(e: Exception) -> tuple[str, int]:
        return "no such item", 404

    @bp.get("/gone")
    def gone() -> ResponseReturnValue:
        flask.abort(404)

    app.register_blueprint(bp)
    client = app.test_client()
    assert client.get("/shop/7").text == "shop 7 /shop/8"
    rv = client.get("/shop/gone")
    assert (rv.status_code, rv.text) == (404, "no such item")


#: In the order a request to ``/signals`` (flash, then render) sends them.
SIGNALS = [
    "appcontext_pushed",
    "request_started",
    "message_flashed",
    "before_render_template",
    "template_rendered",
    "request_finished",
    "request_tearing_down",
    "appcontext_tearing_down",
    "appcontext_popped",
]


def _record(
    app: flask.Flask, names: list[str], stack: ExitStack
) -> list[tuple[str, bool]]:
    """Connect a receiver to each ``flask`` signal named, for ``app`` only;
    it records the signal's name and whether the sender is ``app``."""
    seen: list[tuple[str, bool]] = []

    def receiver(name: str) -> Callable[..., None]:
        def receive(sender: object, **kwargs: object) -> None:
            seen.append((name, sender is app))

        return receive

    for name in names:
        signal: blinker.NamedSignal = getattr(flask, name)
        stack.enter_context(signal.connected_to(receiver(name), sender=app))
    return seen


def test_flask_signals_sent(app: flask.Flask) -> None:
    @app.get("/signals")
    def signals() -> str:
        flask.flash("hi")
        return flask.render_template_string("rendered")

    with ExitStack() as stack:
        seen = _record(app, SIGNALS, stack)
        rv = app.test_client().get("/signals")
    assert rv.text == "rendered"
    assert seen == [(name, True) for name in SIGNALS]


def test_flask_got_request_exception_sent(app: flask.Flask) -> None:
    app.testing = False

    @app.get("/boom")
    def boom() -> str:
        raise LookupError("boom")

    @app.errorhandler(500)
    def error(e: Exception) -> tuple[str, int]:
        return "handled", 500

    with ExitStack() as stack:
        seen = _record(app, ["got_request_exception"], stack)
        rv = app.test_client().get("/boom")
    assert (rv.status_code, rv.text) == (500, "handled")
    assert seen == [("got_request_exception", True)]
