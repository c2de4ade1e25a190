"""The one-call request fast path (``router.route(path, method, environ)``)
answers every request exactly as routing through the bound adapter does."""

from __future__ import annotations

import typing as t

import pytest
from flask import Request
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Response as WerkzeugResponse

import kolben
from kolben import _router


def _app(websocket: bool = True) -> kolben.Kolben:
    """The test app; ``websocket=False`` leaves out its one websocket rule."""
    app = kolben.Kolben(__name__)

    def show(**values: t.Any) -> dict[str, t.Any]:
        return {"endpoint": kolben.request.endpoint, "values": repr(values)}

    app.add_url_rule("/", "index", show)
    app.add_url_rule("/a/", "slash", show)
    app.add_url_rule("/b", "plain", show, methods=["GET", "PUT"])
    app.add_url_rule("/u/<int:user_id>", "user", show)
    app.add_url_rule("/u/<name>", "user_name", show)
    app.add_url_rule("/files/<path:rest>", "files", show)
    app.add_url_rule("/post", "post", show, methods=["POST"])
    app.add_url_rule("/page/", "page", show, defaults={"n": 1})
    app.add_url_rule("/page/<int:n>", "page", show)
    app.add_url_rule("/old/<int:n>", "old", show, redirect_to="/u/<n>")
    app.add_url_rule("/lax/", "lax", show, strict_slashes=False)
    app.add_url_rule("/é/<x>", "accent", show)
    if websocket:
        app.add_url_rule("/ws", "ws", show, websocket=True)
    return app


#: (method, PATH_INFO as a WSGI server passes it, extra environ)
REQUESTS: list[tuple[str, str, dict[str, str]]] = [
    ("GET", "/", {}),
    ("GET", "", {}),
    ("GET", "/a", {}),
    ("GET", "/a/", {}),
    ("GET", "//a/", {}),
    ("GET", "/a//", {}),
    ("GET", "/b", {}),
    ("GET", "/b/", {}),
    ("PUT", "/b", {}),
    ("DELETE", "/b", {}),
    ("HEAD", "/b", {}),
    ("OPTIONS", "/b", {}),
    ("get", "/b", {}),
    ("GET", "/u/42", {}),
    ("GET", "/u/-1", {}),
    ("GET", "/u/ann", {}),
    ("GET", "/u//ann", {}),
    ("GET", "/files/x/y/../z", {}),
    ("GET", "/post", {}),
    ("POST", "/post", {}),
    ("GET", "/page/", {}),
    ("GET", "/page/1", {}),
    ("GET", "/page/2", {}),
    ("GET", "/old/7", {}),
    ("GET", "/lax", {}),
    ("GET", "/lax/", {}),
    ("GET", "/\xc3\xa9/v", {}),  # UTF-8 bytes of "/é/v", as latin-1 text
    ("GET", "/\xff/v", {}),  # not UTF-8: decoded with replacement
    ("GET", "/ws", {}),
    ("GET", "/ws", {"HTTP_CONNECTION": "Upgrade", "HTTP_UPGRADE": "websocket"}),
    ("GET", "/b", {"HTTP_CONNECTION": "Upgrade", "HTTP_UPGRADE": "websocket"}),
    ("DELETE", "/b", {"HTTP_CONNECTION": "Upgrade", "HTTP_UPGRADE": "websocket"}),
    ("GET", "/a", {"HTTP_CONNECTION": "Upgrade", "HTTP_UPGRADE": "websocket"}),
    ("GET", "/missing", {"HTTP_CONNECTION": "Upgrade", "HTTP_UPGRADE": "websocket"}),
    ("GET", "/missing", {}),
    ("GET", "/\x00", {}),
]


def _environ(method: str, path_info: str, extra: dict[str, str]) -> dict[str, t.Any]:
    """A WSGI environ with ``PATH_INFO`` as a server passes it."""
    environ = EnvironBuilder(method="GET").get_environ()
    environ.update(extra, REQUEST_METHOD=method, PATH_INFO=path_info)
    return environ


def _serve(app: kolben.Kolben, method: str, path: str, extra: dict[str, str]) -> t.Any:
    response = WerkzeugResponse.from_app(app, _environ(method, path, extra))
    return (
        response.status,
        response.headers.get("Location"),
        sorted(response.headers.get("Allow", "").split(", ")),
        response.get_data(),
    )


@pytest.mark.parametrize("websocket", [True, False], ids=["ws-rules", "no-ws-rules"])
@pytest.mark.parametrize(("method", "path", "extra"), REQUESTS)
def test_fast_path_answers_as_the_adapter(
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    path: str,
    extra: dict[str, str],
    websocket: bool,
) -> None:
    app = _app(websocket)
    fast = _serve(app, method, path, extra)
    monkeypatch.setattr(app, "native_router", lambda: None)
    assert _serve(app, method, path, extra) == fast


def test_fast_path_is_taken_for_a_plain_app() -> None:
    app = _app()
    assert isinstance(app.native_router(), _router.Router)


class _LowerPathRequest(Request):
    """A request class whose ``path`` is not the one Werkzeug reads."""

    @property
    def path(self) -> str:
        return self._path.lower()

    @path.setter
    def path(self, value: str) -> None:
        self._path = value


@pytest.mark.parametrize(
    "setup",
    [
        lambda app: setattr(app, "subdomain_matching", True),
        lambda app: app.config.update(TRUSTED_HOSTS=["localhost"]),
        lambda app: setattr(app.url_map, "default_subdomain", "www"),
        lambda app: setattr(app, "request_class", _LowerPathRequest),
    ],
    ids=["subdomain_matching", "trusted_hosts", "default_subdomain", "request_path"],
)
def test_fast_path_steps_aside(setup: t.Callable[[kolben.Kolben], None]) -> None:
    """Routing that depends on the host goes through the bound adapter."""
    app = _app()
    setup(app)
    assert app.native_router() is None


def test_request_class_with_its_own_path_is_routed_from_the_environ() -> None:
    """Flask routes the environ's PATH_INFO whatever ``request.path`` says."""
    app = _app()
    app.request_class = _LowerPathRequest
    client = app.test_client()
    assert client.get("/U/ann").status_code == 404
    assert client.get("/u/ann").get_json()["endpoint"] == "user_name"


def test_rules_added_after_a_request_are_routed() -> None:
    """A rule added to the map later is compiled in before the next request."""
    app = _app()
    client = app.test_client()
    assert client.get("/late").status_code == 404
    app.url_map.add(kolben.routing.Rule("/late", endpoint="late"))
    app.view_functions["late"] = lambda: "late"
    assert client.get("/late").data == b"late"


def _request(method: str, path_info: str, **extra: str) -> Request:
    """The request a server's environ makes, as the app creates it."""
    return Request(_environ(method, path_info, extra))


def test_router_route_results() -> None:
    """The native call's plain results: a match, a 404, a 405, or
    ``NotImplemented`` for what only the adapter decides."""
    app = _app()
    router = app.native_router()
    assert router is not None

    def route(method: str, path_info: str, **extra: str) -> t.Any:
        request = _request(method, path_info, **extra)
        return router.route(request.path, request.method, request.environ)

    rule, values = route("GET", "/u/42")
    assert (rule.endpoint, values) == ("user", {"user_id": 42})
    rule, values = route("GET", "/\xc3\xa9/v")  # UTF-8 bytes as latin-1 text
    assert (rule.endpoint, values) == ("accent", {"x": "v"})
    rule, values = route("GET", "/")
    assert (rule.endpoint, values) == ("index", {})
    assert route("GET", "/missing") is None
    assert route("DELETE", "/b") == frozenset({"GET", "HEAD", "PUT", "OPTIONS"})
    assert route("GET", "/a") is NotImplemented  # a strict-slash redirect
    assert route("GET", "/b", HTTP_UPGRADE="websocket") is NotImplemented
    # An empty PATH_INFO reads as "/" but Werkzeug redirects it to "/".
    assert route("GET", "") is NotImplemented


def test_router_route_refuses_what_request_would_not_give() -> None:
    """Arguments not shaped as ``request.path``/``request.method`` go to the
    adapter; missing ones are a TypeError, as for a Python function."""
    router = _app().native_router()
    assert router is not None
    environ = {"PATH_INFO": "/b", "REQUEST_METHOD": "GET"}
    assert router.route("/b", "GET", environ)[0].endpoint == "plain"
    assert router.route("/b", "get", environ) is NotImplemented
    assert router.route("b", "GET", environ) is NotImplemented
    assert router.route("//b", "GET", environ) is NotImplemented
    assert router.route("/\ud800", "GET", environ) is NotImplemented
    assert router.route(b"/b", "GET", environ) is NotImplemented
    assert router.route("/b", 1, environ) is NotImplemented
    assert router.route("/b", "GET", None) is NotImplemented
    assert router.route("/", "GET", {}) is NotImplemented  # no PATH_INFO
    assert router.route(path="/b", method="GET", environ=environ)[1] == {}
    with pytest.raises(TypeError, match="missing required argument 'environ'"):
        router.route("/b", "GET")
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        router.route("/b", "GET", environ, websocket=True)


def test_upgrade_header_read_only_when_it_can_matter() -> None:
    """Without websocket rules a 404 or 405 is the answer for an upgrade request
    too, so the native call gives it; with them, or on a match, the upgrade
    goes to the adapter."""
    upgrade = {"HTTP_UPGRADE": "websocket"}
    plain = _app(websocket=False).native_router()
    with_ws = _app(websocket=True).native_router()
    assert plain is not None and with_ws is not None

    def route(router: t.Any, method: str, path: str) -> t.Any:
        return router.route(path, method, {"PATH_INFO": path, **upgrade})

    assert route(plain, "GET", "/missing") is None
    assert route(plain, "DELETE", "/b") == frozenset({"GET", "HEAD", "PUT", "OPTIONS"})
    assert route(plain, "GET", "/b") is NotImplemented
    assert route(with_ws, "GET", "/missing") is NotImplemented
    assert route(with_ws, "DELETE", "/b") is NotImplemented
