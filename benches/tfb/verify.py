"""The verifier: each implementation's answer to each test checked against
TechEmpower's requirements before anything is timed.

- every answer: status 200, the test's ``Content-Type``, a ``Content-Length``
  that is the body's length, and from a real server ``Server`` and a ``Date``
  in HTTP's format;
- JSON: the object ``{"message": "Hello, World!"}``; plain text: the bytes
  ``Hello, World!``;
- single query: an object of exactly ``id`` and ``randomNumber``, integers in
  1..10,000, the row as it is in the database (read back);
- multiple queries and updates, for ``queries`` = 0, 1, 20, 501, a non-number,
  empty and missing: a list of 1, 1, 20, 500, 1, 1 and 1 such objects; the
  rows read back must hold the numbers answered (for updates: written, and at
  least 90 % of the 500 rows changed, as TechEmpower's check allows for a new
  number that happens to equal the old);
- fortunes: the table's rows, parsed from the HTML (``<script>`` must come
  escaped, so it parses as text), are the twelve fortunes and the added one,
  sorted by message, under a header row ``id``/``message``, titled
  ``Fortunes``.
"""

from __future__ import annotations

import email.utils
import json
import re
import typing as t
from collections.abc import Callable, Sequence
from html.parser import HTMLParser

from benches.tfb import spec

#: Sends one GET request for a path (with its query string): status, headers
#: (names in any case), body.
Get = Callable[[str], tuple[int, dict[str, str], bytes]]

#: ``queries`` values the multiple-queries and updates tests are checked with,
#: and the row count each must answer (``None``: the parameter is left out).
QUERY_CASES: tuple[tuple[str | None, int], ...] = (
    ("0", 1),
    ("1", 1),
    ("20", 20),
    ("501", 500),
    ("foo", 1),
    ("", 1),
    (None, 1),
)

_CONTENT_TYPE_PATTERNS = {
    spec.JSON: r"application/json(; ?charset=utf-8)?",
    spec.HTML: r"text/html; ?charset=utf-8",
    spec.PLAIN: r"text/plain(; ?charset=utf-8)?",
}


class WrongAnswer(Exception):
    """An implementation answered a test wrongly; the message names each
    wrong answer."""


def expected_fortunes() -> list[tuple[str, str]]:
    """The fortunes table's rows as the page must show them."""
    return [(str(i), m) for i, m in spec.sorted_fortunes(spec.FORTUNES.items())]


def check_headers(
    test: str, headers: dict[str, str], body: bytes, server_headers: bool
) -> list[str]:
    """What is wrong with the headers of an answer to ``test``."""
    problems = []
    lower = {k.lower(): v for k, v in headers.items()}
    content_type = lower.get("content-type", "")
    pattern = _CONTENT_TYPE_PATTERNS[spec.CONTENT_TYPES[test]]
    if not re.fullmatch(pattern, content_type, re.IGNORECASE):
        problems.append(f"Content-Type {content_type!r}, expected {pattern!r}")
    length = lower.get("content-length")
    if length is None or not length.isdigit() or int(length) != len(body):
        problems.append(f"Content-Length {length!r} for a body of {len(body)} bytes")
    if server_headers:
        if not lower.get("server"):
            problems.append("no Server header")
        date = lower.get("date")
        if date is None or email.utils.parsedate_tz(date) is None:
            problems.append(f"Date {date!r} is not an HTTP date")
    return problems


def _world_problems(value: t.Any) -> list[str]:
    if type(value) is not dict or set(value) != {"id", "randomNumber"}:
        return [f"{_short(value)} is not an object of id and randomNumber"]
    problems = []
    for key in ("id", "randomNumber"):
        number = value[key]
        if type(number) is not int or not 1 <= number <= spec.WORLD_ROWS:
            problems.append(f"{key} {number!r} is not an integer in 1..10000")
    return problems


def _short(value: t.Any, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}..."


class _FortunesPage(HTMLParser):
    """The title and the table rows (cell texts, entities decoded) of a page;
    tags other than the table's, the title's and the page's are noted."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.rows: list[list[str]] = []
        self.stray: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            if not self.rows:
                self.stray.append(f"<{tag}> outside a row")
                return
            self.rows[-1].append("")
            self._in = tag
        elif tag == "title":
            self._in = tag
        elif tag not in ("html", "head", "body", "table", "thead", "tbody", "meta"):
            self.stray.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th", "title"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in in ("td", "th"):
            self.rows[-1][-1] += data


def fortunes_problems(body: bytes) -> list[str]:
    """What is wrong with a fortunes page."""
    try:
        text = body.decode()
    except UnicodeDecodeError as error:
        return [f"not UTF-8: {error}"]
    if not text.lstrip().lower().startswith("<!doctype html>"):
        return ["does not start with <!DOCTYPE html>"]
    page = _FortunesPage()
    page.feed(text)
    page.close()
    problems = [f"stray {tag} (unescaped markup?)" for tag in page.stray]
    if page.title.strip() != "Fortunes":
        problems.append(f"title {page.title!r}")
    rows = [tuple(cell.strip() for cell in row) for row in page.rows]
    if not rows or rows[0] != ("id", "message"):
        problems.append(f"header row {rows[:1]!r}, expected ('id', 'message')")
    want = expected_fortunes()
    got = rows[1:]
    if got != want:
        wrong = [f"{g!r} != {w!r}" for g, w in zip(got, want) if g != w]
        problems.append(
            f"{len(got)} rows, expected {len(want)} (sorted by message): "
            + "; ".join(wrong[:3])
        )
    return problems


def _json(body: bytes) -> tuple[t.Any, list[str]]:
    try:
        return json.loads(body), []
    except ValueError as error:
        return None, [f"not JSON ({error}): {_short(body)}"]


class Checker:
    """Checks one implementation's answers: ``get`` sends a request to it,
    ``read_worlds`` reads World's numbers by id from the database the
    implementation uses."""

    def __init__(
        self,
        get: Get,
        read_worlds: Callable[[], dict[int, int]],
        server_headers: bool = True,
    ) -> None:
        self.get = get
        self.read_worlds = read_worlds
        self.server_headers = server_headers

    def _answer(self, test: str, query: str = "") -> tuple[t.Any, bytes, list[str]]:
        path = spec.PATHS[test] + query
        status, headers, body = self.get(path)
        problems = [] if status == 200 else [f"status {status}"]
        problems += check_headers(test, headers, body, self.server_headers)
        return path, body, problems

    def check(self, tests: Sequence[str] = spec.TESTS) -> list[str]:
        """Every problem with the answers to ``tests``, each named
        ``path: problem``."""
        problems: list[str] = []
        for test in tests:
            problems += getattr(self, f"_check_{test}")()
        return problems

    def _check_json(self) -> list[str]:
        path, body, problems = self._answer("json")
        value, bad = _json(body)
        problems += bad
        if not bad and value != {spec.MESSAGE_KEY: spec.HELLO}:
            problems.append(f"{_short(value)}, expected {{'message': 'Hello, World!'}}")
        return [f"{path}: {p}" for p in problems]

    def _check_plaintext(self) -> list[str]:
        path, body, problems = self._answer("plaintext")
        if body != spec.HELLO.encode():
            problems.append(f"body {_short(body)}, expected b'Hello, World!'")
        return [f"{path}: {p}" for p in problems]

    def _check_db(self) -> list[str]:
        path, body, problems = self._answer("db")
        value, bad = _json(body)
        problems += bad or _world_problems(value)
        if not problems:
            problems += self._stored("db", [value], self.read_worlds())
        return [f"{path}: {p}" for p in problems]

    def _stored(
        self, test: str, answered: list[dict[str, int]], stored: dict[int, int]
    ) -> list[str]:
        """Rows answered whose number is not the one stored (for an id
        answered twice, the later)."""
        last = {row["id"]: row["randomNumber"] for row in answered}
        differ = [i for i, n in last.items() if stored.get(i) != n]
        if not differ:
            return []
        i = differ[0]
        return [
            f"{len(differ)} of {len(last)} rows answered are not as stored"
            f" (id {i}: answered {last[i]}, stored {stored.get(i)})"
            + (" - not written?" if test == "updates" else " - not read?")
        ]

    def _check_list(self, test: str) -> list[str]:
        problems = []
        for value, count in QUERY_CASES:
            query = "" if value is None else f"?queries={value}"
            before = self.read_worlds() if test == "updates" else {}
            path, body, bad = self._answer(test, query)
            rows, not_json = _json(body)
            bad += not_json
            if not bad:
                if type(rows) is not list:
                    bad.append(f"{_short(rows)} is not a list")
                elif len(rows) != count:
                    bad.append(f"{len(rows)} rows, expected {count}")
                else:
                    bad += [p for row in rows[:5] for p in _world_problems(row)][:5]
            if not bad:
                after = self.read_worlds()
                bad += self._stored(test, rows, after)
                if test == "updates" and count == spec.MAX_QUERIES:
                    ids = {row["id"] for row in rows}
                    changed = sum(before[i] != after[i] for i in ids)
                    if changed < 0.9 * len(ids):
                        bad.append(f"only {changed} of {len(ids)} rows changed")
            problems += [f"{path}: {p}" for p in bad]
        return problems

    def _check_queries(self) -> list[str]:
        return self._check_list("queries")

    def _check_updates(self) -> list[str]:
        return self._check_list("updates")

    def _check_fortunes(self) -> list[str]:
        path, body, problems = self._answer("fortunes")
        if not problems:
            problems += fortunes_problems(body)
        return [f"{path}: {p}" for p in problems]


def world_reader(url: str) -> Callable[[], dict[int, int]]:
    """What reads World's numbers by id from the database at ``url``."""

    def read() -> dict[int, int]:
        import psycopg

        with psycopg.connect(url) as conn:
            rows = conn.execute("SELECT id, randomNumber FROM World").fetchall()
        return dict(rows)

    return read


def server_get(port: int) -> Get:
    """Send to the server on ``127.0.0.1:port``."""
    from production.servers import fetch  # tests/ on sys.path

    def get(path: str) -> tuple[int, dict[str, str], bytes]:
        reply = fetch(port, path)
        return reply.status, dict(reply.headers.items()), reply.body

    return get


def wsgi_get(app: t.Any) -> Get:
    """Send to the WSGI ``app`` in process (no server: no Server or Date)."""
    from werkzeug.test import Client

    client = Client(app)

    def get(path: str) -> tuple[int, dict[str, str], bytes]:
        response = client.get(path)
        return response.status_code, dict(response.headers.items()), response.data

    return get


def check_all(
    gets: dict[str, Get],
    url: str,
    tests: Sequence[str] = spec.TESTS,
    server_headers: bool = True,
) -> None:
    """Check every implementation (name -> how to send to it) on ``tests``.

    :raises WrongAnswer: an answer is wrong; the message names every one.
    """
    reader = world_reader(url)
    problems = [
        f"  {name} {problem}"
        for name, get in gets.items()
        for problem in Checker(get, reader, server_headers).check(tests)
    ]
    if problems:
        raise WrongAnswer("wrong answers, nothing timed:\n" + "\n".join(problems))
