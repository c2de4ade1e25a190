"""The timing loop: each peer's call calibrated to a round of at least
``min_round_seconds``, the peers of one probe timed round by round, and
:func:`measure`, which checks the answers, times a whole run and returns its
:class:`BenchRun`. A run reports how far it is through a :data:`Progress`
callback.
"""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Callable

from .peers import (
    BUILD_PEERS,
    MATCH_PEERS,
    Call,
    build_call,
    check_build,
    check_match,
    match_call,
    missing_peers,
)
from .tables import KINDS, get_table

#: What a run can time: routing a probe, or building the URL of its rule.
OPS = ("match", "build")

#: The shortest timed round, in seconds: a call takes well under a microsecond,
#: and shorter rounds time the timer more than the router.
MIN_ROUND_SECONDS = 0.001

#: Told ``(done, total)`` as a run goes: rounds timed so far, out of all the
#: run's rounds (one round of one probe, every peer once).
Progress = Callable[[int, int], None]


def no_progress(done: int, total: int) -> None:
    """The :data:`Progress` of a run nobody watches."""


def paired_ratio(over: Sequence[float], under: Sequence[float]) -> float:
    """The median over the rounds of the time in ``over`` divided by the time
    in ``under`` of the same round, so a spell of a busy machine that slows one
    round slows both sides of its ratio."""
    return statistics.median([o / u for o, u in zip(over, under)])


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


def time_interleaved(
    table: str,
    kind: str,
    calls: Mapping[str, Call],
    rounds: int,
    min_ns: float,
    on_round: Callable[[], None] | None = None,
) -> list[Timing]:
    """Time the calls (by peer, or any label) on one probe, each calibrated to
    rounds of at least ``min_ns``, every call once in each round; ``on_round``
    is called after each round."""
    loops = {peer: _calibrate(call, min_ns) for peer, call in calls.items()}
    samples: dict[str, list[float]] = {peer: [] for peer in calls}
    for _ in range(rounds):
        for peer, call in calls.items():
            samples[peer].append(_elapsed_ns(call, loops[peer]) / loops[peer])
        if on_round is not None:
            on_round()
    return [
        Timing(table, kind, peer, loops[peer], tuple(samples[peer])) for peer in calls
    ]


class RoundCounter:
    """Counts a run's rounds and tells :data:`Progress` after each one."""

    def __init__(self, total: int, progress: Progress) -> None:
        self.done = 0
        self.total = total
        self._progress = progress
        progress(0, total)

    def advance(self) -> None:
        """One more round is done."""
        self.done += 1
        self._progress(self.done, self.total)


@dataclass(frozen=True)
class BenchRun:
    """The timings of one run, with what it left out."""

    timings: tuple[Timing, ...]
    peers: tuple[str, ...]
    missing_peers: tuple[str, ...]
    rounds: int
    min_round_seconds: float
    op: str = "match"


def measure(
    tables: Iterable[str] = ("github",),
    kinds: Iterable[str] = KINDS,
    rounds: int = 7,
    min_round_seconds: float = MIN_ROUND_SECONDS,
    op: str = "match",
    progress: Progress = no_progress,
) -> BenchRun:
    """Check every installed peer's answer to each probe of ``kinds`` on each
    of ``tables``, then time them: ``rounds`` rounds of at least
    ``min_round_seconds``, the peers of one probe interleaved round by round.

    ``op`` is ``"match"`` (route the probe) or ``"build"`` (build the URL of its
    rule, with Werkzeug and kolben; a miss has no rule and is left out).
    ``progress`` is told how many rounds are done as they are.

    :raises WrongAnswer: a peer answered a probe wrongly (before any timing).
    """
    if op == "match":
        missing = missing_peers()
        peers = tuple(p for p in MATCH_PEERS if p not in missing)
        make_call, check = match_call, check_match
    elif op == "build":
        missing, peers = [], BUILD_PEERS
        make_call, check = build_call, check_build
    else:
        raise ValueError(f"unknown op {op!r}; expected one of {OPS}")
    calls: dict[tuple[str, str], dict[str, Call]] = {}
    for name in dict.fromkeys(tables):
        for kind in dict.fromkeys(kinds):
            probe = get_table(name).probes[kind]
            if op == "build" and probe.rule is None:
                continue
            by_peer = calls[name, kind] = {}
            for peer in peers:
                func, args = by_peer[peer] = make_call(peer, name, probe)
                check(peer, probe, func(*args))
    min_ns = min_round_seconds * 1e9
    counter = RoundCounter(len(calls) * rounds, progress)
    timings = [
        timing
        for (name, kind), by_peer in calls.items()
        for timing in time_interleaved(
            name, kind, by_peer, rounds, min_ns, counter.advance
        )
    ]
    return BenchRun(
        tuple(timings), peers, tuple(missing), rounds, min_round_seconds, op
    )
