"""What every implementation of the six tests answers, from TechEmpower's
published requirements: the URLs, the ``queries`` parameter, the answers'
content types and shapes, and the data of the two tables.

The implementations share this module and :mod:`benches.tfb.db` (the same
queries on the same pool), so that what differs between them is the
framework alone.
"""

from __future__ import annotations

import random
import typing as t
from pathlib import Path

#: test -> the path it is requested on (``/queries`` and ``/updates`` take
#: ``?queries=N``).
PATHS: dict[str, str] = {
    "json": "/json",
    "db": "/db",
    "queries": "/queries",
    "fortunes": "/fortunes",
    "updates": "/updates",
    "plaintext": "/plaintext",
}
TESTS = tuple(PATHS)

#: The rows of the World table (ids 1 to 10,000).
WORLD_ROWS = 10_000
#: ``queries`` is clamped to this range; a value that is not a number is 1.
MIN_QUERIES, MAX_QUERIES = 1, 500

JSON = "application/json"
HTML = "text/html; charset=utf-8"
PLAIN = "text/plain"
#: test -> the Content-Type its answer must have (a ``; charset=utf-8`` after
#: JSON's or plain text's is allowed).
CONTENT_TYPES: dict[str, str] = {
    "json": JSON,
    "db": JSON,
    "queries": JSON,
    "fortunes": HTML,
    "updates": JSON,
    "plaintext": PLAIN,
}

HELLO = "Hello, World!"
#: The JSON test's object, made anew for each request.
MESSAGE_KEY = "message"

#: The Fortune table: id -> message (TechEmpower's twelve rows: one with
#: markup that must come out escaped, one not in ASCII).
FORTUNES: dict[int, str] = {
    1: "fortune: No such file or directory",
    2: "A computer scientist is someone who fixes things that aren't broken.",
    3: "After enough decimal places, nobody gives a damn.",
    4: "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
    5: "A computer program does what you tell it to do, not what you want it to do.",
    6: "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen",
    7: "Any program that runs right is obsolete.",
    8: "A list is only as strong as its weakest link. — Donald Knuth",
    9: "Feature: A bug with seniority.",
    10: "Computers make very fast, very accurate mistakes.",
    11: '<script>alert("This should not be displayed in a browser alert box.");'
    "</script>",
    12: "フレームワークのベンチマーク",
}
#: The fortune each request adds before sorting (it is not stored).
ADDED_FORTUNE = (0, "Additional fortune added at request time.")

#: The folder of the fortunes template, the one Jinja2 template every
#: implementation renders (autoescaped).
TEMPLATES = Path(__file__).resolve().parent / "templates"
FORTUNES_TEMPLATE = "fortunes.html"

#: The environment variables the apps read in the server's process.
DATABASE_URL_VARIABLE = "KOLBEN_TFB_DATABASE_URL"
POOL_SIZE_VARIABLE = "KOLBEN_TFB_POOL_SIZE"
#: Connections a process keeps open, the same for every implementation.
DEFAULT_POOL_SIZE = 4


def clamp_queries(value: str | None) -> int:
    """How many rows ``?queries=value`` asks for: a whole number clamped to
    1..500; 1 when it is missing or not a number."""
    try:
        count = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return MIN_QUERIES
    return min(max(count, MIN_QUERIES), MAX_QUERIES)


def random_id() -> int:
    """A random World id (1..10,000), also a random ``randomNumber``."""
    return random.randint(1, WORLD_ROWS)


def sorted_fortunes(rows: t.Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """The stored fortunes ``(id, message)`` with the added one, sorted by
    message."""
    fortunes = [*rows, ADDED_FORTUNE]
    fortunes.sort(key=lambda row: row[1])
    return fortunes
