"""The TechEmpower tests under real servers: kolben, Flask, Falcon and a bare
WSGI callable doing the same work, on PostgreSQL, side by side.

Usage, from the repository root::

    python benches/tfb/run.py [--duration 10] [--rounds 5] [--connections 32]
        [--server granian-1-bt1 ...] [--test db ...] [--framework kolben ...]
        [--database-url URL] [--pool-size 4] [--json out.json] [--plot out.svg]

Needs ``wrk``, PostgreSQL's server (Debian: ``apt-get install wrk postgresql``)
and the ``bench`` extra (granian, gunicorn, Falcon, psycopg, psycopg_pool,
Flask-SQLAlchemy). Without ``--database-url`` it starts a throwaway
PostgreSQL cluster on 127.0.0.1 (:mod:`benches.tfb.cluster`), loads the World
and Fortune tables, and stops and removes it at the end, also on an error or
Ctrl-C; with it, it replaces those two tables in that database.

For each server configuration it starts every implementation
(:mod:`benches.tfb.apps`; each process keeps ``--pool-size`` connections),
checks every answer of every implementation (:mod:`benches.tfb.verify`; a
wrong one stops the run with exit status 1, nothing timed), then runs wrk on
each test, the implementations taking turns within each round in a rotated
order, ``duration / rounds`` seconds a turn; a figure is the median of the
turns (wrk's requests/s, p50 and p99 latency). The plaintext test is sent
without HTTP pipelining (TechEmpower pipelines it 16 deep).

It prints, per server and test, each implementation's requests/s (p50/p99 ms)
and its share of the bare callable's requests/s, and the count of socket
errors and answers other than 200 (or, for JSON and plain text, another
body); the exit status is 1 when any count is not zero. Timings are never
judged: compare the shares within one run.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import platform
import shutil
import sys
import time
import typing as t
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from benches import load  # noqa: E402
from benches.tfb import apps, spec, verify  # noqa: E402
from benches.tfb.cluster import NoPostgres, database  # noqa: E402

from production.servers import free_port, serving  # noqa: E402

#: The server configurations run by default (``load.SERVERS`` has more).
DEFAULT_SERVERS = ("granian-1-bt1", "granian-1", "gunicorn-gthread")
#: test -> the query string its timed requests carry.
TIMED_QUERY = {"queries": "?queries=20", "updates": "?queries=20"}
#: Tests whose every answer is the same bytes, checked by wrk.
FIXED_BODIES = {"json": None, "plaintext": spec.HELLO.encode()}
#: How the implementations are named in tables.
LABELS = {
    "bare": "bare",
    "kolben": "kolben",
    "falcon": "Falcon",
    "flask": "Flask",
    "kolben_orm": "kolben+SQLA",
    "flask_orm": "Flask+SQLA",
}


@dataclasses.dataclass
class Progress:
    """A one-line progress display on stderr when it is a terminal."""

    total: int
    done: int = 0
    started: float = dataclasses.field(default_factory=time.monotonic)
    shown: bool = dataclasses.field(default_factory=lambda: sys.stderr.isatty())

    def step(self, what: str) -> None:
        self.done += 1
        if not self.shown:
            return
        elapsed = time.monotonic() - self.started
        left = elapsed / self.done * (self.total - self.done)
        sys.stderr.write(
            f"\r\033[K[{self.done}/{self.total}] {what}  ~{left:.0f} s left"
        )
        sys.stderr.flush()

    def say(self, line: str) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
        print(line, file=sys.stderr, flush=True)


def case(test: str) -> load.Case:
    """The request wrk sends for ``test``."""
    return load.Case(test, spec.PATHS[test] + TIMED_QUERY.get(test, ""), 200)


def _want_body(test: str) -> bytes | None:
    if test == "json":
        return json.dumps({spec.MESSAGE_KEY: spec.HELLO}).encode()
    return FIXED_BODIES.get(test)


def wrk_scripts(
    tests: Sequence[str], ports: dict[str, int]
) -> dict[tuple[str, str], str]:
    """The wrk script of each ``(implementation, test)``: every answer's
    status checked, and for the plain-text test its body; the JSON test's
    body is checked as each implementation sent it to the verifier (the
    encoders differ in spaces)."""
    scripts = {}
    for test in tests:
        for name, port in ports.items():
            want = FIXED_BODIES.get(test)
            if test == "json":
                want = verify.server_get(port)(spec.PATHS["json"])[2]
            scripts[name, test] = load.wrk_script(case(test), (), want)
    return scripts


def measure(
    server: str,
    names: Sequence[str],
    tests: Sequence[str],
    url: str,
    seconds: float,
    rounds: int,
    connections: int,
    progress: Progress,
) -> list[load.Result]:
    """Serve every implementation under ``server``, check every answer, then
    time each test, the implementations taking turns in each round."""
    ports = {name: free_port() for name in names}
    results = []
    with contextlib.ExitStack() as stack:
        for name, port in ports.items():
            command = load.SERVERS[server][1](f"benches.tfb.apps:{name}", port)
            stack.enter_context(serving(command, port))
        gets = {name: verify.server_get(port) for name, port in ports.items()}
        try:
            verify.check_all(gets, url, tests)
        except verify.WrongAnswer as error:
            raise SystemExit(f"{server}: {error}") from None
        progress.say(f"{server}: every answer checked")
        scripts = wrk_scripts(tests, ports)
        for test in tests:
            for name in names:  # imports, pools, prepared statements
                load.run_wrk(ports[name], scripts[name, test], 1, connections)
            runs: dict[str, list[dict[str, t.Any]]] = {name: [] for name in names}
            for n in range(rounds):
                shift = n % len(names)
                for name in [*names[shift:], *names[:shift]]:
                    progress.step(f"{server} {test} {name} round {n + 1}/{rounds}")
                    runs[name].append(
                        load.run_wrk(
                            ports[name],
                            scripts[name, test],
                            seconds / rounds,
                            connections,
                        )
                    )
            for name in names:
                result = load._result(server, "tfb", name, case(test), runs[name])
                results.append(result)
                progress.say(load._line(result))
    return results


def share_of_bare(results: Sequence[load.Result]) -> dict[tuple[str, str, str], float]:
    """(server, implementation, test) -> requests/s as a share of the bare
    callable's in the same run."""
    bare = {(r.server, r.case): r.rps for r in results if r.framework == "bare"}
    return {
        (r.server, r.framework, r.case): r.rps / bare[r.server, r.case]
        for r in results
        if bare.get((r.server, r.case))
    }


def table(results: Sequence[load.Result], server: str) -> str:
    """A Markdown table for ``server``: a row per test, requests/s (p50/p99
    ms) per implementation, then each one's share of bare."""
    rows = [r for r in results if r.server == server]
    names = [n for n in apps.IMPLEMENTATIONS if any(r.framework == n for r in rows)]
    tests = [c for c in spec.TESTS if any(r.case == c for r in rows)]
    by_key = {(r.framework, r.case): r for r in rows}
    shares = share_of_bare(rows)
    shared = [n for n in names if n != "bare" and "bare" in names]
    head = [
        "test",
        *(LABELS[n] for n in names),
        *(f"{LABELS[n]} / bare" for n in shared),
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for test in tests:
        cells = [test]
        for name in names:
            r = by_key.get((name, test))
            cells.append(
                "" if r is None else f"{r.rps:,.0f} ({r.p50_ms:.2f}/{r.p99_ms:.2f})"
            )
        for name in shared:
            share = shares.get((server, name, test))
            cells.append("" if share is None else f"{share:.0%}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def ratios(results: Sequence[load.Result], server: str) -> str:
    """kolben's requests/s over Falcon's and Flask's (and on Flask-SQLAlchemy,
    over Flask's), per test."""
    by_key = {(r.framework, r.case): r.rps for r in results if r.server == server}
    pairs = [
        ("kolben", "falcon"),
        ("kolben", "flask"),
        ("kolben_orm", "flask_orm"),
    ]
    pairs = [p for p in pairs if any(k[0] == p[0] for k in by_key)]
    pairs = [p for p in pairs if any(k[0] == p[1] for k in by_key)]
    if not pairs:
        return ""
    head = ["test", *(f"{LABELS[a]} / {LABELS[b]}" for a, b in pairs)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for test in spec.TESTS:
        cells = [test]
        for a, b in pairs:
            over, under = by_key.get((a, test)), by_key.get((b, test))
            cells.append(f"{over / under:.2f}" if over and under else "")
        if any(cells[1:]):
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


#: The frameworks the chart shows (on raw psycopg; the tables have them all).
CHARTED = ("kolben", "falcon", "flask")


def plot(results: Sequence[load.Result], server: str, path: Path) -> None:
    """A bar chart of kolben's, Falcon's and Flask's shares of bare, per test,
    under ``server`` (matplotlib, from the bench extra)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shares = share_of_bare(results)
    names = [n for n in CHARTED if any(k[:2] == (server, n) for k in shares)]
    tests = [c for c in spec.TESTS if any(k == (server, "bare", c) for k in shares)]
    width = 0.8 / max(1, len(names))
    figure, axes = plt.subplots(figsize=(9, 4.2))
    for i, name in enumerate(names):
        values = [shares.get((server, name, test), 0.0) * 100 for test in tests]
        positions = [x + (i - (len(names) - 1) / 2) * width for x in range(len(tests))]
        bars = axes.bar(positions, values, width, label=LABELS[name])
        axes.bar_label(bars, fmt="%.0f", fontsize=7, padding=1)
    axes.axhline(100, color="black", linewidth=0.8)
    axes.set_xticks(range(len(tests)), tests)
    axes.set_ylabel("% of the bare WSGI app's requests/s")
    axes.set_title(
        f"TechEmpower tests on PostgreSQL, {load.SERVERS[server][0]}"
        " (median of turns, same run)",
        fontsize=10,
    )
    axes.legend(fontsize=8, ncols=3, loc="lower right")
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def versions() -> str:
    """The versions the figures are for."""
    from importlib.metadata import version

    packages = ("kolben", "flask", "falcon", "granian", "gunicorn", "psycopg")
    packages += ("sqlalchemy", "flask-sqlalchemy", "jinja2")
    found = [f"{p} {version(p)}" for p in packages]
    return f"CPython {platform.python_version()}, " + ", ".join(found)


@contextlib.contextmanager
def _database(url: str | None, pool_size: int) -> Iterator[str]:
    with database(url) as ready:
        saved = {
            k: os.environ.get(k)
            for k in (spec.DATABASE_URL_VARIABLE, spec.POOL_SIZE_VARIABLE)
        }
        os.environ[spec.DATABASE_URL_VARIABLE] = ready
        os.environ[spec.POOL_SIZE_VARIABLE] = str(pool_size)
        try:
            yield ready
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--duration", type=float, default=10.0, help="seconds a test, per framework"
    )
    parser.add_argument(
        "--rounds", type=int, default=5, help="turns each framework takes a test"
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--server", action="append", choices=sorted(load.SERVERS))
    parser.add_argument("--test", action="append", choices=spec.TESTS)
    parser.add_argument("--framework", action="append", choices=apps.IMPLEMENTATIONS)
    parser.add_argument("--database-url", help="use this PostgreSQL database")
    parser.add_argument(
        "--pool-size",
        type=int,
        default=spec.DEFAULT_POOL_SIZE,
        help="connections each server process keeps (every implementation alike)",
    )
    parser.add_argument("--json", type=Path, help="write every result here")
    parser.add_argument(
        "--plot", type=Path, help="chart the shares of bare (first server) here"
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("needs wrk: apt-get install wrk", file=sys.stderr)
        return 2
    servers = args.server or list(DEFAULT_SERVERS)
    tests = args.test or list(spec.TESTS)
    names = [
        n for n in apps.IMPLEMENTATIONS if not args.framework or n in args.framework
    ]
    progress = Progress(len(servers) * len(tests) * len(names) * args.rounds)
    results: list[load.Result] = []
    try:
        with _database(args.database_url, args.pool_size) as url:
            for server in servers:
                results += measure(
                    server,
                    names,
                    tests,
                    url,
                    args.duration,
                    args.rounds,
                    args.connections,
                    progress,
                )
    except NoPostgres as error:
        print(error, file=sys.stderr)
        return 2
    elapsed = time.monotonic() - progress.started
    print(
        f"TechEmpower tests: requests/s (p50/p99 latency, ms) and share of bare;"
        f" wrk -c{args.connections}, {args.rounds} turns of"
        f" {args.duration / args.rounds:g} s, median of the turns;"
        f" pool of {args.pool_size} a process\n{versions()}"
    )
    for server in servers:
        print(f"\n{load.SERVERS[server][0]}\n\n{table(results, server)}")
        pairs = ratios(results, server)
        if pairs:
            print(f"\n{pairs}")
    failures = sum(r.failures for r in results)
    print(
        f"\n{len(results)} figures in {elapsed:.0f} s;"
        f" socket errors, unexpected statuses and bodies: {failures}"
    )
    if args.json:
        shares = share_of_bare(results)
        args.json.write_text(
            json.dumps(
                [
                    {
                        **dataclasses.asdict(r),
                        "share_of_bare": shares.get((r.server, r.framework, r.case)),
                    }
                    for r in results
                ],
                indent=1,
            )
        )
    if args.plot and results:
        plot(results, servers[0], args.plot)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
