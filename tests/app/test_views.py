"""Class-based and async views."""

from __future__ import annotations

import typing as t

import pytest
from flask.views import MethodView, View

import kolben


def test_view_class(app: kolben.Kolben) -> None:
    class Greet(View):
        methods = ["GET", "POST"]

        def __init__(self, word: str) -> None:
            self.word = word

        def dispatch_request(self, name: str) -> str:
            return f"{self.word} {name} {kolben.request.method}"

    app.add_url_rule("/<name>", view_func=Greet.as_view("greet", "hi"))
    client = app.test_client()
    assert client.get("/ann").data == b"hi ann GET"
    assert client.post("/ann").data == b"hi ann POST"


def test_method_view(app: kolben.Kolben) -> None:
    class Item(MethodView):
        def get(self) -> str:
            return "get"

        def post(self) -> str:
            return "post"

    view = Item.as_view("item")
    assert set(view.methods) == {"GET", "POST"}  # type: ignore[attr-defined]
    app.add_url_rule("/", view_func=view)
    client = app.test_client()
    assert client.get("/").data == b"get"
    assert client.post("/").data == b"post"
    assert client.head("/").status_code == 200
    assert client.delete("/").status_code == 405


def test_view_decorators_and_single_instance(app: kolben.Kolben) -> None:
    def shout(f: t.Callable[..., str]) -> t.Callable[..., str]:
        def wrapper(**kw: t.Any) -> str:
            return f(**kw).upper()

        return wrapper

    instances: list[object] = []

    class Once(View):
        decorators = [shout]
        init_every_request = False

        def __init__(self) -> None:
            instances.append(self)

        def dispatch_request(self) -> str:
            return "quiet"

    app.add_url_rule("/", view_func=Once.as_view("once"))
    client = app.test_client()
    assert client.get("/").data == b"QUIET"
    client.get("/")
    assert len(instances) == 1


def test_async_views_and_hooks(app: kolben.Kolben) -> None:
    pytest.importorskip("asgiref")

    @app.get("/")
    async def index() -> str:
        return "async " + kolben.request.args["a"]

    @app.before_request
    async def before() -> None:
        kolben.g.before = True

    @app.errorhandler(418)
    async def teapot(e: Exception) -> tuple[str, int]:
        return "async handler", 418

    @app.get("/tea")
    async def tea() -> str:
        kolben.abort(418)

    class Async(MethodView):
        async def get(self) -> str:
            return "async method view"

    app.add_url_rule("/mv", view_func=Async.as_view("mv"))
    client = app.test_client()
    assert client.get("/?a=1").data == b"async 1"
    assert client.get("/tea").data == b"async handler"
    assert client.get("/mv").data == b"async method view"
