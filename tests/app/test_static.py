"""Static files, send_file and send_from_directory: routes, conditional and
range requests, caching, precompressed siblings and immutable names."""

from __future__ import annotations

import gzip
import io
import os
import re
import typing as t
from datetime import timedelta
from pathlib import Path

import pytest
from werkzeug.datastructures import ResponseCacheControl
from werkzeug.exceptions import NotFound, RequestedRangeNotSatisfiable
from werkzeug.http import http_date, parse_cache_control_header
from werkzeug.test import EnvironBuilder

import kolben
from kolben import static

HERE = os.path.dirname(__file__)
CSS = b"body { color: red }\n" * 20
GZ = gzip.compress(CSS, mtime=0)
BR = b"\x8b\x00brotli-bytes-of-app.css\x03"  # no brotli module here; bytes suffice


def _get(
    client: t.Any, path: str, **kwargs: t.Any
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a request; the response is closed."""
    rv = client.open(path, **kwargs)
    try:
        return rv.status_code, dict(rv.headers), rv.get_data()
    finally:
        rv.close()


def _cc(value: str) -> ResponseCacheControl:
    return parse_cache_control_header(value, cls=ResponseCacheControl)


@pytest.fixture
def site(tmp_path: Path) -> kolben.Kolben:
    """An app in ``tmp_path`` with ``app.css`` (+ ``.br``/``.gz``), ``only.js``
    (+ ``.gz``), ``plain.txt`` and ``app.3f2a9c1b.css`` in its static folder."""
    folder = tmp_path / "static"
    folder.mkdir()
    (folder / "app.css").write_bytes(CSS)
    (folder / "app.css.gz").write_bytes(GZ)
    (folder / "app.css.br").write_bytes(BR)
    (folder / "only.js").write_bytes(b"let x = 1;\n")
    (folder / "only.js.gz").write_bytes(gzip.compress(b"let x = 1;\n", mtime=0))
    (folder / "plain.txt").write_bytes(b"plain\n")
    (folder / "app.3f2a9c1b.css").write_bytes(CSS)
    (folder / "app.3f2a9c1b.css.gz").write_bytes(GZ)
    app = kolben.Kolben("static_site", root_path=str(tmp_path))
    app.config["TESTING"] = True
    return app


def test_app_static_route(app: kolben.Kolben) -> None:
    client = app.test_client()
    rv = client.get("/static/file.txt")
    assert (rv.status_code, rv.data) == (200, b"static body\n")
    assert rv.headers["Cache-Control"] == "no-cache"
    etag = rv.headers["ETag"]
    rv.close()
    rv = client.get("/static/file.txt", headers={"If-None-Match": etag})
    assert rv.status_code == 304
    rv.close()
    assert client.get("/static/../conftest.py").status_code == 404
    assert client.get("/static/missing.txt").status_code == 404
    with app.test_request_context():
        assert kolben.url_for("static", filename="file.txt") == "/static/file.txt"


def test_static_url_path_and_no_static_folder() -> None:
    app = kolben.Kolben(__name__, static_url_path="/assets", root_path=HERE)
    rv = app.test_client().get("/assets/file.txt")
    assert rv.data == b"static body\n"
    rv.close()
    with app.test_request_context():
        assert kolben.url_for("static", filename="a b.txt") == "/assets/a%20b.txt"
    bare = kolben.Kolben(__name__, static_folder=None)
    assert "static" not in bare.view_functions
    with pytest.raises(RuntimeError, match="static_folder"):
        with bare.test_request_context():
            bare.send_static_file("file.txt")


@pytest.mark.parametrize(
    ("folder", "url_path", "url"),
    [
        ("static", None, "/static/file.txt"),
        ("static/", None, "/static/file.txt"),
        ("static", "", "/file.txt"),
        ("static", "/s/", "/s/file.txt"),
        (Path("static"), "/p", "/p/file.txt"),
    ],
)
def test_static_folder_and_url_path(
    folder: str | Path, url_path: str | None, url: str
) -> None:
    app = kolben.Kolben(
        __name__, static_folder=folder, static_url_path=url_path, root_path=HERE
    )
    assert app.static_folder == os.path.join(HERE, "static")
    assert _get(app.test_client(), url)[2] == b"static body\n"
    with app.test_request_context():
        assert kolben.url_for("static", filename="file.txt") == url


def test_static_host() -> None:
    app = kolben.Kolben(
        __name__, host_matching=True, static_host="cdn.test", root_path=HERE
    )
    app.config["SERVER_NAME"] = "app.test"
    client = app.test_client()
    assert _get(client, "http://cdn.test/static/file.txt")[0] == 200
    assert _get(client, "http://app.test/static/file.txt")[0] == 404
    with app.test_request_context():
        assert (
            kolben.url_for("static", filename="file.txt")
            == "http://cdn.test/static/file.txt"
        )
    with pytest.raises(AssertionError, match="static_host"):
        kolben.Kolben(__name__, static_host="cdn.test", root_path=HERE)


def test_blueprint_static_folder(app: kolben.Kolben) -> None:
    bp = kolben.Blueprint("bp", __name__, static_folder="static", url_prefix="/bp")
    bare = kolben.Blueprint("bare", __name__, url_prefix="/bare")
    own = kolben.Blueprint(
        "own", __name__, static_folder="static", static_url_path="/assets"
    )
    app.register_blueprint(bp)
    app.register_blueprint(bare)
    app.register_blueprint(own, url_prefix="/own")
    client = app.test_client()
    assert _get(client, "/bp/static/file.txt")[2] == b"static body\n"
    assert _get(client, "/own/assets/file.txt")[2] == b"static body\n"
    assert _get(client, "/bare/static/file.txt")[0] == 404
    with app.test_request_context():
        assert kolben.url_for("bp.static", filename="f.txt") == "/bp/static/f.txt"
        assert kolben.url_for("own.static", filename="f.txt") == "/own/assets/f.txt"
    with app.test_request_context("/bp/static/file.txt"):
        assert kolben.url_for(".static", filename="x") == "/bp/static/x"


def test_headers_of_a_file(app: kolben.Kolben) -> None:
    status, headers, body = _get(app.test_client(), "/static/file.txt")
    size = os.path.getsize(os.path.join(HERE, "static", "file.txt"))
    assert status == 200 and body == b"static body\n"
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert headers["Content-Length"] == str(size)
    assert headers["Accept-Ranges"] == "bytes"
    assert headers["ETag"].startswith('"') and headers["Last-Modified"]
    assert "Vary" not in headers
    assert _get(app.test_client(), "/static/missing.png")[0] == 404


@pytest.mark.parametrize(
    ("request_headers", "status"),
    [
        ({"If-None-Match": "{etag}"}, 304),
        ({"If-None-Match": '"other"'}, 200),
        ({"If-None-Match": "*"}, 304),
        ({"If-Modified-Since": "{last_modified}"}, 304),
        ({"If-Modified-Since": http_date(0)}, 200),
        ({"If-None-Match": '"other"', "If-Modified-Since": "{last_modified}"}, 200),
    ],
)
def test_conditional_requests(
    app: kolben.Kolben, request_headers: dict[str, str], status: int
) -> None:
    client = app.test_client()
    _, first, _ = _get(client, "/static/file.txt")
    sent = {
        k: v.format(etag=first["ETag"], last_modified=first["Last-Modified"])
        for k, v in request_headers.items()
    }
    code, headers, body = _get(client, "/static/file.txt", headers=sent)
    assert code == status
    if status == 304:
        assert body == b"" and headers["ETag"] == first["ETag"]
        assert "Content-Length" not in headers


@pytest.mark.parametrize(
    ("range_", "if_range", "status", "content_range", "body"),
    [
        ("bytes=0-5", None, 206, "bytes 0-5/12", b"static"),
        ("bytes=7-", None, 206, "bytes 7-11/12", b"body\n"),
        ("bytes=-5", None, 206, "bytes 7-11/12", b"body\n"),
        ("bytes=0-100", None, 206, "bytes 0-11/12", b"static body\n"),
        ("bytes=12-", None, 416, "bytes */12", b""),
        ("bytes=50-60", None, 416, "bytes */12", b""),
        ("bytes=0-5", "{etag}", 206, "bytes 0-5/12", b"static"),
        ("bytes=0-5", '"stale"', 200, None, b"static body\n"),
        ("bytes=0-5", "{last_modified}", 206, "bytes 0-5/12", b"static"),
        ("bytes=0-5", http_date(0), 200, None, b"static body\n"),
        ("lines=0-5", None, 416, "bytes */12", b""),  # Werkzeug: unknown unit
    ],
)
def test_range_requests(
    app: kolben.Kolben,
    range_: str,
    if_range: str | None,
    status: int,
    content_range: str | None,
    body: bytes,
) -> None:
    client = app.test_client()
    _, first, _ = _get(client, "/static/file.txt")
    sent = {"Range": range_}
    if if_range is not None:
        sent["If-Range"] = if_range.format(
            etag=first["ETag"], last_modified=first["Last-Modified"]
        )
    code, headers, data = _get(client, "/static/file.txt", headers=sent)
    assert code == status
    assert headers.get("Content-Range") == content_range
    if status != 416:
        assert data == body
        assert headers["Content-Length"] == str(len(body))


def test_head(app: kolben.Kolben) -> None:
    code, headers, body = _get(app.test_client(), "/static/file.txt", method="HEAD")
    assert (code, body) == (200, b"")
    assert headers["Content-Length"] == "12" and headers["ETag"]


@pytest.mark.parametrize(
    ("config", "max_age"),
    [(None, None), (0, 0), (60, 60), (timedelta(hours=1), 3600)],
)
def test_send_file_max_age(
    app: kolben.Kolben, config: int | timedelta | None, max_age: int | None
) -> None:
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = config
    _, headers, _ = _get(app.test_client(), "/static/file.txt")
    cc = _cc(headers["Cache-Control"])
    assert cc.max_age == max_age
    assert bool(cc.no_cache) is not max_age
    assert cc.public is bool(max_age)
    assert ("Expires" in headers) is (max_age is not None)


def test_get_send_file_max_age_override() -> None:
    class App(kolben.Kolben):
        def get_send_file_max_age(self, filename: str | None) -> int | None:
            return 10 if filename and filename.endswith(".txt") else None

    class Bp(kolben.Blueprint):
        def get_send_file_max_age(self, filename: str | None) -> int | None:
            return 20

    app = App(__name__, root_path=HERE)
    app.register_blueprint(Bp("bp", __name__, static_folder="static"), url_prefix="/b")
    client = app.test_client()
    for url, max_age in [("/static/file.txt", 10), ("/b/static/file.txt", 20)]:
        cc = _cc(_get(client, url)[1]["Cache-Control"])
        assert cc.max_age == max_age
    with app.test_request_context():
        rv = kolben.send_file(os.path.join(HERE, "static", "file.txt"))
        assert rv.cache_control.max_age == 10
        rv.close()
        rv = kolben.send_file(io.BytesIO(b"x"), mimetype="text/plain", max_age=5)
        assert rv.cache_control.max_age == 5


@pytest.mark.parametrize(
    ("kwargs", "disposition"),
    [
        ({}, None),
        ({"download_name": "r.csv"}, "inline; filename=r.csv"),
        (
            {"as_attachment": True, "download_name": "r.csv"},
            "attachment; filename=r.csv",
        ),
        (
            {"as_attachment": True, "download_name": "Ünïcode.txt"},
            "attachment; filename=Unicode.txt; filename*=UTF-8''%C3%9Cn%C3%AFcode.txt",
        ),
    ],
)
def test_download_name(
    app: kolben.Kolben, kwargs: dict[str, t.Any], disposition: str | None
) -> None:
    with app.test_request_context():
        rv = kolben.send_file(io.BytesIO(b"a,b"), mimetype="text/csv", **kwargs)
        assert rv.headers.get("Content-Disposition") == disposition
        assert rv.mimetype == "text/csv"
        rv.close()


def test_send_file_paths_and_mimetypes(app: kolben.Kolben) -> None:
    with app.test_request_context():
        rv = kolben.send_file("static/file.txt")  # relative to root_path
        assert rv.content_type == "text/plain; charset=utf-8"
        assert rv.headers["Content-Disposition"] == "inline; filename=file.txt"
        rv.close()
        rv = kolben.send_file("static/file.txt", as_attachment=True)
        assert rv.headers["Content-Disposition"] == "attachment; filename=file.txt"
        rv.close()
        rv = kolben.send_file(io.BytesIO(b"{}"), download_name="d.json")
        assert rv.mimetype == "application/json"
        with pytest.raises(TypeError, match="MIME"):
            kolben.send_file(io.BytesIO(b""))
        with pytest.raises(FileNotFoundError):
            kolben.send_file("static/missing.txt")


def test_send_file_x_sendfile(app: kolben.Kolben) -> None:
    app.config["USE_X_SENDFILE"] = True
    with app.test_request_context():
        rv = kolben.send_file("static/file.txt")
        assert rv.headers["X-Sendfile"] == os.path.join(HERE, "static", "file.txt")
        assert rv.get_data() == b""


def test_wsgi_file_wrapper(app: kolben.Kolben) -> None:
    wrapped: list[FileWrapper] = []

    class FileWrapper:
        def __init__(self, file: t.IO[bytes], block_size: int = 8192) -> None:
            self.file = file
            wrapped.append(self)

        def __iter__(self) -> t.Iterator[bytes]:
            return iter(lambda: self.file.read(8192), b"")

        def close(self) -> None:
            self.file.close()

    environ = EnvironBuilder("/static/file.txt").get_environ()
    environ["wsgi.file_wrapper"] = FileWrapper
    body = app(environ, lambda status, headers: None)
    assert body is wrapped[0]
    assert b"".join(body) == b"static body\n"
    body.close()  # type: ignore[attr-defined]
    assert wrapped[0].file.closed


def test_send_from_directory(app: kolben.Kolben) -> None:
    with app.test_request_context():
        rv = kolben.send_file(io.BytesIO(b"data"), mimetype="text/plain")
        rv.direct_passthrough = False
        assert rv.data == b"data"
        rv = kolben.send_from_directory(os.path.join(HERE, "static"), "file.txt")
        rv.direct_passthrough = False
        assert rv.data == b"static body\n"
        rv.close()
        rv = kolben.send_from_directory("static", "file.txt", max_age=7)
        assert rv.cache_control.max_age == 7
        rv.close()
        for bad in ["../conftest.py", "missing.txt", ""]:
            with pytest.raises(NotFound):
                kolben.send_from_directory(os.path.join(HERE, "static"), bad)


def test_open_resource(app: kolben.Kolben) -> None:
    with app.open_resource("static/file.txt") as f:
        assert f.read() == b"static body\n"
    with pytest.raises(ValueError, match="reading"):
        app.open_resource("static/file.txt", "w")


# Precompressed siblings: Accept-Encoding -> the coding sent for app.css (which
# has .br and .gz) and for only.js (which has only .gz).
@pytest.mark.parametrize(
    ("accept_encoding", "css", "js"),
    [
        (None, None, None),
        ("", None, None),
        ("identity", None, None),
        ("gzip", "gzip", "gzip"),
        ("br", "br", None),
        ("gzip, br", "br", "gzip"),
        ("br, gzip", "br", "gzip"),
        ("gzip, deflate, br, zstd", "br", "gzip"),
        ("BR", "br", None),
        ("x-gzip", "gzip", "gzip"),
        ("br;q=0.5, gzip", "gzip", "gzip"),
        ("br;q=0.8, gzip;q=0.8", "br", "gzip"),
        ("br;q=1.0, gzip;q=0.9", "br", "gzip"),
        ("br;q=0, gzip", "gzip", "gzip"),
        ("br;q=0, gzip;q=0", None, None),
        ("br;q=0.000, gzip;q=0", None, None),
        ("*", "br", "gzip"),
        ("*;q=0", None, None),
        ("br;q=0, *", "gzip", "gzip"),
        ("gzip;q=0, *;q=0.5", "br", None),
        ("deflate", None, None),
        ("gzip;q=oops", None, None),
    ],
)
def test_precompressed_choice(
    site: kolben.Kolben, accept_encoding: str | None, css: str | None, js: str | None
) -> None:
    client = site.test_client()
    headers = {} if accept_encoding is None else {"Accept-Encoding": accept_encoding}
    for url, coding, plain, variants in [
        ("/static/app.css", css, CSS, {"br": BR, "gzip": GZ}),
        ("/static/only.js", js, b"let x = 1;\n", {"gzip": None}),
    ]:
        code, rh, body = _get(client, url, headers=headers)
        assert code == 200
        assert rh.get("Content-Encoding") == coding
        assert rh["Vary"] == "Accept-Encoding"
        expected = plain if coding is None else variants[coding]
        if expected is not None:
            assert body == expected
        if coding == "gzip":
            assert gzip.decompress(body) == plain
        assert rh["Content-Length"] == str(len(body))
        mimetype = "text/css" if url.endswith(".css") else "text/javascript"
        assert rh["Content-Type"] == f"{mimetype}; charset=utf-8"
        assert "filename=app.css" in rh["Content-Disposition"] or url.endswith(".js")


def test_precompressed_etags_and_conditionals(site: kolben.Kolben) -> None:
    client = site.test_client()
    etags = {}
    for coding in ["identity", "gzip", "br"]:
        _, rh, _ = _get(client, "/static/app.css", headers={"Accept-Encoding": coding})
        etags[coding] = rh["ETag"]
    assert len(set(etags.values())) == 3
    for coding, etag in etags.items():
        code, rh, body = _get(
            client,
            "/static/app.css",
            headers={"Accept-Encoding": coding, "If-None-Match": etag},
        )
        assert (code, body) == (304, b"")
        assert rh["ETag"] == etag and rh["Vary"] == "Accept-Encoding"
        assert "Content-Encoding" not in rh
    # A gzip ETag does not validate the br variant.
    code, _, body = _get(
        client,
        "/static/app.css",
        headers={"Accept-Encoding": "br", "If-None-Match": etags["gzip"]},
    )
    assert (code, body) == (200, BR)


@pytest.mark.parametrize(
    ("range_", "if_range", "status", "content_range", "body"),
    [
        ("bytes=0-3", None, 206, f"bytes 0-3/{len(GZ)}", GZ[:4]),
        (
            "bytes=-4",
            None,
            206,
            f"bytes {len(GZ) - 4}-{len(GZ) - 1}/{len(GZ)}",
            GZ[-4:],
        ),
        (f"bytes={len(GZ)}-", None, 416, f"bytes */{len(GZ)}", None),
        ("bytes=0-3", "{etag}", 206, f"bytes 0-3/{len(GZ)}", GZ[:4]),
        ("bytes=0-3", '"identity-etag"', 200, None, GZ),
    ],
)
def test_precompressed_range(
    site: kolben.Kolben,
    range_: str,
    if_range: str | None,
    status: int,
    content_range: str | None,
    body: bytes | None,
) -> None:
    client = site.test_client()
    accept = {"Accept-Encoding": "gzip"}
    _, first, _ = _get(client, "/static/app.css", headers=accept)
    sent = {**accept, "Range": range_}
    if if_range is not None:
        sent["If-Range"] = if_range.format(etag=first["ETag"])
    code, rh, data = _get(client, "/static/app.css", headers=sent)
    assert code == status
    assert rh.get("Content-Range") == content_range
    if body is not None:
        assert data == body
        assert rh["Content-Encoding"] == "gzip"


def test_precompressed_head_and_switches(site: kolben.Kolben) -> None:
    client = site.test_client()
    br = {"Accept-Encoding": "br"}
    code, rh, body = _get(client, "/static/app.css", method="HEAD", headers=br)
    assert (code, body, rh["Content-Length"]) == (200, b"", str(len(BR)))
    assert rh["Content-Encoding"] == "br"
    # No sibling: no Vary, as before.
    _, rh, body = _get(client, "/static/plain.txt", headers=br)
    assert ("Vary" not in rh, body) == (True, b"plain\n")
    # Asking for the sibling itself: Werkzeug's answer for a .gz name.
    _, rh, body = _get(client, "/static/app.css.gz")
    assert (rh["Content-Encoding"], rh["Content-Type"], body) == (
        "gzip",
        "text/css; charset=utf-8",
        GZ,
    )
    site.config["STATIC_PRECOMPRESSED"] = False
    _, rh, body = _get(client, "/static/app.css", headers=br)
    assert (body, "Vary" in rh, "Content-Encoding" in rh) == (CSS, False, False)


def test_precompressed_needs_the_original(site: kolben.Kolben, tmp_path: Path) -> None:
    (tmp_path / "static" / "orphan.js.gz").write_bytes(b"gz")
    (tmp_path / "static" / "dir.js").write_bytes(b"x")
    (tmp_path / "static" / "dir.js.br").mkdir()
    (tmp_path / "static" / "pack.tar.gz").write_bytes(b"tar")
    (tmp_path / "static" / "pack.tar.gz.br").write_bytes(b"no")
    client = site.test_client()
    every = {"Accept-Encoding": "br, gzip"}
    assert _get(client, "/static/orphan.js", headers=every)[0] == 404
    _, rh, body = _get(client, "/static/dir.js", headers=every)
    assert (body, "Content-Encoding" in rh) == (b"x", False)
    _, rh, body = _get(client, "/static/pack.tar.gz", headers=every)
    assert (body, rh["Content-Encoding"], "Vary" in rh) == (b"tar", "gzip", False)


def test_send_from_directory_precompressed(site: kolben.Kolben, tmp_path: Path) -> None:
    folder = tmp_path / "static"
    with site.test_request_context(headers={"Accept-Encoding": "gzip"}):
        rv = kolben.static.send_from_directory(folder, "app.css")
        assert ("Content-Encoding" in rv.headers, rv.vary.as_set()) == (False, set())
        rv.close()
        rv = kolben.static.send_from_directory(
            folder, "app.css", precompressed=True, etag="v1", max_age=30
        )
        assert rv.headers["Content-Encoding"] == "gzip"
        assert rv.get_etag() == ("v1-gzip", False)
        assert rv.cache_control.max_age == 30
        assert rv.mimetype == "text/css"
        rv.close()
        rv = kolben.static.send_from_directory(
            folder, "app.css", precompressed=True, download_name="x.txt"
        )
        assert rv.mimetype == "text/plain"
        assert rv.headers["Content-Disposition"] == "inline; filename=x.txt"
        rv.close()


class _MaxAgeApp(kolben.Kolben):
    seen: list[str | None] = []

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        self.seen.append(filename)
        return 99


def test_precompressed_max_age_callable_sees_original(tmp_path: Path) -> None:
    (tmp_path / "f.css").write_bytes(CSS)
    (tmp_path / "f.css.br").write_bytes(BR)
    app = _MaxAgeApp(__name__, root_path=str(tmp_path))
    with app.test_request_context(headers={"Accept-Encoding": "br"}):
        rv = kolben.static.send_from_directory(tmp_path, "f.css", precompressed=True)
        assert rv.headers["Content-Encoding"] == "br"
        assert rv.cache_control.max_age == 99
        rv.close()
    assert _MaxAgeApp.seen == [str(tmp_path / "f.css")]


# STATIC_IMMUTABLE: the setting, a file name, and whether it is immutable.
@pytest.mark.parametrize(
    ("setting", "filename", "immutable"),
    [
        (None, "app.3f2a9c1b.css", False),
        (False, "app.3f2a9c1b.css", False),
        (True, "app.3f2a9c1b.css", True),
        (True, "app.3F2A9C1B.css", True),
        (True, "lib.0123abcd4567.min.js", True),
        (True, "sub/app.3f2a9c1b.css", True),
        (True, "sub\\app.3f2a9c1b.css", True),
        (True, "app.css", False),
        (True, "app.3f2a9c.css", False),
        (True, "app.3f2a9c1g.css", False),
        (True, "app-3f2a9c1b.css", False),
        (True, "app.css.3f2a9c1b", False),
        (True, "v.3f2a9c1b.d/app.css", False),
        (r"^dist/", "dist/app.css", True),
        (r"^dist/", "app.css", False),
        (re.compile(r"-[0-9a-f]{6}\."), "app-3f2a9c.css", True),
    ],
)
def test_is_fingerprinted(
    setting: bool | str | re.Pattern[str] | None, filename: str, immutable: bool
) -> None:
    assert static.is_fingerprinted(filename, setting) is immutable


@pytest.mark.parametrize(
    ("setting", "url", "cache_control"),
    [
        (None, "/static/app.3f2a9c1b.css", "no-cache"),
        (True, "/static/app.3f2a9c1b.css", "public, max-age=31536000, immutable"),
        (True, "/static/app.css", "no-cache"),
        (r"\.css$", "/static/app.css", "public, max-age=31536000, immutable"),
    ],
)
def test_static_immutable(
    site: kolben.Kolben, setting: t.Any, url: str, cache_control: str
) -> None:
    site.config["STATIC_IMMUTABLE"] = setting
    client = site.test_client()
    for accept in ["identity", "gzip"]:
        _, rh, _ = _get(client, url, headers={"Accept-Encoding": accept})
        cc = _cc(rh["Cache-Control"])
        assert cc == _cc(cache_control)
        assert rh["Vary"] == "Accept-Encoding"


def test_immutable_overrides_max_age(site: kolben.Kolben) -> None:
    site.config.update(STATIC_IMMUTABLE=True, SEND_FILE_MAX_AGE_DEFAULT=60)
    client = site.test_client()
    cc = _cc(_get(client, "/static/app.3f2a9c1b.css")[1]["Cache-Control"])
    assert (cc.max_age, cc.immutable, cc.public) == (31_536_000, True, True)
    cc = _cc(_get(client, "/static/app.css")[1]["Cache-Control"])
    assert (cc.max_age, cc.immutable) == (60, False)
    with site.test_request_context():
        rv = kolben.static.send_from_directory(
            site.static_folder, "app.css", immutable=True
        )
        assert rv.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        rv.close()


def test_range_not_satisfiable_closes_the_file(app: kolben.Kolben) -> None:
    with app.test_request_context(headers={"Range": "bytes=99-"}):
        with pytest.raises(RequestedRangeNotSatisfiable):
            kolben.send_from_directory(os.path.join(HERE, "static"), "file.txt")
