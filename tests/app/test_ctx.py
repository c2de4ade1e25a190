"""Application and request contexts, hooks and signals."""

from __future__ import annotations

import threading
import typing as t

import pytest

import kolben
from kolben import current_app, g, request


def test_app_context(app: kolben.Kolben) -> None:
    assert not kolben.has_app_context()
    with app.app_context():
        assert kolben.has_app_context()
        assert current_app._get_current_object() is app  # type: ignore[attr-defined]
        g.x = 1
        assert g.get("x") == 1 and "x" in g and g.pop("x") == 1
        assert g.setdefault("y", 2) == 2
        assert list(g) == ["y"]
    with pytest.raises(RuntimeError, match="application context"):
        current_app.name  # noqa: B018


def test_request_context(app: kolben.Kolben) -> None:
    assert not kolben.has_request_context()
    with app.test_request_context("/p?a=b"):
        assert kolben.has_request_context() and kolben.has_app_context()
        assert request.path == "/p" and request.args["a"] == "b"
    with pytest.raises(RuntimeError, match="request context"):
        request.path  # noqa: B018


def test_g_lives_with_the_app_context(app: kolben.Kolben) -> None:
    @app.get("/")
    def index() -> str:
        assert "n" not in g
        g.n = 1
        return "ok"

    client = app.test_client()
    assert client.get("/").data == b"ok"
    assert client.get("/").data == b"ok"


def test_copy_current_request_context(app: kolben.Kolben) -> None:
    result: list[str] = []

    @app.get("/")
    def index() -> str:
        @kolben.copy_current_request_context
        def work() -> None:
            result.append(request.args["v"])

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        return "done"

    app.test_client().get("/?v=threaded")
    assert result == ["threaded"]
    with pytest.raises(RuntimeError):
        kolben.copy_current_request_context(lambda: None)


def test_client_preserves_context(app: kolben.Kolben) -> None:
    app.add_url_rule("/", "i", lambda: "x")
    with app.test_client() as client:
        client.get("/?q=1")
        assert request.args["q"] == "1"
    assert not kolben.has_request_context()


def test_hook_order(app: kolben.Kolben) -> None:
    calls: list[str] = []
    app.before_request(lambda: calls.append("before1"))
    app.before_request(lambda: calls.append("before2"))

    @app.after_request
    def after1(r: kolben.Response) -> kolben.Response:
        calls.append("after1")
        return r

    @app.after_request
    def after2(r: kolben.Response) -> kolben.Response:
        calls.append("after2")
        return r

    app.teardown_request(lambda e: calls.append(f"teardown {e!r}"))
    app.teardown_appcontext(lambda e: calls.append(f"appctx {e!r}"))
    app.add_url_rule("/", "i", lambda: calls.append("view") or "x")
    app.test_client().get("/")
    assert calls == [
        "before1",
        "before2",
        "view",
        "after2",
        "after1",
        "teardown None",
        "appctx None",
    ]


def test_before_request_short_circuits(app: kolben.Kolben) -> None:
    app.before_request(lambda: ("stopped", 403))
    app.add_url_rule("/", "i", lambda: "view")
    rv = app.test_client().get("/")
    assert (rv.status_code, rv.data) == (403, b"stopped")


def test_teardown_sees_exception(app: kolben.Kolben) -> None:
    app.testing = False
    app.logger.disabled = True
    seen: list[BaseException | None] = []
    app.teardown_request(seen.append)
    app.add_url_rule("/", "i", lambda: 1 / 0)
    try:
        app.test_client().get("/")
    finally:
        app.logger.disabled = False
    assert isinstance(seen[0], ZeroDivisionError)


def test_shell_context(app: kolben.Kolben) -> None:
    app.shell_context_processor(lambda: {"answer": 42})
    ctx = app.make_shell_context()
    assert ctx["app"] is app and ctx["answer"] == 42


SIGNALS = [
    "request_started",
    "request_finished",
    "request_tearing_down",
    "appcontext_pushed",
    "appcontext_popped",
    "appcontext_tearing_down",
]


@pytest.mark.parametrize("name", SIGNALS)
def test_request_signals(app: kolben.Kolben, name: str) -> None:
    received: list[t.Any] = []
    signal = getattr(kolben, name)

    def receiver(sender: t.Any, **extra: t.Any) -> None:
        received.append(sender)

    app.add_url_rule("/", "i", lambda: "x")
    with signal.connected_to(receiver, app):
        app.test_client().get("/")
    assert received == [app]


def test_got_request_exception_and_message_flashed(app: kolben.Kolben) -> None:
    app.testing = False
    app.logger.disabled = True
    got: list[t.Any] = []

    def on_exc(sender: t.Any, exception: BaseException) -> None:
        got.append(type(exception))

    def on_flash(sender: t.Any, message: str, category: str) -> None:
        got.append((message, category))

    app.add_url_rule("/", "i", lambda: 1 / 0)
    app.add_url_rule("/f", "f", lambda: kolben.flash("hi", "info") or "")
    try:
        with kolben.got_request_exception.connected_to(on_exc, app):
            with kolben.message_flashed.connected_to(on_flash, app):
                client = app.test_client()
                client.get("/")
                client.get("/f")
    finally:
        app.logger.disabled = False
    assert got == [ZeroDivisionError, ("hi", "info")]
