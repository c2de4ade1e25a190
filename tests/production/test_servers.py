"""``examples.hello`` under gunicorn and granian: real sockets, real HTTP."""

from __future__ import annotations

import json

import flask
import pytest

from .servers import fetch

# path, status, body
PAGES = [
    ("/hello", 200, b"Hello, World!"),
    ("/user/alice", 200, b"User: alice"),
    ("/user/%3Cb%3E", 200, b"User: &lt;b&gt;"),
    ("/user/caf%C3%A9", 200, "User: café".encode()),
]


@pytest.mark.parametrize(("path", "status", "body"), PAGES)
def test_pages(server_port: int, path: str, status: int, body: bytes) -> None:
    reply = fetch(server_port, path)
    assert (reply.status, reply.body) == (status, body)
    assert reply.headers["Content-Type"] == "text/html; charset=utf-8"


def test_json(server_port: int) -> None:
    reply = fetch(server_port, "/api/user/42")
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/json"
    assert json.loads(reply.body) == {"id": 42, "name": "user42"}


def test_post(server_port: int) -> None:
    reply = fetch(server_port, "/echo", method="POST", body=b"ping")
    assert reply.status == 200
    assert json.loads(reply.body) == {"received": "ping"}


@pytest.mark.parametrize("path", ["/nope", "/api/user/abc", "/hello/"])
def test_not_found(server_port: int, path: str) -> None:
    assert fetch(server_port, path).status == 404


def test_method_not_allowed(server_port: int) -> None:
    reply = fetch(server_port, "/echo")
    assert reply.status == 405
    allowed = {m.strip() for m in reply.headers["Allow"].split(",")}
    assert allowed == {"OPTIONS", "POST"}


# path, status, where the Location header points (its path); /old redirects
# with Flask's default status (302; 303 from Flask 3.2 on).
REDIRECTS = [
    ("/old", flask.redirect("/").status_code, "/hello"),
    ("/docs", 308, "/docs/"),
]


@pytest.mark.parametrize(("path", "status", "location"), REDIRECTS)
def test_redirects(server_port: int, path: str, status: int, location: str) -> None:
    reply = fetch(server_port, path)
    assert reply.status == status
    assert reply.headers["Location"].endswith(location)


def test_static_whole(server_port: int) -> None:
    reply = fetch(server_port, "/static/style.css")
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("text/css")
    assert reply.body == b"body { color: #333; }\n"


def test_static_range(server_port: int) -> None:
    reply = fetch(server_port, "/static/style.css", headers={"Range": "bytes=0-4"})
    assert reply.status == 206
    assert reply.headers["Content-Range"] == "bytes 0-4/22"
    assert reply.body == b"body "


def test_static_range_not_satisfiable(server_port: int) -> None:
    reply = fetch(server_port, "/static/style.css", headers={"Range": "bytes=100-"})
    assert reply.status == 416
    assert reply.headers["Content-Range"] == "bytes */22"
