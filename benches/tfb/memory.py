"""A stand-in for the connection pool that answers :mod:`benches.tfb.db`'s
statements from memory: the rows of a World table (updates kept) and the
Fortune table. The in-process breakdown uses it to take the database's time
and variance out of a request, and the verifier's tests to serve known
answers without PostgreSQL."""

from __future__ import annotations

import contextlib
import typing as t
from collections.abc import Iterator, Sequence

from benches.tfb import db, spec


class _Rows:
    def __init__(self, rows: list[tuple[t.Any, ...]]) -> None:
        self._rows = rows

    def fetchone(self) -> tuple[t.Any, ...] | None:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[tuple[t.Any, ...]]:
        return list(self._rows)


class MemoryConnection:
    """Answers :mod:`benches.tfb.db`'s statements from memory."""

    def __init__(self, worlds: dict[int, int], fortunes: list[tuple[int, str]]):
        self._worlds = worlds
        self._fortunes = fortunes

    def execute(self, query: str, params: Sequence[t.Any] = ()) -> _Rows:
        if query == db.SELECT_WORLD:
            (key,) = params
            return _Rows([(key, self._worlds[key])])
        if query == db.SELECT_FORTUNES:
            return _Rows(self._fortunes)
        raise ValueError(f"not answered in memory: {query}")

    def executemany(self, query: str, params: Sequence[Sequence[t.Any]]) -> None:
        if query != db.UPDATE_WORLD:
            raise ValueError(f"not answered in memory: {query}")
        for number, key in params:
            self._worlds[key] = number

    def cursor(self) -> MemoryConnection:
        return self

    def transaction(self) -> contextlib.nullcontext[None]:
        return contextlib.nullcontext()


class MemoryPool:
    """A stand-in for the connection pool, answering from memory."""

    def __init__(self, worlds: dict[int, int]) -> None:
        self._connection = MemoryConnection(worlds, list(spec.FORTUNES.items()))

    @contextlib.contextmanager
    def connection(self) -> Iterator[MemoryConnection]:
        yield self._connection
