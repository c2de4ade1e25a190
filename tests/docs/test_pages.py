"""The code on the documentation's pages runs: every ``>>>`` example as a
doctest, every command shown with its output (``:class: command-output``)
gives that output, and Python code longer than an example is a file of
``examples/`` that tests run, included with ``literalinclude``."""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import DOCS, PAGES, ROOT

#: Where the pages say kolben's repository is, in the output they show.
SHOWN_ROOT = "/home/you/kolben"

#: The marker printed between the commands of one block.
_MARK = "@@kolben-docs@@"


@pytest.fixture
def isolated_imports() -> Iterator[None]:
    """sys.path as it was, and no example app left imported: a page may put an
    example's folder on the path and import its ``app``."""
    examples = ROOT / "examples"
    # A module another test imported under an example's name (``app``) would
    # stand in for the example: set it aside while the page runs.
    shadowing = {p.stem for p in (examples / "quickstart").glob("*.py")}
    aside = {name: sys.modules.pop(name) for name in shadowing if name in sys.modules}
    path, modules = list(sys.path), set(sys.modules)
    try:
        yield
    finally:
        sys.path[:] = path
        for name in set(sys.modules) - modules:
            file = getattr(sys.modules[name], "__file__", None) or ""
            if file and Path(file).resolve().is_relative_to(examples):
                del sys.modules[name]
        sys.modules.update(aside)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_examples_on_the_page_run(
    page: Path, monkeypatch: pytest.MonkeyPatch, isolated_imports: None
) -> None:
    monkeypatch.chdir(ROOT)
    text = page.read_text(encoding="utf-8")
    test = doctest.DocTestParser().get_doctest(text, {}, page.name, str(page), 0)
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)


def _command_blocks() -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """``(page and line, [(command, output)])`` of each console block marked
    ``:class: command-output``."""
    block = re.compile(
        r"^\.\. code-block:: console\n   :class: command-output\n\n((?:   .*\n|\n)+)",
        re.M,
    )
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for found in block.finditer(text):
            line = text.count("\n", 0, found.start()) + 1
            steps: list[tuple[str, list[str]]] = []
            for raw in found.group(1).rstrip("\n").split("\n"):
                body = raw[3:]
                if body.startswith("$ "):
                    steps.append((body[2:], []))
                else:
                    steps[-1][1].append(body)
            where = f"{page.relative_to(DOCS)}:{line}"
            yield where, [(cmd, "\n".join(out)) for cmd, out in steps]


COMMAND_BLOCKS = list(_command_blocks())


def test_pages_show_command_output() -> None:
    assert COMMAND_BLOCKS, "no console block is checked"


@pytest.mark.parametrize(
    "steps", [steps for _, steps in COMMAND_BLOCKS], ids=[w for w, _ in COMMAND_BLOCKS]
)
def test_commands_give_the_output_shown(steps: list[tuple[str, str]]) -> None:
    script = "".join(
        f'{command} 2>&1; __status=$?; echo "{_MARK}"; (exit $__status)\n'
        for command, _ in steps
    )
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "PYTHONUNBUFFERED": "1",
        # Warnings show as a user sees them (RouteConflictWarning); deprecation
        # warnings from installed packages (Flask-Limiter's on Flask 3.2) are
        # theirs, not on the pages.
        "PYTHONWARNINGS": "default,ignore::DeprecationWarning",
    }
    for name in ("FLASK_APP", "KOLBEN_APP", "FLASK_DEBUG"):
        env.pop(name, None)
    run = subprocess.run(
        ["bash", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    outputs = run.stdout.replace(str(ROOT), SHOWN_ROOT).split(_MARK + "\n")
    got = [output.rstrip("\n") for output in outputs[: len(steps)]]
    assert got == [output for _, output in steps], run.stderr


def test_python_on_pages_is_an_example_or_an_included_file() -> None:
    """No page shows Python that nothing runs: a ``code-block:: python`` is
    neither a doctest nor a tested file."""
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"code-block:: (python|py|pycon)\b", text), page
        for included in re.findall(r"literalinclude:: (\S+)", text):
            path = (page.parent / included).resolve()
            assert path.is_file(), (page, included)
            if path.suffix == ".py":
                assert path.is_relative_to(ROOT / "examples"), (page, included)
