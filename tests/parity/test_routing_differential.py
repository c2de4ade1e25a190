"""Differential tests: kolben.routing against werkzeug.routing on random tables.

Hypothesis draws small rule tables (static parts, every built-in converter, mixed
segments, trailing slashes, method sets) and paths made from the tables' own
pieces plus mutations (slashes added, dropped or doubled, segments swapped). Both
maps must give the same endpoint and values, or the same redirect URL, or the same
405 with the same valid methods, or both a 404. Tables kolben rejects as
conflicting are skipped, after checking that they really hold two rules that
match the same URLs for a shared method.

kolben's map is compiled before its first call, and each match, 404, 405 and
URL must come from the native ``match`` and ``build``, not their fallback to
Python (``conftest.watch_fallbacks``).
"""

from __future__ import annotations

import re
import uuid
import warnings
from typing import Any

import hypothesis.strategies as st
import werkzeug.routing
from hypothesis import HealthCheck, given, settings
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import BuildError, RequestRedirect

import kolben.routing

from .conftest import watch_fallbacks

UUID = "2b5b0911-fdcf-4dd2-921b-28ace88db8a0"
METHODS = ("GET", "POST", "PUT")
REQUEST_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE")
WORDS = ("a", "b", "ab", "x")

# A segment of a rule; "{}" is replaced by a variable name unique in the rule.
SEGMENTS = (
    "a",
    "b",
    "ab",
    "x",
    "<{}>",
    "<int:{}>",
    "<int(signed=True):{}>",
    "<float:{}>",
    "<path:{}>",
    "<uuid:{}>",
    "<any(a, b):{}>",
    "<string(length=2):{}>",
    "<{}>.json",
    "v<int:{}>",
    "a<{}>",
)

# Values a path may carry where a rule has a variable: some fit each converter.
VALUES = (
    "a",
    "b",
    "ab",
    "x",
    "abc",
    "0",
    "7",
    "42",
    "007",
    "-3",
    "1.5",
    "-2.5",
    "a/b",
    "x/y/z",
    UUID,
    UUID.upper(),
    "a.json",
    "v2",
    "%20",
    "é",
)

_VARIABLE = re.compile(r"<(?:([^:<>]+):)?(\w+)>")

RuleSpec = tuple[str, "frozenset[str] | None", bool]  # rule, methods, strict_slashes


@st.composite
def rule_specs(draw: st.DrawFn) -> RuleSpec:
    """One rule: 0-3 segments, maybe a trailing slash, a method set."""
    segments = draw(st.lists(st.sampled_from(SEGMENTS), max_size=3))
    names = iter(f"v{i}" for i in range(len(segments)))
    parts = [
        segment.format(next(names)) if "{}" in segment else segment
        for segment in segments
    ]
    rule = "/" + "/".join(parts)
    if parts and draw(st.booleans()):
        rule += "/"
    methods = draw(st.none() | st.frozensets(st.sampled_from(METHODS), min_size=1))
    strict_slashes = draw(st.sampled_from((True, True, True, False)))
    return rule, methods, strict_slashes


tables = st.lists(rule_specs(), min_size=1, max_size=6)


def make_map(routing: Any, table: list[RuleSpec]) -> Any:
    """``routing.Map`` of the table; endpoint ``e<i>`` for the i-th rule."""
    return routing.Map(
        [
            routing.Rule(
                rule,
                endpoint=f"e{index}",
                methods=sorted(methods) if methods else None,
                strict_slashes=strict_slashes,
            )
            for index, (rule, methods, strict_slashes) in enumerate(table)
        ]
    )


def _shape(rule: str) -> str:
    """The rule with its variable names erased (``<x>`` is ``<string:_>``)."""
    return _VARIABLE.sub(lambda m: f"<{m.group(1) or 'string'}:_>", rule)


def _methods(methods: frozenset[str] | None) -> set[str] | None:
    if methods is None:
        return None
    return set(methods) | ({"HEAD"} if "GET" in methods else set())


def is_ambiguous(table: list[RuleSpec]) -> bool:
    """Whether two rules have the same shape and share a method."""
    for i, (rule_a, methods_a, _) in enumerate(table):
        for rule_b, methods_b, _ in table[i + 1 :]:
            if _shape(rule_a) != _shape(rule_b):
                continue
            a, b = _methods(methods_a), _methods(methods_b)
            if a is None or b is None or a & b:
                return True
    return False


def kolben_map_or_skip(table: list[RuleSpec]) -> Any:
    """kolben's map of ``table``. Only an ambiguous table may warn of a conflict;
    it is kept, and must route as Werkzeug's does (the first rule wins)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", kolben.routing.RouteConflictWarning)
        url_map = make_map(kolben.routing, table)
    if caught:
        assert is_ambiguous(table), f"kolben warned of an unambiguous table: {table}"
    return url_map


@st.composite
def paths(draw: st.DrawFn, table: list[RuleSpec]) -> str:
    """A path built from one of the table's rules, then perhaps mutated."""
    rule = draw(st.sampled_from([rule for rule, _, _ in table]))
    path = _VARIABLE.sub(lambda _: draw(st.sampled_from(VALUES)), rule)
    mutation = draw(
        st.sampled_from(
            (
                "none",
                "none",
                "toggle-slash",
                "double-slash",
                "lead-slash",
                "append",
                "swap",
            )
        )
    )
    if mutation == "toggle-slash":
        path = path[:-1] if path.endswith("/") and path != "/" else path + "/"
    elif mutation == "double-slash":
        slashes = [i for i, char in enumerate(path) if char == "/"]
        at = draw(st.sampled_from(slashes))
        path = path[:at] + "/" + path[at:]
    elif mutation == "lead-slash":
        path = "/" + path
    elif mutation == "append":
        path = path.rstrip("/") + "/" + draw(st.sampled_from(WORDS + VALUES))
    elif mutation == "swap":
        segments = path.split("/")
        at = draw(st.integers(1, max(1, len(segments) - 1)))
        if at < len(segments):
            segments[at] = draw(st.sampled_from(WORDS + VALUES))
        path = "/".join(segments)
    return path


def match_outcome(url_map: Any, path: str, method: str) -> tuple[Any, ...]:
    """The answer of ``url_map`` to ``method path`` as comparable data."""
    adapter = url_map.bind("example.org", "/")
    try:
        endpoint, values = adapter.match(path, method)
    except RequestRedirect as exc:
        return ("redirect", exc.new_url)
    except MethodNotAllowed as exc:
        return ("405", frozenset(exc.valid_methods or ()))
    except HTTPException as exc:
        return ("http", exc.code)
    return ("match", endpoint, {k: (type(v), v) for k, v in values.items()})


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(data=st.data(), table=tables)
def test_match_like_werkzeug(data: st.DataObject, table: list[RuleSpec]) -> None:
    """Same endpoint and values, redirect, 405 or 404 as Werkzeug."""
    kolben_map = kolben_map_or_skip(table)
    werkzeug_map = make_map(werkzeug.routing, table)
    requests = data.draw(
        st.lists(
            st.tuples(paths(table), st.sampled_from(REQUEST_METHODS)),
            min_size=1,
            max_size=8,
        )
    )
    kolben_map.update()
    with watch_fallbacks() as fallbacks:
        for path, method in requests:
            fallbacks.clear()
            expected = match_outcome(werkzeug_map, path, method)
            assert match_outcome(kolben_map, path, method) == expected, (path, method)
            if expected[0] != "redirect":  # redirects are Werkzeug's to make
                assert fallbacks.calls == [], (path, method, expected)


def build_outcome(
    url_map: Any, endpoint: str, values: dict[str, Any], method: str | None
) -> Any:
    """The URL ``url_map`` builds, or the type of error it raises."""
    adapter = url_map.bind("example.org", "/")
    try:
        return adapter.build(endpoint, values, method=method)
    except BuildError:
        return BuildError
    except (ValueError, TypeError) as exc:  # a converter's to_url refused the value
        return type(exc)


BUILD_VALUES = (
    "a",
    "b",
    "ab",
    "x y",
    "a/b",
    "é",
    "?#%",
    7,
    -3,
    1.5,
    uuid.UUID(UUID),
    None,
)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(data=st.data(), table=tables)
def test_build_like_werkzeug(data: st.DataObject, table: list[RuleSpec]) -> None:
    """Same URL as Werkzeug for an endpoint and values, or a ``BuildError`` from
    both (or the same error from a converter's ``to_url``)."""
    kolben_map = kolben_map_or_skip(table)
    werkzeug_map = make_map(werkzeug.routing, table)
    kolben_map.update()
    for _ in range(data.draw(st.integers(1, 5))):
        index = data.draw(st.integers(0, len(table)))  # len(table): unknown endpoint
        names = _VARIABLE.findall(table[index][0]) if index < len(table) else []
        keys = [name for _, name in names] + ["q"]
        values = data.draw(
            st.dictionaries(st.sampled_from(keys), st.sampled_from(BUILD_VALUES))
            if keys
            else st.just({})
        )
        method = data.draw(st.none() | st.sampled_from(REQUEST_METHODS))
        endpoint = f"e{index}"
        expected = build_outcome(werkzeug_map, endpoint, values, method)
        with watch_fallbacks() as fallbacks:
            actual = build_outcome(kolben_map, endpoint, values, method)
        assert actual == expected, (endpoint, values, method)
        if expected is not BuildError:  # BuildError is Werkzeug's to raise
            assert fallbacks.calls == [], (endpoint, values, method, expected)
