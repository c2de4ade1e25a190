"""The peers: each one's router for a table (Werkzeug, kolben, Falcon, pymatchit),
the one call that routes a probe through it, and the check of its answer; for
Werkzeug and kolben also the call that builds a probe's URL, and its check.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
from collections.abc import Iterable
from typing import Any, Callable

from werkzeug.exceptions import NotFound

from .tables import Probe, Route, brace_rule, distinct_rules, endpoint_name, get_table

MATCH_PEERS = ("werkzeug", "kolben", "kolben-native", "falcon", "pymatchit")
#: The peers that build URLs (``MapAdapter.build``).
BUILD_PEERS = ("werkzeug", "kolben")
#: Peers whose package kolben does not depend on: peer -> module to import.
OPTIONAL_PEERS = {"falcon": "falcon", "pymatchit": "pymatchit"}

#: A function and the arguments to call it with.
Call = tuple[Callable[..., Any], tuple[Any, ...]]


class WrongAnswer(Exception):
    """A peer routed a probe somewhere else than the probe expects."""


def build_map(
    map_class: type[Any], rule_class: type[Any], routes: Iterable[Route]
) -> Any:
    """A Werkzeug-style map with one rule per route."""
    return map_class(
        [
            rule_class(rule, endpoint=endpoint_name(method, rule), methods=[method])
            for method, rule in routes
        ]
    )


@functools.cache
def werkzeug_map(name: str) -> Any:
    """Werkzeug's ``Map`` for table ``name``, compiled."""
    from werkzeug.routing import Map, Rule

    return _compiled(build_map(Map, Rule, get_table(name).routes))


@functools.cache
def kolben_map(name: str) -> Any:
    """kolben's ``Map`` for table ``name``, compiled."""
    from ..routing import Map, Rule

    return _compiled(build_map(Map, Rule, get_table(name).routes))


def _compiled(url_map: Any) -> Any:
    # Both maps compile lazily on the first match; pay for it outside the timing.
    url_map.update()
    return url_map


class _FalconResource:
    """A Falcon resource that answers every method the tables use."""

    def on_get(self, req: Any, resp: Any) -> None: ...

    def on_post(self, req: Any, resp: Any) -> None: ...

    def on_put(self, req: Any, resp: Any) -> None: ...

    def on_delete(self, req: Any, resp: Any) -> None: ...


@functools.cache
def falcon_router(name: str) -> Any:
    """Falcon's ``CompiledRouter`` for table ``name``, compiled."""
    router = importlib.import_module("falcon.routing").CompiledRouter()
    for rule in distinct_rules(get_table(name).routes):
        router.add_route(brace_rule(rule), _FalconResource())
    router.find("/")  # compiles the router
    return router


@functools.cache
def matchit_router(name: str) -> Any:
    """pymatchit's ``PyRouter`` for table ``name``; each route's value is its rule."""
    router = importlib.import_module("pymatchit").PyRouter()
    for rule in distinct_rules(get_table(name).routes):
        template = brace_rule(rule)
        router.insert(template, template)
    return router


def missing_peers() -> list[str]:
    """The optional peers whose package is not installed."""
    return [
        peer
        for peer, module in OPTIONAL_PEERS.items()
        if importlib.util.find_spec(module) is None
    ]


def native_call(url_map: Any, path: str, method: str) -> Call:
    """The app's fast path: one native call, ``router.route(request.path,
    request.method, request.environ)``, routing the path and method a request
    has read from the WSGI environ (values converted, method resolved).

    This is the one place that knows the native router's call signature.
    """
    if url_map._remap:
        url_map.update()
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path}
    return url_map._matcher.router.route, (path, method, environ)


def _native_answer(result: Any) -> Any:
    """The endpoint of the rule a native result names and its converted
    values; ``None`` for a miss; anything else (the allowed methods of a 405)
    as it came."""
    if type(result) is tuple and len(result) == 2:
        rule, values = result
        return getattr(rule, "endpoint", rule), values
    return result


def _match_or_none(adapter: Any, path: str, method: str) -> Any:
    try:
        return adapter.match(path, method)
    except NotFound:
        return None


def _map_call(url_map: Any, probe: Probe) -> Call:
    adapter = url_map.bind("localhost")
    if probe.rule is None:
        return _match_or_none, (adapter, probe.path, probe.method)
    return adapter.match, (probe.path, probe.method)


def match_call(peer: str, table_name: str, probe: Probe) -> Call:
    """The call that routes ``probe`` through ``peer``'s router for the table.

    A miss raises ``NotFound`` in the Werkzeug-compatible face, so that call
    includes the ``try``/``except`` a caller needs.
    """
    if peer == "werkzeug":
        return _map_call(werkzeug_map(table_name), probe)
    if peer == "kolben":
        return _map_call(kolben_map(table_name), probe)
    if peer == "kolben-native":
        return native_call(kolben_map(table_name), probe.path, probe.method)
    if peer == "falcon":
        return falcon_router(table_name).find, (probe.path,)
    return matchit_router(table_name).at, (probe.path,)


def _expected(peer: str, probe: Probe) -> Any:
    if probe.rule is None:
        return None
    if peer in ("werkzeug", "kolben", "kolben-native"):
        return probe.endpoint, probe.values
    return probe.brace_rule, probe.values


def _answer(peer: str, result: Any) -> Any:
    """The part of ``result`` that :func:`_expected` describes."""
    if peer == "kolben-native":
        return _native_answer(result)
    if peer == "falcon" and result is not None:
        return result[3], result[2]  # the rule and the values
    return result


def check_match(peer: str, probe: Probe, result: Any) -> None:
    """Check that ``result`` is ``peer``'s right answer to ``probe``.

    :raises WrongAnswer: it is not.
    """
    answer, expected = _answer(peer, result), _expected(peer, probe)
    if answer != expected:
        raise WrongAnswer(
            f"{peer} routed {probe.method} {probe.path} ({probe.kind} probe) to"
            f" {answer!r}; expected {expected!r}."
        )


def build_call(peer: str, table_name: str, probe: Probe) -> Call:
    """The call that builds the URL of ``probe``'s rule from its endpoint and
    values through ``peer``'s ``MapAdapter.build`` (a probe with a rule)."""
    url_map = werkzeug_map(table_name) if peer == "werkzeug" else kolben_map(table_name)
    adapter = url_map.bind("localhost")
    return adapter.build, (probe.endpoint, probe.values, probe.method)


def check_build(peer: str, probe: Probe, result: Any) -> None:
    """Check that ``result`` is the URL ``peer`` should build for ``probe``.

    :raises WrongAnswer: it is not.
    """
    if result != probe.path:
        raise WrongAnswer(
            f"{peer} built {probe.endpoint} with {probe.values!r} ({probe.kind}"
            f" probe) as {result!r}; expected {probe.path!r}."
        )
