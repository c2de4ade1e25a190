"""The short path for a plain result: a ``str``, ``dict`` or ``list`` from a
view, alone or in a tuple with a status code and headers, or an unhandled HTTP
error such as a routing miss. When nothing will look at a Response object (no
after-request hook or ``request_finished`` receiver, no session in use, not
HEAD), the WSGI status, headers and body are made directly: the bytes Flask's
``Response`` would send."""

from __future__ import annotations

import typing as t
from json.encoder import (  # type: ignore[attr-defined]
    c_make_encoder,
    encode_basestring,
    encode_basestring_ascii,
)

from flask.json.provider import DefaultJSONProvider
from flask.signals import request_finished
from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.utils import get_content_type

from .json_provider import KolbenJSONProvider

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from .app import Kolben
    from .context import KolbenRequestContext

_HTML = "text/html; charset=utf-8"
#: Providers whose ``response`` the short path reproduces.
_PLAIN_PROVIDERS = (DefaultJSONProvider, KolbenJSONProvider)
_base_get_response = HTTPException.get_response


class PlainResponse:
    """A response already made into WSGI status, headers and body; Flask's
    ``wsgi_app`` calls it as it calls a Response."""

    __slots__ = ("status", "headers", "body")

    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes):
        self.status = status
        self.headers = headers
        self.body = body

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> list[bytes]:
        start_response(self.status, self.headers)
        return [self.body]


def plain_response(
    app: Kolben, ctx: KolbenRequestContext, rv: t.Any
) -> PlainResponse | None:
    """The plain response for ``rv``, or ``None`` to build a Response."""
    kind = type(rv)
    given: tuple[int | None, t.Any] | None = None
    if kind is tuple:
        given = _status_and_headers(rv)
        if given is None:
            return None
        rv = rv[0]
        kind = type(rv)
        if kind is not str and kind is not dict and kind is not list:
            return None
    elif (
        kind is not str
        and kind is not dict
        and kind is not list
        and not isinstance(rv, HTTPException)
    ):
        return None
    environ = ctx.request.environ
    if (
        ctx._after_request_functions
        or ctx._opened_session is not None
        or not ctx.plain_allowed
        or request_finished.receivers
        or ctx.request.method == "HEAD"
        or "HTTP_COOKIE" in environ
    ):
        return None
    status = "200 OK"
    if kind is str:
        body = rv.encode()
        headers = [("Content-Type", _HTML)]
    elif kind is dict or kind is list:
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
        status = _status_line(rv.code)
    headers.append(("Content-Length", str(len(body))))
    if given is not None:
        code, extra = given
        if code is not None:
            status = _status_line(code)
        if extra:
            combined = _with_headers(headers, extra, kind is str)
            if combined is None:
                return None
            headers = combined
    return PlainResponse(status, headers, body)


def _status_line(code: int) -> str:
    """The status line Werkzeug's ``Response`` makes of ``code``."""
    return f"{code} {HTTP_STATUS_CODES.get(code, 'UNKNOWN').upper()}"


#: What a view's 2-tuple may carry second for Flask to read it as headers.
_HEADER_TYPES = (Headers, dict, tuple, list)
#: Headers Werkzeug rewrites when it sends a response.
_REWRITTEN = ("location", "content-location")


def _status_and_headers(rv: tuple[t.Any, ...]) -> tuple[int | None, t.Any] | None:
    """The status code and the headers of a view's tuple, read as Flask's
    ``make_response`` reads them; ``None`` for a tuple left to Flask: not of
    two or three items, a status that is not an ``int`` or whose response
    has no body (1xx, 204, 304), or headers that are not a ``dict`` or a
    ``list`` of pairs."""
    size = len(rv)
    if size == 3:
        code, extra = rv[1], rv[2]
    elif size == 2:
        code, extra = (
            (None, rv[1]) if isinstance(rv[1], _HEADER_TYPES) else (rv[1], None)
        )
    else:
        return None
    if code is not None and (
        type(code) is not int or not 200 <= code < 600 or code in (204, 304)
    ):
        return None
    if extra is not None and type(extra) is not dict and type(extra) is not list:
        return None
    return code, extra


def _with_headers(
    made: list[tuple[str, str]], extra: t.Any, text_body: bool
) -> list[tuple[str, str]] | None:
    """The headers of a response with a view's headers ``extra``, as Flask
    combines them: given to the Response of a ``str`` (which adds its
    Content-Type only when they have none, and sets Content-Length), or laid
    over those of a JSON response. ``None`` for headers Werkzeug would refuse
    or rewrite on sending, left to Flask."""
    plain = _plain_pairs(extra, text_body)
    if plain is not None:
        pairs, typed = plain
        if text_body:
            if not typed:
                pairs.append(made[0])
            pairs.append(made[-1])
            return pairs
        return [*made, *pairs]
    try:
        if text_body:
            headers = Headers(extra)
            if not _has(headers, "content-type"):
                headers["Content-Type"] = made[0][1]
            headers["Content-Length"] = made[-1][1]
        else:
            headers = Headers(made)
            headers.update(extra)
    except Exception:
        return None
    listed = headers.to_wsgi_list()
    if any(name.lower() in _REWRITTEN for name, _ in listed):
        return None
    return listed


#: Headers a JSON response sets itself, and those Werkzeug rewrites: a view's
#: dict that names one is combined by ``Headers``.
_SET_OR_REWRITTEN = ("content-type", "content-length", *_REWRITTEN)


def _plain_pairs(
    extra: t.Any, text_body: bool
) -> tuple[list[tuple[str, str]], bool] | None:
    """A view's headers as pairs, and whether they name a Content-Type, when
    ``Headers`` would keep them as they are: a ``dict`` of ``str`` names and
    one-line ``str`` values naming no header the response sets or Werkzeug
    rewrites (a text body's Content-Type is the view's to set); else
    ``None``."""
    if type(extra) is not dict:
        return None
    pairs = []
    typed = False
    for name, value in extra.items():
        if (
            type(name) is not str
            or type(value) is not str
            or "\n" in value
            or "\r" in value
        ):
            return None
        lowered = name.lower()
        if lowered in _SET_OR_REWRITTEN:
            if not text_body or lowered != "content-type":
                return None
            typed = True
        pairs.append((name, value))
    return pairs, typed


def _has(headers: Headers, lowered: str) -> bool:
    """Whether ``headers`` has the header ``lowered`` (a look-up that misses
    raises inside ``Headers``)."""
    return any(name.lower() == lowered for name, _ in headers)


def _dump_json(
    app: Kolben, obj: dict[str, t.Any] | list[t.Any]
) -> tuple[bytes, str] | None:
    """What ``DefaultJSONProvider.response`` sends, with the encoder and the
    content type kept per provider (and remade when its settings change)
    instead of made per call."""
    provider: t.Any = app.json
    compact = provider.compact
    if (
        type(provider) not in _PLAIN_PROVIDERS
        or compact is False
        or (compact is None and app.config["DEBUG"])
    ):
        return None
    cached = _encoders.get(provider)
    if cached is None or not cached.made_for(provider):
        if len(_encoders) > 32:
            _encoders.clear()
        cached = _encoders[provider] = _CompactEncoder(provider)
    encode = cached.encode
    if encode is None:
        return None
    try:
        text = "".join(encode(obj, 0))
    except Exception:
        return None
    return f"{text}\n".encode(), cached.content_type


class _CompactEncoder:
    """The compact JSON Flask's default provider writes, from one C encoder
    made once (``json.JSONEncoder.encode`` makes one per call). For a value it
    cannot encode, the caller makes the Response Flask's way, which raises the
    error Flask would."""

    def __init__(self, provider: DefaultJSONProvider) -> None:
        self._options = {
            "default": provider.default,
            "ensure_ascii": provider.ensure_ascii,
            "sort_keys": provider.sort_keys,
            "mimetype": provider.mimetype,
        }
        self.content_type = get_content_type(provider.mimetype, "utf-8")
        #: The C encoder, called with the value and ``0``; ``None`` where
        #: Python has none (the value is then left to Flask).
        self.encode: t.Callable[[t.Any, int], t.Any] | None = self._make()

    def made_for(self, provider: t.Any) -> bool:
        """Whether ``provider``'s settings are still those this was made for."""
        options = self._options
        return (
            provider.default is options["default"]
            and provider.ensure_ascii is options["ensure_ascii"]
            and provider.sort_keys is options["sort_keys"]
            and provider.mimetype == options["mimetype"]
        )

    def _make(self) -> t.Callable[[t.Any, int], t.Any] | None:
        if c_make_encoder is None:
            return None
        options = self._options
        strings = (
            encode_basestring_ascii if options["ensure_ascii"] else encode_basestring
        )
        return c_make_encoder(  # type: ignore[no-any-return]
            # No markers: a circular reference then ends in RecursionError,
            # which sends the value to Flask's json.dumps and its ValueError.
            None,
            options["default"],
            strings,
            None,  # indent
            ":",
            ",",
            options["sort_keys"],
            False,  # skipkeys
            True,  # allow_nan
        )


_encoders: dict[t.Any, _CompactEncoder] = {}

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
