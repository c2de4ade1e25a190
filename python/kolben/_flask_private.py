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

#: The context variable behind ``flask.current_app``.
app_var: ContextVar[t.Any] = flask.globals._cv_app

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


def is_pushed(ctx: t.Any) -> bool:
    """Whether ``ctx`` (a request's context) is already pushed."""
    return ctx._cv_token is not None if MERGED_CONTEXT else bool(ctx._cv_tokens)


def push_directly(ctx: t.Any, app_ctx: t.Any) -> None:
    """Make ``ctx``, a request's context not yet pushed, the current one, in
    the state Flask's ``push`` leaves it in (so that Flask's ``pop`` pops it),
    for a push nothing observes: no context is current, and no
    ``appcontext_pushed`` receiver is connected. Before 3.2 ``app_ctx``, a new
    application context of the same app, is pushed under it; from 3.2 on
    ``ctx`` is the application context and ``app_ctx`` is ignored."""
    if MERGED_CONTEXT:
        ctx._push_count += 1
        ctx._cv_token = app_var.set(ctx)
    else:
        app_ctx._cv_tokens.append(app_var.set(app_ctx))
        ctx._cv_tokens.append((request_context_var.set(ctx), app_ctx))


def pop_unobserved(ctx: t.Any) -> bool:
    """Pop ``ctx``, pushed once (by :func:`push_directly` or Flask's
    ``push``) and current, leaving what Flask's ``pop`` leaves, for a pop
    nothing observes: no teardown function, no receiver of the teardown or
    ``appcontext_popped`` signals, nothing for the request to close. Returns
    ``False``, having done nothing, when ``ctx`` is not current as pushed
    once (Flask's ``pop`` then pops it, or says why it cannot)."""
    if MERGED_CONTEXT:
        if ctx._push_count != 1 or app_var.get(None) is not ctx:
            return False
        app_var.reset(ctx._cv_token)
        ctx._cv_token = None
        ctx._push_count = 0
        return True
    tokens = ctx._cv_tokens
    if len(tokens) != 1 or request_context_var.get(None) is not ctx:
        return False
    token, app_ctx = tokens[0]
    if (
        app_ctx is None
        or len(app_ctx._cv_tokens) != 1
        or app_var.get(None) is not app_ctx
    ):
        return False
    tokens.pop()
    request_context_var.reset(token)
    ctx.request.environ["werkzeug.request"] = None
    app_var.reset(app_ctx._cv_tokens.pop())
    return True


def context_args(ctx: t.Any) -> tuple[t.Any, ...]:
    """What to pass Flask's request-dispatch methods before their own
    arguments: ``(ctx,)`` where Flask takes the context, else nothing."""
    return (ctx,) if PASSES_CONTEXT else ()


__all__ = [
    "MERGED_CONTEXT",
    "PASSES_CONTEXT",
    "RequestContextBase",
    "app_var",
    "context_args",
    "init_app_context",
    "init_request_context",
    "is_pushed",
    "pop_unobserved",
    "push_directly",
    "request_context_var",
]
