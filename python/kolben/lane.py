"""The request path of a :class:`~kolben.Kolben` app for a request nothing
observes on its way: no context is current, no receiver of the signals sent
while a request is pushed, dispatched and popped (``appcontext_pushed``,
``request_started``, ``appcontext_popped``), and the debugger does not keep
the context.

Such a request is served in one function: its context made current directly
(:meth:`~kolben.context.KolbenRequestContext.push_unobserved`), the URL value
preprocessors and ``before_request`` functions run when any is registered,
the view dispatched and its result finalized by the app's own methods, errors
handed to the app's ``handle_user_exception`` and ``handle_exception``, the
context popped directly when no teardown would run (else by Flask's ``pop``).
What it leaves out are calls that would do nothing: sending a signal nobody
receives, running hooks nobody registered.
"""

from __future__ import annotations

import typing as t

from flask.signals import (
    appcontext_popped,
    appcontext_pushed,
    appcontext_tearing_down,
    request_started,
    request_tearing_down,
)

from ._flask_private import app_var, context_args, pop_unobserved
from .context import KolbenRequestContext
from .wrappers import closes_nothing

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from .app import Kolben

#: The environ key of the debugger that keeps a request's context after it.
_PRESERVE = "werkzeug.debug.preserve_context"


def is_unobserved(environ: WSGIEnvironment) -> bool:
    """Whether nothing observes the way of the request ``environ`` beyond the
    methods the lane calls (see the module docs)."""
    return (
        not appcontext_pushed.receivers
        and not request_started.receivers
        and not appcontext_popped.receivers
        and _PRESERVE not in environ
        and app_var.get(None) is None
    )


def serve(
    app: Kolben, environ: WSGIEnvironment, start_response: StartResponse
) -> t.Iterable[bytes]:
    """Serve the request ``environ`` with ``app``: the response Flask's
    ``wsgi_app`` would give, for a request :func:`is_unobserved` accepts."""
    ctx = KolbenRequestContext(app, environ)
    ctx.plain_allowed = True
    first = context_args(ctx)
    failure: BaseException | None = None
    try:
        try:
            ctx.push_unobserved()
            response = _respond(app, ctx, first)
        except Exception as error:
            failure = error
            response = app.handle_exception(*(*first, error))
        except BaseException as error:
            failure = error
            raise
        return response(environ, start_response)  # type: ignore[no-any-return]
    finally:
        if not (_tears_down_quietly(app, ctx) and pop_unobserved(ctx)):
            ctx.pop(failure)


def _respond(app: Kolben, ctx: KolbenRequestContext, first: tuple[t.Any, ...]) -> t.Any:
    """What the app's ``full_dispatch_request`` returns, without sending
    ``request_started`` (nobody receives it) or calling ``preprocess_request``
    when no hook is registered."""
    app._got_first_request = True
    try:
        result = None
        if app.before_request_funcs or app.url_value_preprocessors:
            result = app.preprocess_request(*first)
        if result is None:
            result = app.dispatch_request(*first)
    except Exception as error:
        result = app.handle_user_exception(*(*first, error))
    return app.finalize_request(ctx, result)


def _tears_down_quietly(app: Kolben, ctx: KolbenRequestContext) -> bool:
    """Whether popping ``ctx`` would do nothing but make it no longer current:
    no teardown function or receiver of the signals sent while it is popped,
    and a request with nothing to close."""
    return (
        not (app.teardown_request_funcs and any(app.teardown_request_funcs.values()))
        and not app.teardown_appcontext_funcs
        and not request_tearing_down.receivers
        and not appcontext_tearing_down.receivers
        and not appcontext_popped.receivers
        and closes_nothing(ctx.request)
    )
