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
#: run's rounds (one round of one probe: every peer once).
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


#: A probe to time: its table (or app) and kind, and its calls by peer.
ProbeCalls = tuple[str, str, Mapping[str, Call]]


def time_probes(
    probes: Sequence[ProbeCalls],
    rounds: int,
    min_ns: float,
    on_round: Callable[[], None] | None = None,
) -> list[list[Timing]]:
    """Time each probe's calls, each calibrated to rounds of at least
    ``min_ns``: in every round, every probe once, its peers one after the
    other. A spell of a busy machine that lasts seconds then falls on a few
    rounds of every probe, which the medians pass over, rather than on every
    round of a few probes. ``on_round`` is called after each probe's round.
    Returns each probe's timings, by peer in the order of its calls."""
    loops = [
        {peer: _calibrate(call, min_ns) for peer, call in calls.items()}
        for _, _, calls in probes
    ]
    samples: list[dict[str, list[float]]] = [
        {peer: [] for peer in calls} for _, _, calls in probes
    ]
    for _ in range(rounds):
        for (_, _, calls), by_peer, times in zip(probes, loops, samples):
            for peer, call in calls.items():
                times[peer].append(_elapsed_ns(call, by_peer[peer]) / by_peer[peer])
            if on_round is not None:
                on_round()
    return [
        [Timing(table, kind, peer, by_peer[peer], tuple(times[peer])) for peer in calls]
        for (table, kind, calls), by_peer, times in zip(probes, loops, samples)
    ]


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
    return time_probes([(table, kind, calls)], rounds, min_ns, on_round)[0]


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
    ``min_round_seconds`` (:func:`time_probes`: every probe in each round, the
    peers of a probe one after the other).

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
    probes = [(name, kind, by_peer) for (name, kind), by_peer in calls.items()]
    timed = time_probes(probes, rounds, min_ns, counter.advance)
    timings = [timing for by_peer in timed for timing in by_peer]
    return BenchRun(
        tuple(timings), peers, tuple(missing), rounds, min_round_seconds, op
    )
