"""Routing benchmarks: kolben against Werkzeug, Falcon and pymatchit, same run.

Each benchmark routes one probe (static, 1-param, 3-param or a miss) through one
peer, on the GitHub API table and on synthetic tables of 10 to 10,000 routes. The
benchmark group is ``"<op> <table> <kind>"``, so pytest-benchmark prints the peers
of one group side by side; ``benches/report.py`` turns a run into ratios.

With ``--benchmark-disable`` (the default) every benchmark runs once as a test and
checks its answer. Werkzeug and kolben resolve the method too; Falcon and pymatchit
route the path only. A miss raises ``NotFound`` in the Werkzeug-compatible face,
so that case times the ``try``/``except`` a caller needs.
"""

from __future__ import annotations

import operator
from typing import Any, Callable

import pytest
from werkzeug.exceptions import NotFound

KINDS = ("static", "1-param", "3-param", "miss")
MATCH_PEERS = ("werkzeug", "kolben", "kolben-native", "falcon", "pymatchit")
BUILD_PEERS = ("werkzeug", "kolben")
BUILD_KINDS = tuple(kind for kind in KINDS if kind != "miss")

Call = tuple[Callable[..., Any], tuple[Any, ...]]


def native_call(url_map: Any, path: str, method: str) -> Call:
    """The app's fast path: one native call, ``router[environ]``, routing the
    WSGI environ a server hands the app (values converted, method resolved).

    This is the one place that knows the native router's call signature.
    """
    if url_map._remap:
        url_map.update()
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path}
    return operator.getitem, (url_map._matcher.router, environ)


def _native_values(result: Any) -> dict[str, Any] | None:
    """The converted values in a native result, ``None`` for a miss."""
    if isinstance(result, tuple):
        return next((item for item in result if isinstance(item, dict)), None)
    return None


def _match_or_none(adapter: Any, path: str, method: str) -> Any:
    try:
        return adapter.match(path, method)
    except NotFound:
        return None


def _map_call(url_map: Any, probe: Any) -> Call:
    adapter = url_map.bind("localhost")
    if probe.rule is None:
        return _match_or_none, (adapter, probe.path, probe.method)
    return adapter.match, (probe.path, probe.method)


def _match_call(tables: Any, peer: str, table_name: str, probe: Any) -> Call:
    if peer == "werkzeug":
        return _map_call(tables.werkzeug_map(table_name), probe)
    if peer == "kolben":
        return _map_call(tables.kolben_map(table_name), probe)
    if peer == "kolben-native":
        return native_call(tables.kolben_map(table_name), probe.path, probe.method)
    if peer == "falcon":
        pytest.importorskip("falcon")
        return tables.falcon_router(table_name).find, (probe.path,)
    pytest.importorskip("pymatchit")
    return tables.matchit_router(table_name).at, (probe.path,)


def _check_match(peer: str, probe: Any, result: Any) -> None:
    """Assert that ``result`` is ``peer``'s right answer to ``probe``."""
    if peer in ("werkzeug", "kolben"):
        expected = None if probe.rule is None else (probe.endpoint, probe.values)
        assert result == expected
    elif peer == "kolben-native":
        assert _native_values(result) == (None if probe.rule is None else probe.values)
    elif probe.rule is None:
        assert result is None
    elif peer == "falcon":
        assert (result[3], result[2]) == (probe.brace_rule, probe.values)
    else:
        assert result == (probe.brace_rule, probe.values)


@pytest.mark.parametrize("peer", MATCH_PEERS)
@pytest.mark.parametrize("kind", KINDS)
def test_match(
    benchmark: Any, tables: Any, table_name: str, kind: str, peer: str
) -> None:
    """Route one probe through one peer."""
    probe = tables.table(table_name).probes[kind]
    func, args = _match_call(tables, peer, table_name, probe)
    benchmark.group = f"match {table_name} {kind}"
    benchmark.extra_info.update(op="match", table=table_name, kind=kind, peer=peer)
    result = benchmark(func, *args)
    _check_match(peer, probe, result)


@pytest.mark.parametrize("peer", BUILD_PEERS)
@pytest.mark.parametrize("kind", BUILD_KINDS)
def test_build(
    benchmark: Any, tables: Any, table_name: str, kind: str, peer: str
) -> None:
    """Build the URL of one probe's rule from its values."""
    probe = tables.table(table_name).probes[kind]
    make_map = tables.werkzeug_map if peer == "werkzeug" else tables.kolben_map
    url_map = make_map(table_name)
    adapter = url_map.bind("localhost")
    benchmark.group = f"build {table_name} {kind}"
    benchmark.extra_info.update(op="build", table=table_name, kind=kind, peer=peer)
    result = benchmark(adapter.build, probe.endpoint, probe.values, probe.method)
    assert result == probe.path


def test_table_routes_are_distinct(tables: Any, table_name: str) -> None:
    """No route appears twice, and every probe's rule is in its table."""
    routes = tables.table(table_name).routes
    assert len(set(routes)) == len(routes)
    for probe in tables.table(table_name).probes.values():
        assert probe.rule is None or (probe.method, probe.rule) in routes


def test_github_table_size(tables: Any) -> None:
    """The GitHub table is the classic benchmarks' 203 routes."""
    assert len(tables.table("github").routes) == 203
