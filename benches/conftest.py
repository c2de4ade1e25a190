"""Fixtures of the routing benchmarks: the tables and peer routers of
:mod:`kolben.bench` (which ``kolben bench`` times too), built once per session,
and the ``table_name`` parameter.
"""

from __future__ import annotations

import pytest

from kolben.bench import (
    TABLE_NAMES,
    falcon_router,
    get_table,
    kolben_map,
    matchit_router,
    werkzeug_map,
)


class Tables:
    """The benchmark tables and every peer's router for them, built once."""

    table = staticmethod(get_table)
    werkzeug_map = staticmethod(werkzeug_map)
    kolben_map = staticmethod(kolben_map)
    falcon_router = staticmethod(falcon_router)
    matchit_router = staticmethod(matchit_router)


@pytest.fixture(scope="session")
def tables() -> Tables:
    """Tables and routers, cached for the whole session."""
    return Tables()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that takes ``table_name`` on every table."""
    if "table_name" in metafunc.fixturenames:
        metafunc.parametrize("table_name", TABLE_NAMES)
