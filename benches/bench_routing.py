"""Routing benchmarks: kolben against Werkzeug, Falcon and pymatchit, same run.

Each benchmark routes one probe (static, 1-param, 3-param or a miss) through one
peer, on the GitHub API table and on synthetic tables of 10 to 10,000 routes. The
benchmark group is ``"<op> <table> <kind>"``, so pytest-benchmark prints the peers
of one group side by side; ``benches/report.py`` turns a run into ratios. The
tables, routers and answer checks are :mod:`kolben.bench`'s (``kolben bench``).

Before the first benchmark here is timed, the answer of every selected one is
checked against its probe's expected answer (:func:`kolben.bench.check_match`,
:func:`kolben.bench.check_build`, as ``kolben bench`` checks before it times): a
wrong one fails every timed benchmark here with a
:class:`~kolben.bench.WrongAnswer` naming each wrong answer, and nothing is
timed. With ``--benchmark-disable`` (the default) every benchmark then runs once
as a test. Werkzeug and kolben resolve the method too; Falcon and pymatchit
route the path only. A miss raises ``NotFound`` in the Werkzeug-compatible face,
so that case times the ``try``/``except`` a caller needs.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest

from kolben.bench import (
    BUILD_PEERS,
    KINDS,
    MATCH_PEERS,
    OPTIONAL_PEERS,
    WrongAnswer,
    build_call,
    check_build,
    check_match,
    get_table,
    match_call,
)

BUILD_KINDS = tuple(kind for kind in KINDS if kind != "miss")

#: The timed tests: name -> (the call a peer makes, the check of its answer).
_OPS = {
    "test_match": (match_call, check_match),
    "test_build": (build_call, check_build),
}


@pytest.fixture(scope="module")
def checked(request: pytest.FixtureRequest) -> None:
    """Check the answer of every benchmark of this module that the run selected,
    before the first is timed.

    :raises WrongAnswer: some answer is wrong; the message names each one.
    """
    wrong = []
    for item in request.session.items:
        if not isinstance(item, pytest.Function) or item.module is not request.module:
            continue
        if item.originalname not in _OPS:
            continue
        params = item.callspec.params
        peer, table_name, kind = (
            str(params[k]) for k in ("peer", "table_name", "kind")
        )
        module = OPTIONAL_PEERS.get(peer)
        if module is not None and importlib.util.find_spec(module) is None:
            continue  # skipped by the test
        probe = get_table(table_name).probes[kind]
        make_call, check = _OPS[item.originalname]
        func, args = make_call(peer, table_name, probe)
        try:
            check(peer, probe, func(*args))
        except WrongAnswer as error:
            wrong.append(f"{table_name}: {error}")
    if wrong:
        raise WrongAnswer("wrong answers, nothing timed:\n" + "\n".join(wrong))


@pytest.mark.parametrize("peer", MATCH_PEERS)
@pytest.mark.parametrize("kind", KINDS)
def test_match(
    benchmark: Any, checked: None, tables: Any, table_name: str, kind: str, peer: str
) -> None:
    """Route one probe through one peer (its answer checked in ``checked``)."""
    if peer in OPTIONAL_PEERS:
        pytest.importorskip(OPTIONAL_PEERS[peer])
    probe = tables.table(table_name).probes[kind]
    func, args = match_call(peer, table_name, probe)
    benchmark.group = f"match {table_name} {kind}"
    benchmark.extra_info.update(op="match", table=table_name, kind=kind, peer=peer)
    benchmark(func, *args)


@pytest.mark.parametrize("peer", BUILD_PEERS)
@pytest.mark.parametrize("kind", BUILD_KINDS)
def test_build(
    benchmark: Any, checked: None, tables: Any, table_name: str, kind: str, peer: str
) -> None:
    """Build the URL of one probe's rule from its values (its answer checked in
    ``checked``)."""
    probe = tables.table(table_name).probes[kind]
    func, args = build_call(peer, table_name, probe)
    benchmark.group = f"build {table_name} {kind}"
    benchmark.extra_info.update(op="build", table=table_name, kind=kind, peer=peer)
    benchmark(func, *args)


def test_table_routes_are_distinct(tables: Any, table_name: str) -> None:
    """No route appears twice, and every probe's rule is in its table."""
    routes = tables.table(table_name).routes
    assert len(set(routes)) == len(routes)
    for probe in tables.table(table_name).probes.values():
        assert probe.rule is None or (probe.method, probe.rule) in routes


def test_github_table_size(tables: Any) -> None:
    """The GitHub table is the classic benchmarks' 203 routes."""
    assert len(tables.table("github").routes) == 203
