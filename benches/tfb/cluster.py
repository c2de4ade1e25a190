"""A throwaway PostgreSQL server for the benchmark and its tests: Debian's
``postgresql`` package, a fresh cluster in a temporary directory, listening on
a free port of 127.0.0.1 only, run as an unprivileged user (``initdb`` refuses
root: as root, the cluster belongs to ``nobody``), stopped and removed when the
``with`` block ends, however it ends. :func:`load` creates and fills the
tables.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import os
import pwd
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import typing as t
from collections.abc import Iterator
from pathlib import Path

from benches.tfb import spec

#: Where Debian installs the server's programs (one folder per major version).
_DEBIAN_BIN = "/usr/lib/postgresql/*/bin"
#: The user a root process runs the cluster as.
UNPRIVILEGED_USER = "nobody"
DATABASE = "hello_world"
START_TIMEOUT = 60.0


class NoPostgres(RuntimeError):
    """PostgreSQL's server programs are not installed."""


def server_programs() -> Path:
    """The folder of ``initdb`` and ``postgres``: Debian's newest, else the
    one on ``PATH``.

    :raises NoPostgres: neither is there.
    """
    folders = sorted(
        glob.glob(_DEBIAN_BIN), key=lambda p: int(Path(p).parent.name.split(".")[0])
    )
    for folder in reversed(folders):
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    initdb = shutil.which("initdb")
    if initdb is not None:
        return Path(initdb).resolve().parent
    raise NoPostgres(
        "needs PostgreSQL's server: apt-get install postgresql (Debian's package)"
    )


def _user() -> pwd.struct_passwd | None:
    """The user to run the cluster as: ``nobody`` for root, else none (the
    caller's own)."""
    return pwd.getpwnam(UNPRIVILEGED_USER) if os.geteuid() == 0 else None


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _child_setup() -> None:
    """In the server's process: a process group of its own (a Ctrl-C on the
    terminal reaches the benchmark, which stops the server in order), and
    (Linux) a fast shutdown when the thread that started it ends."""
    os.setpgid(0, 0)
    if sys.platform == "linux":
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGINT)


def _run(command: list[str], user: pwd.struct_passwd | None) -> None:
    kwargs: dict[str, t.Any] = {}
    if user is not None:
        kwargs.update(user=user.pw_uid, group=user.pw_gid, extra_groups=[])
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
        **kwargs,
    )
    if result.returncode:
        raise RuntimeError(
            f"{' '.join(command)} failed ({result.returncode}):\n"
            f"{result.stdout}{result.stderr}"
        )


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A new PostgreSQL cluster with an empty database ``hello_world``, its
    URL given to the block; stopped (fast shutdown) and its directory removed
    when the block ends, also on an error, Ctrl-C or SIGTERM.

    :raises NoPostgres: the server is not installed.
    """
    programs = server_programs()
    user = _user()
    root = Path(tempfile.mkdtemp(prefix="kolben-tfb-pg-"))
    process: subprocess.Popen[bytes] | None = None
    restore_sigterm = _sigterm_as_exit()
    try:
        if user is not None:
            os.chown(root, user.pw_uid, user.pw_gid)
        data = root / "data"
        _run(
            [
                str(programs / "initdb"),
                *("-D", str(data), "-U", "bench", "-A", "trust"),
                *("-E", "UTF8", "--locale", "C", "--no-instructions"),
            ],
            user,
        )
        port = _free_port()
        log = open(root / "server.log", "wb")  # noqa: SIM115
        kwargs: dict[str, t.Any] = {}
        if user is not None:
            kwargs.update(user=user.pw_uid, group=user.pw_gid, extra_groups=[])
        with log:
            process = subprocess.Popen(
                [
                    str(programs / "postgres"),
                    *("-D", str(data), "-p", str(port), "-k", str(root)),
                    *("-c", "listen_addresses=127.0.0.1"),
                    # A throwaway cluster: a commit need not wait for the disk.
                    *("-c", "synchronous_commit=off", "-c", "fsync=off"),
                    *("-c", "max_connections=200"),
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_child_setup,
                **kwargs,
            )
        url = f"postgresql://bench@127.0.0.1:{port}"
        _wait_until_ready(process, url, root / "server.log")
        _create_database(url)
        yield f"{url}/{DATABASE}"
    finally:
        try:
            if process is not None:
                _stop(process)
        finally:
            shutil.rmtree(root, ignore_errors=True)
            restore_sigterm()


def _sigterm_as_exit() -> t.Callable[[], None]:
    """Make SIGTERM raise ``SystemExit`` in the main thread (so that the
    ``finally`` above runs); returns what restores the handler before."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    before = signal.getsignal(signal.SIGTERM)
    if before not in (signal.SIG_DFL, None):
        return lambda: None

    def exit_(signum: int, frame: t.Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, exit_)
    return lambda: signal.signal(signal.SIGTERM, before)


def _wait_until_ready(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    import psycopg

    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"postgres exited with {process.returncode}:\n"
                + log.read_text(errors="replace")
            )
        try:
            psycopg.connect(f"{url}/postgres", connect_timeout=5).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"postgres did not answer within {START_TIMEOUT} s:\n"
                    + log.read_text(errors="replace")
                ) from None
            time.sleep(0.1)


def _create_database(url: str) -> None:
    import psycopg

    with psycopg.connect(f"{url}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {DATABASE}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Fast shutdown (SIGINT: clients disconnected, no waiting for them), then
    SIGKILL to the process group if it hangs."""
    for sig in (signal.SIGINT, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            if sig == signal.SIGKILL:
                os.killpg(process.pid, sig)
            else:
                process.send_signal(sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            continue
        return


def load(url: str, seed: int | None = None) -> None:
    """Create the World table (10,000 rows, random numbers 1..10,000) and the
    Fortune table (the twelve messages), replacing any there."""
    import psycopg

    chance = random.Random(seed)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS World, Fortune")
        conn.execute(
            "CREATE TABLE World (id integer PRIMARY KEY,"
            " randomNumber integer NOT NULL DEFAULT 0)"
        )
        conn.execute(
            "CREATE TABLE Fortune (id integer PRIMARY KEY,"
            " message varchar(2048) NOT NULL)"
        )
        with conn.cursor().copy("COPY World (id, randomNumber) FROM STDIN") as copy:
            for n in range(1, spec.WORLD_ROWS + 1):
                copy.write_row((n, chance.randint(1, spec.WORLD_ROWS)))
        with conn.cursor().copy("COPY Fortune (id, message) FROM STDIN") as copy:
            for row in spec.FORTUNES.items():
                copy.write_row(row)
        conn.execute("ANALYZE World, Fortune")


@contextlib.contextmanager
def database(url: str | None = None) -> Iterator[str]:
    """The URL of a loaded database: ``url``'s (its tables replaced), or a
    throwaway server's (:func:`postgres_server`)."""
    if url is not None:
        load(url)
        yield url
        return
    with postgres_server() as started:
        load(started)
        yield started
