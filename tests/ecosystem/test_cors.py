"""Flask-CORS: preflight requests answered from Flask's automatic OPTIONS
response, and the allow-origin header on simple requests."""

from __future__ import annotations

import flask
import pytest
from flask_cors import CORS

ALLOWED = "https://app.example"
ALSO_ALLOWED = "https://admin.example"


@pytest.fixture
def calls() -> list[str]:
    return []


@pytest.fixture
def app(app: flask.Flask, calls: list[str]) -> flask.Flask:
    CORS(
        app,
        resources={r"/api/*": {"origins": [ALLOWED, ALSO_ALLOWED]}},
        supports_credentials=True,
        expose_headers=["X-Total"],
        max_age=600,
    )

    @app.route("/api/items", methods=["GET", "PUT"])
    def items() -> tuple[str, dict[str, str]]:
        calls.append(flask.request.method)
        return "items", {"X-Total": "3"}

    @app.get("/internal")
    def internal() -> str:
        return "internal"

    return app


def test_preflight(app: flask.Flask, calls: list[str]) -> None:
    rv = app.test_client().options(
        "/api/items",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "Content-Type, X-Custom",
        },
    )
    assert rv.status_code == 200
    assert rv.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert rv.headers["Access-Control-Allow-Credentials"] == "true"
    assert rv.headers["Access-Control-Max-Age"] == "600"
    methods = {m.strip() for m in rv.headers["Access-Control-Allow-Methods"].split(",")}
    assert {"GET", "PUT"} <= methods
    allowed = {h.strip() for h in rv.headers["Access-Control-Allow-Headers"].split(",")}
    assert {h.lower() for h in allowed} == {"content-type", "x-custom"}
    assert calls == []


@pytest.mark.parametrize(
    ("path", "origin", "allow_origin"),
    [
        ("/api/items", ALLOWED, ALLOWED),
        ("/api/items", ALSO_ALLOWED, ALSO_ALLOWED),
        ("/api/items", "https://evil.example", None),
        ("/internal", ALLOWED, None),
    ],
)
def test_simple_request(
    app: flask.Flask, path: str, origin: str, allow_origin: str | None
) -> None:
    rv = app.test_client().get(path, headers={"Origin": origin})
    assert rv.status_code == 200
    assert rv.headers.get("Access-Control-Allow-Origin") == allow_origin


def test_simple_request_exposes_headers(app: flask.Flask, calls: list[str]) -> None:
    rv = app.test_client().get("/api/items", headers={"Origin": ALLOWED})
    assert rv.text == "items"
    assert rv.headers["Access-Control-Expose-Headers"] == "X-Total"
    assert rv.headers["Vary"] == "Origin"
    assert calls == ["GET"]
