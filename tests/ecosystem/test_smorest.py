"""flask-smorest: a Blueprint of method views with marshmallow schemas,
arguments validated into a 422, errors as JSON, and the OpenAPI document
listing the routes."""

from __future__ import annotations

from typing import Any

import flask
import marshmallow as ma
import pytest
from flask.testing import FlaskClient
from flask.views import MethodView
from flask_smorest import Api, Blueprint, abort

Pet = dict[str, Any]


class PetSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String(required=True)
    age = ma.fields.Integer(validate=ma.validate.Range(min=0))


class PetQuerySchema(ma.Schema):
    min_age = ma.fields.Integer(load_default=0)


def _pets_blueprint() -> Blueprint:
    """Pets under ``/pets``, kept in memory for one app."""
    blp = Blueprint("pets", __name__, url_prefix="/pets", description="Pets")
    pets: dict[int, Pet] = {}

    def find(pet_id: int) -> Pet:
        if pet_id not in pets:
            abort(404, message=f"pet {pet_id} does not exist")
        return pets[pet_id]

    @blp.route("/")
    class Pets(MethodView):
        @blp.arguments(PetQuerySchema, location="query")
        @blp.response(200, PetSchema(many=True))
        def get(self, args: dict[str, int]) -> list[Pet]:
            return [p for p in pets.values() if p.get("age", 0) >= args["min_age"]]

        @blp.arguments(PetSchema)
        @blp.response(201, PetSchema)
        def post(self, pet: Pet) -> Pet:
            pet["id"] = len(pets) + 1
            pets[pet["id"]] = pet
            return pet

    @blp.route("/<int:pet_id>")
    class PetById(MethodView):
        @blp.response(200, PetSchema)
        def get(self, pet_id: int) -> Pet:
            return find(pet_id)

        @blp.response(204)
        def delete(self, pet_id: int) -> None:
            del pets[find(pet_id)["id"]]

    return blp


@pytest.fixture
def app(app: flask.Flask) -> flask.Flask:
    app.config.update(
        API_TITLE="Pets",
        API_VERSION="1.0",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
    )
    Api(app).register_blueprint(_pets_blueprint())
    return app


@pytest.fixture
def client(app: flask.Flask) -> FlaskClient:
    return app.test_client()


def test_views_load_and_dump_through_schemas(client: FlaskClient) -> None:
    rv = client.post("/pets/", json={"name": "Rex", "age": 3})
    assert rv.status_code == 201
    assert rv.json == {"id": 1, "name": "Rex", "age": 3}
    client.post("/pets/", json={"name": "Tom", "age": 9})

    assert client.get("/pets/1").json == {"id": 1, "name": "Rex", "age": 3}
    assert [p["name"] for p in client.get("/pets/").json] == ["Rex", "Tom"]
    assert [p["name"] for p in client.get("/pets/?min_age=5").json] == ["Tom"]

    rv = client.delete("/pets/1")
    assert rv.status_code == 204
    assert rv.data == b""
    assert client.get("/pets/1").status_code == 404


MISSING = "Missing data for required field."
NEGATIVE = "Must be greater than or equal to 0."


@pytest.mark.parametrize(
    ("method", "path", "body", "location", "field", "message"),
    [
        ("POST", "/pets/", {"age": 3}, "json", "name", MISSING),
        ("POST", "/pets/", {"name": "Rex", "age": -1}, "json", "age", NEGATIVE),
        ("GET", "/pets/?min_age=old", None, "query", "min_age", "Not a valid integer."),
    ],
)
def test_invalid_arguments_are_a_422(
    client: FlaskClient,
    method: str,
    path: str,
    body: Pet | None,
    location: str,
    field: str,
    message: str,
) -> None:
    rv = client.open(path, method=method, json=body)
    assert rv.status_code == 422
    assert rv.json == {
        "code": 422,
        "status": "Unprocessable Entity",
        "errors": {location: {field: [message]}},
    }


@pytest.mark.parametrize(
    ("method", "path", "code", "status", "message"),
    [
        ("GET", "/pets/7", 404, "Not Found", "pet 7 does not exist"),
        ("GET", "/no/such/page", 404, "Not Found", None),
        ("PUT", "/pets/7", 405, "Method Not Allowed", None),
    ],
)
def test_errors_are_json(
    client: FlaskClient,
    method: str,
    path: str,
    code: int,
    status: str,
    message: str | None,
) -> None:
    rv = client.open(path, method=method)
    assert rv.status_code == code
    assert rv.mimetype == "application/json"
    expected: dict[str, Any] = {"code": code, "status": status}
    if message is not None:
        expected["message"] = message
    assert rv.json == expected


def test_openapi_document_lists_the_routes(client: FlaskClient) -> None:
    rv = client.get("/openapi.json")
    assert rv.status_code == 200
    spec = rv.json
    assert spec["openapi"] == "3.0.3"
    assert spec["info"] == {"title": "Pets", "version": "1.0"}
    assert spec["tags"] == [{"name": "pets", "description": "Pets"}]

    paths = spec["paths"]
    assert set(paths) == {"/pets/", "/pets/{pet_id}"}
    assert set(paths["/pets/"]) == {"get", "post"}
    assert set(paths["/pets/{pet_id}"]) >= {"get", "delete"}
    (param,) = paths["/pets/{pet_id}"]["parameters"]
    assert param["name"] == "pet_id"
    assert param["in"] == "path"
    assert param["schema"]["type"] == "integer"

    post = paths["/pets/"]["post"]
    assert set(post["responses"]) >= {"201", "422"}
    assert "Pet" in spec["components"]["schemas"]
