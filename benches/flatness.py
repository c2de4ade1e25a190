"""Time kolben's fast path on every route table in one run and print each table's
time against the 10-rule table's: does routing stay flat as the table grows?

Usage: ``python benches/flatness.py [ROUNDS]``. Every answer is checked first
(:class:`kolben.bench.WrongAnswer` if one is wrong). The tables are timed round by
round, interleaved, and each ratio is the median over the rounds of the table's
time over the 10-rule table's in the same round, so a busy spell of the machine
slows both sides of a ratio alike.
"""

from __future__ import annotations

import sys

from kolben import bench
from kolben.bench.timing import time_interleaved

PEER = "kolben-native"
BASE_TABLE = "synthetic-10"


def flatness(rounds: int) -> str:
    """Check and time the fast path on every table: a markdown table of each
    kind, then each table's median ns and its ratio to :data:`BASE_TABLE`'s."""
    tables = [BASE_TABLE, *(t for t in bench.TABLE_NAMES if t != BASE_TABLE)]
    lines = [
        "| kind | " + " | ".join(f"{t} ns" for t in tables) + " |",
        "|---|" + "---|" * len(tables),
    ]
    for kind in bench.KINDS:
        calls: dict[str, bench.Call] = {}
        for t in tables:
            probe = bench.get_table(t).probes[kind]
            func, args = calls[t] = bench.match_call(PEER, t, probe)
            bench.check_match(PEER, probe, func(*args))
        # Timings are labelled by table here, where a run labels them by peer.
        min_ns = bench.MIN_ROUND_SECONDS * 1e9
        timings = time_interleaved(PEER, kind, calls, rounds, min_ns)
        base = timings[0].round_ns
        cells = [
            f"{t.ns:,.0f} ({bench.paired_ratio(t.round_ns, base):.2f}x)"
            for t in timings
        ]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(flatness(int(sys.argv[1]) if len(sys.argv) > 1 else 61))
