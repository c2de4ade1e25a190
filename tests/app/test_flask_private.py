"""What kolben relies on that Flask does not document: these fail when a Flask
release changes it, before anything subtler does."""

from __future__ import annotations

import contextvars

import flask
import flask.ctx
import pytest
from werkzeug.test import EnvironBuilder

import kolben
from kolben._flask_private import request_context_var


def test_request_context_var_is_what_flask_request_reads() -> None:
    assert isinstance(request_context_var, contextvars.ContextVar)
    app = kolben.Kolben(__name__)
    with app.test_request_context("/x") as ctx:
        assert request_context_var.get() is ctx
        assert flask.request._get_current_object() is ctx.request  # type: ignore[attr-defined]


def test_kolben_context_sets_every_attribute_flask_sets() -> None:
    """KolbenRequestContext.__init__ stands in for Flask's: it must set every
    instance attribute Flask's sets (properties of its own cover the rest)."""
    app = flask.Flask(__name__)
    environ = EnvironBuilder("/").get_environ()
    flask_names = set(vars(flask.ctx.RequestContext(app, environ)))
    kolben_app = kolben.Kolben(__name__)
    ctx = kolben_app.request_context(environ)
    missing = {
        name
        for name in flask_names
        if name not in vars(ctx) and not hasattr(type(ctx), name)
    }
    assert missing == set()


def test_kolben_app_context_sets_every_attribute_flask_sets() -> None:
    app = flask.Flask(__name__)
    flask_names = set(vars(flask.ctx.AppContext(app)))
    ctx = kolben.Kolben(__name__).app_context()
    missing = {
        name
        for name in flask_names
        if name not in vars(ctx) and not hasattr(type(ctx), name)
    }
    assert missing == set()


@pytest.mark.parametrize(
    "name", ["push", "pop", "match_request", "copy", "__enter__", "__exit__"]
)
def test_flask_request_context_keeps_the_methods_kolben_extends(name: str) -> None:
    assert callable(getattr(flask.ctx.RequestContext, name))


def test_flask_push_reads_the_session_and_adapter_kolben_defers() -> None:
    """KolbenRequestContext leaves Flask's push alone by answering the session
    and adapter reads push makes; if push stops reading them, this tells."""
    import inspect

    source = inspect.getsource(flask.ctx.RequestContext.push)
    assert "url_adapter" in source
    assert "session" in source
