"""What docs/routing.rst says kolben's ``MapAdapter.match`` and ``build`` answer in
Rust is answered there: each case fails if it falls back to the Python method.

A plain match (every built-in converter, a custom converter's ``to_python``,
non-ASCII values, methods, defaults, websocket rules, subdomains and hosts), a
404, a 405, and a URL built with and without defaults, query strings, non-ASCII
values, methods, schemes, script names, subdomains and hosts, also through
Flask's ``url_for``. Each case runs on a compiled map (the first call after
rules change compiles it in Python) and also gives Werkzeug's answer. The last
tests check that the watch sees fallbacks: a redirect, a ``BuildError``, a
``MultiDict``, a map not compiled yet.
"""

from __future__ import annotations

import typing as t
import uuid

import flask
import pytest
import werkzeug.routing
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

import kolben
import kolben.routing

from .conftest import Fallbacks

UUID = uuid.UUID("2b5b0911-fdcf-4dd2-921b-28ace88db8a0")


class HexConverter(werkzeug.routing.BaseConverter):
    """A custom converter: its regex runs in Rust, its ``to_python`` in Python."""

    regex = "[0-9a-f]+"

    def to_python(self, value: str) -> int:
        return int(value, 16)


def _rules(routing: t.Any) -> list[t.Any]:
    rule = routing.Rule
    return [
        rule("/", endpoint="index"),
        rule("/about", endpoint="about", methods=["GET"]),
        rule("/form", endpoint="form", methods=["POST", "PUT"]),
        rule("/user/<name>", endpoint="user"),
        rule("/user/<name>/posts/<int:page>", endpoint="posts"),
        rule("/n/<int(signed=True):n>", endpoint="int"),
        rule("/n4/<int(fixed_digits=4):n>", endpoint="int4"),
        rule("/f/<float:x>", endpoint="float"),
        rule("/files/<path:p>", endpoint="files"),
        rule("/u/<uuid:id>", endpoint="uuid"),
        rule("/lang/<any(en, fr):lang>", endpoint="lang"),
        rule("/s/<string(length=2):code>", endpoint="code"),
        rule("/h/<hex:n>", endpoint="hex"),
        rule("/feed", endpoint="feed", defaults={"fmt": "rss"}),
        rule("/docs/", endpoint="docs"),
        rule("/page/", endpoint="page", defaults={"n": 1}, build_only=True),
        rule("/page/<int:n>", endpoint="page"),
        rule("/ws", endpoint="ws", websocket=True),
        rule("/", endpoint="api_index", subdomain="api"),
        rule("/v/<int:version>", endpoint="api_version", subdomain="api"),
        rule("/t/<x>", endpoint="tenant", subdomain="<tenant>"),
    ]


def _host_rules(routing: t.Any) -> list[t.Any]:
    rule = routing.Rule
    return [
        rule("/", endpoint="home", host="example.org"),
        rule("/p/<int:id>", endpoint="post", host="example.org", methods=["GET"]),
        rule("/", endpoint="profile", host="<user>.example.com"),
    ]


#: The maps of a case: subdomains, or host matching.
MAPS: dict[str, tuple[t.Callable[[t.Any], list[t.Any]], dict[str, t.Any]]] = {
    "sub": (_rules, {"converters": {"hex": HexConverter}}),
    "host": (_host_rules, {"host_matching": True}),
}

Adapters = tuple[t.Any, t.Any]  # Werkzeug's adapter, kolben's adapter


def _adapters(map_name: str, **bind: t.Any) -> Adapters:
    """Werkzeug's and kolben's adapter of the same map, bound alike; kolben's
    map compiled."""
    rules, options = MAPS[map_name]
    bind.setdefault("server_name", "example.org")
    werkzeug_map = werkzeug.routing.Map(rules(werkzeug.routing), **options)
    kolben_map = kolben.routing.Map(rules(kolben.routing), **options)
    kolben_map.update()
    return werkzeug_map.bind(**bind), kolben_map.bind(**bind)


def _match(adapter: t.Any, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]) -> t.Any:
    """What ``adapter.match`` gives, as comparable data."""
    try:
        first, values = adapter.match(*args, **kwargs)
    except MethodNotAllowed as error:
        return ("405", sorted(error.valid_methods or ()))
    except HTTPException as error:
        return (type(error), error.code)
    if isinstance(first, werkzeug.routing.Rule):
        first = ("rule", first.rule, first.endpoint)
    return (first, values)


def row(
    name: str,
    args: tuple[t.Any, ...],
    expected: t.Any,
    *,
    on: str = "sub",
    bind: dict[str, t.Any] | None = None,
    **kwargs: t.Any,
) -> t.Any:
    """A case: the call's arguments and keywords on map ``on`` bound with
    ``bind``, and Werkzeug's answer."""
    return pytest.param(on, bind or {}, args, kwargs, expected, id=name)


# Werkzeug's match: (endpoint, values), the 405's methods, or the error.
MATCHES: list[t.Any] = [
    row("static", ("/",), ("index", {})),
    row("head-of-get", ("/about", "HEAD"), ("about", {})),
    row("lower-method", ("/about", "get"), ("about", {})),
    row("method", ("/form", "PUT"), ("form", {})),
    row("string", ("/user/ann",), ("user", {"name": "ann"})),
    row("non-ascii-value", ("/user/Jürgen 中文",), ("user", {"name": "Jürgen 中文"})),
    row("percent-value", ("/user/%C3%A9",), ("user", {"name": "%C3%A9"})),
    row("two-values", ("/user/ann/posts/3",), ("posts", {"name": "ann", "page": 3})),
    row("int-signed", ("/n/-5",), ("int", {"n": -5})),
    row("int-fixed", ("/n4/0042",), ("int4", {"n": 42})),
    row("float", ("/f/1.5",), ("float", {"x": 1.5})),
    row("path", ("/files/a/b.txt",), ("files", {"p": "a/b.txt"})),
    row("uuid", (f"/u/{UUID}",), ("uuid", {"id": UUID})),
    row("any", ("/lang/fr",), ("lang", {"lang": "fr"})),
    row("length", ("/s/de",), ("code", {"code": "de"})),
    row("custom", ("/h/ff",), ("hex", {"n": 255})),
    row("defaults", ("/feed",), ("feed", {"fmt": "rss"})),
    row("trailing-slash", ("/docs/",), ("docs", {})),
    row("leading-slashes", ("//user/ann",), ("user", {"name": "ann"})),
    row(
        "return-rule",
        ("/user/ann",),
        (("rule", "/user/<name>", "user"), {"name": "ann"}),
        return_rule=True,
    ),
    row("query-args", ("/user/ann",), ("user", {"name": "ann"}), query_args="x=1"),
    row(
        "bound-path-and-method",
        (),
        ("form", {}),
        bind={"path_info": "/form", "default_method": "POST"},
    ),
    row("websocket", ("/ws",), ("ws", {}), websocket=True),
    row("subdomain", ("/",), ("api_index", {}), bind={"subdomain": "api"}),
    row(
        "subdomain-value",
        ("/v/2",),
        ("api_version", {"version": 2}),
        bind={"subdomain": "api"},
    ),
    row(
        "subdomain-variable",
        ("/t/x",),
        ("tenant", {"tenant": "acme", "x": "x"}),
        bind={"subdomain": "acme"},
    ),
    row("host", ("/p/7",), ("post", {"id": 7}), on="host"),
    row(
        "host-variable",
        ("/",),
        ("profile", {"user": "ann"}),
        on="host",
        bind={"server_name": "ann.example.com"},
    ),
    # 404
    row("404", ("/nope",), (NotFound, 404)),
    row("404-deeper", ("/user/a/b",), (NotFound, 404)),
    row("404-int", ("/n/x",), (NotFound, 404)),
    row("404-any", ("/lang/de",), (NotFound, 404)),
    row("404-length", ("/s/abc",), (NotFound, 404)),
    row("404-custom", ("/h/zz",), (NotFound, 404)),
    row("404-subdomain", ("/v/2",), (NotFound, 404)),
    row("404-on-sub", ("/about",), (NotFound, 404), bind={"subdomain": "api"}),
    row(
        "404-host",
        ("/p/7",),
        (NotFound, 404),
        on="host",
        bind={"server_name": "other.org"},
    ),
    # 405
    row("405", ("/about", "POST"), ("405", ["GET", "HEAD"])),
    row("405-default-method", ("/form",), ("405", ["POST", "PUT"])),
    row("405-host", ("/p/7", "DELETE"), ("405", ["GET", "HEAD"]), on="host"),
]


def _build(adapter: t.Any, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]) -> t.Any:
    """What ``adapter.build`` gives: the URL, or the error's type and text."""
    try:
        return adapter.build(*args, **kwargs)
    except Exception as error:
        return (type(error), str(error))


# Werkzeug's URL.
BUILDS: list[t.Any] = [
    row("static", ("index",), "/"),
    row("values-none", ("index", None), "/"),
    row("string", ("user", {"name": "ann"}), "/user/ann"),
    row(
        "non-ascii-value",
        ("user", {"name": "Jürgen 中"}),
        "/user/J%C3%BCrgen%20%E4%B8%AD",
    ),
    row("quoting", ("user", {"name": "a/b?#%"}), "/user/a/b%3F%23%25"),
    row("two-values", ("posts", {"name": "ann", "page": 3}), "/user/ann/posts/3"),
    row("int-signed", ("int", {"n": -5}), "/n/-5"),
    row("int-fixed", ("int4", {"n": 42}), "/n4/0042"),
    row("float", ("float", {"x": 1.5}), "/f/1.5"),
    row("path", ("files", {"p": "a/b c"}), "/files/a/b%20c"),
    row("uuid", ("uuid", {"id": UUID}), f"/u/{UUID}"),
    row("any", ("lang", {"lang": "fr"}), "/lang/fr"),
    row("length", ("code", {"code": "de"}), "/s/de"),
    # defaults
    row("defaults", ("feed",), "/feed"),
    row("default-given", ("feed", {"fmt": "rss"}), "/feed"),
    row("default-rule", ("page", {"n": 1}), "/page/"),
    row("past-default", ("page", {"n": 2}), "/page/2"),
    row("default-rule-no-values", ("page",), "/page/"),
    # query strings
    row(
        "query",
        ("user", {"name": "ann", "q": "a b&c", "n": 2}),
        "/user/ann?q=a+b%26c&n=2",
    ),
    row("query-non-ascii", ("index", {"é": "中文"}), "/?%C3%A9=%E4%B8%AD%E6%96%87"),
    row("query-2", ("page", {"n": 2, "sort": "up"}), "/page/2?sort=up"),
    row("none-dropped", ("index", {"q": None}), "/"),
    row(
        "append-unknown-false",
        ("user", {"name": "ann", "q": "x"}),
        "/user/ann",
        append_unknown=False,
    ),
    # methods, schemes, script names
    row("method", ("form",), "/form", method="PUT"),
    row(
        "external",
        ("user", {"name": "ann"}),
        "http://example.org/user/ann",
        force_external=True,
    ),
    row(
        "scheme",
        ("index",),
        "https://example.org/",
        force_external=True,
        url_scheme="https",
    ),
    row("websocket", ("ws",), "wss://example.org/ws", bind={"url_scheme": "https"}),
    row(
        "script-name",
        ("user", {"name": "ann"}),
        "/app/user/ann",
        bind={"script_name": "/app"},
    ),
    # subdomains and hosts
    row("on-subdomain", ("api_index",), "/", bind={"subdomain": "api"}),
    row("to-subdomain", ("api_version", {"version": 2}), "http://api.example.org/v/2"),
    row("from-subdomain", ("index",), "http://example.org/", bind={"subdomain": "api"}),
    row(
        "subdomain-variable",
        ("tenant", {"tenant": "acme", "x": "y"}),
        "http://acme.example.org/t/y",
    ),
    row("on-host", ("post", {"id": 7}), "/p/7", on="host"),
    row("to-host", ("profile", {"user": "ann"}), "http://ann.example.com/", on="host"),
    row(
        "host-variable-on-host",
        ("profile", {"user": "ann"}),
        "/",
        on="host",
        bind={"server_name": "ann.example.com"},
    ),
]


@pytest.mark.parametrize(
    ("call", "map_name", "bind", "args", "kwargs", "expected"),
    [
        pytest.param(call, *case.values, id=f"{name}-{case.id}")
        for name, call, cases in (("match", _match, MATCHES), ("build", _build, BUILDS))
        for case in cases
    ],
)
def test_answered_natively(
    fallbacks: Fallbacks,
    call: t.Callable[[t.Any, tuple[t.Any, ...], dict[str, t.Any]], t.Any],
    map_name: str,
    bind: dict[str, t.Any],
    args: tuple[t.Any, ...],
    kwargs: dict[str, t.Any],
    expected: t.Any,
) -> None:
    """Werkzeug's answer, from kolben's native method."""
    werkzeug_adapter, kolben_adapter = _adapters(map_name, **bind)
    assert call(werkzeug_adapter, args, kwargs) == expected
    assert call(kolben_adapter, args, kwargs) == expected
    assert fallbacks.calls == []


class _RoutedFlask(flask.Flask):
    url_map_class = kolben.routing.Map


@pytest.mark.parametrize("app_class", [kolben.Kolben, _RoutedFlask])
def test_flask_app_is_native(
    fallbacks: Fallbacks, app_class: type[flask.Flask]
) -> None:
    """A request to a Flask app on kolben's map, and Flask's ``url_for`` in a
    request and outside one."""
    app = app_class(__name__)

    @app.route("/user/<name>")
    def user(name: str) -> str:
        return flask.url_for("user", name=name, q="é")

    app.url_map.update()
    assert app.test_client().get("/user/ann").text == "/user/ann?q=%C3%A9"
    with app.test_request_context("/", base_url="http://example.org/app"):
        assert flask.url_for("user", name="Jürgen") == "/app/user/J%C3%BCrgen"
        assert (
            flask.url_for("user", name="b", _external=True)
            == "http://example.org/app/user/b"
        )
    assert fallbacks.calls == []


# --- The watch sees what falls back ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "call"),
    [
        pytest.param(
            "match", lambda adapter: _match(adapter, ("/docs",), {}), id="redirect"
        ),
        pytest.param(
            "build", lambda adapter: _build(adapter, ("nope",), {}), id="build-error"
        ),
        pytest.param(
            "build",
            lambda adapter: _build(adapter, ("user", MultiDict({"name": "a"})), {}),
            id="multidict",
        ),
    ],
)
def test_fallbacks_are_seen(
    fallbacks: Fallbacks, name: str, call: t.Callable[[t.Any], t.Any]
) -> None:
    """What docs/routing.rst says goes to Werkzeug's code is recorded, with the
    answer Werkzeug's gives."""
    werkzeug_adapter, kolben_adapter = _adapters("sub")
    assert call(kolben_adapter) == call(werkzeug_adapter)
    assert fallbacks.names() == [name]


def test_a_map_not_compiled_yet_falls_back(fallbacks: Fallbacks) -> None:
    """The first call after rules change compiles the map in Python; the next
    is native."""
    url_map = kolben.routing.Map(
        _rules(kolben.routing), converters={"hex": HexConverter}
    )
    adapter = url_map.bind("example.org")
    assert adapter.match("/user/ann") == ("user", {"name": "ann"})
    assert adapter.build("user", {"name": "bob"}) == "/user/bob"
    assert fallbacks.names() == ["match"]
    url_map.add(kolben.routing.Rule("/late", endpoint="late"))
    assert adapter.build("late") == "/late"
    assert adapter.match("/late") == ("late", {})
    assert fallbacks.names() == ["match", "build"]
