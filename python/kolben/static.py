"""Static serving beyond Werkzeug's ``send_file``: precompressed siblings and a
long-lived cache policy for fingerprinted file names.

Both are used by the static route (:meth:`~kolben.Kolben.send_static_file`) and
are available to :func:`kolben.static.send_from_directory` through its
``precompressed`` and ``immutable`` arguments.

**Precompressed siblings.** When ``app.css`` has a sibling ``app.css.br`` or
``app.css.gz`` (written by a build step) and the request's ``Accept-Encoding``
accepts ``br`` or ``gzip``, the sibling's bytes are sent with
``Content-Encoding``, the *original* file's mimetype and an ``ETag`` of the
sibling file, so each encoding has its own. The coding with the higher q-value
wins, ``br`` on a tie; ``q=0`` refuses a coding, and ``*`` stands for codings
not named. Whenever a sibling exists the answer carries
``Vary: Accept-Encoding``, the uncompressed one too, so caches keep the variants
apart. Conditional requests (304) and ``Range`` work on the variant that is
sent. The original file must exist: a sibling alone is a 404. A file whose own
name implies an encoding (``x.tar.gz``) never gets a sibling. Siblings are not
checked against the original's modification time: rebuild them together.

**Immutable names.** With ``STATIC_IMMUTABLE`` set, a static file whose name
carries a content hash is sent with
``Cache-Control: public, max-age=31536000, immutable``, overriding
:meth:`~kolben.Kolben.get_send_file_max_age`: its URL changes whenever its
content does, so browsers need not revalidate it. ``True`` uses
:data:`FINGERPRINT` (``app.3f2a9c1b.css``, ``lib.0123abcd4567.min.js``); a
regular expression (a string or compiled) is searched in the path relative to
the static folder instead, e.g. ``r"^dist/"``. The default, ``None``, leaves
Flask's behaviour unchanged.

**Paths.** The requested path is joined with Werkzeug's
:func:`~werkzeug.security.safe_join`: ``..`` segments, absolute paths and, on
Windows, backslashes, drive letters and device names (``CON``, ``nul.txt``,
``sub/COM1``) are a 404, and so is anything that is not a regular file
(directories, a missing file, a name with a NUL byte). On Windows this module
also refuses any ``:`` (drive-relative names, alternate data streams) and
checks device names itself, whatever Werkzeug version is installed. Symbolic
links are followed, as Werkzeug does: the check is on the path as written, so
a link *inside* the folder that points outside it is served. Don't put links in
a static folder that lead where clients should not read.
"""

from __future__ import annotations

import mimetypes
import os
import re
import typing as t

import flask
from werkzeug.exceptions import NotFound
from werkzeug.http import parse_accept_header
from werkzeug.security import safe_join
from werkzeug.utils import send_file

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.wrappers import Response

#: The default fingerprint for ``STATIC_IMMUTABLE = True``: eight or more hex
#: digits between dots in the last path segment (``app.3f2a9c1b.css``).
FINGERPRINT = re.compile(r"\.[0-9a-fA-F]{8,}\.[^/]*$")

#: ``max-age`` of an immutable answer: one year, the most RFC 9111 advises.
IMMUTABLE_MAX_AGE = 31_536_000

#: Content codings with a sibling's suffix, in order of preference on a tie.
CODINGS: tuple[tuple[str, str], ...] = (("br", ".br"), ("gzip", ".gz"))

# Windows device names, whatever the extension or trailing spaces and dots;
# the same set as Werkzeug 3.1.6, kept here so older Werkzeugs are covered.
_WINDOWS_DEVICES = frozenset(
    {
        "AUX",
        "CON",
        "CONIN$",
        "CONOUT$",
        "NUL",
        "PRN",
        *(f"COM{c}" for c in "0123456789¹²³"),
        *(f"LPT{c}" for c in "0123456789¹²³"),
    }
)


def safe_path(directory: str, path: str) -> str | None:
    """``path`` joined below ``directory`` by Werkzeug's ``safe_join``, or
    ``None`` when it would escape it. On Windows (``os.name == "nt"``, read on
    each call) also ``None`` for backslashes, any ``:`` and device names in
    any segment."""
    if os.name == "nt" and _unsafe_on_windows(path):
        return None
    return safe_join(directory, path)


def _unsafe_on_windows(path: str) -> bool:
    if "\\" in path or ":" in path:
        return True
    return any(
        part.partition(".")[0].rstrip(" .").upper() in _WINDOWS_DEVICES
        for part in path.split("/")
    )


def is_fingerprinted(
    filename: str, setting: bool | str | re.Pattern[str] | None
) -> bool:
    """Whether ``filename`` (relative to the static folder) gets the immutable
    answer under the ``STATIC_IMMUTABLE`` ``setting``: never for ``None`` or
    ``False``, :data:`FINGERPRINT` for ``True``, else the given regular
    expression, searched in ``filename``."""
    if setting is None or setting is False:
        return False
    pattern = FINGERPRINT if setting is True else re.compile(setting)
    return pattern.search(filename.replace("\\", "/")) is not None


def choose_coding(
    accept_encoding: str | None, available: t.Iterable[str]
) -> str | None:
    """The coding of ``available`` the ``Accept-Encoding`` value prefers: the
    highest q-value above 0, the earlier in ``available`` on a tie. A coding
    not named takes the q-value of ``*``; ``x-gzip`` counts as ``gzip``. No
    header, or one that does not parse, prefers none."""
    if not accept_encoding:
        return None
    accept = parse_accept_header(accept_encoding)
    best: str | None = None
    best_q = 0.0
    for coding in available:
        q = _quality(accept, coding)
        if q > best_q:
            best, best_q = coding, q
    return best


def _quality(accept: t.Iterable[tuple[str, float]], coding: str) -> float:
    # RFC 9110 12.5.3: a named coding's own q-value, else the wildcard's.
    wildcard = 0.0
    for value, q in accept:
        value = value.lower()
        if value == coding or (coding == "gzip" and value == "x-gzip"):
            return q
        if value == "*":
            wildcard = q
    return wildcard


def send_from_directory(
    directory: os.PathLike[str] | str,
    path: os.PathLike[str] | str,
    *,
    precompressed: bool = False,
    immutable: bool = False,
    **kwargs: t.Any,
) -> Response:
    """:func:`flask.send_from_directory` with this module's extras, for use in a
    view: ``precompressed`` serves a ``.br``/``.gz`` sibling the client accepts,
    ``immutable`` sends ``Cache-Control: public, max-age=31536000, immutable``
    (see the module docs). ``kwargs`` go to Werkzeug's ``send_file``, with the
    app's defaults as Flask sets them. Raises ``NotFound`` for a path outside
    ``directory`` or one that is not a regular file."""
    app = flask.current_app
    kwargs.setdefault("use_x_sendfile", app.config["USE_X_SENDFILE"])
    kwargs.setdefault("response_class", app.response_class)
    if kwargs.get("max_age") is None:
        kwargs["max_age"] = app.get_send_file_max_age
    kwargs["_root_path"] = app.root_path
    return send_variant(
        directory,
        path,
        flask.request.environ,
        precompressed=precompressed,
        immutable=immutable,
        **kwargs,
    )


def send_variant(
    directory: os.PathLike[str] | str,
    path: os.PathLike[str] | str,
    environ: WSGIEnvironment,
    *,
    precompressed: bool = False,
    immutable: bool = False,
    **kwargs: t.Any,
) -> Response:
    """:func:`send_from_directory` for a WSGI ``environ`` (Werkzeug's
    ``send_from_directory`` signature): the file itself or the precompressed
    variant the client accepts, with the Windows checks of :func:`safe_path`."""
    path_str = _regular_file(directory, path, kwargs.get("_root_path"))
    if immutable:
        kwargs["max_age"] = IMMUTABLE_MAX_AGE

    siblings: dict[str, str] = {}
    coding = None
    if precompressed:
        siblings = _siblings(path_str, kwargs.get("download_name"))
        if siblings:
            coding = choose_coding(environ.get("HTTP_ACCEPT_ENCODING"), siblings)
    if coding is None:
        rv = send_file(path_str, environ, **kwargs)
    else:
        rv = _send_encoded(path_str, siblings[coding], coding, environ, kwargs)

    if siblings:
        rv.vary.add("Accept-Encoding")
    if immutable:
        rv.cache_control.immutable = True
    return rv


def _regular_file(
    directory: os.PathLike[str] | str,
    path: os.PathLike[str] | str,
    root: str | None,
) -> str:
    """The file ``path`` names below ``directory`` (relative to ``root`` when
    given); ``NotFound`` if it escapes the folder or is not a regular file."""
    joined = safe_path(os.fspath(directory), os.fspath(path))
    found = None if joined is None else os.path.join(root or "", joined)
    if found is None or not os.path.isfile(found):
        raise NotFound()
    return found


def _siblings(path: str, download_name: str | None) -> dict[str, str]:
    """The precompressed siblings of ``path`` by coding, none for a file whose
    name already implies an encoding."""
    if mimetypes.guess_type(download_name or path)[1] is not None:
        return {}
    rv = {}
    for coding, suffix in CODINGS:
        sibling = path + suffix
        if os.path.isfile(sibling):
            rv[coding] = sibling
    return rv


def _send_encoded(
    path: str,
    sibling: str,
    coding: str,
    environ: WSGIEnvironment,
    kwargs: dict[str, t.Any],
) -> Response:
    kwargs = dict(kwargs)
    # Name and mimetype are the original's; the sibling's suffix would
    # otherwise make Werkzeug guess a download or its own Content-Encoding.
    kwargs.setdefault("download_name", os.path.basename(path))
    if kwargs.get("mimetype") is None:
        kwargs["mimetype"] = (
            mimetypes.guess_type(kwargs["download_name"])[0]
            or "application/octet-stream"
        )
    etag = kwargs.get("etag", True)
    if isinstance(etag, str):
        kwargs["etag"] = f"{etag}-{coding}"
    # Werkzeug's own ETag hashes the path it opens: the sibling's differs.
    if callable(kwargs.get("max_age")):
        max_age = kwargs["max_age"]
        kwargs["max_age"] = lambda _sibling: max_age(path)
    rv = send_file(sibling, environ, **kwargs)
    rv.headers["Content-Encoding"] = coding
    return rv
