"""The one module that knows how Flask's releases differ where kolben extends
them, and the one that reads names Flask keeps private.

Flask 3.2 merged ``RequestContext`` into ``AppContext`` (one context per
request, in the context variable behind ``flask.current_app``) and passes that
context as the first argument of the request-dispatch methods. Flask 3.1 keeps
a request context of its own, in a context variable of its own, and passes
nothing. Everything else in kolben reads the names below and never asks which
Flask it runs on. tests/app/test_flask_private.py fails if a Flask release
moves any of them.
"""

from __future__ import annotations

import typing as t

import flask.ctx
import flask.globals

if t.TYPE_CHECKING:  # pragma: no cover
    from contextvars import ContextVar

    from flask import Flask
    from flask.wrappers import Request

#: Whether a request has one context, Flask's ``AppContext``, instead of a
#: request context on top of an application context (Flask 3.2 and later).
MERGED_CONTEXT: bool = not hasattr(flask.globals, "_cv_request")

#: Whether Flask passes the current context as the first argument of
#: ``preprocess_request``, ``dispatch_request``, ``finalize_request`` and the
#: teardown methods (Flask 3.2 and later).
PASSES_CONTEXT: bool = MERGED_CONTEXT

#: The context variable that holds the current request's context, read
#: directly instead of through a proxy: ``_cv_app`` on Flask 3.2 and later,
#: ``_cv_request`` before.
request_context_var: ContextVar[t.Any] = (
    flask.globals._cv_app if MERGED_CONTEXT else flask.globals._cv_request
)

#: Flask's class for the context of a request, which kolben's extends:
#: ``AppContext`` on Flask 3.2 and later, ``RequestContext`` before (read
#: from the module's namespace: 3.2 keeps the old name as a deprecated alias).
RequestContextBase: type[t.Any] = (
    flask.ctx.AppContext if MERGED_CONTEXT else vars(flask.ctx)["RequestContext"]
)


def init_app_context(ctx: t.Any, app: Flask) -> None:
    """Set the attributes Flask's ``AppContext.__init__`` sets, but for its URL
    adapter, which kolben's contexts bind on first use."""
    ctx.app = app
    ctx.g = app.app_ctx_globals_class()
    if MERGED_CONTEXT:
        ctx._request = None
        ctx._session = None
        ctx._flashes = None
        ctx._after_request_functions = []
        ctx._cv_token = None
        ctx._push_count = 0
    else:
        ctx._cv_tokens = []


def init_request_context(ctx: t.Any, app: Flask, request: Request) -> None:
    """Set the attributes Flask's request context sets in ``__init__``, but
    for its URL adapter and session, which kolben's context opens on first
    use."""
    if MERGED_CONTEXT:
        init_app_context(ctx, app)
        ctx._request = request
    else:
        ctx.app = app
        ctx.request = request
        ctx.flashes = None
        ctx._after_request_functions = []
        ctx._cv_tokens = []


def context_args(ctx: t.Any) -> tuple[t.Any, ...]:
    """What to pass Flask's request-dispatch methods before their own
    arguments: ``(ctx,)`` where Flask takes the context, else nothing."""
    return (ctx,) if PASSES_CONTEXT else ()


__all__ = [
    "MERGED_CONTEXT",
    "PASSES_CONTEXT",
    "RequestContextBase",
    "context_args",
    "init_app_context",
    "init_request_context",
    "request_context_var",
]
