"""kolben's request path against Flask's: the same app built on ``flask.Flask``
and on ``kolben.Kolben`` answers every request of a table with the same status,
headers and body, whichever of kolben's short paths the request takes."""

from __future__ import annotations

import typing as t

import flask
import pytest
from werkzeug.test import Client, EnvironBuilder

import kolben


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
        with make():
            response = app.full_dispatch_request()
        assert isinstance(response, flask.Response)
        assert response.get_data() == b"Hello, World!"


def _environ() -> dict[str, t.Any]:
    return EnvironBuilder("/").get_environ()


def test_adapter_bound_only_when_used(monkeypatch: pytest.MonkeyPatch) -> None:
    app = _build(kolben.Kolben)
    bound: list[str] = []
    original = app.create_url_adapter

    def counting(request: t.Any) -> t.Any:
        if request is not None:
            bound.append(request.path)
        return original(request)

    monkeypatch.setattr(app, "create_url_adapter", counting)
    client = app.test_client()
    client.get("/")
    client.get("/missing")
    assert bound == []
    client.get("/redirect")
    assert bound == ["/redirect"]
