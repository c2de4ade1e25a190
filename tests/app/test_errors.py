"""Error handlers, 500s, propagation, and exceptions from the router."""

from __future__ import annotations

import logging
import typing as t

import pytest
from werkzeug.exceptions import Forbidden, HTTPException, InternalServerError, NotFound

import kolben
import kolben.routing


class PanicException(BaseException):
    """Stands in for ``pyo3_runtime.PanicException`` (a BaseException)."""


PanicException.__module__ = "pyo3_runtime"


def _adapter_class(app: kolben.Kolben) -> type[t.Any]:
    with app.test_request_context() as ctx:
        return type(ctx.url_adapter)


class MyError(Exception):
    pass


class SubError(MyError):
    pass


HANDLED = [
    # (raised, registered for, expected body, expected status)
    (NotFound(), 404, "nf", 404),
    (Forbidden(), Forbidden, "forbidden", 403),
    (MyError(), MyError, "mine", 500),
    (SubError(), MyError, "mine", 500),
    (Forbidden(), HTTPException, "http", 403),
]


@pytest.mark.parametrize(("raised", "registered", "body", "status"), HANDLED)
def test_error_handlers(
    app: kolben.Kolben,
    raised: Exception,
    registered: t.Any,
    body: str,
    status: int,
) -> None:
    def handler(e: Exception) -> tuple[str, int]:
        code = getattr(e, "code", None) or 500
        return body, code

    app.register_error_handler(registered, handler)

    @app.route("/")
    def index() -> str:
        raise raised

    rv = app.test_client().get("/")
    assert (rv.data.decode(), rv.status_code) == (body, status)


def test_errorhandler_decorator_and_bad_registration(app: kolben.Kolben) -> None:
    @app.errorhandler(404)
    def nf(e: NotFound) -> tuple[str, int]:
        return "missing", 404

    with pytest.raises(ValueError, match="not a recognized HTTP error code"):
        app.register_error_handler(999, nf)
    with pytest.raises(ValueError, match="not a subclass of Exception"):
        app.register_error_handler(int, nf)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="instance"):
        app.register_error_handler(MyError(), nf)  # type: ignore[arg-type]
    assert app.test_client().get("/nope").data == b"missing"


def test_abort_and_redirect(app: kolben.Kolben) -> None:
    app.add_url_rule("/a", "a", lambda: kolben.abort(418))
    app.add_url_rule("/r", "r", lambda: kolben.redirect("/there", 301))
    client = app.test_client()
    assert client.get("/a").status_code == 418
    rv = client.get("/r")
    assert (rv.status_code, rv.headers["Location"]) == (301, "/there")


@pytest.mark.parametrize(
    ("config", "propagates"),
    [
        ({"TESTING": True}, True),
        ({"TESTING": False, "DEBUG": True}, True),
        ({"TESTING": False}, False),
        ({"TESTING": True, "PROPAGATE_EXCEPTIONS": False}, False),
        ({"TESTING": False, "PROPAGATE_EXCEPTIONS": True}, True),
    ],
)
def test_propagation(
    app: kolben.Kolben,
    config: dict[str, t.Any],
    propagates: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app.config.update(config)
    monkeypatch.setattr(app.logger, "disabled", True)

    @app.route("/")
    def index() -> str:
        raise ZeroDivisionError("secret detail")

    client = app.test_client()
    if propagates:
        with pytest.raises(ZeroDivisionError):
            client.get("/")
    else:
        rv = client.get("/")
        assert rv.status_code == 500
        assert b"secret detail" not in rv.data
        assert b"Traceback" not in rv.data


def test_500_handler_gets_original_exception(
    app: kolben.Kolben, caplog: pytest.LogCaptureFixture
) -> None:
    app.testing = False
    seen: list[BaseException | None] = []

    @app.errorhandler(500)
    def server_error(e: InternalServerError) -> tuple[str, int]:
        seen.append(e.original_exception)
        return "handled", 500

    @app.route("/")
    def index() -> str:
        raise KeyError("x")

    with caplog.at_level(logging.ERROR):
        rv = app.test_client().get("/")
    assert rv.data == b"handled"
    assert isinstance(seen[0], KeyError)
    assert "Exception on / [GET]" in caplog.text


class _PanickingRouter:
    """Stands in for the native router on the request fast path."""

    def route(self, path: str, method: str, environ: t.Any) -> t.NoReturn:
        raise PanicException("index out of bounds")


@pytest.mark.parametrize("path", ["fast", "adapter"])
def test_router_panic_becomes_logged_500(
    app: kolben.Kolben,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    path: str,
) -> None:
    """A Rust panic surfacing from matching is a 500 through the handlers, on
    the one-call fast path and through the bound adapter alike."""
    app.testing = False
    seen: list[BaseException | None] = []

    @app.errorhandler(500)
    def server_error(e: InternalServerError) -> tuple[str, int]:
        seen.append(e.original_exception)
        return "panic handled", 500

    app.add_url_rule("/", "index", lambda: "never")

    def panic(*args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        raise PanicException("index out of bounds")

    if path == "fast":
        assert app.native_router() is not None
        monkeypatch.setattr(app, "native_router", _PanickingRouter)
    else:
        monkeypatch.setattr(app, "native_router", lambda: None)
        monkeypatch.setattr(_adapter_class(app), "match", panic)
    with caplog.at_level(logging.ERROR):
        rv = app.test_client().get("/")
    assert (rv.status_code, rv.data) == (500, b"panic handled")
    assert isinstance(seen[0], kolben.routing.RouterPanic)
    assert isinstance(seen[0].__cause__, PanicException)
    assert "index out of bounds" in caplog.text
    # The worker survives: the next request is served normally.
    monkeypatch.undo()
    assert app.test_client().get("/").data == b"never"


def test_panic_in_url_for_is_a_500(
    app: kolben.Kolben, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.testing = False
    monkeypatch.setattr(app.logger, "disabled", True)

    @app.route("/")
    def index() -> str:
        return kolben.url_for("index")

    def panic(*args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        raise PanicException("boom")

    monkeypatch.setattr(_adapter_class(app), "build", panic)
    rv = app.test_client().get("/")
    assert rv.status_code == 500
    assert b"boom" not in rv.data


@pytest.mark.parametrize("exc", [KeyboardInterrupt, SystemExit])
def test_fatal_base_exceptions_are_not_swallowed(
    app: kolben.Kolben, exc: type[BaseException]
) -> None:
    app.testing = False

    @app.route("/")
    def index() -> str:
        raise exc()

    with pytest.raises(exc):
        app.test_client().get("/")


def test_error_in_500_handler_finalizing_is_logged(
    app: kolben.Kolben, caplog: pytest.LogCaptureFixture
) -> None:
    app.testing = False

    @app.after_request
    def broken(response: kolben.Response) -> kolben.Response:
        raise RuntimeError("after")

    @app.route("/")
    def index() -> str:
        return "x"

    with caplog.at_level(logging.ERROR):
        rv = app.test_client().get("/")
    assert rv.status_code == 500
    assert "finalizing failed" in caplog.text


def test_bad_request_key_error_in_debug(app: kolben.Kolben) -> None:
    app.debug = True
    app.config["TRAP_BAD_REQUEST_ERRORS"] = False

    @app.route("/")
    def index() -> str:
        return kolben.request.form["missing"]

    rv = app.test_client().get("/")
    assert rv.status_code == 400
    assert b"missing" in rv.data


@pytest.mark.parametrize("step", ["update", "bind_to_environ"])
def test_panic_while_binding_the_map_is_a_500(
    app: kolben.Kolben, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """A panic compiling the rules (fast path) or binding the map is a 500."""
    app.testing = False
    monkeypatch.setattr(app.logger, "disabled", True)
    app.add_url_rule("/", "index", lambda: "never")

    def panic(*args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        raise PanicException("bind")

    if step == "bind_to_environ":
        monkeypatch.setattr(app, "native_router", lambda: None)
    monkeypatch.setattr(type(app.url_map), step, panic)
    rv = app.test_client().get("/")
    assert rv.status_code == 500
    assert not kolben.has_request_context()
