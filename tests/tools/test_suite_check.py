"""``tools/flask_suite.py --check`` and ``tools/werkzeug_suite.py --check``
fail when the runs cannot be compared or disagree.

The check logic runs on fabricated results and a small junit file; the runner
runs pytest on a tiny source tree, so a run that ends without junit XML is a
real one. Neither Flask's nor Werkzeug's suite is run.
"""

from __future__ import annotations

from pathlib import Path

import flask_suite
import pytest
import werkzeug_suite
from flask_suite import Results, disagreements, parse_junit, report


def results(outcomes: dict[str, str], exit_status: int | None = None) -> Results:
    """A run with ``outcomes`` (test id: outcome), all in one file; its exit
    status pytest's for those outcomes unless given."""
    run = Results()
    for test, outcome in outcomes.items():
        run.add("test_x.py", test, outcome)
    if exit_status is None:
        exit_status = 1 if {"failed", "error"} & set(outcomes.values()) else 0
    run.exit_status = exit_status
    return run


BASE = {"t::a": "passed", "t::b": "failed", "t::c": "skipped"}

#: (case, runs after the baseline BASE, the disagreement lines expected)
CASES: list[tuple[str, dict[str, Results], list[str]]] = [
    ("the same outcomes, failures included", {"kolben": results(BASE)}, []),
    (
        "two other modes agree",
        {"kolben": results(BASE), "url-map": results(BASE)},
        [],
    ),
    (
        "an outcome differs",
        {"kolben": results({**BASE, "t::a": "failed"})},
        ["kolben: 1 outcome(s) differ from flask's"],
    ),
    (
        "a baseline failure passes in another mode",
        {"kolben": results({**BASE, "t::b": "passed"})},
        ["kolben: 1 outcome(s) differ from flask's"],
    ),
    (
        "a test is missing from a mode",
        {"kolben": results({"t::a": "passed", "t::b": "failed"})},
        ["kolben: 1 test(s) of flask's run missing"],
    ),
    (
        "a mode ran a test the baseline did not",
        {"url-map": results({**BASE, "t::d": "passed"})},
        ["url-map: 1 test(s) not in flask's run"],
    ),
    (
        "a mode without results",
        {"kolben": results({}, exit_status=0)},
        [
            "kolben: no test results (no junit XML, or no test in it)",
            "kolben: 3 test(s) of flask's run missing",
        ],
    ),
    (
        "an internal error (a plugin that does not import)",
        {"kolben": results(BASE, exit_status=3)},
        ["kolben: pytest exited with status 3 (internal error)"],
    ),
    (
        "interrupted",
        {"kolben": results(BASE, exit_status=2)},
        ["kolben: pytest exited with status 2 (interrupted)"],
    ),
    (
        "a usage error (a conftest that does not import)",
        {"kolben": results({}, exit_status=4)},
        [
            "kolben: pytest exited with status 4 (usage error)",
            "kolben: no test results (no junit XML, or no test in it)",
            "kolben: 3 test(s) of flask's run missing",
        ],
    ),
    (
        "no tests collected",
        {"kolben": results({}, exit_status=5)},
        [
            "kolben: pytest exited with status 5 (no tests collected)",
            "kolben: no test results (no junit XML, or no test in it)",
            "kolben: 3 test(s) of flask's run missing",
        ],
    ),
    (
        "killed by a signal (a crash in the extension)",
        {"kolben": results({}, exit_status=-11)},
        [
            "kolben: pytest exited with status -11 (killed by signal 11)",
            "kolben: no test results (no junit XML, or no test in it)",
            "kolben: 3 test(s) of flask's run missing",
        ],
    ),
]


@pytest.mark.parametrize(
    ("others", "problems"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_disagreements(others: dict[str, Results], problems: list[str]) -> None:
    assert disagreements({"flask": results(BASE), **others}) == problems


def test_a_baseline_that_did_not_finish_is_reported() -> None:
    runs = {"flask": results({}, exit_status=3), "kolben": results(BASE)}
    assert disagreements(runs) == [
        "flask: pytest exited with status 3 (internal error)",
        "flask: no test results (no junit XML, or no test in it)",
        "kolben: 3 test(s) not in flask's run",
    ]


def test_a_single_run_without_results_is_reported() -> None:
    assert disagreements({"kolben": results({}, exit_status=0)}) == [
        "kolben: no test results (no junit XML, or no test in it)"
    ]


def test_expected_differences_are_outcomes_only() -> None:
    expected = {"t::a": "a known reason", "t::c": "another"}
    changed = results({**BASE, "t::a": "failed"})
    assert disagreements({"flask": results(BASE), "kolben": changed}, expected) == []
    # An expected test that vanishes, or another outcome, still disagrees.
    vanished = results({"t::a": "failed", "t::b": "failed"})
    assert disagreements({"flask": results(BASE), "kolben": vanished}, expected) == [
        "kolben: 1 test(s) of flask's run missing"
    ]
    other = results({**BASE, "t::a": "failed", "t::b": "passed"})
    assert disagreements({"flask": results(BASE), "kolben": other}, expected) == [
        "kolben: 1 outcome(s) differ from flask's"
    ]


def test_report_lists_the_tests_only_some_runs_have() -> None:
    runs = {
        "flask": results(BASE),
        "kolben": results({"t::a": "failed", "t::b": "failed", "t::d": "passed"}),
    }
    text = report(runs, expected={"t::a": "a known reason"})
    assert "1 test(s) of flask's run missing from kolben's:\n  t::c\n" in text
    assert "1 test(s) of kolben's run not in flask's:\n  t::d\n" in text
    assert "t::a: passed -> failed (expected: a known reason)" in text


def test_report_lists_up_to_the_limit() -> None:
    base = results({f"t::{n}": "passed" for n in range(5)})
    text = report({"flask": base, "kolben": results({})}, limit=2)
    assert "5 test(s) of flask's run missing from kolben's:" in text
    assert "  t::0\n  t::1\n  ... and 3 more" in text


@pytest.mark.parametrize(
    ("kolben", "check", "status"),
    [
        (BASE, True, 0),
        ({}, True, 1),
        ({**BASE, "t::a": "error"}, True, 1),
        ({}, False, 0),
    ],
)
def test_conclude_exit_status(
    kolben: dict[str, str], check: bool, status: int, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = {"flask": results(BASE), "kolben": results(kolben)}
    assert flask_suite.conclude(runs, check) == status
    out = capsys.readouterr().out
    count = len(disagreements(runs))
    assert f"\n{count} disagreement(s) between the runs\n" in out


JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="5">
<testcase classname="tests.test_a" name="test_ok" file="tests/test_a.py"/>
<testcase classname="tests.test_a.TestB" name="test_no" file="tests/test_a.py">
  <failure message="assert 0">assert 0</failure></testcase>
<testcase classname="tests.test_c" name="test_skip" file="tests/test_c.py">
  <skipped message="why"/></testcase>
<testcase classname="tests.test_c" name="test_fixture" file="tests/test_c.py">
  <error message="fixture">boom</error></testcase>
<testcase classname="tests.test_broken" name="">
  <error message="collection failure">ImportError</error></testcase>
</testsuite></testsuites>
"""


def test_parse_junit(tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    path.write_text(JUNIT, encoding="utf-8")
    run = parse_junit(path)
    assert run.outcomes == {
        "tests.test_a::test_ok": "passed",
        "tests.test_a.TestB::test_no": "failed",
        "tests.test_c::test_skip": "skipped",
        "tests.test_c::test_fixture": "error",
        "tests.test_broken::": "error",
    }
    assert {file: dict(counts) for file, counts in run.by_file.items()} == {
        "test_a.py": {"passed": 1, "failed": 1},
        "test_c.py": {"skipped": 1, "error": 1},
        "test_broken.py": {"error": 1},
    }


TESTS = """
import pytest

def test_passes():
    pass

def test_fails():
    assert False

@pytest.mark.skip(reason="skipped")
def test_skipped():
    pass
"""


@pytest.fixture
def source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A source tree with three tests; the runner's files go to ``tmp_path``."""
    monkeypatch.setattr(flask_suite, "WORKDIR", tmp_path / "work")
    tree = tmp_path / "source"
    (tree / "tests").mkdir(parents=True)
    (tree / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tree / "tests" / "test_three.py").write_text(TESTS, encoding="utf-8")
    return tree


def run(source: Path, plugin: str = "") -> Results:
    """The runner on ``source``'s tests, with ``plugin`` as its plugin."""
    return flask_suite.run_with_plugin("fake", plugin, source, ["tests"], [])


def test_a_run_that_finishes(source: Path) -> None:
    fake = run(source)
    assert fake.exit_status == 1
    assert fake.outcomes == {
        "tests.test_three::test_passes": "passed",
        "tests.test_three::test_fails": "failed",
        "tests.test_three::test_skipped": "skipped",
    }
    assert disagreements({"flask": fake, "kolben": run(source)}) == []


@pytest.mark.parametrize("broken", ["plugin", "conftest"])
def test_a_run_that_writes_no_junit_xml(source: Path, broken: str) -> None:
    """A run that breaks before any test is reported as having no results, and
    with its exit status when pytest says it did not finish (pytest 9 exits 3
    for a plugin that cannot be imported and 4 for such a conftest; pytest 8
    exits 1 for the plugin)."""
    failing = 'raise ImportError("cannot import this module")\n'
    if broken == "conftest":
        (source / "tests" / "conftest.py").write_text(failing, encoding="utf-8")
    fake = run(source, plugin=failing if broken == "plugin" else "")
    assert not (flask_suite.WORKDIR / "junit-fake.xml").exists()
    assert fake.outcomes == {}
    assert fake.exit_status != 0
    unfinished = (
        []
        if fake.exit_status in flask_suite.FINISHED
        else [
            f"fake: pytest exited with status {fake.exit_status}"
            f" ({flask_suite._EXIT_NAMES[fake.exit_status]})"
        ]
    )
    assert disagreements({"fake": fake}) == [
        *unfinished,
        "fake: no test results (no junit XML, or no test in it)",
    ]


def fake_werkzeug_runs(monkeypatch: pytest.MonkeyPatch, kolben: dict[str, str]) -> None:
    """Make ``werkzeug_suite`` see fabricated runs: Flask's request class passes
    ``t::a`` and ``test_request_repr``, and KolbenRequest has ``kolben``."""
    repr_test = "tests.test_wrappers::test_request_repr"
    assert repr_test in werkzeug_suite.EXPECTED
    runs = {
        "werkzeug-flask": results({"t::a": "passed", repr_test: "passed"}),
        "werkzeug-kolben": results(kolben),
    }
    monkeypatch.setattr(werkzeug_suite, "fetch_sdist", lambda *_: Path("."))
    monkeypatch.setattr(
        werkzeug_suite, "run_with_plugin", lambda label, *_: runs[label]
    )


@pytest.mark.parametrize(
    ("kolben", "status"),
    [
        ({"t::a": "passed", "tests.test_wrappers::test_request_repr": "failed"}, 0),
        ({"t::a": "failed", "tests.test_wrappers::test_request_repr": "failed"}, 1),
        ({"tests.test_wrappers::test_request_repr": "passed"}, 1),
        ({}, 1),
    ],
    ids=["expected difference", "other difference", "missing test", "no results"],
)
def test_werkzeug_suite_check(
    monkeypatch: pytest.MonkeyPatch, kolben: dict[str, str], status: int
) -> None:
    fake_werkzeug_runs(monkeypatch, kolben)
    assert werkzeug_suite.main(["--check"]) == status


def test_flask_suite_check_fails_on_a_mode_without_results(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs = {"flask": results(BASE), "kolben": results({}, exit_status=3)}
    monkeypatch.setattr(flask_suite, "fetch_flask", lambda *_: Path("."))
    monkeypatch.setattr(flask_suite, "run_mode", lambda mode, *_: runs[mode])
    args = ["--mode", "flask", "--mode", "kolben"]
    assert flask_suite.main([*args, "--check"]) == 1
    assert flask_suite.main(args) == 0
