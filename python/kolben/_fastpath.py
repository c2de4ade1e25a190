"""The short path for a plain result: a ``str`` or ``dict`` from a view, or an
unhandled HTTP error such as a routing miss. When nothing needs a Response
object (no after-request hook or receiver, no session, not HEAD), the WSGI
status, headers and body are made directly — the bytes a ``Response`` would
send."""

from __future__ import annotations

import json
import typing as t

from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.utils import get_content_type

from .json.provider import DefaultJSONProvider
from .signals import request_finished

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Kolben
    from .ctx import RequestContext

_Plain = tuple[str, list[tuple[str, str]], list[bytes]]

_HTML = "text/html; charset=utf-8"
_COMPACT = (",", ":")
_base_get_response = HTTPException.get_response


def plain_response(app: Kolben, ctx: RequestContext, rv: t.Any) -> _Plain | None:
    """``(status, headers, body)`` for ``rv``, or ``None`` to build a Response."""
    kind = type(rv)
    if kind is not str and kind is not dict and not isinstance(rv, HTTPException):
        return None
    environ = ctx.request.environ
    if (
        ctx._after_request_functions
        or ctx._opened_session is not None
        or request_finished.receivers
        or ctx.request.method == "HEAD"
        or "HTTP_COOKIE" in environ
    ):
        return None
    status = "200 OK"
    if kind is str:
        body = rv.encode()
        headers = [("Content-Type", _HTML)]
    elif kind is dict:
        encoded = _dump_json(app, rv)
        if encoded is None:
            return None
        body, content_type = encoded
        headers = [("Content-Type", content_type)]
    else:
        if (
            rv.response is not None
            or rv.code is None
            or type(rv).get_response is not _base_get_response
        ):
            return None
        body = _error_body(rv, environ)
        headers = rv.get_headers(environ)
        status = f"{rv.code} {HTTP_STATUS_CODES.get(rv.code, 'UNKNOWN').upper()}"
    headers.append(("Content-Length", str(len(body))))
    return status, headers, [body]


def _dump_json(app: Kolben, obj: dict[str, t.Any]) -> tuple[bytes, str] | None:
    """What ``DefaultJSONProvider.response`` sends, with the encoder and the
    content type kept per provider setting instead of made per call."""
    provider = app.json
    if (
        type(provider) is not DefaultJSONProvider
        or provider.compact is False
        or (provider.compact is None and app.debug)
    ):
        return None
    key = (
        provider.default,
        provider.ensure_ascii,
        provider.sort_keys,
        provider.mimetype,
    )
    cached = _encoders.get(key)
    if cached is None:
        if len(_encoders) > 32:
            _encoders.clear()
        encoder = json.JSONEncoder(
            default=provider.default,
            ensure_ascii=provider.ensure_ascii,
            sort_keys=provider.sort_keys,
            separators=_COMPACT,
        )
        content_type = get_content_type(provider.mimetype, "utf-8")
        cached = _encoders[key] = (encoder, content_type)
    return f"{cached[0].encode(obj)}\n".encode(), cached[1]


_encoders: dict[tuple[t.Any, ...], tuple[json.JSONEncoder, str]] = {}

_base_get_body = HTTPException.get_body
_base_get_description = HTTPException.get_description
_base_name = HTTPException.name


def _error_body(rv: HTTPException, environ: t.Any) -> bytes:
    """Werkzeug's HTML error page for ``rv``, kept per class, code and
    description when the class renders it Werkzeug's way (the page then
    depends on nothing else)."""
    cls = type(rv)
    if (
        cls.get_body is not _base_get_body
        or cls.get_description is not _base_get_description
        or cls.name is not _base_name
        or not isinstance(rv.description, (str, type(None)))
    ):
        return rv.get_body(environ).encode()
    key = (cls, rv.code, rv.description)
    body = _error_bodies.get(key)
    if body is None:
        if len(_error_bodies) > 64:
            _error_bodies.clear()
        body = _error_bodies[key] = rv.get_body(environ).encode()
    return body


_error_bodies: dict[tuple[t.Any, ...], bytes] = {}
