"""What a view may return, and what becomes of it."""

from __future__ import annotations

import typing as t

import pytest
from werkzeug.datastructures import Headers

import kolben
from kolben import Response


def _wsgi_app(environ: t.Any, start_response: t.Any) -> list[bytes]:
    start_response("201 CREATED", [("Content-Type", "text/plain")])
    return [b"from wsgi"]


def _gen() -> t.Iterator[str]:
    yield "a"
    yield "b"


RETURNS = [
    # (returned value, status, body, content type, extra header)
    ("hello", 200, b"hello", "text/html; charset=utf-8", None),
    (b"raw", 200, b"raw", "text/html; charset=utf-8", None),
    ({"a": 1}, 200, b'{"a":1}\n', "application/json", None),
    ([1, 2], 200, b"[1,2]\n", "application/json", None),
    (("gone", 410), 410, b"gone", "text/html; charset=utf-8", None),
    (("h", {"X-A": "1"}), 200, b"h", "text/html; charset=utf-8", ("X-A", "1")),
    (("h", [("X-A", "1")]), 200, b"h", "text/html; charset=utf-8", ("X-A", "1")),
    (("h", Headers({"X-A": "1"})), 200, b"h", "text/html; charset=utf-8", ("X-A", "1")),
    (("h", 202, {"X-A": "1"}), 202, b"h", "text/html; charset=utf-8", ("X-A", "1")),
    (("h", "203 WHATEVER"), 203, b"h", "text/html; charset=utf-8", None),
    ({"a": 1}, 200, b'{"a":1}\n', "application/json", None),
    (({"e": 1}, 400), 400, b'{"e":1}\n', "application/json", None),
    (
        Response("r", 206, mimetype="text/plain"),
        206,
        b"r",
        "text/plain; charset=utf-8",
        None,
    ),
    (_wsgi_app, 201, b"from wsgi", "text/plain", None),
    (_gen(), 200, b"ab", "text/html; charset=utf-8", None),
]


@pytest.mark.parametrize(("rv", "status", "body", "ctype", "header"), RETURNS)
def test_return_values(
    app: kolben.Kolben,
    rv: t.Any,
    status: int,
    body: bytes,
    ctype: str,
    header: tuple[str, str] | None,
) -> None:
    app.add_url_rule("/", "index", lambda: rv)
    resp = app.test_client().get("/")
    assert resp.status_code == status
    assert resp.data == body
    assert resp.headers["Content-Type"] == ctype
    if header is not None:
        assert resp.headers[header[0]] == header[1]


@pytest.mark.parametrize(
    ("rv", "message"),
    [
        (None, "did not return a valid response"),
        (42, "but it was a int"),
        (("a", 1, 2, 3), "valid response tuple"),
        (object(), "but it was a object"),
    ],
)
def test_bad_return_values_raise_type_error(
    app: kolben.Kolben, rv: t.Any, message: str
) -> None:
    app.add_url_rule("/", "index", lambda: rv)
    with pytest.raises(TypeError, match=message):
        app.test_client().get("/")


@pytest.mark.parametrize("rv", ["text", {"k": "v"}])
def test_plain_path_matches_response_object(app: kolben.Kolben, rv: t.Any) -> None:
    """The short path for str/dict sends what a Response would."""
    app.add_url_rule("/", "index", lambda: rv)
    fast = app.test_client().get("/")
    app.after_request_funcs[None].append(lambda response: response)
    slow = app.test_client().get("/")
    assert fast.data == slow.data
    assert fast.status == slow.status
    assert list(fast.headers) == list(slow.headers)


def test_head_has_no_body(client: t.Any, app: kolben.Kolben) -> None:
    app.add_url_rule("/", "index", lambda: "hello")
    resp = client.head("/")
    assert resp.status_code == 200
    assert resp.data == b""
    assert resp.headers["Content-Length"] == "5"


def test_make_response_and_jsonify(app: kolben.Kolben) -> None:
    with app.test_request_context():
        assert kolben.make_response().status_code == 200
        rv = kolben.make_response("x", 404, {"X": "y"})
        assert (rv.status_code, rv.data, rv.headers["X"]) == (404, b"x", "y")
        rv = kolben.jsonify(a=1)
        assert rv.json == {"a": 1}
        assert kolben.jsonify(1, 2).json == [1, 2]
        with pytest.raises(TypeError):
            kolben.jsonify(1, a=2)


def test_streaming_with_context(app: kolben.Kolben, client: t.Any) -> None:
    @app.route("/")
    def index() -> t.Any:
        @kolben.stream_with_context
        def generate() -> t.Iterator[str]:
            yield "hello "
            yield kolben.request.args["name"]

        return generate()

    assert client.get("/?name=you").data == b"hello you"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/missing", 404), ("POST", "/", 405), ("GET", "/abort", 418)],
)
def test_plain_path_http_errors_match_response_object(
    app: kolben.Kolben, method: str, path: str, status: int
) -> None:
    """Unhandled HTTP errors take the short path with a Response's bytes."""
    app.add_url_rule("/", "index", lambda: "x")
    app.add_url_rule("/abort", "abort", lambda: kolben.abort(418))
    fast = app.test_client().open(path, method=method)
    app.after_request_funcs[None].append(lambda response: response)
    slow = app.test_client().open(path, method=method)
    assert fast.status_code == slow.status_code == status
    assert fast.data == slow.data
    assert list(fast.headers) == list(slow.headers)


def test_plain_path_skipped_for_custom_json_provider_settings(
    app: kolben.Kolben,
) -> None:
    app.json.mimetype = "text/x-json"  # type: ignore[attr-defined]
    app.add_url_rule("/", "index", lambda: {"a": 1})
    assert app.test_client().get("/").headers["Content-Type"] == (
        "text/x-json; charset=utf-8"
    )
