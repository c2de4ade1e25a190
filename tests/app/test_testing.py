"""Test client, CLI runner and logger."""

from __future__ import annotations

import logging
import typing as t

import click
import flask
import pytest
from flask.logging import default_handler

import kolben


def test_client_follow_redirects_and_history(app: kolben.Kolben) -> None:
    app.add_url_rule("/", "i", lambda: kolben.redirect(kolben.url_for("target")))
    app.add_url_rule("/target", "target", lambda: "arrived")
    rv = app.test_client().get("/", follow_redirects=True)
    assert rv.data == b"arrived"
    # Flask's default redirect status: 302, and 303 from Flask 3.2 on.
    assert [r.status_code for r in rv.history] == [kolben.redirect("/").status_code]
    assert rv.request.path == "/target"


def test_client_environ_defaults(app: kolben.Kolben) -> None:
    app.add_url_rule("/", "i", lambda: kolben.request.remote_addr or "")
    assert app.test_client().get("/").data == b"127.0.0.1"


def test_client_cookies(app: kolben.Kolben) -> None:
    @app.get("/set")
    def set_cookie() -> kolben.Response:
        rv = kolben.make_response("set")
        rv.set_cookie("flavour", "oat")
        return rv

    app.add_url_rule("/get", "get", lambda: kolben.request.cookies.get("flavour", ""))
    client = app.test_client()
    client.get("/set")
    assert client.get("/get").data == b"oat"
    assert client.get_cookie("flavour").value == "oat"  # type: ignore[union-attr]


def test_cli_runner(app: kolben.Kolben) -> None:
    @app.cli.command("hello")
    @click.option("--name", default="World")
    def hello(name: str) -> None:
        click.echo(f"Hello, {name}!")

    result = app.test_cli_runner().invoke(args=["hello", "--name", "kolben"])
    assert result.output == "Hello, kolben!\n"


def test_logger(app: kolben.Kolben, caplog: pytest.LogCaptureFixture) -> None:
    assert app.logger.name == "kolben_test"
    with app.app_context(), caplog.at_level(logging.INFO, logger="kolben_test"):
        app.logger.info("hello log")
    assert "hello log" in caplog.text


@pytest.mark.usefixtures("caplog")  # its handler is on the root logger
@pytest.mark.parametrize("propagate", [True, False])
def test_logger_default_handler_as_in_flask(
    request: pytest.FixtureRequest, propagate: bool
) -> None:
    """Flask's default handler is on the app's logger exactly when Flask puts
    it on a stock app's: when no handler up the hierarchy would show the
    records."""
    handlers = {}
    for app_class in (kolben.Kolben, flask.Flask):
        name = f"{request.node.name}-{app_class.__name__}"
        logger = logging.getLogger(name)
        logger.propagate = propagate
        try:
            handlers[app_class] = list(app_class(name).logger.handlers)
        finally:
            logger.removeHandler(default_handler)
            logger.propagate = True
    assert handlers[kolben.Kolben] == handlers[flask.Flask]
    assert (default_handler in handlers[flask.Flask]) is not propagate


def test_logger_writes_to_wsgi_errors(app: kolben.Kolben) -> None:
    import io

    stream = io.StringIO()

    @app.get("/")
    def index() -> str:
        app.logger.error("to wsgi errors")
        return ""

    logger = logging.getLogger("kolben_test")
    propagate = logger.propagate
    added = default_handler not in logger.handlers
    logger.propagate = False
    if added:
        logger.addHandler(default_handler)
    try:
        app.test_client().get("/", errors_stream=stream)
    finally:
        logger.propagate = propagate
        if added:
            logger.removeHandler(default_handler)
    assert "to wsgi errors" in stream.getvalue()


@pytest.mark.parametrize(
    ("server_name", "kwargs", "expected"),
    [
        (None, {}, ("127.0.0.1", 5000)),
        ("example.test:8080", {}, ("example.test", 8080)),
        ("example.test:8080", {"host": "0.0.0.0", "port": 0}, ("0.0.0.0", 0)),
    ],
)
def test_run_host_and_port(
    app: kolben.Kolben,
    monkeypatch: pytest.MonkeyPatch,
    server_name: str | None,
    kwargs: dict[str, t.Any],
    expected: tuple[str, int],
) -> None:
    seen: list[tuple[str, int]] = []

    def run_simple(host: str, port: int, application: t.Any, **options: t.Any) -> None:
        assert application is app
        seen.append((host, port))

    monkeypatch.setattr("werkzeug.serving.run_simple", run_simple)
    app.config["SERVER_NAME"] = server_name
    app.run(load_dotenv=False, **kwargs)
    assert seen == [expected]
