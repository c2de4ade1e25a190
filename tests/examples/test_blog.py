"""The blog example through the test client: auth, posting, flashing, templates."""

from __future__ import annotations

import flask
import pytest
from blog import DEMO_PASSWORD, DEMO_USERNAME
from flask.testing import FlaskClient as KolbenClient

from kolben import Kolben

#: Flask's default redirect status: 302, and 303 from Flask 3.2 on.
REDIRECT = flask.redirect("/").status_code


def log_in(
    client: KolbenClient, username: str = DEMO_USERNAME, password: str = DEMO_PASSWORD
) -> str:
    """Post the login form; return where the app redirects to ("" if it doesn't)."""
    response = client.post(
        "/auth/login", data={"username": username, "password": password}
    )
    return response.location or ""


def test_index_empty(client: KolbenClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "No posts yet." in response.text
    assert 'href="/auth/login"' in response.text


def test_index_lists_posts_newest_first(blog_app: Kolben, client: KolbenClient) -> None:
    store = blog_app.extensions["blog.posts"]
    store.add("First", "one", author="demo")
    store.add("Second", "two", author="demo")
    text = client.get("/").text
    assert "No posts yet." not in text
    assert text.index("<h2>Second</h2>") < text.index("<h2>First</h2>")


def test_each_app_has_its_own_store(blog_app: Kolben) -> None:
    from blog import create_app

    blog_app.extensions["blog.posts"].add("Only here", "", author="demo")
    assert create_app({"TESTING": True}).extensions["blog.posts"].newest_first() == []


def test_templates_inherit_from_base(client: KolbenClient) -> None:
    text = client.get("/auth/login").text
    # The title block, filled by the page, inside the base layout and its heading.
    assert "<title>Log in - Kolben Blog</title>" in text
    assert "<h1>Log in</h1>" in text
    assert 'class="login-form"' in text
    assert 'href="/static/style.css"' in text


@pytest.mark.parametrize(
    ("username", "password"),
    [(DEMO_USERNAME, "wrong"), ("nobody", DEMO_PASSWORD), ("", "")],
)
def test_login_rejects_bad_credentials(
    client: KolbenClient, username: str, password: str
) -> None:
    response = client.post(
        "/auth/login", data={"username": username, "password": password}
    )
    assert response.status_code == 200
    assert '<li class="flash flash-error">Wrong username or password.</li>' in (
        response.text
    )
    with client.session_transaction() as session:
        assert "user" not in session


def test_login_sets_session_and_flashes(client: KolbenClient) -> None:
    assert log_in(client) == "/"
    with client.session_transaction() as session:
        assert session["user"] == DEMO_USERNAME
    text = client.get("/").text
    assert "flash-success" in text and f"Welcome back, {DEMO_USERNAME}!" in text
    assert '<span class="user">demo</span>' in text
    assert 'action="/auth/logout"' in text
    assert 'href="/auth/login"' not in text
    # A flash is shown once.
    assert "Welcome back" not in client.get("/").text


def test_create_requires_login(client: KolbenClient) -> None:
    for method in (client.get, client.post):
        response = method("/create")
        assert response.status_code == REDIRECT
        assert response.location == "/auth/login?next=/create"
    text = client.get("/auth/login?next=/create").text
    assert '<li class="flash flash-error">Log in to do that.</li>' in text


@pytest.mark.parametrize(
    ("next_url", "location"),
    [("/create", "/create"), ("//evil.example/", "/"), ("https://evil.example/", "/")],
)
def test_login_returns_only_to_local_pages(
    client: KolbenClient, next_url: str, location: str
) -> None:
    response = client.post(
        "/auth/login",
        query_string={"next": next_url},
        data={"username": DEMO_USERNAME, "password": DEMO_PASSWORD},
    )
    assert response.location == location


@pytest.mark.parametrize("title", ["", "   "])
def test_create_without_title_is_rejected(
    blog_app: Kolben, client: KolbenClient, title: str
) -> None:
    log_in(client)
    response = client.post("/create", data={"title": title, "body": "kept"})
    assert response.status_code == 400
    assert '<li class="flash flash-error">A post needs a title.</li>' in response.text
    assert ">kept</textarea>" in response.text
    assert blog_app.extensions["blog.posts"].newest_first() == []


def test_create_post_redirects_and_shows_it(client: KolbenClient) -> None:
    log_in(client)
    client.get("/")  # consume the welcome flash
    assert client.get("/create").status_code == 200
    response = client.post("/create", data={"title": "Hello", "body": "First post"})
    assert response.status_code == REDIRECT
    assert response.location == "/"
    text = client.get("/").text
    assert '<li class="flash flash-success">Post published: Hello</li>' in text
    assert "<h2>Hello</h2>" in text
    assert '<div class="body">First post</div>' in text
    assert f"by {DEMO_USERNAME} on" in text


def test_follow_redirects_after_create(client: KolbenClient) -> None:
    log_in(client)
    response = client.post(
        "/create", data={"title": "Followed", "body": "x"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert response.request.path == "/"
    assert "Post published: Followed" in response.text


def test_post_content_is_escaped(client: KolbenClient) -> None:
    log_in(client)
    client.post(
        "/create",
        data={"title": "<b>bold</b>", "body": "<script>alert('x')</script>"},
    )
    text = client.get("/").text
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in text
    assert "<h2>&lt;b&gt;bold&lt;/b&gt;</h2>" in text
    # The flash repeats the title: escaped there too.
    assert "Post published: &lt;b&gt;bold&lt;/b&gt;" in text


def test_logout_clears_session(client: KolbenClient) -> None:
    log_in(client)
    response = client.post("/auth/logout")
    assert response.status_code == REDIRECT
    assert response.location == "/"
    with client.session_transaction() as session:
        assert "user" not in session
    text = client.get("/").text
    assert "You are logged out." in text
    assert 'href="/auth/login"' in text
    assert client.get("/create").status_code == REDIRECT


def test_logout_is_post_only(client: KolbenClient) -> None:
    assert client.get("/auth/logout").status_code == 405


@pytest.mark.parametrize(
    ("filename", "mimetypes", "start"),
    [
        ("style.css", {"text/css"}, b"/*"),
        ("app.js", {"text/javascript", "application/javascript"}, b"//"),
        ("logo.png", {"image/png"}, b"\x89PNG\r\n\x1a\n"),
    ],
)
def test_static_assets(
    client: KolbenClient, filename: str, mimetypes: set[str], start: bytes
) -> None:
    with client.get(f"/static/{filename}") as response:
        assert response.status_code == 200
        assert response.mimetype in mimetypes
        assert response.get_data().startswith(start)


def test_missing_static_file_is_404(client: KolbenClient) -> None:
    with client.get("/static/nope.css") as response:
        assert response.status_code == 404


def test_secret_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from blog import create_app

    monkeypatch.setenv("BLOG_SECRET_KEY", "from env")
    assert create_app().config["SECRET_KEY"] == "from env"
    monkeypatch.delenv("BLOG_SECRET_KEY")
    assert create_app().config["SECRET_KEY"] == "dev"


def test_wsgi_module_has_an_app() -> None:
    from blog.wsgi import app

    assert isinstance(app, Kolben)
    assert app.name == "blog"
    assert app.config["SECRET_KEY"]
