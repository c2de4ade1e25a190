"""A PostgreSQL cluster for the TechEmpower tests (``benches/tfb``), started
once for the session as the benchmark starts it. Without the bench extra
(psycopg, Falcon) the tests that need it are skipped; without PostgreSQL's
server too, naming Debian's package, or they fail under
``KOLBEN_REQUIRE_POSTGRES=1`` (as in CI)."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator

import pytest

from production.servers import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """The URL of a throwaway cluster with the World and Fortune tables."""
    for module, package in (
        ("psycopg", "psycopg[binary]"),
        ("psycopg_pool", "psycopg-pool"),
        ("falcon", "falcon"),
    ):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"needs {package}: pip install kolben[bench]")
    from benches.tfb.cluster import NoPostgres, database, server_programs

    try:
        server_programs()
    except NoPostgres:
        reason = "needs PostgreSQL's server: apt-get install postgresql"
        if os.environ.get("KOLBEN_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{reason} (KOLBEN_REQUIRE_POSTGRES=1)", pytrace=False)
        pytest.skip(reason)
    with database() as url:
        yield url
