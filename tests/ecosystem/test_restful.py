"""Flask-RESTful: resources answering JSON bodies with their status codes,
an ``Api`` with its index resource at ``/``, and errors as JSON (404s anywhere
with ``catch_all_404s``, 405s on the API's resources)."""

from __future__ import annotations

import warnings
from typing import Any

import flask
import pytest
from flask.testing import FlaskClient
from flask_restful import Api, Resource, abort, fields, marshal_with
from werkzeug.exceptions import MethodNotAllowed, NotFound

Book = dict[str, Any]

BOOK_FIELDS = {
    "id": fields.Integer,
    "title": fields.String,
    "url": fields.Url("book", absolute=False),
}


def _book_api(app: flask.Flask, **options: Any) -> Api:
    """A shelf of books under ``/books``, kept in memory for one app, and an
    index at ``/``."""
    api = Api(app, **options)
    books: dict[int, Book] = {}

    def find(id: int) -> Book:
        if id not in books:
            abort(404, message=f"book {id} does not exist")
        return books[id]

    def title() -> str:
        body = flask.request.get_json()
        if not isinstance(body, dict) or not isinstance(body.get("title"), str):
            abort(400, message="a JSON object with a title is required")
        return str(body["title"])

    class Index(Resource):
        def get(self) -> dict[str, str]:
            return {"books": api.url_for(Shelf)}

    class Shelf(Resource):
        @marshal_with(BOOK_FIELDS)
        def get(self) -> list[Book]:
            return list(books.values())

        @marshal_with(BOOK_FIELDS)
        def post(self) -> tuple[Book, int, dict[str, str]]:
            book = {"id": len(books) + 1, "title": title()}
            books[book["id"]] = book
            return book, 201, {"Location": api.url_for(BookItem, id=book["id"])}

    class BookItem(Resource):
        @marshal_with(BOOK_FIELDS)
        def get(self, id: int) -> Book:
            return find(id)

        @marshal_with(BOOK_FIELDS)
        def put(self, id: int) -> Book:
            find(id)["title"] = title()
            return books[id]

        def delete(self, id: int) -> tuple[str, int]:
            del books[find(id)["id"]]
            return "", 204

    api.add_resource(Index, "/")
    api.add_resource(Shelf, "/books")
    api.add_resource(BookItem, "/books/<int:id>", endpoint="book")

    @app.get("/plain")
    def plain() -> str:
        return "not part of the API"

    return api


@pytest.fixture
def client(app: flask.Flask) -> FlaskClient:
    _book_api(app, catch_all_404s=True)
    return app.test_client()


def _allowed(rv: Any) -> set[str]:
    return {m.strip() for m in rv.headers["Allow"].split(",")}


def test_api_at_root_without_warnings(app: flask.Flask) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _book_api(app, catch_all_404s=True)
    rv = app.test_client().get("/")
    assert rv.status_code == 200
    assert rv.json == {"books": "/books"}


def test_resource_methods(client: FlaskClient) -> None:
    assert client.get("/books").json == []

    rv = client.post("/books", json={"title": "Dune"})
    assert rv.status_code == 201
    assert rv.json == {"id": 1, "title": "Dune", "url": "/books/1"}
    assert rv.headers["Location"].endswith("/books/1")
    client.post("/books", json={"title": "Emma"})

    rv = client.put("/books/2", json={"title": "Persuasion"})
    assert rv.status_code == 200
    assert rv.json == {"id": 2, "title": "Persuasion", "url": "/books/2"}

    rv = client.delete("/books/1")
    assert rv.status_code == 204
    assert rv.data == b""
    assert client.get("/books").json == [
        {"id": 2, "title": "Persuasion", "url": "/books/2"}
    ]


def test_bad_body_and_abort(client: FlaskClient) -> None:
    rv = client.post("/books", json={"name": "Dune"})
    assert rv.status_code == 400
    assert rv.json == {"message": "a JSON object with a title is required"}

    rv = client.get("/books/9")
    assert rv.status_code == 404
    assert rv.mimetype == "application/json"
    assert rv.json == {"message": "book 9 does not exist"}


@pytest.mark.parametrize("catch_all", [True, False])
def test_unmatched_url(app: flask.Flask, catch_all: bool) -> None:
    _book_api(app, catch_all_404s=catch_all)
    rv = app.test_client().get("/no/such/page")
    assert rv.status_code == 404
    if catch_all:
        assert rv.mimetype == "application/json"
        assert rv.json == {"message": NotFound.description}
    else:
        # Not the API's URL: Flask's own page.
        assert rv.mimetype == "text/html"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PATCH", "/books/1", {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}),
        ("DELETE", "/books", {"GET", "HEAD", "POST", "OPTIONS"}),
        ("POST", "/", {"GET", "HEAD", "OPTIONS"}),
    ],
)
def test_wrong_method_on_resource(
    client: FlaskClient, method: str, path: str, allowed: set[str]
) -> None:
    rv = client.open(path, method=method, json={"title": "x"})
    assert rv.status_code == 405
    assert rv.mimetype == "application/json"
    assert rv.json == {"message": MethodNotAllowed.description}
    assert _allowed(rv) == allowed


def test_wrong_method_outside_api_is_flask_page(client: FlaskClient) -> None:
    rv = client.post("/plain")
    assert rv.status_code == 405
    assert rv.mimetype == "text/html"
    assert _allowed(rv) == {"GET", "HEAD", "OPTIONS"}
