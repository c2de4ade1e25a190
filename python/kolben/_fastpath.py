"""The short path for a view that returns a plain ``str`` or ``dict``: when
nothing needs a Response object (no after-request hook or receiver, no session,
not HEAD), the WSGI status, headers and body are made directly — the same bytes
a ``Response`` would send."""

from __future__ import annotations

import typing as t

from werkzeug.utils import get_content_type

from .json.provider import DefaultJSONProvider
from .signals import request_finished

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Kolben
    from .ctx import RequestContext

_Plain = tuple[str, list[tuple[str, str]], list[bytes]]

_HTML = "text/html; charset=utf-8"
_COMPACT = (",", ":")


def plain_response(app: Kolben, ctx: RequestContext, rv: t.Any) -> _Plain | None:
    """``(status, headers, body)`` for ``rv``, or ``None`` to build a Response."""
    kind = type(rv)
    if kind is not str and kind is not dict:
        return None
    if (
        ctx._after_request_functions
        or ctx._opened_session is not None
        or request_finished.receivers
        or ctx.request.method == "HEAD"
        or "HTTP_COOKIE" in ctx.request.environ
    ):
        return None
    if kind is str:
        body = rv.encode()
        content_type = _HTML
    else:
        provider = app.json
        if (
            type(provider) is not DefaultJSONProvider
            or provider.compact is False
            or (provider.compact is None and app.debug)
        ):
            return None
        body = f"{provider.dumps(rv, separators=_COMPACT)}\n".encode()
        content_type = get_content_type(provider.mimetype, "utf-8")
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
    return "200 OK", headers, [body]
