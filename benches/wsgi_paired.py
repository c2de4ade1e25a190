"""Whole requests in process, kolben against Flask, paired round by round.

Usage: ``python benches/wsgi_paired.py [ROUNDS]`` (default 41), from the
repository root. The app and requests are those of ``benches/bench_app.py``
(1,000 extra rules; hello, ``/user/<username>``, JSON, a 404). Every answer
(status, ``Content-Type`` and body, the 404 page included) is checked first,
by ``bench_app.check_answers``. In each round every request is served by both
frameworks, one after the other, for at least 10 ms each; a ratio is the
median over the rounds of Flask's time over kolben's in the same round, so a
busy spell of the machine slows both sides of a ratio alike (pytest-benchmark,
in ``report.py``, times one framework after the other).
"""

from __future__ import annotations

import sys
from pathlib import Path

import flask

import kolben
from kolben.bench import paired_ratio
from kolben.bench.timing import time_probes

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_app import (  # noqa: E402
    CASES,
    PEERS,
    Recorder,
    check_answers,
    make_app,
    make_environ,
    serve,
)

MIN_ROUND_NS = 10e6


def paired_requests(rounds: int) -> str:
    """A markdown table: each request's median µs per framework and kolben's
    paired ratio to Flask."""
    apps = {"flask": make_app(flask), "kolben": make_app(kolben)}
    check_answers(apps)
    probes = [
        (
            "app-1000",
            case,
            {
                peer: (serve, (apps[peer], make_environ(CASES[case][0]), Recorder()))
                for peer in PEERS
            },
        )
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
