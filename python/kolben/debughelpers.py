"""Clearer errors for common mistakes, raised or logged in debug mode only."""

from __future__ import annotations

import typing as t

from jinja2.loaders import BaseLoader
from werkzeug.routing import RequestRedirect

from .globals import _cv_request

if t.TYPE_CHECKING:  # pragma: no cover
    from .sansio.app import App
    from .scaffold import Scaffold
    from .wrappers import Request


class UnexpectedUnicodeError(AssertionError, UnicodeError):
    """Text where bytes were expected, or the other way round."""


class DebugFilesKeyError(KeyError, AssertionError):
    """``request.files[key]`` on a form sent without
    ``enctype="multipart/form-data"``: the message says so."""

    def __init__(self, request: Request, key: str) -> None:
        form_matches = request.form.getlist(key)
        msg = (
            f"You tried to access the file {key!r} in the request.files"
            " dictionary but it does not exist. The mimetype for the"
            f" request is {request.mimetype!r} instead of"
            " 'multipart/form-data' which means that no file contents"
            " were transmitted. To fix this error you should provide"
            ' enctype="multipart/form-data" in your form.'
        )
        if form_matches:
            names = ", ".join(repr(x) for x in form_matches)
            msg += (
                "\n\nThe browser instead transmitted some file names. "
                f"This was submitted: {names}"
            )
        self.msg = msg

    def __str__(self) -> str:
        return self.msg


class FormDataRoutingRedirect(AssertionError):
    """A routing redirect (301/302) for a request with a body, which a browser
    would resend without its form data."""

    def __init__(self, request: Request) -> None:
        exc = request.routing_exception
        assert isinstance(exc, RequestRedirect)
        msg = (
            f"A request was sent to '{request.url}', but routing issued"
            f" a redirect to the canonical URL '{exc.new_url}'."
        )
        if f"{request.base_url}/" == exc.new_url.partition("?")[0]:
            msg += (
                " The URL was defined with a trailing slash. Kolben"
                " will redirect to the URL with a trailing slash if it"
                " was accessed without one."
            )
        msg += (
            " Send requests to the canonical URL, or use 307 or 308 for"
            " routing redirects. Otherwise, browsers will drop form"
            " data.\n\nThis exception is only raised in debug mode."
        )
        super().__init__(msg)


def attach_enctype_error_multidict(request: Request) -> None:
    """Make ``request.files[key]`` raise :class:`DebugFilesKeyError` when ``key``
    was sent as a plain form field."""
    oldcls = request.files.__class__

    class newcls(oldcls):  # type: ignore[valid-type, misc]
        def __getitem__(self, key: str) -> t.Any:
            try:
                return super().__getitem__(key)
            except KeyError as e:
                if key not in request.form:
                    raise
                raise DebugFilesKeyError(request, key).with_traceback(
                    e.__traceback__
                ) from None

    newcls.__name__ = oldcls.__name__
    newcls.__module__ = oldcls.__module__
    request.files.__class__ = newcls


def _dump_loader_info(loader: BaseLoader) -> t.Iterator[str]:
    yield f"class: {type(loader).__module__}.{type(loader).__name__}"
    for key, value in sorted(loader.__dict__.items()):
        if key.startswith("_"):
            continue
        if isinstance(value, (tuple, list)):
            if all(isinstance(x, str) for x in value):
                yield f"{key}:"
                yield from (f"  - {item}" for item in value)
        elif isinstance(value, (str, int, float, bool)):
            yield f"{key}: {value!r}"


def explain_template_loading_attempts(
    app: App,
    template: str,
    attempts: list[tuple[BaseLoader, Scaffold, t.Any]],
) -> None:
    """Log at INFO which loaders were tried for ``template`` and what each
    found (``EXPLAIN_TEMPLATE_LOADING``)."""
    from .blueprints import Blueprint
    from .sansio.app import App

    info = [f"Locating template {template!r}:"]
    total_found = 0
    reqctx = _cv_request.get(None)
    blueprint = reqctx.request.blueprint if reqctx is not None else None
    for idx, (loader, owner, found) in enumerate(attempts):
        if isinstance(owner, App):
            src_info = f"application {owner.import_name!r}"
        elif isinstance(owner, Blueprint):
            src_info = f"blueprint {owner.name!r} ({owner.import_name})"
        else:
            src_info = repr(owner)
        info.append(f"{idx + 1:5}: trying loader of {src_info}")
        info.extend(f"       {line}" for line in _dump_loader_info(loader))
        if found is None:
            info.append("       -> no match")
        else:
            info.append(f"       -> found ({found[1] or '<string>'!r})")
            total_found += 1
    fishy = total_found != 1
    if total_found == 0:
        info.append("Error: the template could not be found.")
    elif total_found > 1:
        info.append("Warning: multiple loaders returned a match for the template.")
    if blueprint is not None and fishy:
        info.append(
            "  The template was looked up from an endpoint that belongs"
            f" to the blueprint {blueprint!r}."
        )
        info.append("  Maybe you did not place a template in the right folder?")
        # kolben's blueprint templates work as Flask's, whose docs explain them.
        info.append("  See https://flask.palletsprojects.com/blueprints/#templates")
    app.logger.info("\n".join(info))
