"""Whole requests in process, kolben against Flask, paired round by round.

Usage: ``python benches/wsgi_paired.py [ROUNDS]`` (default 41), from the
repository root. The app and requests are those of ``benches/bench_app.py``
(1,000 extra rules; hello, ``/user/<username>``, JSON, a 404). Every answer is
checked first. In each round every request is served by both frameworks, one
after the other, for at least 10 ms each; a ratio is the median over the rounds
of Flask's time over kolben's in the same round, so a busy spell of the machine
slows both sides of a ratio alike (pytest-benchmark, in ``report.py``, times
one framework after the other).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import flask

import kolben
from kolben.bench import paired_ratio
from kolben.bench.timing import time_probes

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_app import CASES, PEERS, Recorder, make_app, make_environ, serve  # noqa: E402

MIN_ROUND_NS = 10e6


def _checked_call(app: Any, case: str) -> tuple[Any, tuple[Any, ...]]:
    """The call that serves ``case`` on ``app``, after checking its answer."""
    path, status, body = CASES[case]
    environ, start_response = make_environ(path), Recorder()
    answer = serve(app, environ, start_response)
    if start_response.status != status or (status.startswith("200") and answer != body):
        raise SystemExit(f"{case}: wrong answer {start_response.status} {answer!r}")
    return serve, (app, environ, start_response)


def paired_requests(rounds: int) -> str:
    """A markdown table: each request's median µs per framework and kolben's
    paired ratio to Flask."""
    apps = {"flask": make_app(flask), "kolben": make_app(kolben)}
    probes = [
        ("app-1000", case, {peer: _checked_call(apps[peer], case) for peer in PEERS})
        for case in CASES
    ]
    lines = [
        "| request | Flask µs | kolben µs | kolben vs Flask |",
        "|---|---|---|---|",
    ]
    for timings in time_probes(probes, rounds, MIN_ROUND_NS):
        by_peer = {t.peer: t for t in timings}
        base, ours = by_peer["flask"], by_peer["kolben"]
        ratio = paired_ratio(base.round_ns, ours.round_ns)
        micros = f"{base.ns / 1e3:.1f} | {ours.ns / 1e3:.1f}"
        lines.append(f"| {ours.kind} | {micros} | {ratio:.1f}x |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(paired_requests(int(sys.argv[1]) if len(sys.argv) > 1 else 41))
