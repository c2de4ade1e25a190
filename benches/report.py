"""Run the benchmarks and print a markdown table of ns/op and ratios.

Usage: ``python benches/report.py [--json PATH] [pytest args...]``, e.g.
``python benches/report.py -k github``. Each cell is the median time of one peer
on one probe; the ratio is the baseline's time divided by the peer's (Werkzeug for
``match`` and ``build``, Flask for in-process ``wsgi`` requests), so ``20.0x``
reads "20 times faster than the baseline". The last rows give the geometric mean
of the ratios over the kinds, per table and operation.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from kolben.bench import markdown as markdown_table

ROOT = Path(__file__).resolve().parent.parent
#: The peer each operation's ratios are taken against.
BASELINES = {"match": "werkzeug", "build": "werkzeug", "wsgi": "flask"}
PEER_ORDER = ("werkzeug", "flask", "kolben", "kolben-native", "falcon", "pymatchit")
KIND_ORDER = ("static", "1-param", "3-param", "miss", "hello", "json", "404")
OP_ORDER = ("match", "build", "wsgi")

Key = tuple[str, str, str]  # (op, table, kind)


def run_benchmarks(json_path: Path, pytest_args: list[str]) -> int:
    """Run ``benches/`` with timing enabled, writing pytest-benchmark's JSON."""
    command = [
        sys.executable,
        "-m",
        "pytest",
        "benches",
        "-q",
        "--benchmark-enable",
        "--benchmark-only",
        f"--benchmark-json={json_path}",
        *pytest_args,
    ]
    return subprocess.call(command, cwd=ROOT)


def load_medians(json_path: Path) -> dict[Key, dict[str, float]]:
    """Median ns/op per ``(op, table, kind)`` and peer."""
    data = json.loads(json_path.read_text(encoding="utf-8"))
    medians: dict[Key, dict[str, float]] = defaultdict(dict)
    for bench in data["benchmarks"]:
        info = bench["extra_info"]
        key = (info["op"], info["table"], info["kind"])
        medians[key][info["peer"]] = bench["stats"]["median"] * 1e9
    return medians


def _table_order(name: str) -> tuple[int, int]:
    if name == "github":
        return (0, 0)
    return (1, int(name.rsplit("-", 1)[1]))


def _sort_key(key: Key) -> tuple[Any, ...]:
    op, table, kind = key
    return (OP_ORDER.index(op), _table_order(table), KIND_ORDER.index(kind))


def markdown(medians: dict[Key, dict[str, float]]) -> str:
    """The results as a markdown table, then the geometric means of the ratios."""
    peers = [p for p in PEER_ORDER if any(p in row for row in medians.values())]
    rows = {key: medians[key] for key in sorted(medians, key=_sort_key)}
    return markdown_table(
        rows, ("op", "table", "kind"), peers, lambda key: BASELINES[key[0]]
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks (or read ``--json`` with ``--no-run``) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="where to keep the raw JSON")
    parser.add_argument(
        "--no-run", action="store_true", help="only format an existing --json file"
    )
    args, pytest_args = parser.parse_known_args(argv)
    if args.no_run and args.json is None:
        parser.error("--no-run needs --json")
    with tempfile.TemporaryDirectory() as tmp:
        json_path = args.json or Path(tmp) / "bench.json"
        if not args.no_run:
            status = run_benchmarks(json_path.resolve(), pytest_args)
            if not json_path.exists():
                return status or 1
        print(markdown(load_medians(json_path)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
