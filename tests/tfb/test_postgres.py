"""The TechEmpower tests on a real PostgreSQL (``benches/tfb``): every
implementation, served by granian, gives the right answer to every test
(the verifier the benchmark runs before timing); the cluster is gone after
its block; a short run of the runner passes its checks."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from benches.tfb import apps, spec, verify

from production.servers import ROOT, free_port, granian, serving


@pytest.mark.timeout(300)
def test_every_implementation_answers_every_test(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(spec.DATABASE_URL_VARIABLE, database_url)
    monkeypatch.setenv(spec.POOL_SIZE_VARIABLE, "2")
    ports = {name: free_port() for name in apps.IMPLEMENTATIONS}
    with contextlib.ExitStack() as stack:
        for name, port in ports.items():
            app = f"benches.tfb.apps:{name}"
            stack.enter_context(serving(granian(app, port, blocking_threads=1), port))
        gets = {name: verify.server_get(port) for name, port in ports.items()}
        verify.check_all(gets, database_url)


@pytest.mark.timeout(120)
def test_cluster_is_stopped_and_removed(database_url: str) -> None:
    import psycopg
    from benches.tfb.cluster import postgres_server

    with postgres_server() as url:
        with psycopg.connect(url) as conn:
            row = conn.execute("SHOW data_directory").fetchone()
        assert row is not None
        data = Path(row[0])
        assert data.is_dir()
    assert not data.parent.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2).close()


@pytest.mark.timeout(300)
def test_runner_smoke(database_url: str) -> None:
    """One turn of one second per implementation on one test (the CI's
    smoke run: the runner's checks, not its timings)."""
    if shutil.which("wrk") is None:
        reason = "needs wrk: apt-get install wrk"
        if os.environ.get("KOLBEN_REQUIRE_WRK") == "1":
            pytest.fail(f"{reason} (KOLBEN_REQUIRE_WRK=1)", pytrace=False)
        pytest.skip(reason)
    result = subprocess.run(
        [
            sys.executable,
            "benches/tfb/run.py",
            *("--duration", "1", "--rounds", "1", "--server", "granian-1-bt1"),
            *("--test", "fortunes", "--pool-size", "2"),
            *("--database-url", database_url),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "unexpected statuses and bodies: 0" in result.stdout
    assert "| fortunes |" in result.stdout
