"""What kolben relies on that Flask does not document, on every Flask kolben
supports (3.1.x, and 3.2 from its development branch on): these fail when a
Flask release changes it, before anything subtler does.

kolben._flask_private names each difference between the two; the tests here
check its answers against the installed Flask's own behaviour, not against
its version number."""

from __future__ import annotations

import contextvars
import inspect
import warnings

import flask
import flask.ctx
import flask.globals
import pytest
from werkzeug.test import EnvironBuilder

import kolben
from kolben import _flask_private
from kolben._flask_private import request_context_var


def test_request_context_var_is_what_flask_request_reads() -> None:
    assert isinstance(request_context_var, contextvars.ContextVar)
    app = kolben.Kolben(__name__)
    with app.test_request_context("/x") as ctx:
        assert request_context_var.get() is ctx
        assert flask.request._get_current_object() is ctx.request  # type: ignore[attr-defined]


def test_flask_context_var_holds_flask_request_context() -> None:
    """The same on stock Flask: the variable holds what ``request_context``
    made, whose ``request`` is ``flask.request``."""
    app = flask.Flask(__name__)
    with app.test_request_context("/x") as ctx:
        assert request_context_var.get() is ctx
        assert flask.request._get_current_object() is ctx.request  # type: ignore[attr-defined]


def test_merged_context_is_what_flask_makes() -> None:
    """On a Flask with one context, the request's context is also the app's
    (``current_app``'s); before, a request context sits on an app context."""
    app = flask.Flask(__name__)
    with app.test_request_context("/x") as ctx:
        app_ctx = flask.globals._cv_app.get()
        assert (app_ctx is ctx) is _flask_private.MERGED_CONTEXT
        assert isinstance(ctx, _flask_private.RequestContextBase)
    assert type(ctx) is _flask_private.RequestContextBase


def test_passes_context_is_what_flask_calls_with() -> None:
    """Whether Flask passes the context to the dispatch methods, seen from a
    subclass that records its arguments (declared with a ``ctx`` parameter,
    as Flask 3.2 asks, so no signature warning)."""
    seen: list[tuple[object, ...]] = []

    class Recording(flask.Flask):
        def preprocess_request(self, ctx: flask.ctx.AppContext = None) -> None:  # type: ignore[assignment, override]
            seen.append(() if ctx is None else (ctx,))

    app = Recording(__name__)
    app.add_url_rule("/", "index", lambda: "ok")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert app.test_client().get("/").data == b"ok"
    assert len(seen) == 1
    assert bool(seen[0]) is _flask_private.PASSES_CONTEXT
    if seen[0]:
        assert isinstance(seen[0][0], _flask_private.RequestContextBase)


def test_kolben_subclass_draws_no_signature_warning() -> None:
    """Flask 3.2 warns for, and wraps, a dispatch method whose first parameter
    is not the context; kolben's overrides take it and draw no warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")

        class Sub(kolben.Kolben):
            pass

    for name in ("preprocess_request", "dispatch_request", "finalize_request"):
        params = list(inspect.signature(getattr(kolben.Kolben, name)).parameters)
        assert params[1] == "ctx"


def _flask_names(ctx: object) -> set[str]:
    return set(vars(ctx))


def _missing(flask_ctx: object, kolben_ctx: object) -> set[str]:
    return {
        name
        for name in _flask_names(flask_ctx)
        if name not in vars(kolben_ctx) and not hasattr(type(kolben_ctx), name)
    }


def test_kolben_context_sets_every_attribute_flask_sets() -> None:
    """KolbenRequestContext.__init__ stands in for Flask's: it must set every
    instance attribute Flask's sets (properties of its own cover the rest)."""
    environ = EnvironBuilder("/").get_environ()
    flask_ctx = flask.Flask(__name__).request_context(environ)
    kolben_ctx = kolben.Kolben(__name__).request_context(environ)
    assert _missing(flask_ctx, kolben_ctx) == set()


def test_kolben_app_context_sets_every_attribute_flask_sets() -> None:
    flask_ctx = flask.Flask(__name__).app_context()
    kolben_ctx = kolben.Kolben(__name__).app_context()
    assert _missing(flask_ctx, kolben_ctx) == set()


def test_kolben_copy_is_a_kolben_context() -> None:
    """Flask's ``copy`` calls the context's class with the arguments of its
    release; kolben's takes both."""
    app = kolben.Kolben(__name__)
    with app.test_request_context("/x") as ctx:
        copied = ctx.copy()
        assert type(copied) is type(ctx)
        assert copied.request is ctx.request


@pytest.mark.parametrize(
    "name", ["push", "pop", "match_request", "copy", "__enter__", "__exit__"]
)
def test_flask_request_context_keeps_the_methods_kolben_extends(name: str) -> None:
    assert callable(getattr(_flask_private.RequestContextBase, name))


def test_flask_push_reads_the_session_and_adapter_kolben_defers() -> None:
    """KolbenRequestContext leaves Flask's push alone by answering the session
    and adapter reads push makes; if push stops reading them, this tells."""
    source = inspect.getsource(_flask_private.RequestContextBase.push)
    assert "url_adapter" in source
    assert "session" in source
