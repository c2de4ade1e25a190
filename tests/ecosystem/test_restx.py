"""Flask-RESTX: a namespace of resources answering JSON bodies with their
status codes, errors as JSON (404s anywhere with ``catch_all_404s``, 405s on
the API's resources), and the Swagger UI and spec of an ``Api`` mounted at
``/``, where RESTX adds its doc and root views under the same rule."""

from __future__ import annotations

import warnings
from typing import Any

import flask
import pytest
from flask.testing import FlaskClient
from flask_restx import Api, Resource, fields
from werkzeug.exceptions import MethodNotAllowed, NotFound

Todo = dict[str, Any]


def _todo_api(app: flask.Flask, **options: Any) -> Api:
    """A to-do list under ``/todos/``, kept in memory for one app."""
    api = Api(app, title="Todos", version="1.0", **options)
    ns = api.namespace("todos", path="/todos")
    todo = api.model(
        "Todo",
        {
            "id": fields.Integer(readonly=True),
            "task": fields.String(required=True),
            "done": fields.Boolean(default=False),
        },
    )
    todos: dict[int, Todo] = {}

    def find(id: int) -> Todo:
        if id not in todos:
            ns.abort(404, f"todo {id} does not exist")
        return todos[id]

    @ns.route("/")
    class TodoList(Resource):
        @ns.marshal_list_with(todo)
        def get(self) -> list[Todo]:
            return list(todos.values())

        @ns.expect(todo, validate=True)
        @ns.marshal_with(todo, code=201)
        def post(self) -> tuple[Todo, int]:
            new = {**api.payload, "id": len(todos) + 1}
            todos[new["id"]] = new
            return new, 201

    @ns.route("/<int:id>")
    class TodoItem(Resource):
        @ns.marshal_with(todo)
        def get(self, id: int) -> Todo:
            return find(id)

        @ns.expect(todo, validate=True)
        @ns.marshal_with(todo)
        def put(self, id: int) -> Todo:
            find(id).update(api.payload)
            return todos[id]

        def delete(self, id: int) -> tuple[str, int]:
            del todos[find(id)["id"]]
            return "", 204

    @app.get("/plain")
    def plain() -> str:
        return "not part of the API"

    return api


@pytest.fixture
def client(app: flask.Flask) -> FlaskClient:
    # The docs away from "/" leave RESTX's root view alone at "/".
    _todo_api(app, doc="/docs", catch_all_404s=True)
    return app.test_client()


def _allowed(rv: Any) -> set[str]:
    return {m.strip() for m in rv.headers["Allow"].split(",")}


def test_resource_methods(client: FlaskClient) -> None:
    assert client.get("/todos/").json == []

    rv = client.post("/todos/", json={"task": "write tests"})
    assert rv.status_code == 201
    assert rv.json == {"id": 1, "task": "write tests", "done": False}
    client.post("/todos/", json={"task": "ship", "done": True})

    rv = client.put("/todos/1", json={"task": "write tests", "done": True})
    assert rv.status_code == 200
    assert rv.json == {"id": 1, "task": "write tests", "done": True}
    assert client.get("/todos/1").json["done"] is True

    rv = client.delete("/todos/2")
    assert rv.status_code == 204
    assert rv.data == b""
    assert client.get("/todos/").json == [
        {"id": 1, "task": "write tests", "done": True}
    ]


def test_payload_validation_and_abort(client: FlaskClient) -> None:
    rv = client.post("/todos/", json={"done": True})
    assert rv.status_code == 400
    assert rv.json["message"] == "Input payload validation failed"
    assert "task" in rv.json["errors"]

    rv = client.get("/todos/7")
    assert rv.status_code == 404
    assert rv.mimetype == "application/json"
    # RESTX adds the close rules to a 404's message.
    assert rv.json["message"].startswith("todo 7 does not exist")


@pytest.mark.parametrize("catch_all", [True, False])
def test_unmatched_url(app: flask.Flask, catch_all: bool) -> None:
    _todo_api(app, doc="/docs", catch_all_404s=catch_all)
    rv = app.test_client().get("/no/such/page")
    assert rv.status_code == 404
    if catch_all:
        assert rv.mimetype == "application/json"
        assert rv.json == {"message": NotFound.description}
    else:
        # Not the API's URL: Flask's own page.
        assert rv.mimetype == "text/html"


def test_unmatched_url_suggests_close_rules(client: FlaskClient) -> None:
    rv = client.get("/todo")
    assert rv.status_code == 404
    assert "did you mean /todos/" in rv.json["message"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PATCH", "/todos/1", {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}),
        ("DELETE", "/todos/", {"GET", "HEAD", "POST", "OPTIONS"}),
    ],
)
def test_wrong_method_on_resource(
    client: FlaskClient, method: str, path: str, allowed: set[str]
) -> None:
    rv = client.open(path, method=method, json={"task": "x"})
    assert rv.status_code == 405
    assert rv.mimetype == "application/json"
    assert rv.json == {"message": MethodNotAllowed.description}
    assert _allowed(rv) == allowed


def test_wrong_method_outside_api_is_flask_page(client: FlaskClient) -> None:
    rv = client.post("/plain")
    assert rv.status_code == 405
    assert rv.mimetype == "text/html"
    assert _allowed(rv) == {"GET", "HEAD", "OPTIONS"}


def test_api_mounted_at_root_without_warnings(app: flask.Flask) -> None:
    # RESTX adds its "doc" and "root" views both at "/" on purpose; the first
    # one serves. Nothing here is the app's to fix, so nothing may warn.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _todo_api(app, catch_all_404s=True)

    assert [r.endpoint for r in app.url_map.iter_rules() if r.rule == "/"] == [
        "doc",
        "root",
    ]
    client = app.test_client()
    rv = client.get("/")
    assert rv.status_code == 200
    assert rv.mimetype == "text/html"
    assert "swagger-ui" in rv.text

    spec = client.get("/swagger.json").json
    assert spec["info"] == {"title": "Todos", "version": "1.0"}
    assert spec["basePath"] == "/"
    assert set(spec["paths"]) == {"/todos/", "/todos/{id}"}
    assert set(spec["paths"]["/todos/"]) == {"get", "post"}
    assert set(spec["paths"]["/todos/{id}"]) >= {"get", "put", "delete"}
    assert "Todo" in spec["definitions"]
