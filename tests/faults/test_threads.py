"""16 threads routing through one app give exactly the answers one thread
gives: in-process (``KOLBEN_THREAD_REQUESTS`` a thread, 100,000 by default),
and under gunicorn's gthread workers over HTTP (``KOLBEN_THREAD_HTTP_REQUESTS``
a thread, 2,000 by default)."""

from __future__ import annotations

import http.client
import io
import os
import sys
import threading
import typing as t
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

import pytest

from production.servers import free_port, gunicorn, serving

from .apps import app, serve

THREADS = 16
REQUESTS_IN_PROCESS = int(os.environ.get("KOLBEN_THREAD_REQUESTS", "100000"))
REQUESTS_OVER_HTTP = int(os.environ.get("KOLBEN_THREAD_HTTP_REQUESTS", "2000"))

#: method, path: a match of each converter, values built back by ``url_for``,
#: a session, 404s, 405s, redirects (strict slashes, merged slashes, a view's).
REQUESTS: list[tuple[str, str]] = [
    ("GET", "/"),
    *(("GET", f"/user/{name}") for name in ("ann", "b%C3%A9a", "x%2Fy", "a%20b")),
    *(("GET", f"/int/{n}") for n in (0, 7, 42, 10**12)),
    ("GET", "/float/-1.5"),
    ("GET", "/path/a/b/c.txt"),
    ("GET", "/uuid/12345678-1234-5678-1234-567812345678"),
    ("GET", "/any/a"),
    ("GET", "/any/c%20d"),
    ("GET", "/dir/"),
    ("GET", "/args?b=2&a=1&a=0"),
    ("GET", "/session"),
    ("GET", "/go"),
    *(("GET", f"/extra{i}/{i * 3}/page{i}") for i in (0, 17, 49)),
    ("GET", "/dir"),
    ("GET", "//user//ann"),
    ("GET", "/int/x"),
    ("GET", "/any/e"),
    ("GET", "/extra3/1/page4"),
    ("GET", "/nope"),
    ("POST", "/user/ann"),
    ("GET", "/form"),
    ("DELETE", "/json"),
    ("POST", "/form"),
    ("PUT", "/form"),
]

#: status, Location, body
Answer = tuple[str, t.Optional[str], bytes]


def _environ(method: str, target: str) -> dict[str, t.Any]:
    path, _, query = target.partition("?")
    return {
        "REQUEST_METHOD": method,
        # As a server passes it: the path's bytes, decoded as latin-1.
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "SCRIPT_NAME": "",
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "CONTENT_LENGTH": "0",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


def _call(method: str, target: str) -> Answer:
    """One request through the app, in-process."""
    status, headers, data = serve(app, _environ(method, target))
    return status, headers.get("Location"), data


def _fetch(conn: http.client.HTTPConnection, method: str, target: str) -> Answer:
    """One request over a kept-alive connection, sent again on a new one if the
    server had closed it (gunicorn closes a connection idle for 2 s, which a
    thread of a busy test process can be)."""
    body = b"" if method in ("POST", "PUT") else None
    try:
        conn.request(method, target, body=body)
        response = conn.getresponse()
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
        conn.close()
        conn.request(method, target, body=body)
        response = conn.getresponse()
    data = response.read()
    return f"{response.status} {response.reason}", response.getheader("Location"), data


def _in_threads(work: Callable[[int], list[str]]) -> list[str]:
    """``work(thread)`` on each of :data:`THREADS` threads, started together;
    the failures they report, and any exception they raise."""
    failures: list[str] = []
    start = threading.Barrier(THREADS)

    def run(thread: int) -> None:
        try:
            start.wait()
            failures.extend(work(thread))
        except BaseException as error:  # noqa: B036 - reported, not lost
            failures.append(f"thread {thread}: {error!r}")

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


@pytest.mark.timeout(60 + THREADS * REQUESTS_IN_PROCESS // 5000)
def test_in_process() -> None:
    expected = [_call(method, target) for method, target in REQUESTS]
    assert len({answer for answer in expected}) > len(REQUESTS) // 2
    count = len(REQUESTS)

    def work(thread: int) -> list[str]:
        wrong: list[str] = []
        for i in range(REQUESTS_IN_PROCESS):
            k = (i + thread) % count
            answer = _call(*REQUESTS[k])
            if answer != expected[k] and len(wrong) < 5:
                wrong.append(f"{REQUESTS[k]}: {answer!r} != {expected[k]!r}")
        return wrong

    # Switch threads five times as often as by default (more costs more time
    # than it finds), inside the request path as well as between requests.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-3)
    try:
        assert _in_threads(work) == []
    finally:
        sys.setswitchinterval(interval)


# Over 500 requests a second even on a busy machine.
@pytest.mark.timeout(120 + THREADS * REQUESTS_OVER_HTTP // 500)
def test_under_gunicorn_gthread() -> None:
    port = free_port()
    command = gunicorn("tests.faults.apps:app", port, workers=2, threads=8)
    with serving(command, port) as server:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        expected = [_fetch(conn, method, target) for method, target in REQUESTS]
        conn.close()
        count = len(REQUESTS)

        def work(thread: int) -> list[str]:
            wrong: list[str] = []
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                for i in range(REQUESTS_OVER_HTTP):
                    k = (i + thread) % count
                    answer = _fetch(conn, *REQUESTS[k])
                    if answer != expected[k] and len(wrong) < 5:
                        wrong.append(f"{REQUESTS[k]}: {answer!r} != {expected[k]!r}")
            finally:
                conn.close()
            return wrong

        failures = _in_threads(work)
        assert failures == [], server.output()[-4000:]
