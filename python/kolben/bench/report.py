"""Formatting results: a markdown table of ns per call with each peer's ratio to
the row's baseline peer (of the medians, or paired round by round for a run), the
geometric means of the ratios, and a :class:`~kolben.bench.timing.BenchRun` or an
:class:`~kolben.bench.app.AppRun` as markdown or as ``--json``.
"""

from __future__ import annotations

import json
import math
import statistics
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Callable

from .app import AppRun
from .timing import BenchRun, Timing, paired_ratio

#: The peer the ratios are taken against.
BASELINE = "werkzeug"

#: The labels of one row of a results table, e.g. ``(table, kind)``.
Row = tuple[str, ...]


def _cell(ns: float | None, ratio: float | None, is_baseline: bool) -> str:
    if ns is None:
        return "–"
    if is_baseline or ratio is None:
        return f"{ns:,.0f}"
    return f"{ns:,.0f} ({ratio:.1f}x)"


def _markdown_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def median_ratios(
    medians: Mapping[Row, Mapping[str, float]], baseline: Callable[[Row], str]
) -> dict[Row, dict[str, float]]:
    """Each peer's ratio baseline ns / peer ns, from the medians; rows without
    their baseline peer are left out."""
    ratios: dict[Row, dict[str, float]] = {}
    for row, by_peer in medians.items():
        base = by_peer.get(baseline(row))
        if base is not None:
            ratios[row] = {peer: base / ns for peer, ns in by_peer.items()}
    return ratios


def geometric_means(
    ratios: Mapping[Row, Mapping[str, float]],
) -> dict[Row, dict[str, float]]:
    """For each group of rows (all labels but the last) and peer, the geometric
    mean of the peer's ratios."""
    logs: dict[Row, dict[str, list[float]]] = {}
    for row, by_peer in ratios.items():
        group = logs.setdefault(row[:-1], {})
        for peer, ratio in by_peer.items():
            group.setdefault(peer, []).append(math.log(ratio))
    return {
        group: {peer: math.exp(statistics.fmean(v)) for peer, v in by_peer.items()}
        for group, by_peer in logs.items()
    }


def markdown(
    medians: Mapping[Row, Mapping[str, float]],
    labels: Sequence[str],
    peers: Sequence[str],
    baseline: Callable[[Row], str],
    ratios: Mapping[Row, Mapping[str, float]] | None = None,
) -> str:
    """``medians`` (ns per call, by row and peer) as a markdown table with the
    columns ``labels`` then ``peers``, rows in the given order, each cell
    ``ns (ratio)`` against the row's ``baseline`` peer; then a table of the
    :func:`geometric_means` of the ratios. ``ratios`` default to
    :func:`median_ratios`.
    """
    if ratios is None:
        ratios = median_ratios(medians, baseline)
    header = [*labels, *(f"{p} ns" for p in peers)]
    lines = [_markdown_row(header), "|" + "---|" * len(header)]
    for row, by_peer in medians.items():
        row_ratios = ratios.get(row, {})
        cells = [
            _cell(by_peer.get(p), row_ratios.get(p), p == baseline(row)) for p in peers
        ]
        lines.append(_markdown_row([*row, *cells]))
    lines += ["", _markdown_row([*labels[:-1], *peers])]
    lines.append("|" + "---|" * (len(labels) - 1 + len(peers)))
    for group, means in geometric_means(ratios).items():
        cells = [f"{means[p]:.1f}x" if p in means else "–" for p in peers]
        label = f"{group[-1]} (geo. mean)"
        lines.append(_markdown_row([*group[:-1], label, *cells]))
    return "\n".join(lines)


def _baseline(row: Row) -> str:
    return BASELINE


def _timings_by_row(run: BenchRun) -> dict[Row, dict[str, Timing]]:
    """The run's timings by ``(table, kind)`` and peer, in the run's order."""
    rows: dict[Row, dict[str, Timing]] = {}
    for timing in run.timings:
        rows.setdefault((timing.table, timing.kind), {})[timing.peer] = timing
    return rows


def run_medians(run: BenchRun) -> dict[Row, dict[str, float]]:
    """Median ns per call by ``(table, kind)`` and peer, in the run's order."""
    return {
        row: {peer: t.ns for peer, t in by_peer.items()}
        for row, by_peer in _timings_by_row(run).items()
    }


def run_ratios(run: BenchRun) -> dict[Row, dict[str, float]]:
    """Each peer's :func:`paired_ratio` to the baseline by ``(table, kind)``."""
    return {
        row: {
            peer: paired_ratio(by_peer[BASELINE].round_ns, t.round_ns)
            for peer, t in by_peer.items()
        }
        for row, by_peer in _timings_by_row(run).items()
    }


_LEGENDS = {
    "match": "kolben: MapAdapter.match; kolben-native: the app's one-call fast path,"
    " router.route(path, method, environ).",
    "build": "MapAdapter.build(endpoint, values, method) for each probe's rule.",
}


def run_markdown(run: BenchRun) -> str:
    """The results as :func:`markdown` prints them, with a legend."""
    lines = [
        f"Median ns per {run.op} call over {run.rounds} round(s); (Nx) is the"
        " median over the rounds of Werkzeug's time over the peer's in that round.",
        _LEGENDS[run.op],
        "",
        markdown(
            run_medians(run), ("table", "kind"), run.peers, _baseline, run_ratios(run)
        ),
    ]
    if run.missing_peers:
        lines += [
            "",
            f"Left out, not installed: {', '.join(run.missing_peers)}"
            " (pip install 'kolben[bench]').",
        ]
    return "\n".join(lines)


def run_json(run: BenchRun) -> dict[str, Any]:
    """The run as the :mod:`kolben.bench` docstring describes ``--json``."""
    ratios = run_ratios(run)
    means = geometric_means(ratios)
    return {
        "op": run.op,
        "rounds": run.rounds,
        "min_round_seconds": run.min_round_seconds,
        "baseline": BASELINE,
        "missing_peers": list(run.missing_peers),
        "results": [
            {
                "table": t.table,
                "kind": t.kind,
                "peer": t.peer,
                "ns": t.ns,
                "ratio": ratios[t.table, t.kind][t.peer],
                "loops": t.loops,
                "round_ns": list(t.round_ns),
            }
            for t in run.timings
        ],
        "geometric_means": {group[0]: by_peer for group, by_peer in means.items()},
    }


def write_json(run: BenchRun, path: str | Path) -> None:
    """Write :func:`run_json` to ``path`` (``-``: stdout)."""
    dump_json(run_json(run), path)


def _escaped(text: str) -> str:
    return text.replace("|", "\\|")


def _app_cells(row: Mapping[str, float]) -> list[str]:
    werkzeug, kolben = row["werkzeug"], row["kolben"]
    return [_cell(werkzeug, None, True), _cell(kolben, row["ratio"], False)]


def app_markdown(run: AppRun) -> str:
    """An app run as ``kolben bench --app`` prints it: the rules and probes,
    a table by rule kind, the slowest rules, and the rules left out."""
    plan = run.plan
    probes = len(plan.probes)
    lines = [
        f"App {plan.name!r}: {plan.rules} rules, {probes} probed (one URL each);"
        " kolben and Werkzeug give the same answer to every probe.",
        f"Median ns per match over {run.rounds} round(s); a kind's row is the median"
        " over its rules; (Nx) is Werkzeug's time over kolben's, paired round by"
        " round.",
    ]
    if probes:
        lines += ["", "| kind | rules | werkzeug ns | kolben ns |", "|---|---|---|---|"]
        groups = {**run.by_kind(), "all": list(range(probes))}
        for kind, indexes in groups.items():
            cells = _app_cells(run.summary(indexes))
            lines.append(_markdown_row([kind, str(len(indexes)), *cells]))
        slowest = run.slowest()
        heading = (
            f"The {len(slowest)} slowest rules under kolben:"
            if len(slowest) < probes
            else "Every rule, slowest under kolben first:"
        )
        lines += [
            "",
            heading,
            "",
            "| rule | probe | kind | werkzeug ns | kolben ns |",
            "|---|---|---|---|---|",
        ]
        for index in slowest:
            probe = plan.probes[index]
            row = run.summary([index])
            where = f"{probe.method} {probe.domain}{probe.path}"
            lines.append(
                _markdown_row(
                    [_escaped(probe.rule), _escaped(where), probe.kind]
                    + _app_cells(row)
                )
            )
    if plan.unmade:
        lines += ["", f"No URL made for {len(plan.unmade)} rule(s), not timed:"]
        lines += [f"- {unmade.rule}: {unmade.reason}" for unmade in plan.unmade]
    if plan.build_only:
        lines += ["", f"Build-only, not routed: {', '.join(plan.build_only)}."]
    return "\n".join(lines)


def app_json(run: AppRun) -> dict[str, Any]:
    """An app run as the :mod:`kolben.bench` docstring describes ``--json``."""
    plan = run.plan
    groups = {**run.by_kind(), "all": list(range(len(plan.probes)))}
    return {
        "app": plan.name,
        "rounds": run.rounds,
        "min_round_seconds": run.min_round_seconds,
        "baseline": BASELINE,
        "rules": plan.rules,
        "probes": len(plan.probes),
        "kinds": {
            kind: {"rules": len(indexes), **run.summary(indexes)}
            for kind, indexes in groups.items()
            if indexes
        },
        "slowest": [plan.probes[index].rule for index in run.slowest()],
        "results": [
            {
                "rule": probe.rule,
                "kind": probe.kind,
                "method": probe.method,
                "path": probe.path,
                "domain": probe.domain,
                "ratio": run.ratio(index),
                "timings": {
                    peer: {"ns": t.ns, "loops": t.loops, "round_ns": list(t.round_ns)}
                    for peer, t in run.timings[index].items()
                },
            }
            for index, probe in enumerate(plan.probes)
        ],
        "unmade": [{"rule": u.rule, "reason": u.reason} for u in plan.unmade],
        "build_only": list(plan.build_only),
    }


def dump_json(data: Mapping[str, Any], path: str | Path) -> None:
    """Write ``data`` as indented JSON to ``path``, or to stdout for ``-``."""
    text = json.dumps(data, indent=2) + "\n"
    if str(path) == "-":
        sys.stdout.write(text)
    else:
        Path(path).write_text(text, encoding="utf-8")
