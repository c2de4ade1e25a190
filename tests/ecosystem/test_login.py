"""Flask-Login: logging in through a view, ``login_required``, ``current_user``
in views and templates, and the remember-me cookie."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import flask
import pytest
from flask.testing import FlaskClient
from flask_login import (
    LoginManager,
    UserMixin,
    current_user,
    login_fresh,
    login_required,
    login_user,
    logout_user,
)

# Flask-Login 0.6.3 computes the remember cookie's expiry with
# ``datetime.utcnow()``, deprecated since Python 3.12.
pytestmark = pytest.mark.filterwarnings(
    "ignore:datetime.datetime.utcnow:DeprecationWarning:flask_login"
)

#: Flask's default redirect status: 302, and 303 from Flask 3.2 on.
REDIRECT = flask.redirect("/").status_code


@dataclass
class User(UserMixin):
    id: str
    name: str


USERS = {"1": User("1", "ada"), "2": User("2", "grace")}


@pytest.fixture
def app(app: flask.Flask) -> flask.Flask:
    manager = LoginManager(app)
    manager.login_view = "login"
    manager.user_loader(USERS.get)

    @app.post("/login")
    def login() -> str:
        user = USERS[flask.request.form["id"]]
        login_user(user, remember="remember" in flask.request.form)
        return f"logged in {user.name}"

    @app.get("/login")
    def login_page() -> str:
        return "please log in"

    @app.post("/logout")
    def logout() -> str:
        logout_user()
        return "logged out"

    @app.get("/private")
    @login_required
    def private() -> str:
        return f"private for {current_user.name}, fresh={login_fresh()}"

    @app.get("/whoami")
    def whoami() -> str:
        if current_user.is_authenticated:
            return f"user {current_user.name}"
        return "anonymous"

    @app.get("/page")
    def page() -> str:
        return flask.render_template_string(
            "{% if current_user.is_authenticated %}hello {{ current_user.name }}"
            "{% else %}hello stranger{% endif %}"
        )

    return app


def _log_in(client: FlaskClient, user_id: str, remember: bool = False) -> None:
    data = {"id": user_id}
    if remember:
        data["remember"] = "y"
    rv = client.post("/login", data=data)
    assert rv.status_code == 200
    assert rv.text == f"logged in {USERS[user_id].name}"


def _private_text(client: FlaskClient) -> str:
    """The text of ``/private``, which must be served, not redirected."""
    rv = client.get("/private")
    assert rv.status_code == 200
    return rv.text


def test_login_required_redirects_anonymous_to_login_view(app: flask.Flask) -> None:
    rv = app.test_client().get("/private?x=1")
    assert rv.status_code == REDIRECT
    location = urlsplit(rv.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query) == {"next": ["/private?x=1"]}


def test_login_required_serves_logged_in_user(app: flask.Flask) -> None:
    client = app.test_client()
    _log_in(client, "2")
    assert _private_text(client) == "private for grace, fresh=True"


def test_logout_ends_access(app: flask.Flask) -> None:
    client = app.test_client()
    _log_in(client, "1")
    assert client.get("/private").status_code == 200
    assert client.post("/logout").text == "logged out"
    assert client.get("/private").status_code == REDIRECT
    assert client.get("/whoami").text == "anonymous"


@pytest.mark.parametrize(
    ("path", "anonymous", "logged_in"),
    [
        ("/whoami", "anonymous", "user ada"),
        ("/page", "hello stranger", "hello ada"),
    ],
)
def test_current_user(
    app: flask.Flask, path: str, anonymous: str, logged_in: str
) -> None:
    client = app.test_client()
    assert client.get(path).text == anonymous
    _log_in(client, "1")
    assert client.get(path).text == logged_in


def test_remember_cookie_restores_user_in_fresh_client(app: flask.Flask) -> None:
    first = app.test_client()
    _log_in(first, "1", remember=True)
    cookie = first.get_cookie("remember_token")
    assert cookie is not None

    fresh = app.test_client()
    assert fresh.get("/private").status_code == REDIRECT
    fresh.set_cookie("remember_token", cookie.value)
    # Restored from the cookie, not from a login in this session.
    assert _private_text(fresh) == "private for ada, fresh=False"


def test_no_remember_cookie_without_remember(app: flask.Flask) -> None:
    client = app.test_client()
    _log_in(client, "1")
    assert client.get_cookie("remember_token") is None
