"""Routing benchmarks: kolben against Werkzeug, Falcon and pymatchit, same run.

Each benchmark routes one probe (static, 1-param, 3-param or a miss) through one
peer, on the GitHub API table and on synthetic tables of 10 to 10,000 routes. The
benchmark group is ``"<op> <table> <kind>"``, so pytest-benchmark prints the peers
of one group side by side; ``benches/report.py`` turns a run into ratios. The
tables, routers and answer checks are :mod:`kolben.bench`'s (``kolben bench``).

With ``--benchmark-disable`` (the default) every benchmark runs once as a test and
checks its answer. Werkzeug and kolben resolve the method too; Falcon and pymatchit
route the path only. A miss raises ``NotFound`` in the Werkzeug-compatible face,
so that case times the ``try``/``except`` a caller needs.
"""

from __future__ import annotations

from typing import Any

import pytest

from kolben.bench import (
    BUILD_PEERS,
    KINDS,
    MATCH_PEERS,
    OPTIONAL_PEERS,
    build_call,
    check_build,
    check_match,
    match_call,
)

BUILD_KINDS = tuple(kind for kind in KINDS if kind != "miss")


@pytest.mark.parametrize("peer", MATCH_PEERS)
@pytest.mark.parametrize("kind", KINDS)
def test_match(
    benchmark: Any, tables: Any, table_name: str, kind: str, peer: str
) -> None:
    """Route one probe through one peer."""
    if peer in OPTIONAL_PEERS:
        pytest.importorskip(OPTIONAL_PEERS[peer])
    probe = tables.table(table_name).probes[kind]
    func, args = match_call(peer, table_name, probe)
    benchmark.group = f"match {table_name} {kind}"
    benchmark.extra_info.update(op="match", table=table_name, kind=kind, peer=peer)
    result = benchmark(func, *args)
    check_match(peer, probe, result)


@pytest.mark.parametrize("peer", BUILD_PEERS)
@pytest.mark.parametrize("kind", BUILD_KINDS)
def test_build(
    benchmark: Any, tables: Any, table_name: str, kind: str, peer: str
) -> None:
    """Build the URL of one probe's rule from its values."""
    probe = tables.table(table_name).probes[kind]
    func, args = build_call(peer, table_name, probe)
    benchmark.group = f"build {table_name} {kind}"
    benchmark.extra_info.update(op="build", table=table_name, kind=kind, peer=peer)
    result = benchmark(func, *args)
    check_build(peer, probe, result)


def test_table_routes_are_distinct(tables: Any, table_name: str) -> None:
    """No route appears twice, and every probe's rule is in its table."""
    routes = tables.table(table_name).routes
    assert len(set(routes)) == len(routes)
    for probe in tables.table(table_name).probes.values():
        assert probe.rule is None or (probe.method, probe.rule) in routes


def test_github_table_size(tables: Any) -> None:
    """The GitHub table is the classic benchmarks' 203 routes."""
    assert len(tables.table("github").routes) == 203
