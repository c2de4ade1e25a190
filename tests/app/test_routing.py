"""Routing through the app: decorators, rule options, url_for, redirects, 405."""

from __future__ import annotations

import typing as t

import pytest
from werkzeug.routing import BaseConverter, BuildError

import kolben
from kolben import url_for


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_method_decorators(app: kolben.Kolben, method: str) -> None:
    getattr(app, method)("/")(lambda: method)
    client = app.test_client()
    assert getattr(client, method)("/").data == method.encode()
    other = "post" if method == "get" else "get"
    assert getattr(client, other)("/").status_code == 405


def test_method_decorator_rejects_methods(app: kolben.Kolben) -> None:
    with pytest.raises(TypeError, match="route"):
        app.get("/", methods=["POST"])


def test_methods_as_string_raise(app: kolben.Kolben) -> None:
    with pytest.raises(TypeError, match="list of strings"):
        app.add_url_rule("/", "i", lambda: "", methods="GET")


def test_endpoint_overwrite_raises(app: kolben.Kolben) -> None:
    app.add_url_rule("/a", "same", lambda: "a")
    with pytest.raises(AssertionError, match="overwriting"):
        app.add_url_rule("/b", "same", lambda: "b")


def test_rule_options(app: kolben.Kolben) -> None:
    def page(n: int) -> str:
        return f"page {n}"

    app.add_url_rule("/p/", "page", page, defaults={"n": 1})
    app.add_url_rule("/p/<int:n>", "page", page)
    app.add_url_rule("/strict", "strict", lambda: "s", strict_slashes=False)
    client = app.test_client()
    assert client.get("/p/").data == b"page 1"
    assert client.get("/p/3").data == b"page 3"
    assert client.get("/strict/").data == b"s"
    with app.test_request_context():
        assert url_for("page") == "/p/"
        assert url_for("page", n=5) == "/p/5"


def test_endpoint_decorator(app: kolben.Kolben) -> None:
    app.add_url_rule("/", "index")

    @app.endpoint("index")
    def index() -> str:
        return "via endpoint"

    assert app.test_client().get("/").data == b"via endpoint"


def test_automatic_head_and_options(app: kolben.Kolben) -> None:
    app.add_url_rule("/", "i", lambda: "body", methods=["GET", "POST"])
    client = app.test_client()
    rv = client.open("/", method="OPTIONS")
    assert sorted(rv.allow) == ["GET", "HEAD", "OPTIONS", "POST"]
    assert client.head("/").data == b""


def test_automatic_options_can_be_disabled(app: kolben.Kolben) -> None:
    def view() -> str:
        return "own"

    view.provide_automatic_options = False  # type: ignore[attr-defined]
    app.add_url_rule("/", "i", view, methods=["GET", "OPTIONS"])
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    app.add_url_rule("/x", "x", lambda: "x")
    assert app.test_client().open("/", method="OPTIONS").data == b"own"
    assert app.test_client().open("/x", method="OPTIONS").status_code == 405


def test_405_lists_allowed_methods(app: kolben.Kolben) -> None:
    app.add_url_rule("/", "i", lambda: "", methods=["POST"])
    rv = app.test_client().get("/")
    assert rv.status_code == 405
    assert sorted(rv.allow) == ["OPTIONS", "POST"]


def test_trailing_slash_redirects_with_308(app: kolben.Kolben) -> None:
    app.add_url_rule("/folder/", "f", lambda: "f")
    rv = app.test_client().get("/folder?x=1")
    assert rv.status_code == 308
    assert rv.headers["Location"].endswith("/folder/?x=1")
    assert app.test_client().get("/folder", follow_redirects=True).data == b"f"


def test_custom_converter(app: kolben.Kolben) -> None:
    class ListConverter(BaseConverter):
        def to_python(self, value: str) -> list[str]:
            return value.split(",")

        def to_url(self, value: list[str]) -> str:
            return ",".join(BaseConverter.to_url(self, x) for x in value)

    app.url_map.converters["list"] = ListConverter

    @app.route("/<list:items>")
    def index(items: list[str]) -> str:
        return "|".join(reversed(items))

    assert app.test_client().get("/1,2,3").data == b"3|2|1"
    with app.test_request_context():
        assert url_for("index", items=["a", "b"]) == "/a,b"


def test_url_map_is_kolbens(app: kolben.Kolben) -> None:
    assert isinstance(app.url_map, kolben.routing.Map)
    assert all(isinstance(r, kolben.routing.Rule) for r in app.url_map.iter_rules())


URL_FOR = [
    # (kwargs, expected)
    ({}, "/item/7"),
    ({"q": "a b"}, "/item/7?q=a+b"),
    ({"_anchor": "x y"}, "/item/7#x%20y"),
    ({"_external": True}, "http://localhost/item/7"),
    ({"_scheme": "https", "_external": True}, "https://localhost/item/7"),
    ({"_scheme": "https"}, "https://localhost/item/7"),
    ({"_method": "POST"}, "/item/7"),
]


@pytest.mark.parametrize(("kwargs", "expected"), URL_FOR)
def test_url_for(app: kolben.Kolben, kwargs: dict[str, t.Any], expected: str) -> None:
    app.add_url_rule("/item/<int:id>", "item", lambda id: "", methods=["GET", "POST"])
    with app.test_request_context():
        assert url_for("item", id=7, **kwargs) == expected


def test_url_for_errors(app: kolben.Kolben) -> None:
    app.add_url_rule("/", "index", lambda: "")
    with app.test_request_context():
        with pytest.raises(BuildError):
            url_for("missing")
        with pytest.raises(ValueError, match="_scheme"):
            url_for("index", _scheme="https", _external=False)
    with app.app_context(), pytest.raises(RuntimeError, match="SERVER_NAME"):
        url_for("index")


def test_url_for_outside_request_with_server_name(app: kolben.Kolben) -> None:
    app.config.update(SERVER_NAME="example.com", APPLICATION_ROOT="/app")
    app.add_url_rule("/", "index", lambda: "")
    with app.app_context():
        assert url_for("index") == "http://example.com/app/"


def test_url_build_error_handler(app: kolben.Kolben) -> None:
    app.url_build_error_handlers.append(lambda error, endpoint, values: "/fallback")
    with app.test_request_context():
        assert url_for("nowhere") == "/fallback"


def test_url_defaults_and_value_preprocessor(app: kolben.Kolben) -> None:
    @app.url_defaults
    def add_lang(endpoint: str, values: dict[str, t.Any]) -> None:
        values.setdefault("lang", kolben.g.get("lang", "en"))

    @app.url_value_preprocessor
    def pull_lang(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        assert values is not None
        kolben.g.lang = values.pop("lang")

    @app.route("/<lang>/")
    def index() -> str:
        return url_for("index")

    assert app.test_client().get("/de/").data == b"/de/"


def test_subdomain_matching(app: kolben.Kolben) -> None:
    sub = kolben.Kolben(__name__, subdomain_matching=True)
    sub.config["SERVER_NAME"] = "example.com"
    sub.add_url_rule("/", "root", lambda: "root")
    sub.add_url_rule("/", "user", lambda user: user, subdomain="<user>")
    client = sub.test_client()
    assert client.get("/", "http://example.com/").data == b"root"
    assert client.get("/", "http://ann.example.com/").data == b"ann"
    with sub.app_context():
        assert url_for("user", user="bob") == "http://bob.example.com/"


def test_host_matching() -> None:
    app = kolben.Kolben(__name__, host_matching=True, static_folder=None)
    app.add_url_rule("/", "a", lambda: "a", host="a.test")
    app.add_url_rule("/", "b", lambda: "b", host="b.test")
    client = app.test_client()
    assert client.get("/", "http://a.test/").data == b"a"
    assert client.get("/", "http://b.test/").data == b"b"


def test_setup_closes_after_first_request(app: kolben.Kolben) -> None:
    app.add_url_rule("/", "i", lambda: "")
    app.test_client().get("/")
    with pytest.raises(AssertionError, match="first request"):
        app.add_url_rule("/late", "late", lambda: "")


def test_request_routing_attributes(app: kolben.Kolben) -> None:
    @app.route("/u/<name>")
    def user(name: str) -> dict[str, t.Any]:
        req = kolben.request
        assert req.url_rule is not None
        return {
            "rule": req.url_rule.rule,
            "view_args": req.view_args,
            "endpoint": req.endpoint,
            "blueprint": req.blueprint,
        }

    assert app.test_client().get("/u/x").json == {
        "rule": "/u/<name>",
        "view_args": {"name": "x"},
        "endpoint": "user",
        "blueprint": None,
    }
