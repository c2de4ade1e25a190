"""``route_conflicts``, behind ``routes --check``: which pairs of rules match
exactly the same URLs, and which of those the policy lets be."""

from __future__ import annotations

import typing as t
from collections.abc import Iterable

import flask
import pytest
from werkzeug.routing import BaseConverter, Map, Rule

from kolben.routing.conflicts import Conflict, route_conflicts


def _view(**values: t.Any) -> str:
    return ""


def _flask_app(
    rules: Iterable[tuple[str, str, list[str] | None]],
    converters: dict[str, type[BaseConverter]] | None = None,
) -> flask.Flask:
    """A Flask app with no static route, ``converters`` in its map and
    ``rules`` (rule, endpoint, methods) added in order."""
    app = flask.Flask(__name__, static_folder=None)
    app.url_map.converters.update(converters or {})
    for rule, endpoint, methods in rules:
        app.add_url_rule(rule, endpoint, _view, methods=methods)
    return app


def _pairs(found: list[Conflict]) -> list[tuple[str | None, str]]:
    return [
        (c.earlier.endpoint if c.earlier else None, c.later.endpoint) for c in found
    ]


# Flask rules (rule, endpoint, methods), and the conflicting pairs of endpoints.
CONFLICTS = [
    ([("/x", "a", None), ("/y", "b", None)], []),
    ([("/x", "a", None), ("/x", "b", None)], [("a", "b")]),
    ([("/x", "a", ["GET"]), ("/x", "b", ["POST"])], []),
    ([("/x", "a", ["GET"]), ("/x", "b", ["POST"]), ("/x", "c", ["PUT"])], []),
    (
        [("/x", "a", ["GET"]), ("/x", "b", ["POST"]), ("/x", "c", ["GET", "POST"])],
        [("a", "c"), ("b", "c")],
    ),
    ([("/<int:a>", "a", None), ("/<b>", "b", None)], []),
    ([("/<int:a>", "a", None), ("/<int:b>", "b", None)], [("a", "b")]),
    ([("/s/", "a", None), ("/s", "b", None)], []),
    ([("/m/<a>", "a", None), ("/m//<b>", "b", None)], [("a", "b")]),
    ([("/x", "a", None), ("/<any(x):y>", "b", None)], []),
    (
        [("/n/<a>", "a", ["GET"]), ("/n/<b>", "b", ["PUT"]), ("/n/<c>", "c", ["PUT"])],
        [("b", "c")],
    ),
    (
        [("/x", "a", None), ("/x", "b", None), ("/x", "c", None)],
        [("a", "b"), ("a", "c"), ("b", "c")],
    ),
    # a3 alone fits beside a1: only a pairwise look finds a2/a3.
    (
        [("/a/<x>", "a1", None), ("/a/<y>", "a2", ["GET", "POST"])]
        + [("/a/<z>", "a3", ["POST"])],
        [("a1", "a2"), ("a2", "a3")],
    ),
]


@pytest.mark.parametrize(("rules", "pairs"), CONFLICTS)
def test_route_conflicts(
    rules: list[tuple[str, str, list[str] | None]], pairs: list[tuple[str, str]]
) -> None:
    app = _flask_app(rules)
    assert _pairs(route_conflicts(app.url_map)) == pairs


def test_werkzeug_map() -> None:
    """Any Werkzeug map: a rule without methods answers every method."""
    url_map = Map([Rule("/u/<a>", endpoint="a"), Rule("/u/<b>", endpoint="b")])
    (conflict,) = route_conflicts(url_map)
    assert conflict == Conflict(
        url_map._rules[0],
        url_map._rules[1],
        "rule '/u/<b>' (endpoint 'b') matches exactly the URLs of rule '/u/<a>'"
        " (endpoint 'a') for every method; the earlier rule serves them",
    )


@pytest.mark.parametrize(
    ("methods", "shared"),
    [
        ((["GET"], ["GET", "POST"]), "GET, HEAD"),  # Flask's automatic OPTIONS
        ((["GET", "OPTIONS"], ["OPTIONS"]), "OPTIONS"),  # the rules' own
        ((["PUT"], ["PUT", "OPTIONS"]), "PUT"),
    ],
)
def test_shared_methods(methods: tuple[list[str], list[str]], shared: str) -> None:
    app = _flask_app(("/m", endpoint, m) for endpoint, m in zip("ab", methods))
    (conflict,) = route_conflicts(app.url_map)
    assert f" for {shared};" in conflict.message


def test_custom_converter() -> None:
    """The map's own converters are used, so its rules parse."""

    class Hex(BaseConverter):
        regex = "[0-9a-f]+"

    app = _flask_app(
        [("/h/<hex:a>", "a", None), ("/h/<hex:b>", "b", None)], {"hex": Hex}
    )
    assert _pairs(route_conflicts(app.url_map)) == [("a", "b")]


def _views(*endpoints: str) -> t.Callable[[str], bool]:
    return lambda endpoint: endpoint in endpoints


# Rules (rule, endpoint), has_view, and the conflicting pairs: the policy.
POLICY = [
    ([("/", "blog.index"), ("/", "index")], None, [("blog.index", "index")]),
    ([("/", "blog.index"), ("/", "index")], _views("blog.index"), []),
    ([("/", "index"), ("/", "blog.index")], _views("blog.index"), []),
    (
        [("/", "a"), ("/", "b")],
        _views("a", "b"),
        [("a", "b")],
    ),
    ([("/s", "a"), ("/s", "a")], None, []),
    ([("/s/<path:f>", "static"), ("/s/<path:f>", "bp.static")], None, []),
    (
        [("/s/<path:f>", "bp.static"), ("/s/<path:f>", "files")],
        None,
        [("bp.static", "files")],
    ),
]


@pytest.mark.parametrize(("rules", "has_view", "pairs"), POLICY)
def test_policy(
    rules: list[tuple[str, str]],
    has_view: t.Callable[[str], bool] | None,
    pairs: list[tuple[str, str]],
) -> None:
    url_map = Map([Rule(rule, endpoint=endpoint) for rule, endpoint in rules])
    assert _pairs(route_conflicts(url_map, has_view=has_view)) == pairs


def test_exempt_pair_hides_no_other() -> None:
    """A rule the policy lets repeat an alias still conflicts with a third."""
    url_map = Map(
        [
            Rule("/", endpoint="index"),
            Rule("/", endpoint="blog.index"),
            Rule("/", endpoint="other"),
        ]
    )
    has_view = _views("blog.index", "other")
    assert _pairs(route_conflicts(url_map, has_view)) == [("blog.index", "other")]


def test_refused_alone() -> None:
    """A rule kolben's router cannot take at all comes with no partner: here a
    converter regex with a look-ahead, which Werkzeug takes."""

    class NotAdmin(BaseConverter):
        regex = "(?!admin)[a-z]+"

    app = _flask_app(
        [("/u/<not_admin:name>", "user", None), ("/v", "v", None)],
        {"not_admin": NotAdmin},
    )
    (conflict,) = route_conflicts(app.url_map)
    assert (conflict.earlier, conflict.later.endpoint) == (None, "user")
    assert conflict.message.startswith("endpoint 'user': ")
    assert "look-around" in conflict.message
