"""Hostile static paths: every one is a 404 and no byte of the canary beside the
static folder reaches a response, through the static route (decoded by the
test client, and raw in ``PATH_INFO``) and through ``send_from_directory``."""

from __future__ import annotations

import os
import typing as t
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join

import kolben
from kolben import static

from .conftest import Tree

# Paths below /static/. {secret} is the absolute path of the canary.
HOSTILE = [
    "../secret.txt",
    "%2e%2e/secret.txt",
    "%2E%2E/secret.txt",
    "..%2fsecret.txt",
    "..%2Fsecret.txt",
    "%2e%2e%2fsecret.txt",
    "%252e%252e%252fsecret.txt",
    ".%2e/secret.txt",
    "sub/../../secret.txt",
    "sub/%2e%2e/%2e%2e/secret.txt",
    "./../secret.txt",
    "....//secret.txt",
    "../staticx/evil.txt",
    "..\\secret.txt",
    "..%5csecret.txt",
    "sub\\..\\..\\secret.txt",
    "C:/secret.txt",
    "c:\\secret.txt",
    "C:secret.txt",
    "\\\\server\\share\\secret.txt",
    "file://{secret}",
    "ok.txt%00",
    "ok.txt\x00.png",
    "%00",
    "",
    ".",
    "sub",
    "sub/",
    "sub/.",
    "sub/..",
]

# Paths that start with a slash: the route answers them with Werkzeug's 308 to
# the URL with merged slashes; send_from_directory refuses them.
SLASHED = ["/secret.txt", "//server/share/secret.txt", "{secret}", "/{secret}"]

# Windows device names, refused when os.name == "nt" even where a file of that
# name exists (as it can on POSIX); with them, what Windows alone makes unsafe.
WINDOWS = [
    "CON",
    "con",
    "nul.txt",
    "NUL .txt",
    "nul.tar.gz",
    "sub/NUL",
    "sub/con.txt",
    "com1",
    "COM1.log",
    "COM¹",
    "lpt9.x",
    "aux",
    "prn.html",
    "CONIN$",
    "conout$.txt",
    "nul...",
    "ok.txt::$DATA",
    "sub\\inner.txt",
    "C:/x",
    "c:\\x",
    "C:ok.txt",
]


def _app(tree: Tree) -> kolben.Kolben:
    app = kolben.Kolben("hostile", root_path=str(tree.root))
    app.config["TESTING"] = True
    return app


def _paths(tree: Tree, path: str) -> str:
    return path.replace("{secret}", str(tree.root / "secret.txt"))


def _fetch(
    app: kolben.Kolben, tree: Tree, url: str, raw: bool, headers: t.Any = None
) -> tuple[int, bytes]:
    client = app.test_client()
    if raw:
        rv = client.get("/", headers=headers, environ_overrides={"PATH_INFO": url})
    else:
        rv = client.get(url, headers=headers)
    try:
        body = rv.get_data()
        assert tree.secret not in body
        return rv.status_code, body
    finally:
        rv.close()


@pytest.mark.parametrize("raw", [False, True], ids=["decoded", "raw"])
@pytest.mark.parametrize("path", HOSTILE)
def test_static_route_refuses(tree: Tree, path: str, raw: bool) -> None:
    app = _app(tree)
    url = "/static/" + _paths(tree, path)
    for headers in [None, {"Range": "bytes=0-"}, {"Accept-Encoding": "gzip, br"}]:
        assert _fetch(app, tree, url, raw, headers)[0] == 404


@pytest.mark.parametrize("path", SLASHED)
def test_merged_slashes_redirect_inside_the_folder(tree: Tree, path: str) -> None:
    """Werkzeug's rule matching merges repeated slashes with a 308 to the
    merged URL; that one stays below /static/ and is a 404."""
    app = _app(tree)
    url = "/static/" + _paths(tree, path)
    rv = app.test_client().get(url)
    location = urlsplit(rv.headers["Location"]).path
    assert rv.status_code == 308 and tree.secret not in rv.get_data()
    rv.close()
    assert location.startswith("/static/") and "//" not in location
    assert _fetch(app, tree, location, False)[0] == 404


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("ok.txt/", b"ok"),
        ("ok.txt/.", b"ok"),
        ("sub/../ok.txt", b"ok"),
        ("./ok.txt", b"ok"),
    ],
)
def test_paths_normalised_inside_the_folder_are_served(
    tree: Tree, path: str, body: bytes
) -> None:
    """Werkzeug's ``safe_join`` normalises the path first: what still names a
    file inside the folder is that file."""
    assert _fetch(_app(tree), tree, "/static/" + path, True) == (200, body)


@pytest.mark.parametrize("path", HOSTILE + SLASHED)
def test_send_from_directory_refuses(tree: Tree, path: str) -> None:
    app = _app(tree)
    with app.test_request_context():
        for send, kwargs in [
            (kolben.send_from_directory, {}),
            (static.send_from_directory, {}),
            (static.send_from_directory, {"precompressed": True}),
        ]:
            with pytest.raises(NotFound):
                send(tree.root / "static", _paths(tree, path), **kwargs)


@pytest.mark.parametrize("url", ["/static", "/static/", "/static/sub", "/static/sub/"])
def test_directories_are_not_served(tree: Tree, url: str) -> None:
    for raw in [False, True]:
        assert _fetch(_app(tree), tree, url, raw)[0] == 404


def test_a_sibling_beside_the_folder_is_not_a_precompressed_variant(
    tree: Tree,
) -> None:
    # static/../secret.txt.gz must not be reachable as the "gzip" of anything.
    (tree.root / "static.gz").write_bytes(tree.secret)
    (tree.root / "secret.txt.gz").write_bytes(tree.secret)
    app = _app(tree)
    for url in ["/static/", "/static/../secret.txt", "/static/sub/.."]:
        status, _ = _fetch(app, tree, url, True, {"Accept-Encoding": "gzip"})
        assert status == 404


@pytest.mark.parametrize("path", WINDOWS)
def test_windows_names(tree: Tree, path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tree.root / "static" / path
    if "\\" not in path and ":" not in path:
        target.write_bytes(tree.secret)  # a real file on POSIX
    app = _app(tree)
    with app.test_request_context():
        if target.exists():
            rv = kolben.send_from_directory(tree.root / "static", path)
            assert rv.status_code == 200  # on POSIX it is an ordinary name
            rv.close()
        monkeypatch.setattr(os, "name", "nt")
        assert static.safe_path(str(tree.root / "static"), path) is None
        with pytest.raises(NotFound):
            kolben.send_from_directory(tree.root / "static", path)
        status, _ = _fetch(app, tree, "/static/" + path, True)
        assert status == 404


@pytest.mark.parametrize("path", [p for p in WINDOWS if "\\" not in p and ":" not in p])
def test_werkzeug_refuses_windows_device_names(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Werkzeug >= 3.1.6 checks every segment; kolben's own guard is for older
    # ones and for what Werkzeug decides at import time (backslashes) or not at
    # all (``:``).
    monkeypatch.setattr(os, "name", "nt")
    assert safe_join("/srv/static", path) is None


def test_symlinks_are_followed(tree: Tree) -> None:
    """Werkzeug checks the path as written, not where links lead: a link inside
    the static folder to a file or folder outside it is served."""
    outside = tree.root / "outside"
    outside.mkdir()
    (outside / "f.txt").write_bytes(b"through a link")
    static_dir = tree.root / "static"
    (static_dir / "file-link.txt").symlink_to(outside / "f.txt")
    (static_dir / "dir-link").symlink_to(outside, target_is_directory=True)
    (static_dir / "dangling").symlink_to(tree.root / "missing.txt")
    app = _app(tree)
    assert _fetch(app, tree, "/static/file-link.txt", False) == (
        200,
        b"through a link",
    )
    assert _fetch(app, tree, "/static/dir-link/f.txt", False) == (
        200,
        b"through a link",
    )
    for url in ["/static/dir-link", "/static/dir-link/", "/static/dangling"]:
        assert _fetch(app, tree, url, False)[0] == 404
    # A link does not lift the ".." check on the path that names it.
    assert _fetch(app, tree, "/static/dir-link/../secret.txt", True)[0] == 404


def test_canary_is_readable_in_place(tree: Tree) -> None:
    """The tree is as the other tests assume: the canary is served when asked
    for lawfully, so its absence above means something."""
    app = kolben.Kolben(
        "canary", static_folder=".", static_url_path="/all", root_path=str(tree.root)
    )
    client = app.test_client()
    rv = client.get("/all/secret.txt")
    assert rv.get_data() == tree.secret
    rv.close()
    assert Path(app.static_folder or "").resolve() == tree.root.resolve()
