"""Random requests on the WSGI entry point: methods, paths (percent-encoded,
not UTF-8, huge), query strings, headers and bodies. kolben's app never raises
and answers what the same app on Flask answers: the same status, ``Location``
and ``Allow`` (in any order), and the same body."""

from __future__ import annotations

import io
import sys
import typing as t

import flask
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kolben

from .apps import make_app, serve

METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"]

#: Pieces paths are made of: the app's own segments, so that requests reach its
#: rules, and troublesome text.
SEGMENTS = [
    "", "user", "int", "float", "path", "uuid", "any", "dir", "form", "json",
    "args", "session", "go", "extra3", "page3", "static", "a", "c d", "7", "-1.5",
    "12345678-1234-5678-1234-567812345678", "..", ".", "%", "%2F", "%25", "%C3%A9",
    "%FF", "%00", "\x00", "é", "\udcff", "<b>", "~", "+", ";", "?", "#", "\\",
]  # fmt: skip

#: The start of each rule, for paths that reach it.
PREFIXES = [
    "/", "/user/", "/int/", "/float/", "/path/", "/uuid/", "/any/", "/dir",
    "/form", "/json", "/args", "/session", "/go", "/extra3/", "/static/",
]  # fmt: skip

HEADERS = [
    "HTTP_HOST", "HTTP_COOKIE", "HTTP_ACCEPT", "HTTP_UPGRADE", "HTTP_CONNECTION",
    "HTTP_RANGE", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE",
    "HTTP_ACCEPT_ENCODING", "HTTP_X_FORWARDED_FOR", "HTTP_AUTHORIZATION",
    "CONTENT_TYPE", "CONTENT_LENGTH", "HTTP_TRANSFER_ENCODING",
]  # fmt: skip

#: Values a header may take besides random text.
HEADER_VALUES = [
    "application/json", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x", "text/plain; charset=utf-8", "websocket",
    "upgrade", "bytes=0-1", "session=eyJjb3VudCI6MX0.bad.sig", "0", "-1", "5",
    "99999999999999999999", "chunked", "localhost", "example.org:8080", "[::1]",
]  # fmt: skip


def _latin1(raw: bytes) -> str:
    # What a WSGI server puts in the environ: bytes, decoded as latin-1.
    return raw.decode("latin-1")


def _path_text(parts: list[str]) -> str:
    return "/" + "/".join(parts)


segment = st.one_of(
    st.sampled_from(SEGMENTS),
    st.text(max_size=12),
    st.binary(max_size=12).map(_latin1),
)
path = st.one_of(
    st.lists(segment, max_size=8).map(_path_text),
    st.tuples(st.sampled_from(PREFIXES), st.lists(segment, max_size=3)).map(
        lambda p: p[0] + "/".join(p[1])
    ),
    st.binary(max_size=40).map(_latin1),
    # Huge: a long run of one segment.
    st.tuples(segment, st.integers(1_000, 20_000)).map(
        lambda s: "/" + (s[0] or "x") * s[1]
    ),
)
# The raw PATH_INFO: text outside latin-1 becomes its UTF-8 bytes, as servers
# pass it.
path_info = path.map(
    lambda p: (
        _latin1(p.encode("utf-8", "surrogateescape"))
        if any(ord(c) > 255 for c in p)
        else p
    )
)
header_value = st.one_of(
    st.sampled_from(HEADER_VALUES), st.binary(max_size=30).map(_latin1)
)
environs = st.fixed_dictionaries(
    {
        "REQUEST_METHOD": st.one_of(
            st.sampled_from(["GET"] * 8 + METHODS),
            st.text("GETPOSgetpos-_ ", max_size=8),
        ),
        "PATH_INFO": path_info,
        "QUERY_STRING": st.binary(max_size=40).map(_latin1),
        "headers": st.dictionaries(st.sampled_from(HEADERS), header_value),
        "body": st.binary(max_size=200),
    }
)

Answer = tuple[str, t.Optional[str], t.Optional[str], bytes]


def _environ(drawn: dict[str, t.Any]) -> dict[str, t.Any]:
    environ = {
        "REQUEST_METHOD": drawn["REQUEST_METHOD"],
        "PATH_INFO": drawn["PATH_INFO"],
        "SCRIPT_NAME": "",
        "QUERY_STRING": drawn["QUERY_STRING"],
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(drawn["body"]),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    environ.update(drawn["headers"])
    return environ


def _serve(app: t.Any, environ: dict[str, t.Any]) -> Answer:
    status, headers, data = serve(app, environ)
    # Werkzeug lists the allowed methods in a set's order.
    allow = headers.get("Allow")
    allowed = None if allow is None else ", ".join(sorted(allow.split(", ")))
    return status, headers.get("Location"), allowed, data


@pytest.fixture(scope="module")
def apps() -> tuple[t.Any, t.Any]:
    return make_app(kolben), make_app(flask)


@pytest.mark.timeout(300)
@settings(
    max_examples=1500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(drawn=environs)
def test_kolben_answers_as_flask(
    apps: tuple[t.Any, t.Any], drawn: dict[str, t.Any]
) -> None:
    kolben_app, flask_app = apps
    expected = _serve(flask_app, _environ(drawn))
    assert _serve(kolben_app, _environ(drawn)) == expected
