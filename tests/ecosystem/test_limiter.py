"""Flask-Limiter: per-route and default limits kept in memory, counted per
client address and per endpoint, the ``X-RateLimit`` headers, and a 429 answered
by the app's own error handler."""

from __future__ import annotations

import time

import flask
import pytest
from flask.testing import FlaskClient
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import TooManyRequests


@pytest.fixture
def app(app: flask.Flask) -> flask.Flask:
    limiter = Limiter(
        get_remote_address,
        app=app,
        default_limits=["3 per minute"],
        storage_uri="memory://",
        headers_enabled=True,
    )

    @app.get("/ping")
    @limiter.limit("2 per minute")
    def ping() -> str:
        return "pong"

    @app.get("/items/<int:id>")
    def item(id: int) -> dict[str, int]:
        return {"id": id}

    @app.get("/health")
    @limiter.exempt
    def health() -> str:
        return "ok"

    @app.errorhandler(429)
    def too_many(e: TooManyRequests) -> tuple[dict[str, str | None], int]:
        return {"error": "rate limit exceeded", "limit": e.description}, 429

    return app


def _client(app: flask.Flask, address: str = "192.0.2.1") -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_third_request_in_a_minute_is_refused(app: flask.Flask) -> None:
    client = _client(app)
    for remaining in ("1", "0"):
        rv = client.get("/ping")
        assert rv.status_code == 200
        assert rv.text == "pong"
        assert rv.headers["X-RateLimit-Limit"] == "2"
        assert rv.headers["X-RateLimit-Remaining"] == remaining

    rv = client.get("/ping")
    assert rv.status_code == 429
    assert rv.json == {"error": "rate limit exceeded", "limit": "2 per 1 minute"}
    assert rv.headers["X-RateLimit-Limit"] == "2"
    assert rv.headers["X-RateLimit-Remaining"] == "0"
    assert 0 < int(rv.headers["Retry-After"]) <= 60
    reset = int(rv.headers["X-RateLimit-Reset"])
    assert time.time() - 1 <= reset <= time.time() + 61


def test_each_address_has_its_own_budget(app: flask.Flask) -> None:
    first, second = _client(app, "192.0.2.1"), _client(app, "192.0.2.2")
    assert [first.get("/ping").status_code for _ in range(3)] == [200, 200, 429]
    assert [second.get("/ping").status_code for _ in range(3)] == [200, 200, 429]


def test_default_limit_counts_each_endpoint_across_its_urls(app: flask.Flask) -> None:
    client = _client(app)
    statuses = [client.get(f"/items/{id}").status_code for id in range(1, 5)]
    assert statuses == [200, 200, 200, 429]
    # Another endpoint has a budget of its own.
    assert client.get("/ping").status_code == 200


def test_exempt_route(app: flask.Flask) -> None:
    client = _client(app)
    for _ in range(5):
        rv = client.get("/health")
        assert rv.status_code == 200
        assert "X-RateLimit-Limit" not in rv.headers
