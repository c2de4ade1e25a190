"""Serving files leaks no file descriptor: 10,000 mixed static requests through
the WSGI callable leave the process's open-fd count where it was."""

from __future__ import annotations

import gc
import gzip
import os
import typing as t
from pathlib import Path

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wsgi import FileWrapper

import kolben

REQUESTS = 10_000
BODY = bytes(range(256)) * 256  # 64 KiB: several chunks of 8 KiB

pytestmark = pytest.mark.skipif(
    not os.path.isdir("/proc/self/fd"), reason="counts fds in /proc/self/fd"
)


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _environs(app: kolben.Kolben) -> list[tuple[str, dict[str, t.Any], str]]:
    """(kind, environ, expected status) for each kind of request."""
    etags = {}
    for coding in ["identity", "gzip", "br"]:
        rv = app.test_client().get(
            "/static/app.bin", headers={"Accept-Encoding": coding}
        )
        etags[coding] = rv.headers["ETag"]
        rv.close()

    def env(path: str, method: str = "GET", **headers: str) -> dict[str, t.Any]:
        h = {k.replace("_", "-"): v for k, v in headers.items()}
        return EnvironBuilder(path, method=method, headers=h).get_environ()

    url = "/static/app.bin"
    wrapped = env(url)
    wrapped["wsgi.file_wrapper"] = FileWrapper
    return [
        ("full", env(url), "200 OK"),
        ("head", env(url, "HEAD"), "200 OK"),
        ("range", env(url, Range="bytes=100-20000"), "206 PARTIAL CONTENT"),
        ("etag", env(url, If_None_Match=etags["identity"]), "304 NOT MODIFIED"),
        ("aborted", env(url), "200 OK"),
        ("gzip", env(url, Accept_Encoding="gzip"), "200 OK"),
        (
            "br-range",
            env(url, Accept_Encoding="br", Range="bytes=0-9"),
            "206 PARTIAL CONTENT",
        ),
        (
            "gzip-304",
            env(url, Accept_Encoding="gzip", If_None_Match=etags["gzip"]),
            "304 NOT MODIFIED",
        ),
        ("br-aborted", env(url, Accept_Encoding="br"), "200 OK"),
        ("br-head", env(url, "HEAD", Accept_Encoding="br"), "200 OK"),
        ("416", env(url, Range="bytes=999999-"), "416 REQUESTED RANGE NOT SATISFIABLE"),
        ("missing", env("/static/missing.bin"), "404 NOT FOUND"),
        ("file-wrapper", wrapped, "200 OK"),
    ]


def test_no_fd_leak(tmp_path: Path) -> None:
    folder = tmp_path / "static"
    folder.mkdir()
    (folder / "app.bin").write_bytes(BODY)
    (folder / "app.bin.gz").write_bytes(gzip.compress(BODY, mtime=0))
    (folder / "app.bin.br").write_bytes(BODY[::7])
    app = kolben.Kolben("fds", root_path=str(tmp_path))
    kinds = _environs(app)
    statuses: list[str] = []

    def start_response(status: str, headers: t.Any, exc_info: t.Any = None) -> t.Any:
        statuses.append(status)

    def serve(kind: str, environ: dict[str, t.Any]) -> None:
        body = app.wsgi_app(dict(environ), start_response)
        try:
            if kind.endswith("aborted"):
                next(iter(body))
            else:
                for _chunk in body:
                    pass
        finally:
            if hasattr(body, "close"):
                body.close()

    for kind, environ, expected in kinds:  # warm up, and check each kind
        serve(kind, environ)
        assert statuses.pop() == expected, kind

    gc.collect()
    before = _open_fds()
    gc.disable()  # a file kept alive by a cycle must show up, not be collected
    try:
        for i in range(REQUESTS):
            kind, environ, _ = kinds[i % len(kinds)]
            serve(kind, environ)
        after = _open_fds()
    finally:
        gc.enable()
    assert len(statuses) == REQUESTS
    assert after == before
