"""The README is the documentation's front page: its first app is the
Quickstart's files, its set-up commands are the ones CI runs, its links lead
to files that exist, and its figures are the Performance page's."""

from __future__ import annotations

import re

from .conftest import DOCS, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
QUICKSTART = ROOT / "examples" / "quickstart"


def _fenced(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", README, re.M | re.S)


def test_first_app_is_the_quickstart_app() -> None:
    assert _fenced("python") == [(QUICKSTART / "app.py").read_text(encoding="utf-8")]
    template = (QUICKSTART / "templates" / "user.html").read_text(encoding="utf-8")
    assert _fenced("jinja") == [template]


def test_set_up_commands() -> None:
    # .ci/run runs the test command word for word, .ci/serve_check the first.
    assert "\n    pip install . && kolben --app examples.hello run\n" in README
    assert "\n    pip install -e '.[test,bench]' && python -m pytest -q\n" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -e '.[test,bench]' && python -m pytest -q" in ci


def test_links_lead_to_files() -> None:
    targets = re.findall(r"\]\(([^)#]+)\)", README)
    assert targets
    missing = [t for t in targets if "://" not in t and not (ROOT / t).exists()]
    assert missing == []


def test_figures_are_the_performance_pages() -> None:
    page = (DOCS / "performance.rst").read_text(encoding="utf-8")
    figures = set(re.findall(r"\| ([\d.,]+x?) ", README))
    assert figures
    assert {f for f in figures if f not in page} == set()
