"""The verifier of the TechEmpower tests (``benches/tfb/verify.py``) passes the
right answers and names each wrong one: checked on the bare callable answering
from memory (no database), with one thing broken at a time."""

from __future__ import annotations

import json
import typing as t

import pytest
from benches.tfb import bare, spec, verify
from benches.tfb.memory import MemoryPool

SERVER_HEADERS = {"Server": "test", "Date": "Mon, 07 Dec 2026 22:22:50 GMT"}


def _world_rows() -> dict[int, int]:
    return {n: (n * 7919) % spec.WORLD_ROWS + 1 for n in range(1, spec.WORLD_ROWS + 1)}


def _checker(
    change: t.Callable[[str, int, dict[str, str], bytes], t.Any] | None = None,
    read_back: t.Callable[[dict[int, int]], dict[int, int]] | None = None,
) -> verify.Checker:
    """The checker of the bare app (answering from memory, with a server's
    headers added), its answers passed through ``change``, the stored rows
    through ``read_back``."""
    worlds = _world_rows()
    get = verify.wsgi_get(bare.make_app(MemoryPool(worlds)))

    def send(path: str) -> tuple[int, dict[str, str], bytes]:
        status, headers, body = get(path)
        headers = {**headers, **SERVER_HEADERS}
        if change is not None:
            changed = change(path, status, headers, body)
            if changed is not None:
                return t.cast(tuple[int, dict[str, str], bytes], changed)
        return status, headers, body

    def read() -> dict[int, int]:
        stored = dict(worlds)
        return stored if read_back is None else read_back(stored)

    return verify.Checker(send, read)


def test_right_answers_pass() -> None:
    assert _checker().check() == []


@pytest.mark.parametrize(
    ("value", "count"),
    [("0", 1), ("1", 1), ("20", 20), ("500", 500), ("501", 500), ("-3", 1)]
    + [("foo", 1), ("", 1), (None, 1), ("2.5", 1)],
)
def test_clamp_queries(value: str | None, count: int) -> None:
    assert spec.clamp_queries(value) == count


def _body(test: str, body: bytes) -> t.Callable[..., t.Any]:
    def change(path: str, status: int, headers: dict[str, str], _: bytes) -> t.Any:
        if path.split("?")[0] != spec.PATHS[test]:
            return None
        return status, {**headers, "Content-Length": str(len(body))}, body

    return change


def _header(test: str, name: str, value: str | None) -> t.Callable[..., t.Any]:
    def change(path: str, status: int, headers: dict[str, str], body: bytes) -> t.Any:
        if path.split("?")[0] != spec.PATHS[test]:
            return None
        headers = {k: v for k, v in headers.items() if k.lower() != name.lower()}
        if value is not None:
            headers[name] = value
        return status, headers, body

    return change


def _page(rows: list[tuple[int, str]], escape: bool = True) -> bytes:
    import html

    cells = "".join(
        f"<tr><td>{i}</td><td>{html.escape(m) if escape else m}</td></tr>"
        for i, m in rows
    )
    return (
        "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
        f"<tr><th>id</th><th>message</th></tr>{cells}</table></body></html>"
    ).encode()


_SORTED = spec.sorted_fortunes(spec.FORTUNES.items())


def _every_answer_as(rows: int) -> t.Callable[..., t.Any]:
    """``/queries`` always answers ``rows`` rows (ignoring the parameter)."""

    def change(path: str, status: int, headers: dict[str, str], body: bytes) -> t.Any:
        if not path.startswith(spec.PATHS["queries"]):
            return None
        value = [
            {"id": n, "randomNumber": (n * 7919) % 10_000 + 1}
            for n in range(1, rows + 1)
        ]
        data = json.dumps(value).encode()
        return status, {**headers, "Content-Length": str(len(data))}, data

    return change


#: (what is broken, the answers' change, the stored rows' change, a word the
#: problem names)
BROKEN: list[tuple[str, t.Any, t.Any, str]] = [
    ("json body", _body("json", b'{"message": "Hello"}'), None, "/json"),
    (
        "json extra key",
        _body("json", b'{"message": "Hello, World!", "a": 1}'),
        None,
        "/json",
    ),
    ("json not JSON", _body("json", b"Hello, World!"), None, "not JSON"),
    ("plaintext body", _body("plaintext", b"Hello, World"), None, "/plaintext"),
    (
        "content type",
        _header("json", "Content-Type", "text/html"),
        None,
        "Content-Type",
    ),
    (
        "plaintext as html",
        _header("plaintext", "Content-Type", spec.HTML),
        None,
        "Content-Type",
    ),
    (
        "fortunes without charset",
        _header("fortunes", "Content-Type", "text/html"),
        None,
        "Content-Type",
    ),
    ("no Server", _header("db", "Server", None), None, "Server"),
    ("bad Date", _header("db", "Date", "yesterday"), None, "Date"),
    ("wrong length", _header("json", "Content-Length", "3"), None, "Content-Length"),
    ("no length", _header("json", "Content-Length", None), None, "Content-Length"),
    (
        "db as a list",
        _body("db", b'[{"id": 1, "randomNumber": 1}]'),
        None,
        "not an object",
    ),
    ("db id out of range", _body("db", b'{"id": 0, "randomNumber": 1}'), None, "id 0"),
    (
        "db number a string",
        _body("db", b'{"id": 1, "randomNumber": "1"}'),
        None,
        "randomNumber",
    ),
    (
        "db not as stored",
        None,
        lambda rows: {k: v % 10_000 + 1 for k, v in rows.items()},
        "not read?",
    ),
    ("queries count", _every_answer_as(20), None, "rows, expected"),
    ("updates not written", None, lambda rows: _world_rows(), "not written?"),
    (
        "fortunes unescaped",
        _body("fortunes", _page(_SORTED, escape=False)),
        None,
        "stray <script>",
    ),
    (
        "fortunes unsorted",
        _body("fortunes", _page(sorted(_SORTED))),
        None,
        "sorted by message",
    ),
    (
        "fortunes without the added one",
        _body("fortunes", _page([r for r in _SORTED if r[0]])),
        None,
        "12 rows, expected 13",
    ),
    (
        "fortunes no header row",
        _body("fortunes", _page(_SORTED).replace(b"<th>id</th>", b"<th>n</th>")),
        None,
        "header row",
    ),
    (
        "status",
        lambda p, s, h, b: (500, h, b) if p == "/db" else None,
        None,
        "status 500",
    ),
]


@pytest.mark.parametrize(
    ("change", "read_back", "named"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_wrong_answers_are_named(change: t.Any, read_back: t.Any, named: str) -> None:
    problems = _checker(change, read_back).check()
    assert problems, "the broken answer passed"
    assert any(named in problem for problem in problems), problems


def test_check_all_raises_naming_the_implementation() -> None:
    worlds = _world_rows()
    good = verify.wsgi_get(bare.make_app(MemoryPool(worlds)))

    def bad(path: str) -> tuple[int, dict[str, str], bytes]:
        status, headers, body = good(path)
        return (404, headers, body) if path == "/plaintext" else (status, headers, body)

    with pytest.raises(
        verify.WrongAnswer, match=r"(?s)nothing timed.*broken /plaintext: status 404"
    ):
        verify.check_all({"good": good, "broken": bad}, "unused", ["plaintext"], False)
