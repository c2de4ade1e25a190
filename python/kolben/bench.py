"""The routing benchmark behind ``kolben bench``: URL matching in kolben against
Werkzeug, and against Falcon and pymatchit when they are installed, same run.

Every peer is built from the same table of ``(method, rule)`` routes, with rules in
Werkzeug syntax. Werkzeug and kolben get one ``Rule`` per route (endpoint
``"METHOD rule"``); Falcon and pymatchit, which route paths but not methods, get one
route per distinct rule. Each probe (static, 1-param, 3-param or a miss) is routed
once by every peer and the answer checked; then the peers are timed in rounds,
interleaved round by round, and the median ns per call is reported with its ratio
to Werkzeug's. The pytest-benchmark suite in the source tree (``benches/``) uses
the same tables, routers and answer checks.

``--json`` writes an object with ``rounds``, ``min_round_seconds``, ``baseline``
(``"werkzeug"``), ``missing_peers`` (optional peers not installed), ``results``
(one object per table, kind and peer: ``table``, ``kind``, ``peer``, ``ns``, the
median ns per call, ``ratio``, the baseline's ns over the peer's, ``loops``, calls
per round, and ``round_ns``, ns per call in each round) and ``geometric_means``
(table -> peer -> geometric mean of the ratios over the kinds).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import itertools
import json
import math
import operator
import re
import statistics
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable

from werkzeug.exceptions import NotFound

SYNTHETIC_SIZES = (10, 100, 1_000, 10_000)
TABLE_NAMES = ("github", *(f"synthetic-{n}" for n in SYNTHETIC_SIZES))
KINDS = ("static", "1-param", "3-param", "miss")
MATCH_PEERS = ("werkzeug", "kolben", "kolben-native", "falcon", "pymatchit")
#: Peers whose package kolben does not depend on: peer -> module to import.
OPTIONAL_PEERS = {"falcon": "falcon", "pymatchit": "pymatchit"}
#: The peer the ratios are taken against.
BASELINE = "werkzeug"
#: The shortest timed round, in seconds: a call takes well under a microsecond,
#: and shorter rounds time the timer more than the router.
MIN_ROUND_SECONDS = 0.001

_PARAM = re.compile(r"<(?:[^:<>]+:)?(\w+)>")

Route = tuple[str, str]
#: A function and the arguments to call it with.
Call = tuple[Callable[..., Any], tuple[Any, ...]]
#: The labels of one row of a results table, e.g. ``(table, kind)``.
Row = tuple[str, ...]


@dataclass(frozen=True)
class Probe:
    """A request to route and the answer every peer must give."""

    kind: str
    path: str
    method: str = "GET"
    rule: str | None = None  # None: the path matches no rule
    values: dict[str, str] = field(default_factory=dict)

    @property
    def brace_rule(self) -> str | None:
        """The expected rule in Falcon's and matchit's syntax."""
        return None if self.rule is None else brace_rule(self.rule)

    @property
    def endpoint(self) -> str | None:
        """The Werkzeug/kolben endpoint of the expected rule."""
        return None if self.rule is None else endpoint_name(self.method, self.rule)


@dataclass(frozen=True)
class Table:
    """A named route table with one probe per kind."""

    name: str
    routes: tuple[Route, ...]
    probes: dict[str, Probe]


class WrongAnswer(Exception):
    """A peer routed a probe somewhere else than the probe expects."""


def endpoint_name(method: str, rule: str) -> str:
    """The endpoint a benchmark map gives the route ``method rule``."""
    return f"{method} {rule}"


def load_routes(filename: str) -> list[Route]:
    """Read ``METHOD RULE`` lines from ``kolben/bench_data``, skipping comments."""
    data = resources.files("kolben") / "bench_data" / filename
    routes = []
    for line in data.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            method, rule = line.split()
            routes.append((method, rule))
    return routes


def github_table() -> Table:
    """The GitHub API table of the classic HTTP router benchmarks (203 routes)."""
    probes = [
        Probe("static", "/user/repos", rule="/user/repos"),
        Probe(
            "1-param",
            "/users/julienschmidt/gists",
            rule="/users/<user>/gists",
            values={"user": "julienschmidt"},
        ),
        Probe(
            "3-param",
            "/repos/julienschmidt/httprouter/issues/42",
            rule="/repos/<owner>/<repo>/issues/<number>",
            values={"owner": "julienschmidt", "repo": "httprouter", "number": "42"},
        ),
        Probe("miss", "/repos/julienschmidt/httprouter/nope"),
    ]
    routes = tuple(load_routes("github_api.txt"))
    return Table("github", routes, {p.kind: p for p in probes})


def synthetic_table(size: int) -> Table:
    """A REST-like table of ``size`` routes: resources of four routes each.

    Resource ``j`` lives under ``/api/v{j // 25}/res{j}`` with a static list route, a
    1-param item route, a 3-param route and a POST-only edit route. The probes hit the
    last resource that has each shape, so a router that scans its rules pays in full.
    """
    shapes: list[tuple[str, str]] = [
        ("GET", "{base}"),
        ("GET", "{base}/<id>"),
        ("GET", "{base}/<id>/<repo>/items/<number>"),
        ("POST", "{base}/<id>/edit"),
    ]
    routes: list[Route] = []
    last: dict[int, tuple[int, str]] = {}
    for i in range(size):
        j, shape = divmod(i, len(shapes))
        method, template = shapes[shape]
        rule = template.format(base=f"/api/v{j // 25}/res{j}")
        routes.append((method, rule))
        last[shape] = (j, rule)

    def base(shape: int) -> str:
        j = last[shape][0]
        return f"/api/v{j // 25}/res{j}"

    probes = [
        Probe("static", base(0), rule=last[0][1]),
        Probe("1-param", f"{base(1)}/7", rule=last[1][1], values={"id": "7"}),
        Probe(
            "3-param",
            f"{base(2)}/7/kolben/items/42",
            rule=last[2][1],
            values={"id": "7", "repo": "kolben", "number": "42"},
        ),
        Probe("miss", f"{base(2)}/7/kolben/nope/42"),
    ]
    return Table(f"synthetic-{size}", tuple(routes), {p.kind: p for p in probes})


@functools.cache
def get_table(name: str) -> Table:
    """The table called ``name`` (one of :data:`TABLE_NAMES`)."""
    if name == "github":
        return github_table()
    return synthetic_table(int(name.removeprefix("synthetic-")))


def brace_rule(rule: str) -> str:
    """``/users/<user>`` in the ``{user}`` syntax of Falcon and matchit."""
    return _PARAM.sub(r"{\1}", rule)


def distinct_rules(routes: Iterable[Route]) -> list[str]:
    """The rules of ``routes`` in order, each once."""
    return list(dict.fromkeys(rule for _, rule in routes))


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
    from .routing import Map, Rule

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
    if peer in ("werkzeug", "kolben"):
        return probe.endpoint, probe.values
    if peer == "kolben-native":
        return probe.values
    return probe.brace_rule, probe.values


def _answer(peer: str, result: Any) -> Any:
    """The part of ``result`` that :func:`_expected` describes."""
    if peer == "kolben-native":
        return _native_values(result)
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


def _elapsed_ns(call: Call, loops: int) -> int:
    func, args = call
    start = time.perf_counter_ns()
    for _ in itertools.repeat(None, loops):
        func(*args)
    return time.perf_counter_ns() - start


def _calibrate(call: Call, min_ns: float) -> int:
    """The loop count (a power of two) that makes one round last ``min_ns``."""
    loops = 1
    while _elapsed_ns(call, loops) < max(min_ns, 1):
        loops *= 2
    return loops


@dataclass(frozen=True)
class Timing:
    """One peer's times on one probe."""

    table: str
    kind: str
    peer: str
    loops: int
    round_ns: tuple[float, ...]  # ns per call, one per round

    @property
    def ns(self) -> float:
        """The median ns per call."""
        return statistics.median(self.round_ns)


def _time_peers(
    table: str, kind: str, calls: Mapping[str, Call], rounds: int, min_ns: float
) -> list[Timing]:
    """Time the peers' calls on one probe, all peers in each round."""
    loops = {peer: _calibrate(call, min_ns) for peer, call in calls.items()}
    samples: dict[str, list[float]] = {peer: [] for peer in calls}
    for _ in range(rounds):
        for peer, call in calls.items():
            samples[peer].append(_elapsed_ns(call, loops[peer]) / loops[peer])
    return [
        Timing(table, kind, peer, loops[peer], tuple(samples[peer])) for peer in calls
    ]


def _cell(ns: float | None, baseline: float | None, is_baseline: bool) -> str:
    if ns is None:
        return "–"
    if is_baseline or baseline is None:
        return f"{ns:,.0f}"
    return f"{ns:,.0f} ({baseline / ns:.1f}x)"


def _markdown_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def geometric_means(
    medians: Mapping[Row, Mapping[str, float]], baseline: Callable[[Row], str]
) -> dict[Row, dict[str, float]]:
    """For each group of rows (all labels but the last) and peer, the geometric
    mean of the ratios baseline ns / peer ns; rows without their baseline peer
    are left out."""
    logs: dict[Row, dict[str, list[float]]] = {}
    for row, by_peer in medians.items():
        base = by_peer.get(baseline(row))
        if base is None:
            continue
        group = logs.setdefault(row[:-1], {})
        for peer, ns in by_peer.items():
            group.setdefault(peer, []).append(math.log(base / ns))
    return {
        group: {peer: math.exp(statistics.fmean(v)) for peer, v in by_peer.items()}
        for group, by_peer in logs.items()
    }


def markdown(
    medians: Mapping[Row, Mapping[str, float]],
    labels: Sequence[str],
    peers: Sequence[str],
    baseline: Callable[[Row], str],
) -> str:
    """``medians`` (ns per call, by row and peer) as a markdown table with the
    columns ``labels`` then ``peers``, rows in the given order, each cell
    ``ns (ratio)`` against the row's ``baseline`` peer; then a table of the
    :func:`geometric_means` of the ratios.
    """
    header = [*labels, *(f"{p} ns" for p in peers)]
    lines = [_markdown_row(header), "|" + "---|" * len(header)]
    for row, by_peer in medians.items():
        base_peer = baseline(row)
        base = by_peer.get(base_peer)
        cells = [_cell(by_peer.get(p), base, p == base_peer) for p in peers]
        lines.append(_markdown_row([*row, *cells]))
    lines += ["", _markdown_row([*labels[:-1], *peers])]
    lines.append("|" + "---|" * (len(labels) - 1 + len(peers)))
    for group, means in geometric_means(medians, baseline).items():
        cells = [f"{means[p]:.1f}x" if p in means else "–" for p in peers]
        label = f"{group[-1]} (geo. mean)"
        lines.append(_markdown_row([*group[:-1], label, *cells]))
    return "\n".join(lines)


def _baseline(row: Row) -> str:
    return BASELINE


@dataclass(frozen=True)
class BenchRun:
    """The timings of one run, with what it left out."""

    timings: tuple[Timing, ...]
    peers: tuple[str, ...]
    missing_peers: tuple[str, ...]
    rounds: int
    min_round_seconds: float

    def medians(self) -> dict[Row, dict[str, float]]:
        """Median ns per call by ``(table, kind)`` and peer, in the run's order."""
        medians: dict[Row, dict[str, float]] = {}
        for timing in self.timings:
            medians.setdefault((timing.table, timing.kind), {})[timing.peer] = timing.ns
        return medians

    def markdown(self) -> str:
        """The results as :func:`markdown` prints them, with a legend."""
        lines = [
            f"Median ns per match call over {self.rounds} round(s); (Nx) is"
            " Werkzeug's time over the peer's, same run.",
            "kolben: MapAdapter.match; kolben-native: the app's one-call fast path,"
            " router[environ].",
            "",
            markdown(self.medians(), ("table", "kind"), self.peers, _baseline),
        ]
        if self.missing_peers:
            lines += [
                "",
                f"Left out, not installed: {', '.join(self.missing_peers)}"
                " (pip install 'kolben[bench]').",
            ]
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        """The run as the module docstring describes ``--json``."""
        medians = self.medians()
        means = geometric_means(medians, _baseline)
        return {
            "rounds": self.rounds,
            "min_round_seconds": self.min_round_seconds,
            "baseline": BASELINE,
            "missing_peers": list(self.missing_peers),
            "results": [
                {
                    "table": t.table,
                    "kind": t.kind,
                    "peer": t.peer,
                    "ns": t.ns,
                    "ratio": medians[t.table, t.kind][BASELINE] / t.ns,
                    "loops": t.loops,
                    "round_ns": list(t.round_ns),
                }
                for t in self.timings
            ],
            "geometric_means": {group[0]: by_peer for group, by_peer in means.items()},
        }

    def write_json(self, path: str | Path) -> None:
        """Write :meth:`as_json` to ``path``."""
        text = json.dumps(self.as_json(), indent=2)
        Path(path).write_text(text + "\n", encoding="utf-8")


def measure(
    tables: Iterable[str] = ("github",),
    kinds: Iterable[str] = KINDS,
    rounds: int = 7,
    min_round_seconds: float = MIN_ROUND_SECONDS,
) -> BenchRun:
    """Check every installed peer's answer to each probe of ``kinds`` on each
    of ``tables``, then time them: ``rounds`` rounds of at least
    ``min_round_seconds``, the peers of one probe interleaved round by round.

    :raises WrongAnswer: a peer routed a probe wrongly (before any timing).
    """
    missing = missing_peers()
    peers = tuple(p for p in MATCH_PEERS if p not in missing)
    calls: dict[Row, dict[str, Call]] = {}
    for name in dict.fromkeys(tables):
        for kind in dict.fromkeys(kinds):
            probe = get_table(name).probes[kind]
            by_peer = calls[name, kind] = {}
            for peer in peers:
                func, args = by_peer[peer] = match_call(peer, name, probe)
                check_match(peer, probe, func(*args))
    min_ns = min_round_seconds * 1e9
    timings = [
        timing
        for (name, kind), by_peer in calls.items()
        for timing in _time_peers(name, kind, by_peer, rounds, min_ns)
    ]
    return BenchRun(tuple(timings), peers, tuple(missing), rounds, min_round_seconds)
