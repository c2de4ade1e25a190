"""The fault build: kolben with the test-only cargo feature ``fault-injection``
(a path segment ``__kolben_panic__`` makes the Rust router panic), installed in
a venv of its own that sees this environment's packages (Flask, the servers),
but not its kolben.

It is built once per session, a debug build, incrementally in
``target/fault-injection`` (about a minute from scratch on two cores, seconds
when nothing changed). Tests that need it are skipped when it cannot be built,
and fail instead when ``KOLBEN_REQUIRE_FAULTS=1`` (as in CI)."""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import json
import os
import shutil
import site
import subprocess
import sys
import typing as t
import venv
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from production.servers import (
    ROOT,
    Reply,
    Server,
    fetch,
    free_port,
    granian,
    gunicorn,
    serving,
    waitress,
)

#: The path segment that makes the fault build's router panic (rust/fault.rs).
PANIC_SEGMENT = "__kolben_panic__"

#: The start of the Rust panic's message.
PANIC_MESSAGE = f"fault injection: {PANIC_SEGMENT}"


def require(reason: str) -> t.NoReturn:
    """Skip the test for want of ``reason``, or fail it under
    ``KOLBEN_REQUIRE_FAULTS=1``."""
    if os.environ.get("KOLBEN_REQUIRE_FAULTS") == "1":
        pytest.fail(f"{reason} (KOLBEN_REQUIRE_FAULTS=1)", pytrace=False)
    pytest.skip(reason)


def _run(command: Sequence[str], env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise AssertionError(
            f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout


@pytest.fixture(scope="session")
def fault_python(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The python of a venv in which ``import kolben`` loads the fault build."""
    # maturin comes with the test extra, beside this python when not on PATH.
    scripts = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    maturin = shutil.which("maturin", path=scripts)
    if maturin is None or shutil.which("cargo") is None:
        require("the fault build needs maturin and cargo on PATH")
    where = tmp_path_factory.mktemp("fault-build")
    env = {**os.environ, "CARGO_TARGET_DIR": str(ROOT / "target" / "fault-injection")}
    features = "python,fault-injection"
    _run([maturin, "build", "--features", features, "-o", str(where)], env)
    (wheel,) = where.glob("kolben-*.whl")
    venv.create(where / "venv")
    python = str(where / "venv" / "bin" / "python")
    pip = [sys.executable, "-m", "pip", "--python", python, "install", "--quiet"]
    _run([*pip, "--no-deps", "--no-index", str(wheel)])
    # Then this environment's packages, after the venv's own: pip, seeing them
    # first, would find kolben installed already. A .pth line adds a directory
    # without reading the .pth files in it (an editable install of kolben).
    purelib = _run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]
    )
    Path(purelib.strip(), "_environment.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n"
    )
    located = _run([python, "-c", "import kolben; print(kolben.__file__)"])
    if not Path(located.strip()).is_relative_to(where):
        # A kolben installed (not editable) in this environment shadows it.
        require(f"the fault build is shadowed by {located.strip()}")
    return python


#: The servers the fault tests run, each with one worker process so that "the
#: same worker" is "the same process": the command for an app on a port.
SERVERS: dict[str, t.Callable[[str, int, str], list[str]]] = {
    "granian": lambda app, port, python: granian(app, port, python=python),
    "gunicorn": lambda app, port, python: gunicorn(app, port, workers=1, python=python),
    "waitress": lambda app, port, python: waitress(app, port, python=python),
}


@contextlib.contextmanager
def serve(kind: str, app: str, python: str = sys.executable) -> Iterator[Served]:
    """``app`` served by one worker of server ``kind``."""
    if kind == "waitress" and importlib.util.find_spec("waitress") is None:
        require("needs waitress: pip install waitress")
    port = free_port()
    with serving(SERVERS[kind](app, port, python), port) as server:
        yield Served(port, server)


@dataclasses.dataclass
class Served:
    """A running server: its port and process."""

    port: int
    server: Server

    def fetch(self, path: str, method: str = "GET") -> Reply:
        """One request, read whole."""
        return fetch(self.port, path, method)

    def pid(self) -> int:
        """The pid of the worker that answers."""
        reply = self.fetch("/pid")
        assert reply.status == 200, reply
        return int(json.loads(reply.body)["pid"])
