"""The public routing API, with Werkzeug's semantics.

Every table row runs against ``kolben.routing`` and against ``werkzeug.routing``:
the Werkzeug run shows that the expected answer is Werkzeug's behaviour, the kolben
run that kolben keeps it.
"""

from __future__ import annotations

import types
import uuid
from typing import Any, Callable

import pytest
import werkzeug.routing
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect, WebsocketMismatch
from werkzeug.test import create_environ

import kolben.routing

Spec = tuple[str, dict[str, Any]]
UUID = "a8098c1a-f86e-11da-bd1a-00112444be1e"


def rule(string: str, **options: Any) -> Spec:
    """A rule for :func:`make_map`; the endpoint defaults to the rule string."""
    return string, options


@pytest.fixture(params=["kolben", "werkzeug"])
def routing(request: pytest.FixtureRequest) -> types.ModuleType:
    """The routing module under test (Werkzeug's run checks the table itself)."""
    return kolben.routing if request.param == "kolben" else werkzeug.routing


def make_map(routing: types.ModuleType, specs: list[Spec], **options: Any) -> Any:
    """A ``routing.Map`` of the given rules."""
    rules = [
        routing.Rule(string, **{"endpoint": string, **rule_options})
        for string, rule_options in specs
    ]
    return routing.Map(rules, **options)


def typed(values: Any) -> dict[str, tuple[type, Any]]:
    """Values with their types, so that ``1 == 1.0 == True`` cannot pass."""
    return {key: (type(value), value) for key, value in dict(values).items()}


def outcome(
    url_map: Any,
    path: str,
    method: str = "GET",
    *,
    host: str = "example.org",
    bind: dict[str, Any] | None = None,
    **match: Any,
) -> tuple[Any, ...]:
    """What matching ``path`` gives, as plain data."""
    adapter = url_map.bind(host, **(bind or {}))
    try:
        endpoint, values = adapter.match(path, method, **match)
    except RequestRedirect as exc:
        return ("redirect", exc.new_url, exc.code)
    except MethodNotAllowed as exc:
        return ("405", frozenset(exc.valid_methods or ()))
    except NotFound:
        return ("404",)
    except WebsocketMismatch:
        return ("websocket-mismatch",)
    return ("match", endpoint, typed(values))


def hit(endpoint: str, **values: Any) -> tuple[Any, ...]:
    """The expected outcome of a match."""
    return ("match", endpoint, typed(values))


MISS = ("404",)


def redirect(url: str, code: int = 308) -> tuple[Any, ...]:
    """The expected outcome of a redirect."""
    return ("redirect", url, code)


def not_allowed(*methods: str) -> tuple[Any, ...]:
    """The expected outcome of a 405."""
    return ("405", frozenset(methods))


# --- converters ---------------------------------------------------------------

CONVERTER_CASES: list[tuple[str, str, tuple[Any, ...]]] = [
    ("/<x>", "/abc", hit("/<x>", x="abc")),
    ("/<x>", "/a%20b", hit("/<x>", x="a%20b")),
    ("/<x>", "/a/b", MISS),
    ("/<string:x>", "/über", hit("/<string:x>", x="über")),
    ("/<string(minlength=2):x>", "/a", MISS),
    ("/<string(minlength=2):x>", "/ab", hit("/<string(minlength=2):x>", x="ab")),
    ("/<string(maxlength=3):x>", "/abc", hit("/<string(maxlength=3):x>", x="abc")),
    ("/<string(maxlength=3):x>", "/abcd", MISS),
    ("/<string(length=2):x>", "/ab", hit("/<string(length=2):x>", x="ab")),
    ("/<string(length=2):x>", "/a", MISS),
    ("/<string(length=2):x>", "/abc", MISS),
    ("/<int:x>", "/42", hit("/<int:x>", x=42)),
    ("/<int:x>", "/0", hit("/<int:x>", x=0)),
    ("/<int:x>", "/-1", MISS),
    ("/<int:x>", "/+1", MISS),
    ("/<int:x>", "/4.2", MISS),
    ("/<int:x>", "/abc", MISS),
    ("/<int(fixed_digits=4):x>", "/0042", hit("/<int(fixed_digits=4):x>", x=42)),
    ("/<int(fixed_digits=4):x>", "/42", MISS),
    ("/<int(fixed_digits=4):x>", "/00042", MISS),
    ("/<int(min=5):x>", "/4", MISS),
    ("/<int(min=5):x>", "/5", hit("/<int(min=5):x>", x=5)),
    ("/<int(max=10):x>", "/10", hit("/<int(max=10):x>", x=10)),
    ("/<int(max=10):x>", "/11", MISS),
    ("/<int(signed=True):x>", "/-3", hit("/<int(signed=True):x>", x=-3)),
    ("/<int(signed=True):x>", "/3", hit("/<int(signed=True):x>", x=3)),
    ("/<int(signed=True):x>", "/+3", MISS),
    ("/<int(signed=True, min=2):x>", "/-3", MISS),
    ("/<float:x>", "/1.5", hit("/<float:x>", x=1.5)),
    ("/<float:x>", "/1", MISS),
    ("/<float:x>", "/-1.5", MISS),
    ("/<float:x>", "/.5", MISS),
    ("/<float:x>", "/1e5", MISS),
    ("/<float(signed=True):x>", "/-1.5", hit("/<float(signed=True):x>", x=-1.5)),
    ("/<float(min=1.5):x>", "/1.0", MISS),
    ("/<float(min=1.5):x>", "/1.5", hit("/<float(min=1.5):x>", x=1.5)),
    ("/<float(max=3):x>", "/3.0", hit("/<float(max=3):x>", x=3.0)),
    ("/<float(max=3):x>", "/3.5", MISS),
    ("/<path:p>", "/a", hit("/<path:p>", p="a")),
    ("/<path:p>", "/a/b/c", hit("/<path:p>", p="a/b/c")),
    ("/f/<path:p>/edit", "/f/a/b/edit", hit("/f/<path:p>/edit", p="a/b")),
    ("/f/<path:p>/edit", "/f/edit", MISS),
    ("/<uuid:u>", f"/{UUID}", hit("/<uuid:u>", u=uuid.UUID(UUID))),
    ("/<uuid:u>", f"/{UUID.upper()}", hit("/<uuid:u>", u=uuid.UUID(UUID))),
    ("/<uuid:u>", f"/{UUID.replace('-', '')}", MISS),
    ("/<uuid:u>", f"/{UUID[:-1]}", MISS),
    ("/<any(a, b):x>", "/a", hit("/<any(a, b):x>", x="a")),
    ("/<any(a, b):x>", "/b", hit("/<any(a, b):x>", x="b")),
    ("/<any(a, b):x>", "/c", MISS),
    ("/<any(a, b):x>", "/ab", MISS),
    ("/<any('a.1', 'a.2'):x>", "/a.1", hit("/<any('a.1', 'a.2'):x>", x="a.1")),
    ("/<any('a.1', 'a.2'):x>", "/aX1", MISS),
    ("/<name>.json", "/feed.json", hit("/<name>.json", name="feed")),
    ("/<name>.json", "/feed.xml", MISS),
    ("/v<int:a>.<int:b>", "/v1.2", hit("/v<int:a>.<int:b>", a=1, b=2)),
    ("/v<int:a>.<int:b>", "/v1.x", MISS),
    ("/.<int:x>", "/.2", hit("/.<int:x>", x=2)),
    ("/.<int:x>", "/a2", MISS),
    ("/hello", "/hello\n", MISS),
]


@pytest.mark.parametrize(("string", "path", "expected"), CONVERTER_CASES)
def test_converters(
    routing: types.ModuleType, string: str, path: str, expected: tuple[Any, ...]
) -> None:
    """Each built-in converter and argument accepts and converts as Werkzeug's."""
    assert outcome(make_map(routing, [rule(string)]), path) == expected


class ListConverter(werkzeug.routing.BaseConverter):
    """Comma-separated words, as a list."""

    regex = r"\w+(?:,\w+)*"

    def to_python(self, value: str) -> list[str]:
        return value.split(",")

    def to_url(self, value: list[str]) -> str:
        return ",".join(super(ListConverter, self).to_url(v) for v in value)


class RegexConverter(werkzeug.routing.BaseConverter):
    """The regular expression given as the converter's argument."""

    def __init__(self, url_map: Any, pattern: str) -> None:
        super().__init__(url_map)
        self.regex = pattern


class EvenConverter(werkzeug.routing.BaseConverter):
    """Digits whose number is even; odd numbers fail validation."""

    regex = r"\d+"
    weight = 50

    def to_python(self, value: str) -> int:
        if int(value) % 2:
            raise werkzeug.routing.ValidationError()
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class TwoConverter(werkzeug.routing.BaseConverter):
    """Two words with a slash between them (not part isolating)."""

    regex = r"\w+/\w+"
    part_isolating = False

    def to_python(self, value: str) -> tuple[str, ...]:
        return tuple(value.split("/"))

    def to_url(self, value: tuple[str, ...]) -> str:
        return "/".join(value)


CUSTOM = {
    "list": ListConverter,
    "regex": RegexConverter,
    "even": EvenConverter,
    "two": TwoConverter,
}

CUSTOM_CASES: list[tuple[list[Spec], str, tuple[Any, ...]]] = [
    ([rule("/l/<list:x>")], "/l/a,b,c", hit("/l/<list:x>", x=["a", "b", "c"])),
    ([rule("/l/<list:x>")], "/l/a,,b", MISS),
    (
        [rule("/r/<regex('[a-z]{3}'):x>")],
        "/r/abc",
        hit("/r/<regex('[a-z]{3}'):x>", x="abc"),
    ),
    ([rule("/r/<regex('[a-z]{3}'):x>")], "/r/abcd", MISS),
    ([rule("/r/<regex('a|ab'):x>c")], "/r/abc", hit("/r/<regex('a|ab'):x>c", x="ab")),
    ([rule("/e/<even:n>")], "/e/4", hit("/e/<even:n>", n=4)),
    ([rule("/e/<even:n>")], "/e/3", MISS),
    (
        [rule("/e/<even:n>", endpoint="even"), rule("/e/<n>", endpoint="str")],
        "/e/3",
        MISS,
    ),
    ([rule("/t/<two:x>/")], "/t/qw/er/", hit("/t/<two:x>/", x=("qw", "er"))),
    ([rule("/t/<two:x>/")], "/t/qw/", MISS),
]


@pytest.mark.parametrize(("specs", "path", "expected"), CUSTOM_CASES)
def test_custom_converters(
    routing: types.ModuleType,
    specs: list[Spec],
    path: str,
    expected: tuple[Any, ...],
) -> None:
    """Custom converters: their regex matches and ``to_python`` converts; a
    ``ValidationError`` ends the match with a 404, even if a later rule matches."""
    assert outcome(make_map(routing, specs, converters=CUSTOM), path) == expected


def test_custom_converter_registered_on_map(routing: types.ModuleType) -> None:
    """``map.converters[...]`` (Flask's documented pattern) registers a converter
    for rules added afterwards, for matching and for building."""
    url_map = routing.Map()
    url_map.converters["list"] = ListConverter
    url_map.add(routing.Rule("/l/<list:x>", endpoint="l"))
    assert outcome(url_map, "/l/a,b") == hit("l", x=["a", "b"])
    assert url_map.bind("example.org").build("l", {"x": ["c", "d"]}) == "/l/c,d"


# --- priorities ---------------------------------------------------------------

PRIORITY_CASES: list[tuple[list[Spec], str, str]] = [
    (
        [rule("/u/<name>", endpoint="dyn"), rule("/u/me", endpoint="static")],
        "/u/me",
        "static",
    ),
    (
        [rule("/u/me", endpoint="static"), rule("/u/<name>", endpoint="dyn")],
        "/u/me",
        "static",
    ),
    (
        [rule("/u/<name>", endpoint="dyn"), rule("/u/me", endpoint="static")],
        "/u/you",
        "dyn",
    ),
    ([rule("/<x>", endpoint="str"), rule("/<int:x>", endpoint="int")], "/42", "int"),
    ([rule("/<x>", endpoint="str"), rule("/<int:x>", endpoint="int")], "/x42", "str"),
    (
        [rule("/<x>", endpoint="str"), rule("/<float:x>", endpoint="float")],
        "/4.2",
        "float",
    ),
    (
        [rule("/<int:v>", endpoint="int"), rule("/<uuid:v>", endpoint="uuid")],
        f"/{UUID}",
        "uuid",
    ),
    (
        [rule("/<path:p>", endpoint="path"), rule("/<a>/<b>", endpoint="two")],
        "/x/y",
        "two",
    ),
    (
        [rule("/<path:p>", endpoint="path"), rule("/<a>/<b>", endpoint="two")],
        "/x/y/z",
        "path",
    ),
    ([rule("/<path:p>", endpoint="path"), rule("/<x>", endpoint="str")], "/x", "str"),
    (
        [rule("/a/<x>/c", endpoint="dyn"), rule("/a/b/d", endpoint="static")],
        "/a/b/c",
        "dyn",
    ),
    (
        [rule("/a/b/d", endpoint="static"), rule("/a/<x>/c", endpoint="dyn")],
        "/a/b/d",
        "static",
    ),
    (
        [
            rule("/<path:p>/c", endpoint="simple"),
            rule("/<path:p>/<a>/<b>", endpoint="complex"),
        ],
        "/a/b/c",
        "simple",
    ),
    ([rule("/<a>/<b>", endpoint="two"), rule("/<a>/b", endpoint="one")], "/a/b", "one"),
    (
        [rule("/f<x>", endpoint="prefix"), rule("/<x>", endpoint="plain")],
        "/foo",
        "prefix",
    ),
    (
        [rule("/<x>.json", endpoint="json"), rule("/<x>", endpoint="plain")],
        "/a.json",
        "json",
    ),
    (
        [rule("/<any(a, b):x>", endpoint="any"), rule("/<x>", endpoint="str")],
        "/a",
        "any",
    ),
]


@pytest.mark.parametrize(("specs", "path", "endpoint"), PRIORITY_CASES)
def test_priorities(
    routing: types.ModuleType, specs: list[Spec], path: str, endpoint: str
) -> None:
    """Static before dynamic, specific converters before general ones, path last,
    backtracking out of a branch that fails deeper down."""
    result = outcome(make_map(routing, specs), path)
    assert result[:2] == ("match", endpoint)


# --- methods ------------------------------------------------------------------

METHOD_RULES = [
    rule("/r", endpoint="get", methods=["GET"]),
    rule("/r", endpoint="post", methods=["POST"]),
    rule("/w", endpoint="put", methods=["PUT", "DELETE"]),
    rule("/any", endpoint="any"),
    rule("/o", endpoint="options", methods=["OPTIONS"]),
]

METHOD_CASES: list[tuple[str, str, tuple[Any, ...]]] = [
    ("/r", "GET", hit("get")),
    ("/r", "HEAD", hit("get")),
    ("/r", "POST", hit("post")),
    ("/r", "PUT", not_allowed("GET", "HEAD", "POST")),
    ("/w", "DELETE", hit("put")),
    ("/w", "GET", not_allowed("PUT", "DELETE")),
    ("/w", "HEAD", not_allowed("PUT", "DELETE")),
    ("/any", "PATCH", hit("any")),
    ("/any", "BREW", hit("any")),
    ("/o", "OPTIONS", hit("options")),
    ("/o", "GET", not_allowed("OPTIONS")),
    ("/nope", "PUT", MISS),
]


@pytest.mark.parametrize(("path", "method", "expected"), METHOD_CASES)
def test_methods(
    routing: types.ModuleType, path: str, method: str, expected: tuple[Any, ...]
) -> None:
    """HEAD comes with GET; another method gets a 405 with the valid methods."""
    assert outcome(make_map(routing, METHOD_RULES), path, method) == expected


def test_method_lowercase_in_rule(routing: types.ModuleType) -> None:
    """Rule methods are upper-cased; the request method is too."""
    url_map = make_map(routing, [rule("/r", endpoint="r", methods=["post"])])
    assert outcome(url_map, "/r", "post") == hit("r")


def test_allowed_methods(routing: types.ModuleType) -> None:
    """``allowed_methods`` lists every method some rule accepts for the path."""
    url_map = make_map(
        routing,
        [rule("/<foo>", methods=["GET", "HEAD"]), rule("/foo", methods=["POST"])],
    )
    adapter = url_map.bind("example.org")
    assert sorted(adapter.allowed_methods("/foo")) == ["GET", "HEAD", "POST"]


# --- slashes, redirects, defaults ---------------------------------------------

SLASH_RULES = [
    rule("/dir/", endpoint="dir"),
    rule("/leaf", endpoint="leaf"),
    rule("/loose/", endpoint="loose", strict_slashes=False),
    rule("/looseleaf", endpoint="looseleaf", strict_slashes=False),
    rule("/post/", endpoint="post", methods=["POST"]),
    rule("/p/<path:p>/", endpoint="pathdir"),
    rule("/x/<int:n>/", endpoint="intdir"),
    rule("/no//merge", endpoint="nomerge", merge_slashes=False),
    rule("/m/<path:p>", endpoint="pathmerge"),
    rule("/both", endpoint="both-leaf", methods=["POST"]),
    rule("/both/", endpoint="both-dir", methods=["GET"]),
]

SLASH_CASES: list[tuple[str, str, dict[str, Any], tuple[Any, ...]]] = [
    ("/dir/", "GET", {}, hit("dir")),
    ("/dir", "GET", {}, redirect("http://example.org/dir/")),
    (
        "/dir",
        "GET",
        {"query_args": "a=1&b=%20"},
        redirect("http://example.org/dir/?a=1&b=%20"),
    ),
    (
        "/dir",
        "GET",
        {"query_args": {"q": "x y"}},
        redirect("http://example.org/dir/?q=x+y"),
    ),
    ("/leaf", "GET", {}, hit("leaf")),
    ("/leaf/", "GET", {}, MISS),
    ("/loose", "GET", {}, hit("loose")),
    ("/loose/", "GET", {}, hit("loose")),
    ("/looseleaf/", "GET", {}, hit("looseleaf")),
    ("/post", "POST", {}, redirect("http://example.org/post/")),
    ("/p/a/b", "GET", {}, redirect("http://example.org/p/a/b/")),
    ("/p/a/b/", "GET", {}, hit("pathdir", p="a/b")),
    ("/x/3", "GET", {}, redirect("http://example.org/x/3/")),
    ("/dir//", "GET", {}, redirect("http://example.org/dir/")),
    ("//dir/", "GET", {}, hit("dir")),
    ("/dir//x", "GET", {}, MISS),
    ("/no//merge", "GET", {}, hit("nomerge")),
    ("/m/a//b", "GET", {}, hit("pathmerge", p="a//b")),
    ("/both", "POST", {}, hit("both-leaf")),
    ("/both", "GET", {}, redirect("http://example.org/both/")),
    ("/both/", "GET", {}, hit("both-dir")),
    ("/both/", "POST", {}, not_allowed("GET", "HEAD")),
    ("/över", "GET", {}, MISS),
]


@pytest.mark.parametrize(("path", "method", "match", "expected"), SLASH_CASES)
def test_slashes(
    routing: types.ModuleType,
    path: str,
    method: str,
    match: dict[str, Any],
    expected: tuple[Any, ...],
) -> None:
    """``strict_slashes`` redirects (308, absolute, query kept) and
    ``merge_slashes`` as Werkzeug."""
    assert outcome(make_map(routing, SLASH_RULES), path, method, **match) == expected


def test_redirect_under_script_name(routing: types.ModuleType) -> None:
    """The redirect URL carries the bound host, scheme and script name."""
    url_map = make_map(routing, [rule("/dir/")])
    bind = {"script_name": "/app", "url_scheme": "https"}
    expected = redirect("https://example.org/app/dir/")
    assert outcome(url_map, "/dir", bind=bind) == expected


def test_redirect_from_environ_keeps_query(routing: types.ModuleType) -> None:
    """``bind_to_environ`` takes the query string for the redirect from the
    request."""
    url_map = make_map(routing, [rule("/dir/")])
    adapter = url_map.bind_to_environ(create_environ("/dir?x=1", "http://h.test/"))
    with pytest.raises(RequestRedirect) as excinfo:
        adapter.match()
    assert excinfo.value.new_url == "http://h.test/dir/?x=1"


def test_unicode_redirect_is_quoted(routing: types.ModuleType) -> None:
    """A redirect to a non-ASCII path is percent-encoded."""
    url_map = make_map(routing, [rule("/öäü/")])
    expected = redirect("http://example.org/%C3%B6%C3%A4%C3%BC/")
    assert outcome(url_map, "/öäü") == expected


def test_map_wide_slash_options(routing: types.ModuleType) -> None:
    """``Map(strict_slashes=False, merge_slashes=False)`` applies to every rule."""
    url_map = make_map(
        routing, [rule("/a/"), rule("/b//c")], strict_slashes=False, merge_slashes=False
    )
    assert outcome(url_map, "/a") == hit("/a/")
    assert outcome(url_map, "/b//c") == hit("/b//c")
    assert outcome(url_map, "/b/c") == MISS


def _redirect_to_callable(adapter: Any, n: int) -> str:
    return f"/new/{n * 2}"


REDIRECT_RULES = [
    rule("/old/<int:n>", redirect_to="/new/<n>"),
    rule("/calc/<int:n>", redirect_to=_redirect_to_callable),
    rule("/ext", redirect_to="http://other.test/x"),
    rule("/", endpoint="index"),
    rule("/index.html", endpoint="index", alias=True),
    rule("/page/", endpoint="page", defaults={"n": 1}),
    rule("/page/<int:n>", endpoint="page"),
    rule("/page-<int:n>.html", endpoint="page", alias=True),
]

REDIRECT_CASES: list[tuple[str, tuple[Any, ...]]] = [
    ("/old/5", redirect("http://example.org/new/5")),
    ("/calc/5", redirect("http://example.org/new/10")),
    ("/ext", redirect("http://other.test/x")),
    ("/index.html", redirect("http://example.org/")),
    ("/page/", hit("page", n=1)),
    ("/page/2", hit("page", n=2)),
    ("/page/1", redirect("http://example.org/page/")),
    ("/page-2.html", redirect("http://example.org/page/2")),
    ("/page-1.html", redirect("http://example.org/page/")),
]


@pytest.mark.parametrize(("path", "expected"), REDIRECT_CASES)
def test_redirects_aliases_defaults(
    routing: types.ModuleType, path: str, expected: tuple[Any, ...]
) -> None:
    """``redirect_to`` (string and callable), ``alias`` and ``defaults``."""
    assert outcome(make_map(routing, REDIRECT_RULES), path) == expected


def test_redirect_defaults_off(routing: types.ModuleType) -> None:
    """With ``redirect_defaults=False`` the URL that equals a default matches."""
    url_map = make_map(routing, REDIRECT_RULES, redirect_defaults=False)
    assert outcome(url_map, "/page/1") == hit("page", n=1)


def test_return_rule(routing: types.ModuleType) -> None:
    """``return_rule=True`` returns the matched Rule object itself."""
    url_map = make_map(routing, [rule("/a/<int:n>")])
    matched, values = url_map.bind("example.org").match("/a/1", return_rule=True)
    assert matched is next(iter(url_map.iter_rules()))
    assert values == {"n": 1}


def test_build_only(routing: types.ModuleType) -> None:
    """A ``build_only`` rule builds but never matches."""
    url_map = make_map(routing, [rule("/b/<x>", endpoint="b", build_only=True)])
    assert outcome(url_map, "/b/1") == MISS
    assert url_map.bind("example.org").build("b", {"x": "1"}) == "/b/1"


def test_rules_added_after_matching(routing: types.ModuleType) -> None:
    """``Map.add`` after a match takes effect at the next match."""
    url_map = make_map(routing, [rule("/a", endpoint="a")])
    assert outcome(url_map, "/b") == MISS
    url_map.add(routing.Rule("/b", endpoint="b"))
    assert outcome(url_map, "/b") == hit("b")


# --- hosts and websockets -----------------------------------------------------

SUBDOMAIN_RULES = [
    rule("/", endpoint="www", subdomain="www"),
    rule("/", endpoint="api", subdomain="api"),
    rule("/u/<name>", endpoint="user", subdomain="<user>"),
]

SUBDOMAIN_CASES: list[tuple[str, str, tuple[Any, ...]]] = [
    ("www", "/", hit("www")),
    ("api", "/", hit("api")),
    ("bob", "/u/x", hit("user", user="bob", name="x")),
    ("bob", "/", MISS),
    ("", "/", MISS),
]


@pytest.mark.parametrize(("subdomain", "path", "expected"), SUBDOMAIN_CASES)
def test_subdomains(
    routing: types.ModuleType, subdomain: str, path: str, expected: tuple[Any, ...]
) -> None:
    """Rules match on the bound subdomain, which may carry values."""
    url_map = make_map(routing, SUBDOMAIN_RULES)
    assert outcome(url_map, path, bind={"subdomain": subdomain}) == expected


def test_default_subdomain(routing: types.ModuleType) -> None:
    """Rules without a subdomain use the map's ``default_subdomain``."""
    url_map = make_map(routing, [rule("/", endpoint="i")], default_subdomain="www")
    assert outcome(url_map, "/", bind={"subdomain": "www"}) == hit("i")
    assert outcome(url_map, "/", bind={"subdomain": "x"}) == MISS


def test_subdomain_from_environ(routing: types.ModuleType) -> None:
    """``bind_to_environ`` with a server name derives the subdomain from Host."""
    url_map = make_map(routing, SUBDOMAIN_RULES)
    environ = create_environ("/", "http://api.example.com/")
    adapter = url_map.bind_to_environ(environ, server_name="example.com")
    assert adapter.match() == ("api", {})


HOST_RULES = [
    rule("/", endpoint="index", host="www.<domain>"),
    rule("/", endpoint="files", host="files.<domain>"),
    rule("/<int:page>", endpoint="page", host="files.<domain>"),
    rule("/static", endpoint="fixed", host="fixed.test"),
]

HOST_CASES: list[tuple[str, str, tuple[Any, ...]]] = [
    ("www.example.com", "/", hit("index", domain="example.com")),
    ("files.example.com", "/", hit("files", domain="example.com")),
    ("files.example.com", "/2", hit("page", domain="example.com", page=2)),
    ("www.example.com", "/2", MISS),
    ("fixed.test", "/static", hit("fixed")),
    ("other.test", "/static", MISS),
]


@pytest.mark.parametrize(("host", "path", "expected"), HOST_CASES)
def test_host_matching(
    routing: types.ModuleType, host: str, path: str, expected: tuple[Any, ...]
) -> None:
    """With ``host_matching`` rules match on the whole host."""
    url_map = make_map(routing, HOST_RULES, host_matching=True)
    assert outcome(url_map, path, host=host) == expected


WEBSOCKET_RULES = [
    rule("/ws", endpoint="ws", websocket=True),
    rule("/http", endpoint="http"),
    rule("/", endpoint="index"),
    rule("/", endpoint="index-ws", websocket=True),
]

WEBSOCKET_CASES: list[tuple[str, bool, tuple[Any, ...]]] = [
    ("/ws", True, hit("ws")),
    ("/ws", False, ("websocket-mismatch",)),
    ("/http", True, ("websocket-mismatch",)),
    ("/http", False, hit("http")),
    ("/", True, hit("index-ws")),
    ("/", False, hit("index")),
]


@pytest.mark.parametrize(("path", "websocket", "expected"), WEBSOCKET_CASES)
def test_websocket_rules(
    routing: types.ModuleType, path: str, websocket: bool, expected: tuple[Any, ...]
) -> None:
    """Websocket rules match websocket requests only, and vice versa."""
    url_map = make_map(routing, WEBSOCKET_RULES)
    assert outcome(url_map, path, websocket=websocket) == expected


def test_websocket_from_scheme(routing: types.ModuleType) -> None:
    """Binding with a ``ws`` scheme makes every match a websocket match."""
    url_map = make_map(routing, WEBSOCKET_RULES)
    assert outcome(url_map, "/", bind={"url_scheme": "ws"}) == hit("index-ws")


# --- building -----------------------------------------------------------------

BUILD_RULES = [
    rule("/", endpoint="index"),
    rule("/u/<name>", endpoint="user"),
    rule("/n/<int:n>", endpoint="num"),
    rule("/n/<int(fixed_digits=3):n>/pad", endpoint="pad"),
    rule("/f/<float:x>", endpoint="float"),
    rule("/p/<path:p>", endpoint="path"),
    rule("/id/<uuid:u>", endpoint="uuid"),
    rule("/a/<any(x, y):v>", endpoint="any"),
    rule("/l/<list:items>", endpoint="list"),
    rule("/page/", endpoint="page", defaults={"n": 1}),
    rule("/page/<int:n>", endpoint="page"),
    rule("/get", endpoint="search", methods=["GET"]),
    rule("/post", endpoint="search", methods=["POST"]),
    rule("/ws", endpoint="ws", websocket=True),
    rule("/s", endpoint="sub", subdomain="api"),
]

BUILD_CASES: list[tuple[str, dict[str, Any], dict[str, Any], str | type]] = [
    ("index", {}, {}, "/"),
    ("user", {"name": "bob"}, {}, "/u/bob"),
    ("user", {"name": "a b/c?d#e%"}, {}, "/u/a%20b/c%3Fd%23e%25"),
    ("user", {"name": "über"}, {}, "/u/%C3%BCber"),
    ("user", {"name": "x:y"}, {}, "/u/x:y"),
    ("user", {"name": 42}, {}, "/u/42"),
    ("user", {}, {}, werkzeug.routing.BuildError),
    ("user", {"name": None}, {}, werkzeug.routing.BuildError),
    ("num", {"n": 7}, {}, "/n/7"),
    ("pad", {"n": 7}, {}, "/n/007/pad"),
    ("float", {"x": 0.5}, {}, "/f/0.5"),
    ("path", {"p": "a/b c"}, {}, "/p/a/b%20c"),
    ("uuid", {"u": uuid.UUID(UUID)}, {}, f"/id/{UUID}"),
    ("any", {"v": "y"}, {}, "/a/y"),
    ("list", {"items": ["a", "b"]}, {}, "/l/a,b"),
    ("page", {}, {}, "/page/"),
    ("page", {"n": 1}, {}, "/page/"),
    ("page", {"n": 2}, {}, "/page/2"),
    ("user", {"name": "b", "q": "x y", "z": [1, 2]}, {}, "/u/b?q=x+y&z=1&z=2"),
    ("user", {"name": "b", "q": None}, {}, "/u/b"),
    ("user", {"name": "b", "q": "1"}, {"append_unknown": False}, "/u/b"),
    ("user", MultiDict([("name", "b"), ("q", "1"), ("q", "2")]), {}, "/u/b?q=1&q=2"),
    ("index", {}, {"force_external": True}, "http://example.org/"),
    (
        "index",
        {},
        {"force_external": True, "url_scheme": "https"},
        "https://example.org/",
    ),
    ("search", {}, {}, "/get"),
    ("search", {}, {"method": "GET"}, "/get"),
    ("search", {}, {"method": "POST"}, "/post"),
    ("search", {}, {"method": "PUT"}, werkzeug.routing.BuildError),
    ("ws", {}, {}, "ws://example.org/ws"),
    ("ws", {}, {"url_scheme": "https"}, "wss://example.org/ws"),
    ("sub", {}, {}, "http://api.example.org/s"),
    ("nope", {}, {}, werkzeug.routing.BuildError),
]


@pytest.mark.parametrize(("endpoint", "values", "options", "expected"), BUILD_CASES)
def test_build(
    routing: types.ModuleType,
    endpoint: str,
    values: dict[str, Any],
    options: dict[str, Any],
    expected: str | type,
) -> None:
    """``build``: converters' ``to_url``, quoting, defaults, unknown values as
    the query string, external URLs, methods, and ``BuildError``."""
    url_map = make_map(routing, BUILD_RULES, converters=CUSTOM)
    adapter = url_map.bind("example.org")
    if isinstance(expected, str):
        assert adapter.build(endpoint, values, **options) == expected
    else:
        with pytest.raises(expected):
            adapter.build(endpoint, values, **options)


def test_build_under_script_name_and_subdomain(routing: types.ModuleType) -> None:
    """Built paths carry the script name; another subdomain makes them external."""
    url_map = make_map(routing, BUILD_RULES, converters=CUSTOM)
    adapter = url_map.bind("example.org", "/app", subdomain="api")
    assert adapter.build("sub") == "/app/s"
    assert adapter.build("index") == "http://example.org/app/"


def test_build_any_rejects_other_values(routing: types.ModuleType) -> None:
    """``any`` refuses to build a value it would not match."""
    adapter = make_map(routing, BUILD_RULES, converters=CUSTOM).bind("example.org")
    with pytest.raises(ValueError, match="'z' is not one of 'x', 'y'"):
        adapter.build("any", {"v": "z"})


def test_build_host_matching(routing: types.ModuleType) -> None:
    """With ``host_matching`` a rule on another host builds an external URL."""
    url_map = make_map(
        routing,
        [
            rule("/", endpoint="a", host="a.test"),
            rule("/", endpoint="b", host="b.test"),
        ],
        host_matching=True,
    )
    adapter = url_map.bind("a.test")
    assert adapter.build("a") == "/"
    assert adapter.build("b") == "http://b.test/"


def test_build_sorted_parameters(routing: types.ModuleType) -> None:
    """``sort_parameters`` and ``sort_key`` order the query string."""
    url_map = make_map(
        routing,
        [rule("/", endpoint="i")],
        sort_parameters=True,
        sort_key=lambda x: x[1],
    )
    built = url_map.bind("example.org").build("i", {"x": 20, "y": 10, "z": 30})
    assert built == "/?y=10&x=20&z=30"


BUILD_ERROR_CASES: list[tuple[str, dict[str, Any], str | None, str]] = [
    ("urks", {}, None, "Could not build url for endpoint 'urks'."),
    ("worl", {}, None, "Did you mean 'world' instead?"),
    ("world", {}, None, "Did you forget to specify values ['id']?"),
    ("world", {"id": 2}, "POST", "Did you mean to use methods ['GET', 'HEAD']?"),
]


@pytest.mark.parametrize(("endpoint", "values", "method", "message"), BUILD_ERROR_CASES)
def test_build_error_suggestions(
    routing: types.ModuleType,
    endpoint: str,
    values: dict[str, Any],
    method: str | None,
    message: str,
) -> None:
    """``BuildError`` says what was asked and suggests the closest rule."""
    url_map = make_map(routing, [rule("/foo/<id>/", endpoint="world", methods=["GET"])])
    with pytest.raises(werkzeug.routing.BuildError) as excinfo:
        url_map.bind("example.org").build(endpoint, values, method=method)
    assert message in str(excinfo.value)


# --- the Map object -----------------------------------------------------------


def test_iter_rules_and_rule_attributes(routing: types.ModuleType) -> None:
    """``iter_rules`` yields the rules with Werkzeug's attributes."""
    url_map = make_map(
        routing,
        [rule("/a/<int:n>", endpoint="a", methods=["POST"], defaults={"x": 1})],
    )
    (only,) = list(url_map.iter_rules())
    assert (only.rule, only.endpoint) == ("/a/<int:n>", "a")
    assert only.arguments == {"n", "x"}
    assert only.methods == {"POST"}
    assert only.defaults == {"x": 1}
    assert list(url_map.iter_rules("a")) == [only]


def test_rule_factories(routing: types.ModuleType) -> None:
    """``Submount``, ``EndpointPrefix`` and ``Subdomain`` expand into rules."""
    url_map = routing.Map(
        [
            routing.Submount("/api", [routing.Rule("/x", endpoint="x")]),
            routing.EndpointPrefix("p.", [routing.Rule("/y", endpoint="y")]),
            routing.Subdomain("s", [routing.Rule("/z", endpoint="z")]),
        ]
    )
    assert outcome(url_map, "/api/x") == hit("x")
    assert outcome(url_map, "/y") == hit("p.y")
    assert outcome(url_map, "/z", bind={"subdomain": "s"}) == hit("z")


def test_dispatch(routing: types.ModuleType) -> None:
    """``MapAdapter.dispatch`` calls the view with endpoint and values."""
    url_map = make_map(routing, [rule("/n/<int:n>", endpoint="n")])
    adapter = url_map.bind("example.org")
    view: Callable[[str, dict[str, Any]], Any] = lambda e, v: (e, v)  # noqa: E731
    assert adapter.dispatch(view, "/n/3") == ("n", {"n": 3})


def test_kolben_names_are_werkzeug_compatible() -> None:
    """Werkzeug's rules, converters and exceptions work with kolben's Map."""
    url_map = kolben.routing.Map([werkzeug.routing.Rule("/w", endpoint="w")])
    assert outcome(url_map, "/w") == hit("w")
    assert issubclass(kolben.routing.RequestRedirect, werkzeug.routing.RequestRedirect)
    assert kolben.routing.BaseConverter is werkzeug.routing.BaseConverter
    assert isinstance(url_map.bind("x"), werkzeug.routing.MapAdapter)
