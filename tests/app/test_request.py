"""The request object, body limits, JSON and hosts."""

from __future__ import annotations

import io
import typing as t

import flask
import pytest
from werkzeug.test import EnvironBuilder

import kolben
from kolben import Response, request


def test_args_form_files_cookies_headers(app: kolben.Kolben) -> None:
    @app.post("/")
    def index() -> dict[str, t.Any]:
        upload = request.files["doc"]
        return {
            "arg": request.args["a"],
            "form": request.form["f"],
            "file": upload.read().decode(),
            "filename": upload.filename,
            "cookie": request.cookies["c"],
            "header": request.headers["X-Thing"],
        }

    client = app.test_client()
    client.set_cookie("c", "cv")
    rv = client.post(
        "/?a=1",
        data={"f": "fv", "doc": (io.BytesIO(b"content"), "d.txt")},
        headers={"X-Thing": "hv"},
    )
    assert rv.json == {
        "arg": "1",
        "form": "fv",
        "file": "content",
        "filename": "d.txt",
        "cookie": "cv",
        "header": "hv",
    }


JSON_BODIES = [
    # (body, content type, expected status, what the response says)
    ('{"a": 1}', "application/json", 200, '{"got":{"a":1}}\n'),
    ("{not json", "application/json", 400, "<title>400 Bad Request</title>"),
    (
        "[" * 100_000 + "]" * 100_000,
        "application/json",
        400,
        "<title>400 Bad Request</title>",
    ),
    ("[" * 100_000, "application/json", 400, "<title>400 Bad Request</title>"),
    ('{"a": 1}', "text/plain", 415, "<title>415 Unsupported Media Type</title>"),
]


@pytest.mark.parametrize(("body", "ctype", "status", "says"), JSON_BODIES)
def test_json_body(
    app: kolben.Kolben, body: str, ctype: str, status: int, says: str
) -> None:
    app.testing = False

    @app.post("/")
    def index() -> t.Any:
        return {"got": request.get_json()}

    rv = app.test_client().post("/", data=body, content_type=ctype)
    assert rv.status_code == status
    assert says in rv.text


def test_deeply_nested_json_is_400_even_when_testing(app: kolben.Kolben) -> None:
    @app.post("/")
    def index() -> t.Any:
        return {"got": request.json}

    rv = app.test_client().post(
        "/", data="[" * 100_000, content_type="application/json"
    )
    assert rv.status_code == 400


def test_json_silent(app: kolben.Kolben) -> None:
    with app.test_request_context(data="nope", content_type="application/json"):
        assert request.get_json(silent=True) is None


def test_client_json_argument(app: kolben.Kolben) -> None:
    app.add_url_rule("/", "/", methods=["POST"], view_func=lambda: request.json)
    assert app.test_client().post("/", json={"x": [1, 2]}).json == {"x": [1, 2]}


LIMITS = [
    # (config, request kwargs, status)
    ({"MAX_CONTENT_LENGTH": 10}, {"data": {"f": "x" * 100}}, 413),
    ({"MAX_CONTENT_LENGTH": 1000}, {"data": {"f": "x" * 100}}, 200),
    (
        {"MAX_FORM_MEMORY_SIZE": 10},
        {"data": {"f": "x" * 100}, "content_type": "multipart/form-data"},
        413,
    ),
    (
        {"MAX_FORM_PARTS": 2},
        {"data": {"a": "1", "b": "2", "c": "3"}, "content_type": "multipart/form-data"},
        413,
    ),
]


@pytest.mark.parametrize(("config", "kwargs", "status"), LIMITS)
def test_body_limits(
    app: kolben.Kolben, config: dict[str, t.Any], kwargs: dict[str, t.Any], status: int
) -> None:
    app.config.update(config)
    app.add_url_rule(
        "/", "/", methods=["POST"], view_func=lambda: str(len(request.form))
    )
    assert app.test_client().post("/", **kwargs).status_code == status


def test_limit_per_request(app: kolben.Kolben) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 10

    @app.post("/")
    def index() -> str:
        request.max_content_length = 1000
        return str(len(request.form["f"]))

    assert app.test_client().post("/", data={"f": "x" * 100}).data == b"100"


@pytest.mark.parametrize(
    ("host", "status"), [("good.test", 200), ("sub.good.test", 200), ("evil.test", 400)]
)
def test_trusted_hosts(app: kolben.Kolben, host: str, status: int) -> None:
    app.config["TRUSTED_HOSTS"] = ["good.test", ".good.test"]
    app.add_url_rule("/", "/", lambda: request.host)
    assert app.test_client().get("/", f"http://{host}/").status_code == status


def test_after_this_request(app: kolben.Kolben) -> None:
    @app.get("/")
    def index() -> str:
        @kolben.after_this_request
        def add_header(response: Response) -> Response:
            response.headers["X-After"] = "yes"
            return response

        return "x"

    assert app.test_client().get("/").headers["X-After"] == "yes"
    with pytest.raises(RuntimeError, match="request context"):
        kolben.after_this_request(lambda r: r)


def test_request_class_is_kolbens(app: kolben.Kolben) -> None:
    with app.test_request_context("/x?y=1", method="POST"):
        assert isinstance(request._get_current_object(), kolben.Request)  # type: ignore[attr-defined]
        assert request.method == "POST"
        assert request.args["y"] == "1"


HOSTS = [
    ".",
    "a..b",
    "x" * 64 + ".example",
    "x" * 61 + ":80",
    "caf\xc3\xa9.example",
    "ok.example",
    "[::1]:8080",
    "",
    None,
]


@pytest.mark.parametrize("host", HOSTS)
def test_host_answered_as_flask(host: str | None) -> None:
    """A host Werkzeug cannot bind to is a 400 on kolben too, on the first
    request with it and on the next (which kolben remembers)."""
    answers = []
    for app_class in (flask.Flask, kolben.Kolben):
        app = app_class(__name__)
        app.add_url_rule("/", "index", lambda: "index")
        app.add_url_rule("/user/<name>", "user", lambda name: name)
        seen = []
        for path in ("/", "/user/ada", "/missing", "/"):
            environ = EnvironBuilder(path).get_environ()
            environ.pop("HTTP_HOST", None)
            if host is not None:
                environ["HTTP_HOST"] = host
            statuses: list[str] = []
            start = statuses.append
            body = b"".join(app(environ, lambda s, *rest, start=start: start(s)))
            seen.append((statuses, body))
        answers.append(seen)
    assert answers[0] == answers[1]
