"""The database work of the raw-``psycopg`` implementations, the same
statements for each: one pool a process, one statement a query.

Every statement is sent as it is written here; psycopg prepares a statement on
the server once it has been run a few times on a connection, which any app
on psycopg gets.
"""

from __future__ import annotations

import os
import typing as t

from benches.tfb import spec

if t.TYPE_CHECKING:  # pragma: no cover
    from psycopg_pool import ConnectionPool

SELECT_WORLD = "SELECT id, randomNumber FROM World WHERE id = %s"
SELECT_FORTUNES = "SELECT id, message FROM Fortune"
UPDATE_WORLD = "UPDATE World SET randomNumber = %s WHERE id = %s"


def database_url() -> str:
    """The database the apps of this process use (set by the runner)."""
    try:
        return os.environ[spec.DATABASE_URL_VARIABLE]
    except KeyError:
        raise RuntimeError(
            f"{spec.DATABASE_URL_VARIABLE} names no database: run the apps through"
            " benches/tfb/run.py, or set it to a PostgreSQL URL"
        ) from None


def pool_size() -> int:
    """Connections a process keeps (the same for every implementation)."""
    return int(os.environ.get(spec.POOL_SIZE_VARIABLE, spec.DEFAULT_POOL_SIZE))


def make_pool(url: str | None = None, size: int | None = None) -> ConnectionPool:
    """A pool of ``size`` autocommit connections to ``url``, opened now."""
    from psycopg_pool import ConnectionPool

    size = pool_size() if size is None else size
    return ConnectionPool(
        database_url() if url is None else url,
        min_size=size,
        max_size=size,
        kwargs={"autocommit": True},
        open=True,
    )


def world(pool: ConnectionPool) -> dict[str, int]:
    """One random row of World, as the JSON object the tests answer."""
    with pool.connection() as conn:
        row = conn.execute(SELECT_WORLD, (spec.random_id(),)).fetchone()
    assert row is not None
    return {"id": row[0], "randomNumber": row[1]}


def worlds(pool: ConnectionPool, count: int) -> list[dict[str, int]]:
    """``count`` random rows of World, one query each."""
    with pool.connection() as conn:
        cursor = conn.cursor()
        rows = []
        for _ in range(count):
            row = cursor.execute(SELECT_WORLD, (spec.random_id(),)).fetchone()
            assert row is not None
            rows.append({"id": row[0], "randomNumber": row[1]})
    return rows


def fortunes(pool: ConnectionPool) -> list[tuple[int, str]]:
    """The Fortune table, with the added fortune, sorted by message."""
    with pool.connection() as conn:
        rows = conn.execute(SELECT_FORTUNES).fetchall()
    return spec.sorted_fortunes(rows)


def update_worlds(pool: ConnectionPool, count: int) -> list[dict[str, int]]:
    """``count`` random rows of World, read one query each, each given a new
    random number, written in one transaction (one batch of statements, in id
    order so that concurrent requests cannot deadlock)."""
    with pool.connection() as conn:
        cursor = conn.cursor()
        rows = []
        for _ in range(count):
            row = cursor.execute(SELECT_WORLD, (spec.random_id(),)).fetchone()
            assert row is not None
            rows.append({"id": row[0], "randomNumber": spec.random_id()})
        # Stable: of an id read twice, the later row is written last.
        changes = sorted(((r["randomNumber"], r["id"]) for r in rows), key=_id)
        with conn.transaction():
            cursor.executemany(UPDATE_WORLD, changes)
    return rows


def _id(change: tuple[int, int]) -> int:
    return change[1]
