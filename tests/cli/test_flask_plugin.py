"""kolben's ``flask.commands`` entry points never take Flask's command line
down: on a Flask kolben cannot run on, ``flask`` works as without kolben,
``routes`` is Flask's own and ``bench`` says why it cannot run.

"Cannot run" is made by hand in a fresh interpreter: kolben's native module
is made unimportable before Flask loads its entry points, as a wheel built for
another platform, or a Flask kolben does not know, leaves kolben."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

_APP = """\
import flask

app = flask.Flask(__name__)
app.add_url_rule("/user/<int:id>", "user", lambda id: str(id), methods=["GET", "POST"])
app.add_url_rule("/", "index", lambda: "hi")
"""

#: Runs Flask's own ``flask`` command line (``flask.cli.main``) with the
#: arguments after the first; ``BREAK`` first makes kolben's native module
#: unimportable.
_RUNNER = """\
import sys
if sys.argv[1] == "BREAK":
    sys.modules["kolben._router"] = None
from flask.cli import main
sys.argv = ["flask", *sys.argv[2:]]
main()
"""


def _flask(folder: Path, broken: bool, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _RUNNER, "BREAK" if broken else "OK", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=folder,
        # kolben as installed where the tests run (editable, or a wheel).
        env={"PATH": "", "FLASK_SKIP_DOTENV": "1"},
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "stock.py").write_text(textwrap.dedent(_APP))
    return tmp_path


def _flask_routes(folder: Path) -> str:
    """What Flask's own ``routes`` command prints for the app, called directly."""
    code = (
        "from flask.cli import ScriptInfo, routes_command\n"
        "from click.testing import CliRunner\n"
        "info = ScriptInfo(app_import_path='stock')\n"
        "print(CliRunner().invoke(routes_command, obj=info).output, end='')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=folder
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_kolben_that_cannot_load_leaves_flask_help_working(folder: Path) -> None:
    done = _flask(folder, True, "--app", "stock", "--help")
    assert done.returncode == 0, done.stderr
    assert "  routes " in done.stdout
    assert "  bench " in done.stdout and "(unavailable)" in done.stdout
    assert "Traceback" not in done.stderr


def test_kolben_that_cannot_load_leaves_flask_routes(folder: Path) -> None:
    done = _flask(folder, True, "--app", "stock", "routes")
    assert done.returncode == 0, done.stderr
    assert done.stdout == _flask_routes(folder)
    assert "user" in done.stdout


def test_kolben_that_cannot_load_says_why_in_bench(folder: Path) -> None:
    done = _flask(folder, True, "--app", "stock", "bench")
    assert done.returncode == 1
    assert "kolben cannot load: ModuleNotFoundError" in done.stderr
    assert "Traceback" not in done.stderr


def test_kolben_that_loads_adds_check_to_routes(folder: Path) -> None:
    """The same runner with kolben whole: its ``routes`` (with ``--check``)."""
    done = _flask(folder, False, "--app", "stock", "routes", "--check")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("No conflicts among")
    broken = _flask(folder, True, "--app", "stock", "routes", "--check")
    assert broken.returncode == 2
    assert "No such option" in broken.stderr and "--check" in broken.stderr
