"""Signed cookie sessions, Vary: Cookie, key rotation, flashing."""

from __future__ import annotations

import importlib.metadata
import typing as t
from datetime import datetime, timedelta, timezone

import flask
import pytest
from flask.sessions import SessionInterface
from werkzeug.http import parse_date

import kolben
from kolben import request, session


def _set_cookie(rv: t.Any) -> str:
    return ", ".join(rv.headers.getlist("Set-Cookie"))


def test_roundtrip(app: kolben.Kolben) -> None:
    app.add_url_rule(
        "/",
        "set",
        methods=["POST"],
        view_func=lambda: session.update(value=kolben.request.form["v"]) or "set",
    )
    app.add_url_rule("/", "/", lambda: session.get("value", "none"))
    client = app.test_client()
    assert client.get("/").data == b"none"
    client.post("/", data={"v": "42"})
    assert client.get("/").data == b"42"


# Each view reaches the session differently; each adds Vary: Cookie where
# Flask's does (the Flask 2.3.2 and 3.1.3 advisories: a cached response must
# not leak).
ACCESSES: dict[str, t.Callable[[], t.Any]] = {
    "get": lambda: session.get("x"),
    "getitem-missing": lambda: session.get("x", ""),
    "contains": lambda: "x" in session,
    "len": lambda: len(session),
    "iter": lambda: list(session),
    "keys": lambda: list(session.keys()),
    "bool": lambda: bool(session),
    "permanent": lambda: session.permanent,
    "set": lambda: session.__setitem__("x", 1),
}


#: The accesses that read or write a value (``permanent`` reads
#: ``_permanent``): the response varies on Cookie on every Flask. Reading only
#: the keys (``in``, ``len``...) marks the session accessed from Flask 3.1.3 on
#: (GHSA-68rp-wp8r-4726), not before; kolben does what its Flask does.
VALUE_ACCESSES = {"get", "getitem-missing", "permanent", "set"}


def _varies_on_cookie(
    app_class: type[flask.Flask], access: t.Callable[[], t.Any], with_cookie: bool
) -> bool:
    app = app_class(__name__)
    app.secret_key = "test key"

    @app.get("/")
    def index() -> str:
        access()
        return ""

    app.add_url_rule("/login", "/login", lambda: session.update(user=1) or "")
    client = app.test_client()
    if with_cookie:
        client.get("/login")
    return "cookie" in client.get("/").vary


@pytest.mark.parametrize("name", sorted(ACCESSES))
@pytest.mark.parametrize("with_cookie", [False, True])
def test_vary_cookie_when_session_accessed(name: str, with_cookie: bool) -> None:
    """The response varies on Cookie where a stock Flask app's does, with
    the Flask installed."""
    varies = {
        app_class: _varies_on_cookie(app_class, ACCESSES[name], with_cookie)
        for app_class in (kolben.Kolben, flask.Flask)
    }
    assert varies[kolben.Kolben] == varies[flask.Flask]
    if name in VALUE_ACCESSES:
        assert varies[flask.Flask]


def test_vary_cookie_when_read_in_template(app: kolben.Kolben) -> None:
    app.add_url_rule(
        "/", "/", lambda: kolben.render_template_string("{{ session.get('a') }}")
    )
    assert "cookie" in app.test_client().get("/").vary


def test_no_vary_when_session_untouched(app: kolben.Kolben) -> None:
    app.add_url_rule("/", "/", lambda: "plain")
    app.add_url_rule("/t", "/t", lambda: kolben.render_template_string("{{ 1 }}"))
    client = app.test_client()
    for path in ("/", "/t"):
        rv = client.get(path)
        assert "cookie" not in rv.vary
        assert "Set-Cookie" not in rv.headers


def test_permanent_session_refresh_varies(app: kolben.Kolben) -> None:
    """2.3.2 advisory: refreshing a permanent session sets a cookie, so the
    response varies on Cookie even when the view never touched the session."""

    @app.get("/login")
    def login() -> str:
        session["user_id"] = 1
        session.permanent = True
        return ""

    app.add_url_rule("/ignored", "/ignored", lambda: "")
    client = app.test_client()
    assert client.get("/login").headers["Vary"] == "Cookie"
    rv = client.get("/ignored")
    assert rv.headers["Vary"] == "Cookie"
    assert "session=" in _set_cookie(rv)


def test_no_refresh_when_disabled(app: kolben.Kolben) -> None:
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False

    @app.get("/login")
    def login() -> str:
        session["user_id"] = 1
        session.permanent = True
        return ""

    app.add_url_rule("/ignored", "/ignored", lambda: "")
    client = app.test_client()
    client.get("/login")
    rv = client.get("/ignored")
    assert "Set-Cookie" not in rv.headers


def test_session_not_opened_when_untouched(
    app: kolben.Kolben, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[int] = []
    interface = type(app.session_interface)
    original = interface.open_session

    def counting(self: t.Any, app: t.Any, request: t.Any) -> t.Any:
        opened.append(1)
        return original(self, app, request)

    monkeypatch.setattr(interface, "open_session", counting)
    app.add_url_rule("/", "/", lambda: "x")
    app.add_url_rule("/s", "/s", lambda: str(session.get("a")))
    client = app.test_client()
    client.get("/")
    assert opened == []
    client.get("/s")
    assert opened == [1]


def test_cleared_session_deletes_cookie(app: kolben.Kolben) -> None:
    app.add_url_rule("/set", "/set", lambda: session.update(a=1) or "")
    app.add_url_rule("/clear", "/clear", lambda: session.clear() or "")
    client = app.test_client()
    client.get("/set")
    rv = client.get("/clear")
    assert "session=;" in _set_cookie(rv)
    assert "cookie" in rv.vary


def test_cookie_attributes(app: kolben.Kolben) -> None:
    app.config.update(
        SESSION_COOKIE_NAME="sid",
        SESSION_COOKIE_DOMAIN="example.com",
        SESSION_COOKIE_PATH="/app",
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_PARTITIONED=True,
        PERMANENT_SESSION_LIFETIME=timedelta(days=2),
    )

    @app.get("/")
    def index() -> str:
        session["a"] = 1
        session.permanent = True
        return ""

    cookie = _set_cookie(app.test_client().get("/", "http://example.com/"))
    for part in (
        "sid=",
        "Domain=example.com",
        "Path=/app",
        "Secure",
        "HttpOnly",
        "SameSite=Lax",
        "Partitioned",
    ):
        assert part in cookie
    expires = parse_date(cookie.split("Expires=")[1].split(";")[0])
    assert expires is not None
    left = expires - datetime.now(timezone.utc)
    assert timedelta(days=1, hours=23) < left <= timedelta(days=2)


@pytest.mark.parametrize("app_class", [kolben.Kolben, flask.Flask])
def test_expired_permanent_session_is_empty(app_class: type[flask.Flask]) -> None:
    """A permanent session's cookie the client still sends, signed longer ago
    than the session lifetime, opens as an empty session, as in Flask."""
    app = app_class(__name__)
    app.secret_key = "test key"

    @app.get("/set")
    def set_() -> str:
        session["a"] = 1
        session.permanent = True
        return ""

    @app.get("/get")
    def get() -> str:
        return f"{session.get('a')}, cookie sent: {'session' in request.cookies}"

    client = app.test_client()
    assert "session=" in _set_cookie(client.get("/set"))
    assert client.get("/get").text == "1, cookie sent: True"
    app.permanent_session_lifetime = timedelta(seconds=-1)
    assert client.get("/get").text == "None, cookie sent: True"


def _fallback_story(app: flask.Flask) -> list[bytes]:
    """What ``app`` reads back from a session cookie signed with a key it
    then replaces, with and without that key among the fallbacks."""
    app.add_url_rule("/set", "/set", lambda: session.update(a="old") or "")
    app.add_url_rule("/get", "/get", lambda: str(session.get("a")))
    client = app.test_client()
    app.secret_key = "old key"
    client.get("/set")
    app.secret_key = "new key"
    read = [client.get("/get").data]
    app.config["SECRET_KEY_FALLBACKS"] = ["older", "old key"]
    read.append(client.get("/get").data)
    client.get("/set")  # re-signed with the active key
    app.config["SECRET_KEY_FALLBACKS"] = None
    read.append(client.get("/get").data)
    return read


def test_secret_key_fallbacks(app: kolben.Kolben) -> None:
    """As on stock Flask of the installed release: Flask 3.1.0 signs with a
    fallback key (GHSA-4grg-w6v8-c28g), so the re-signed cookie is not read
    once the fallbacks are gone; 3.1.1 fixed it."""
    stock = flask.Flask(__name__)
    stock.config.update(TESTING=True)
    ours = _fallback_story(app)
    assert ours == _fallback_story(stock)
    fixed = importlib.metadata.version("flask") != "3.1.0"
    assert ours == ([b"None", b"old", b"old"] if fixed else [b"None", b"old", b"None"])


def test_no_secret_key_null_session(app: kolben.Kolben) -> None:
    app.secret_key = None
    app.add_url_rule("/read", "/read", lambda: str(session.get("a")))
    app.add_url_rule("/write", "/write", lambda: session.update(a=1) or "")
    app.testing = False
    app.logger.disabled = True
    try:
        client = app.test_client()
        assert client.get("/read").data == b"None"
        assert client.get("/write").status_code == 500
    finally:
        app.logger.disabled = False


def test_tagged_types_roundtrip(app: kolben.Kolben) -> None:
    from uuid import uuid4

    from markupsafe import Markup

    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    data = {"t": (1, 2), "b": b"\x00\xff", "m": Markup("<b>"), "u": uuid4(), "d": now}
    app.add_url_rule("/set", "/set", lambda: session.update(data) or "")

    @app.get("/get")
    def get() -> str:
        assert {k: session[k] for k in data} == data
        assert type(session["m"]) is Markup
        return "ok"

    client = app.test_client()
    client.get("/set")
    assert client.get("/get").data == b"ok"


def test_custom_session_interface(app: kolben.Kolben) -> None:
    store: dict[str, t.Any] = {}

    class MemorySession(dict, flask.sessions.SessionMixin):  # type: ignore[type-arg]
        pass

    class MemoryInterface(SessionInterface):
        def open_session(self, app: t.Any, request: t.Any) -> MemorySession:
            return MemorySession(store)

        def save_session(self, app: t.Any, session: t.Any, response: t.Any) -> None:
            store.update(session)
            response.headers["X-Saved"] = "1"

    app.session_interface = MemoryInterface()
    app.add_url_rule("/", "/", lambda: session.update(n=session.get("n", 0) + 1) or "")
    client = app.test_client()
    client.get("/")
    rv = client.get("/")
    assert store == {"n": 2}
    assert rv.headers["X-Saved"] == "1"


def test_flashing(app: kolben.Kolben) -> None:
    @app.get("/add")
    def add() -> str:
        kolben.flash("plain")
        kolben.flash("bad", "error")
        kolben.flash("worse", "critical")
        return ""

    @app.get("/read")
    def read() -> dict[str, t.Any]:
        return {
            "all": kolben.get_flashed_messages(),
            "cats": kolben.get_flashed_messages(with_categories=True),
            "errors": kolben.get_flashed_messages(category_filter=["error"]),
        }

    client = app.test_client()
    client.get("/add")
    assert client.get("/read").json == {
        "all": ["plain", "bad", "worse"],
        "cats": [["message", "plain"], ["error", "bad"], ["critical", "worse"]],
        "errors": ["bad"],
    }
    assert client.get("/read").json == {"all": [], "cats": [], "errors": []}


def test_session_transaction(app: kolben.Kolben) -> None:
    app.add_url_rule("/", "/", lambda: str(session.get("k")))
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["k"] = "from test"
    assert client.get("/").data == b"from test"
    with pytest.raises(TypeError, match="Cookies are disabled"):
        with app.test_client(use_cookies=False).session_transaction():
            pass
