"""Conflicting rules: reported by kolben, silent in Werkzeug.

Two rules that would match exactly the same URLs for an overlapping method emit a
``RouteConflictWarning`` naming both rules, and route as in Werkzeug (the first
wins); with ``strict_conflicts=True`` the map raises ``ValueError`` instead.
Rules that only look alike are accepted silently.
"""

from __future__ import annotations

import warnings
from typing import Any
from urllib.parse import urlsplit

import pytest
import werkzeug.routing

import kolben.routing

Spec = tuple[str, dict[str, Any]]


def make_rules(routing: Any, specs: list[Spec]) -> list[Any]:
    """One ``routing.Rule`` per spec, endpoints ``r0``, ``r1``, ..."""
    rules = []
    for index, (string, spec_options) in enumerate(specs):
        options = dict(spec_options)
        automatic = options.pop("automatic_options", False)
        rule = routing.Rule(string, endpoint=f"r{index}", **options)
        if automatic:
            # What Flask's add_url_rule does for routes without their own OPTIONS.
            rule.methods = {*(rule.methods or ()), "OPTIONS"}
            rule.provide_automatic_options = True
        rules.append(rule)
    return rules


CONFLICTS: list[tuple[str, list[Spec]]] = [
    ("same rule", [("/a", {}), ("/a", {})]),
    ("same methods", [("/a", {"methods": ["GET"]}), ("/a", {"methods": ["GET"]})]),
    (
        "overlapping methods",
        [("/a", {"methods": ["GET", "POST"]}), ("/a", {"methods": ["POST", "PUT"]})],
    ),
    (
        "HEAD implied by GET",
        [("/a", {"methods": ["GET"]}), ("/a", {"methods": ["HEAD"]})],
    ),
    ("any method", [("/a", {}), ("/a", {"methods": ["DELETE"]})]),
    ("same converter", [("/u/<int:id>", {}), ("/u/<int:id>", {})]),
    ("other variable name", [("/u/<int:a>", {}), ("/u/<int:b>", {})]),
    ("default converter spelled out", [("/u/<x>", {}), ("/u/<string:y>", {})]),
    ("same arguments", [("/<int(min=1):x>", {}), ("/<int(min=1):y>", {})]),
    ("path", [("/f/<path:p>", {}), ("/f/<path:q>", {})]),
    ("mixed segment", [("/<name>.json", {}), ("/<name>.json", {})]),
    ("trailing slash", [("/a/", {}), ("/a/", {})]),
    ("merged slashes", [("/a//b", {}), ("/a/b", {})]),
    ("subdomain", [("/a", {"subdomain": "s"}), ("/a", {"subdomain": "s"})]),
    ("websocket", [("/ws", {"websocket": True}), ("/ws", {"websocket": True})]),
    (
        "explicit OPTIONS",
        [("/a", {"methods": ["OPTIONS"]}), ("/a", {"methods": ["GET", "OPTIONS"]})],
    ),
    (
        "automatic OPTIONS and a real overlap",
        [
            ("/a", {"methods": ["GET"], "automatic_options": True}),
            ("/a", {"methods": ["GET", "POST"], "automatic_options": True}),
        ],
    ),
]

ACCEPTED: list[tuple[str, list[Spec]]] = [
    (
        "different methods",
        [("/a", {"methods": ["GET"]}), ("/a", {"methods": ["POST"]})],
    ),
    (
        "GET and POST/PUT",
        [("/a", {"methods": ["GET"]}), ("/a", {"methods": ["POST", "PUT"]})],
    ),
    ("different converters", [("/<int:x>", {}), ("/<x>", {})]),
    ("int and float", [("/<int:x>", {}), ("/<float:x>", {})]),
    ("int and signed int", [("/<int:x>", {}), ("/<int(signed=True):x>", {})]),
    ("string lengths", [("/<string(length=2):x>", {}), ("/<x>", {})]),
    ("path and string", [("/<path:p>", {}), ("/<p>", {})]),
    ("any sets", [("/<any(a, b):x>", {}), ("/<any(c, d):x>", {})]),
    ("slash and no slash", [("/a", {}), ("/a/", {})]),
    (
        "non-strict slash pair",
        [("/a", {"strict_slashes": False}), ("/a/", {"strict_slashes": False})],
    ),
    ("static and dynamic", [("/a", {}), ("/<x>", {})]),
    ("suffix", [("/<x>", {}), ("/<x>.json", {})]),
    ("prefix", [("/a<x>", {}), ("/<x>", {})]),
    ("deeper", [("/a/<x>", {}), ("/a/<x>/b", {})]),
    ("subdomains", [("/a", {"subdomain": "s"}), ("/a", {"subdomain": "t"})]),
    ("websocket and http", [("/ws", {"websocket": True}), ("/ws", {})]),
    ("build only", [("/a", {"build_only": True}), ("/a", {})]),
    (
        "automatic OPTIONS only",
        [
            ("/a", {"methods": ["GET"], "automatic_options": True}),
            ("/a", {"methods": ["POST"], "automatic_options": True}),
        ],
    ),
]


def _names(specs: list[Spec]) -> list[str]:
    return [name for name, _ in specs]


def _assert_names_both(message: str, specs: list[Spec]) -> None:
    first, second = (string for string, _ in specs)
    if first == second:
        assert message.count(first) >= 2
    else:
        assert first in message and second in message
    assert "'r0'" in message and "'r1'" in message


@pytest.mark.parametrize(
    ("specs"), [specs for _, specs in CONFLICTS], ids=_names(CONFLICTS)
)
def test_conflict_warns_naming_both_rules(specs: list[Spec]) -> None:
    """The map keeps both rules and warns, naming each with its endpoint."""
    rules = make_rules(kolben.routing, specs)
    with pytest.warns(kolben.routing.RouteConflictWarning) as record:
        url_map = kolben.routing.Map(rules)
    assert len(record) == 1
    _assert_names_both(str(record[0].message), specs)
    assert len(list(url_map.iter_rules())) == 2


@pytest.mark.parametrize(
    ("specs"), [specs for _, specs in CONFLICTS], ids=_names(CONFLICTS)
)
def test_strict_conflict_raises_naming_both_rules(specs: list[Spec]) -> None:
    rules = make_rules(kolben.routing, specs)
    with pytest.raises(ValueError, match="conflict") as excinfo:
        kolben.routing.Map(rules, strict_conflicts=True)
    _assert_names_both(str(excinfo.value), specs)


@pytest.mark.parametrize(
    ("specs"), [specs for _, specs in CONFLICTS], ids=_names(CONFLICTS)
)
def test_conflicts_route_as_in_werkzeug(specs: list[Spec]) -> None:
    """The first rule wins each URL and method it answers; the later rule keeps
    the methods it alone has, as in Werkzeug."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kolben.routing.RouteConflictWarning)
        kolben_map = kolben.routing.Map(make_rules(kolben.routing, specs))
    werkzeug_map = werkzeug.routing.Map(make_rules(werkzeug.routing, specs))
    assert _answers(kolben_map, specs, every_method=True) == _answers(
        werkzeug_map, specs, every_method=True
    )


@pytest.mark.parametrize(
    ("specs"), [specs for _, specs in CONFLICTS], ids=_names(CONFLICTS)
)
def test_werkzeug_accepts_conflicts(specs: list[Spec]) -> None:
    """Werkzeug takes the same tables silently and the first rule serves; kolben
    warns naming both and serves the same first rule: the difference is the
    warning alone."""
    with warnings.catch_warnings(record=True) as werkzeug_record:
        warnings.simplefilter("always")
        werkzeug_map = werkzeug.routing.Map(make_rules(werkzeug.routing, specs))
    assert werkzeug_record == []
    with pytest.warns(kolben.routing.RouteConflictWarning) as kolben_record:
        kolben_map = kolben.routing.Map(make_rules(kolben.routing, specs))
    _assert_names_both(str(kolben_record[0].message), specs)
    served = [_served_by(url_map) for url_map in (werkzeug_map, kolben_map)]
    assert served == ["r0", "r0"]


def _served_by(url_map: Any) -> str:
    """The endpoint answering the second rule's URL for a method both rules
    take."""
    first, second = url_map.iter_rules()
    methods = (first.methods or set(METHODS)) & (second.methods or set(METHODS))
    adapter = url_map.bind("example.org", subdomain=second.subdomain or None)
    values = {name: "1" for name in second.arguments}
    path = urlsplit(adapter.build(second.endpoint, values)).path
    endpoint, _ = adapter.match(path, min(methods), websocket=second.websocket)
    return str(endpoint)


def test_conflict_on_add_keeps_the_map() -> None:
    """A conflicting ``Map.add`` fails in strict mode; the rules added before
    still work."""
    url_map = kolben.routing.Map(
        [kolben.routing.Rule("/a", endpoint="first")], strict_conflicts=True
    )
    with pytest.raises(ValueError, match="conflict"):
        url_map.add(kolben.routing.Rule("/a", endpoint="second"))
    assert url_map.bind("example.org").match("/a") == ("first", {})


@pytest.mark.parametrize(
    ("specs"), [specs for _, specs in ACCEPTED], ids=_names(ACCEPTED)
)
def test_lookalikes_are_accepted(specs: list[Spec]) -> None:
    """Rules that differ in methods, converters, slashes, hosts or kind coexist,
    and kolben and Werkzeug route each rule's own URL alike."""
    kolben_map = kolben.routing.Map(make_rules(kolben.routing, specs))
    werkzeug_map = werkzeug.routing.Map(make_rules(werkzeug.routing, specs))
    assert len(list(kolben_map.iter_rules())) == len(specs)
    assert _answers(kolben_map, specs) == _answers(werkzeug_map, specs)


METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]


def _answers(url_map: Any, specs: list[Spec], every_method: bool = False) -> list[Any]:
    """What each rule's own URL routes to, with the rule's first method or with
    each of :data:`METHODS`."""
    answers = []
    for rule in url_map.iter_rules():
        values = {name: "1" for name in rule.arguments}
        adapter = url_map.bind("example.org", subdomain=rule.subdomain or None)
        methods = METHODS if every_method else [sorted(rule.methods or {"GET"})[0]]
        for method in methods:
            try:
                path = urlsplit(adapter.build(rule.endpoint, values)).path
                answers.append(adapter.match(path, method, websocket=rule.websocket))
            except Exception as exc:  # the answer, whatever it is, is compared
                answers.append(type(exc).__name__)
    return answers


def test_flask_routes_with_automatic_options() -> None:
    """Flask's GET and POST views on one URL, each with automatic OPTIONS, work
    with kolben's Map."""
    flask = pytest.importorskip("flask")

    class App(flask.Flask):
        url_map_class = kolben.routing.Map

    app = App(__name__)
    app.add_url_rule("/item", "get_item", lambda: "get", methods=["GET"])
    app.add_url_rule("/item", "post_item", lambda: "post", methods=["POST"])
    client = app.test_client()
    assert client.get("/item").text == "get"
    assert client.post("/item").text == "post"
    assert client.options("/item").status_code == 200
    assert set(client.options("/item").allow) == {"GET", "HEAD", "POST", "OPTIONS"}


def test_flask_duplicate_route_warns() -> None:
    """Two Flask views on one URL and method: a warning, and the first serves."""
    flask = pytest.importorskip("flask")

    class App(flask.Flask):
        url_map_class = kolben.routing.Map

    app = App(__name__)
    app.add_url_rule("/item", "one", lambda: "one", methods=["GET"])
    with pytest.warns(kolben.routing.RouteConflictWarning, match="'one'"):
        app.add_url_rule("/item", "other", lambda: "two", methods=["GET"])
    assert app.test_client().get("/item").text == "one"
