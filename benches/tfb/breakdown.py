"""Where a request's time goes, in process: for each test, the bare callable's
µs per request (the app's own work: the query, the template, the JSON), and
what each framework adds to it; then a profile of what kolben adds.

Usage, from the repository root::

    python benches/tfb/breakdown.py [--test db --test fortunes] [--rounds 41]
        [--database-url URL | --in-memory] [--profile 20000]

Each implementation is the one the servers run (:mod:`benches.tfb.apps`),
called as a WSGI app on a prebuilt environ, its answers checked first
(:mod:`benches.tfb.verify`, without the server's headers). In each round every
implementation serves the test for at least 20 ms, one after the other; a
framework's added µs is the median over the rounds of its time per request
less the bare callable's in the same round.

With ``--in-memory`` the pool hands out stand-in connections that answer the
same statements from memory (the rows of a loaded table, updates kept): the
database's own time and variance drop out, and what is left is the Python
work of each implementation, which is where the frameworks differ. Without it
the tests run on PostgreSQL (a throwaway cluster, or ``--database-url``).

``--profile N`` then serves each test N times on kolben and on the bare
callable under cProfile and lists the functions kolben's requests spend time
in that the bare callable's never call: kolben's and Flask's request path.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import typing as t
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from benches.bench_app import Recorder, make_environ, serve  # noqa: E402
from benches.tfb import db, run, spec, verify  # noqa: E402
from benches.tfb.memory import MemoryPool  # noqa: E402

from kolben.bench import paired_ratio  # noqa: E402
from kolben.bench.timing import time_probes  # noqa: E402

MIN_ROUND_NS = 20e6


def environ(path: str) -> dict[str, t.Any]:
    """A GET request's environ for ``path`` (with its query string)."""
    parts = urlsplit(path)
    made = make_environ(parts.path)
    made["QUERY_STRING"] = parts.query
    return made


def _call(app: t.Any, path: str) -> tuple[t.Any, tuple[t.Any, ...]]:
    return serve, (app, environ(path), Recorder())


def breakdown(
    built: dict[str, t.Any], tests: Sequence[str], rounds: int
) -> tuple[str, dict[str, dict[str, float]]]:
    """A Markdown table: per test, the bare callable's µs per request and
    each framework's added µs (and its time as a multiple of bare's); and
    the figures (test -> implementation -> µs: bare's own, the others'
    added)."""
    probes = [
        ("tfb", test, {n: _call(app, run.case(test).path) for n, app in built.items()})
        for test in tests
    ]
    others = [n for n in built if n != "bare"]
    head = ["test", "bare µs", *(f"{run.LABELS[n]} +µs" for n in others)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    figures: dict[str, dict[str, float]] = {}
    for timings in time_probes(probes, rounds, MIN_ROUND_NS):
        by_name = {timing.peer: timing for timing in timings}
        bare = by_name["bare"]
        test = bare.kind
        row = figures[test] = {"bare": bare.ns / 1e3}
        cells = [test, f"{bare.ns / 1e3:.1f}"]
        for name in others:
            ours = by_name[name]
            added = sorted(o - b for o, b in zip(ours.round_ns, bare.round_ns))
            row[name] = added[len(added) // 2] / 1e3
            times = paired_ratio(ours.round_ns, bare.round_ns)
            cells.append(f"{row[name]:.1f} ({times:.2f}x)")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines), figures


def added_profile(built: dict[str, t.Any], test: str, requests: int) -> str:
    """kolben's functions (by own time, µs per request) that the bare
    callable's requests never call, for ``requests`` requests of ``test``."""
    path = run.case(test).path
    stats = {}
    for name in ("bare", "kolben"):
        func, args = _call(built[name], path)
        for _ in range(200):
            func(*args)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(requests):
            func(*args)
        profile.disable()
        stats[name] = pstats.Stats(profile, stream=io.StringIO()).stats  # type: ignore[attr-defined]
    shared = set(stats["bare"])
    rows = [
        (tt, nc, key)
        for key, (cc, nc, tt, ct, callers) in stats["kolben"].items()
        if key not in shared
    ]
    rows.sort(reverse=True)
    total = sum(tt for tt, _, _ in rows)
    lines = [
        f"{test}: kolben's functions the bare app does not call,"
        f" {total / requests * 1e6:.1f} µs per request in all (under cProfile)",
        "  µs/req  calls/req  function",
    ]
    for tt, nc, (file, line, func) in rows[:25]:
        where = _short_path(file)
        per_request = f"{tt / requests * 1e6:6.2f}  {nc / requests:9.1f}"
        lines.append(f"  {per_request}  {func} ({where}:{line})")
    return "\n".join(lines)


def _short_path(file: str) -> str:
    for marker in ("site-packages/", "python/", "lib/python3"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


def build(in_memory: bool) -> dict[str, t.Any]:
    """The raw-psycopg implementations, on one pool of the database, or on
    the stand-in answering from memory."""
    import flask
    from benches.tfb import bare, falcon_app, flask_app

    import kolben

    if in_memory:
        import psycopg

        with psycopg.connect(db.database_url()) as conn:
            rows = conn.execute("SELECT id, randomNumber FROM World").fetchall()
        pool: t.Any = MemoryPool(dict(rows))
    else:
        pool = db.make_pool(size=1)
    return {
        "bare": bare.make_app(pool),
        "kolben": flask_app.make_app(kolben, pool=pool),
        "falcon": falcon_app.make_app(pool),
        "flask": flask_app.make_app(flask, pool=pool),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--test", action="append", choices=spec.TESTS)
    parser.add_argument("--rounds", type=int, default=41)
    parser.add_argument("--database-url", help="use this PostgreSQL database")
    parser.add_argument(
        "--in-memory", action="store_true", help="answer the queries from memory"
    )
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="profile N requests"
    )
    args = parser.parse_args(argv)
    tests = args.test or ["db", "fortunes"]
    with run._database(args.database_url, 1) as url:
        built = build(args.in_memory)
        try:
            verify.check_all(
                {name: verify.wsgi_get(app) for name, app in built.items()},
                url,
                tests if not args.in_memory else [],
                server_headers=False,
            )
        except verify.WrongAnswer as error:
            print(error, file=sys.stderr)
            return 1
        if args.in_memory:
            for name, app in built.items():
                for test in tests:
                    status, headers, body = verify.wsgi_get(app)(run.case(test).path)
                    problems = [] if status == 200 else [f"status {status}"]
                    problems += verify.check_headers(test, headers, body, False)
                    if test == "fortunes":
                        problems += verify.fortunes_problems(body)
                    if problems:
                        print(f"{name} {test}: {problems}", file=sys.stderr)
                        return 1
        source = "answered from memory" if args.in_memory else "PostgreSQL"
        print(
            f"µs per request in process ({source}); +µs: the framework's time less"
            f" the bare callable's in the same round, median of {args.rounds}"
            f" rounds (its time as a multiple of bare's)\n"
        )
        text, _ = breakdown(built, tests, args.rounds)
        print(text)
        if args.profile:
            for test in tests:
                print()
                print(added_profile(built, test, args.profile))
        os.environ.pop(spec.DATABASE_URL_VARIABLE, None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
