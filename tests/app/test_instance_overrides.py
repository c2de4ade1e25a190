"""A Flask method replaced on the app instance, as Flask-RESTX's and
Flask-RESTful's ``Api(app)`` replace the error handlers, is called as on stock
Flask: every kolben shortcut that stands in for it steps aside, as it does
for a subclass that overrides the method.

Each row replaces one method on a stock ``flask.Flask`` and on a ``Kolben``
app built alike; the same requests must give the same answers. The
replacements take ``*args`` so they fit Flask 3.1's signatures and 3.2's
(which passes the context first)."""

from __future__ import annotations

import typing as t
from collections.abc import Callable

import flask
import pytest
from werkzeug.exceptions import ImATeapot

import kolben

#: Requests every row makes: a match, a 404, a 405, a JSON view.
REQUESTS = [("GET", "/ids/3"), ("GET", "/nope"), ("POST", "/ids/3"), ("GET", "/json")]


def _build(cls: type[flask.Flask]) -> flask.Flask:
    app = cls(__name__)
    app.add_url_rule("/ids/<int:id>", "ids", lambda id: f"id {id}")
    app.add_url_rule("/json", "json", lambda: {"ok": True})
    return app


def _user_exception(app: flask.Flask) -> None:
    app.handle_user_exception = lambda *args: ("user", 418)  # type: ignore[method-assign]


def _http_exception(app: flask.Flask) -> None:
    app.handle_http_exception = lambda *args: ("http", 419)  # type: ignore[method-assign]


def _routing_exception(app: flask.Flask) -> None:
    def teapot(request: t.Any) -> t.NoReturn:
        raise ImATeapot()

    app.raise_routing_exception = teapot  # type: ignore[method-assign]


def _make_response(app: flask.Flask) -> None:
    made = app.make_response

    def make_response(rv: t.Any) -> flask.Response:
        response = made(rv)
        response.headers["X-Made"] = "yes"
        return response

    app.make_response = make_response  # type: ignore[method-assign]


def _process_response(app: flask.Flask) -> None:
    process = app.process_response

    def process_response(*args: t.Any) -> flask.Response:
        response = process(*args)
        response.headers["X-Processed"] = "yes"
        return response

    app.process_response = process_response  # type: ignore[method-assign]


def _url_adapter(app: flask.Flask) -> None:
    create = app.create_url_adapter

    def create_url_adapter(request: t.Any) -> t.Any:
        adapter = create(request)
        if request is not None and adapter is not None:
            adapter.path_info = "/ids/7"  # every request routes as /ids/7
        return adapter

    app.create_url_adapter = create_url_adapter  # type: ignore[method-assign]


def _ensure_sync(app: flask.Flask) -> None:
    app.ensure_sync = lambda func: lambda *a, **k: "wrapped view"  # type: ignore[method-assign]


REPLACEMENTS: dict[str, Callable[[flask.Flask], None]] = {
    "handle_user_exception": _user_exception,
    "handle_http_exception": _http_exception,
    "raise_routing_exception": _routing_exception,
    "make_response": _make_response,
    "process_response": _process_response,
    "create_url_adapter": _url_adapter,
    "ensure_sync": _ensure_sync,
}


def _answers(app: flask.Flask) -> list[tuple[int, bytes, dict[str, str]]]:
    client = app.test_client()
    answers = []
    for method, path in REQUESTS:
        response = client.open(path, method=method)
        headers = {k: v for k, v in response.headers.items() if k.startswith("X-")}
        answers.append((response.status_code, response.data, headers))
    return answers


@pytest.mark.parametrize("name", REPLACEMENTS)
def test_method_replaced_on_instance_answers_as_flask(name: str) -> None:
    apps = [_build(flask.Flask), _build(kolben.Kolben)]
    for app in apps:
        REPLACEMENTS[name](app)
        assert name in vars(app)
    flask_answers, kolben_answers = (_answers(app) for app in apps)
    assert kolben_answers == flask_answers
    # The replacement shows: without it the answers are other ones.
    assert flask_answers != _answers(_build(flask.Flask))


def test_flask_restx_style_catch_all() -> None:
    """The example a Flask-RESTX user meets: ``handle_user_exception`` set on
    the app wraps 404s and 405s alike."""
    answers = []
    for cls in (flask.Flask, kolben.Kolben):
        app = cls(__name__)
        app.get("/ids/<int:id>")(lambda id: "ok")
        app.handle_user_exception = lambda *args: ("wrapped", 418)  # type: ignore[method-assign]
        client = app.test_client()
        missing, wrong_method = client.get("/nope"), client.post("/ids/3")
        answers.append((missing.status_code, wrong_method.status_code))
    assert answers == [(418, 418), (418, 418)]


def test_replacing_after_requests_served_takes_effect() -> None:
    """The instance is looked at on every request, not once: a replacement
    made after the app served requests is called from then on."""
    app = _build(kolben.Kolben)
    client = app.test_client()
    assert client.get("/nope").status_code == 404
    assert client.get("/ids/3").data == b"id 3"
    _user_exception(app)
    _ensure_sync(app)
    assert client.get("/nope").status_code == 418
    assert client.get("/ids/3").data == b"wrapped view"
    del app.handle_user_exception
    del app.ensure_sync
    assert client.get("/nope").status_code == 404
    assert client.get("/ids/3").data == b"id 3"
