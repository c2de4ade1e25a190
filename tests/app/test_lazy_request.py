"""KolbenRequest reads the WSGI environ on first use, with Werkzeug's values."""

from __future__ import annotations

import io
import sys
import typing as t

import flask
import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request as WerkzeugRequest

import kolben
from kolben.wrappers import FROM_ENVIRON, KolbenRequest

#: Raw environ values (latin-1 text, as servers pass them) for the keys the
#: request reads, Werkzeug's corner cases among them.
ENVIRONS: list[dict[str, t.Any]] = [
    {"PATH_INFO": "/hello", "REQUEST_METHOD": "GET"},
    {"PATH_INFO": "", "REQUEST_METHOD": "get"},
    {"PATH_INFO": "//double//slash", "REQUEST_METHOD": "PATCH"},
    {"PATH_INFO": "no-slash", "REQUEST_METHOD": "Brew"},
    {"PATH_INFO": "/caf\xc3\xa9", "REQUEST_METHOD": "p\xc3\xb6st"},
    {"PATH_INFO": "/a", "SCRIPT_NAME": "/mount/", "QUERY_STRING": "q=\xc3\xa9"},
    {"PATH_INFO": "/a", "REMOTE_ADDR": "10.0.0.1", "HTTP_X_THING": "1"},
    {"PATH_INFO": "/a", "SERVER_NAME": "example.org", "SERVER_PORT": "8443"},
    {"PATH_INFO": "/a", "wsgi.url_scheme": "https", "HTTP_HOST": "h:1"},
]


def _environ(extra: dict[str, t.Any]) -> dict[str, t.Any]:
    environ = EnvironBuilder().get_environ()
    environ.pop("REQUEST_METHOD")
    environ.update(extra)
    return environ


def _werkzeug_values(environ: dict[str, t.Any]) -> dict[str, t.Any]:
    request = WerkzeugRequest(dict(environ), populate_request=False)
    return {name: getattr(request, name) for name in FROM_ENVIRON}


@pytest.mark.parametrize("extra", ENVIRONS)
@pytest.mark.parametrize("first", FROM_ENVIRON)
def test_first_read_gives_werkzeugs_values(extra: dict[str, t.Any], first: str) -> None:
    environ = _environ(extra)
    request = KolbenRequest(environ)
    assert not set(FROM_ENVIRON) & set(vars(request))
    assert environ["werkzeug.request"] is request
    getattr(request, first)
    # The query string is read alone (for ``args``); any other, all of them.
    read = {first} if first == "query_string" else set(FROM_ENVIRON)
    assert set(FROM_ENVIRON) & set(vars(request)) == read
    values = {name: getattr(request, name) for name in FROM_ENVIRON}
    expected = _werkzeug_values(environ)
    assert {k: v for k, v in values.items() if k != "headers"} == {
        k: v for k, v in expected.items() if k != "headers"
    }
    assert list(values["headers"].items()) == list(expected["headers"].items())


def test_value_set_before_reading_is_kept() -> None:
    request = KolbenRequest(_environ({"PATH_INFO": "/a", "REQUEST_METHOD": "GET"}))
    request.method = "POST"
    assert request.path == "/a"
    assert request.method == "POST"
    assert request.url == "http://localhost/a"


def test_shallow_and_unpopulated_requests() -> None:
    environ = _environ({"PATH_INFO": "/a"})
    unpopulated = KolbenRequest(environ, populate_request=False)
    assert "werkzeug.request" not in environ
    assert unpopulated.path == "/a"
    shallow = KolbenRequest(environ, shallow=True)
    assert "werkzeug.request" not in environ
    assert shallow.path == "/a"
    with pytest.raises(RuntimeError):
        shallow.stream.read()
    assert "werkzeug.request" not in environ


def test_subclass_init_can_set_routing_values() -> None:
    class Rewriting(KolbenRequest):
        def __init__(self, environ: t.Any, *args: t.Any, **kwargs: t.Any) -> None:
            super().__init__(environ, *args, **kwargs)
            self.path = "/rewritten" + self.path

    app = kolben.Kolben(__name__)
    app.request_class = Rewriting

    @app.route("/rewritten/<path:rest>")
    def rewritten(rest: str) -> str:
        return f"{rest} {flask.request.path}"

    rv = app.test_client().get("/x/y")
    assert rv.status_code == 200
    assert rv.text == "x/y /rewritten/x/y"


def _echo_app(app_class: type[flask.Flask]) -> flask.Flask:
    app = app_class(__name__)

    # "GET\xc9" is what Werkzeug makes of the raw method "GET\xe9".
    methods = ["GET", "POST", "PATCH", "GET\xc9"]

    @app.route("/", methods=methods)
    @app.route("/<path:rest>", methods=methods)
    def echo(rest: str = "") -> dict[str, t.Any]:
        request = flask.request
        return {
            "rest": rest,
            "path": request.path,
            "method": request.method,
            "full": request.full_path,
            "url": request.url,
            "root": request.root_path,
        }

    return app


def _call(app: flask.Flask, environ: dict[str, t.Any]) -> tuple[list[str], bytes]:
    """The statuses ``app`` starts and the body it sends for ``environ``."""
    statuses: list[str] = []

    def start_response(status: str, *rest: t.Any) -> t.Any:
        statuses.append(status)

    return statuses, b"".join(app(environ, start_response))


#: Requests as raw environ values: (method, PATH_INFO, SCRIPT_NAME, query).
RAW_REQUESTS = [
    ("GET", "/", "", ""),
    ("GET", "", "", ""),
    ("get", "/a/b", "", "x=1"),
    ("PATCH", "//a", "", ""),
    ("POST", "/caf\xc3\xa9", "", ""),
    ("p\xc3\xb6st", "/a", "", ""),
    ("GET\xe9", "/a", "", ""),
    ("GET", "/a%2Fb", "/mount", "q=\xc3\xa9"),
    ("DELETE", "/a", "", ""),
]


@pytest.mark.parametrize(("method", "path", "script", "query"), RAW_REQUESTS)
def test_routed_request_reads_as_on_flask(
    method: str, path: str, script: str, query: str
) -> None:
    """A view reading the request after native routing sees what it sees on
    Flask, whatever the raw environ values."""
    answers: list[tuple[list[str], bytes]] = []
    for app_class in (flask.Flask, kolben.Kolben):
        app = _echo_app(app_class)
        environ = _environ(
            {
                "REQUEST_METHOD": method,
                "PATH_INFO": path,
                "SCRIPT_NAME": script,
                "QUERY_STRING": query,
                "wsgi.input": io.BytesIO(),
                "wsgi.errors": sys.stderr,
            }
        )
        answers.append(_call(app, environ))
    assert answers[0] == answers[1]


def test_view_that_reads_nothing_leaves_the_environ_unread() -> None:
    """Native routing keeps the raw path and method as the request's; the
    rest is not read from the environ unless used."""
    app = kolben.Kolben(__name__)
    seen: list[set[str]] = []

    @app.route("/user/<name>")
    def user(name: str) -> str:
        seen.append(set(FROM_ENVIRON) & set(vars(flask.request)))
        return name

    client = app.test_client()
    assert client.get("/user/ada").text == "ada"
    assert seen == [{"path", "method"}]
    assert client.get("/user/caf%C3%A9").text == "café"
    assert seen[1] == set(FROM_ENVIRON)


@pytest.mark.parametrize("app_class", [flask.Flask, kolben.Kolben])
def test_subclass_reading_its_method_its_own_way(app_class: type[flask.Flask]) -> None:
    """A request class whose ``method`` is its own is routed from the environ,
    as Flask's adapter does, and the view sees its own method."""

    class Overriding(app_class.request_class):  # type: ignore[name-defined, misc]
        @property
        def method(self) -> str:
            return str(self.environ.get("HTTP_X_METHOD", "GET")).upper()

        @method.setter
        def method(self, value: str) -> None:
            pass

    app = app_class(__name__)
    app.request_class = Overriding

    @app.route("/thing", methods=["GET", "DELETE"])
    def thing() -> str:
        return flask.request.method

    client = app.test_client()
    assert client.get("/thing", headers={"X-Method": "delete"}).text == "DELETE"
    assert client.delete("/thing").text == "GET"
