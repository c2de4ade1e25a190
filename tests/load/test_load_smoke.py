"""A short run of the load benchmark (``benches/load.py``): every app and
framework under granian, kolben under gunicorn's gthread workers, one second a
case. It passes when no request fails and every answer is the expected one;
the timings are not judged. Without the bench extra it is skipped; without
``wrk`` too, or it fails under ``KOLBEN_REQUIRE_WRK=1`` (as in CI)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys

import pytest

from production.servers import ROOT

RUNS = [
    ["--server", "granian-1"],
    ["--server", "gunicorn-gthread", "--framework", "kolben"],
]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("selection", RUNS, ids=["granian", "gunicorn-gthread"])
def test_load_smoke(selection: list[str]) -> None:
    if importlib.util.find_spec("falcon") is None:
        pytest.skip("needs the bench extra (Falcon): pip install kolben[bench]")
    if shutil.which("wrk") is None:
        reason = "needs wrk: apt-get install wrk"
        if os.environ.get("KOLBEN_REQUIRE_WRK") == "1":
            pytest.fail(f"{reason} (KOLBEN_REQUIRE_WRK=1)", pytrace=False)
        pytest.skip(reason)
    result = subprocess.run(
        [
            sys.executable,
            "benches/load.py",
            "--duration",
            "1",
            "--rounds",
            "1",
            *selection,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "unexpected statuses and bodies: 0" in result.stdout
