"""Flask-Caching with SimpleCache: ``cached`` views keyed by path and query
string, and ``memoize`` keyed by arguments."""

from __future__ import annotations

from collections import Counter

import flask
import pytest
from flask_caching import Cache


@pytest.fixture
def computed() -> Counter[str]:
    return Counter()


@pytest.fixture
def cache(app: flask.Flask, computed: Counter[str]) -> Cache:
    cache = Cache(app, config={"CACHE_TYPE": "SimpleCache"})

    @app.get("/report/<name>")
    @cache.cached(timeout=60)
    def report(name: str) -> str:
        computed[name] += 1
        return f"report {name} #{computed[name]}"

    @app.get("/search")
    @cache.cached(timeout=60, query_string=True)
    def search() -> str:
        q = flask.request.args["q"]
        computed[q] += 1
        return f"results for {q} #{computed[q]}"

    @cache.memoize(timeout=60)
    def square(n: int) -> int:
        computed[f"square {n}"] += 1
        return n * n

    @app.get("/square/<int:n>")
    def square_view(n: int) -> str:
        return str(square(n))

    @app.delete("/square/<int:n>")
    def forget_square(n: int) -> str:
        cache.delete_memoized(square, n)
        return "forgotten"

    return cache


@pytest.mark.parametrize(
    ("paths", "bodies", "counts"),
    [
        (
            ["/report/a", "/report/a"],
            ["report a #1", "report a #1"],
            {"a": 1},
        ),
        (
            ["/report/a", "/report/b", "/report/a"],
            ["report a #1", "report b #1", "report a #1"],
            {"a": 1, "b": 1},
        ),
        (
            ["/search?q=x", "/search?q=x", "/search?q=y"],
            ["results for x #1", "results for x #1", "results for y #1"],
            {"x": 1, "y": 1},
        ),
    ],
)
def test_cached_view(
    app: flask.Flask,
    cache: Cache,
    computed: Counter[str],
    paths: list[str],
    bodies: list[str],
    counts: dict[str, int],
) -> None:
    client = app.test_client()
    for path, body in zip(paths, bodies):
        rv = client.get(path)
        assert (rv.status_code, rv.text) == (200, body)
    assert computed == counts


def test_cached_view_recomputed_after_clear(
    app: flask.Flask, cache: Cache, computed: Counter[str]
) -> None:
    client = app.test_client()
    assert client.get("/report/a").text == "report a #1"
    with app.app_context():
        cache.clear()
    assert client.get("/report/a").text == "report a #2"


def test_memoize(app: flask.Flask, cache: Cache, computed: Counter[str]) -> None:
    client = app.test_client()
    bodies = [client.get(f"/square/{n}").text for n in (3, 3, 4, 3)]
    assert bodies == ["9", "9", "16", "9"]
    assert computed == {"square 3": 1, "square 4": 1}

    assert client.delete("/square/3").text == "forgotten"
    assert client.get("/square/3").text == "9"
    assert client.get("/square/4").text == "16"
    assert computed == {"square 3": 2, "square 4": 1}
