"""The apps ``benches/load.py`` and ``benches/soak.py`` serve, by name, as
``benches.load_apps:<name>`` from the repository root; each is made when a
server first asks for it.

- ``routing_kolben``, ``routing_flask``: the 1,000-rule app of
  ``benches/bench_app.py`` (hello, ``/user/<username>``, JSON, 404);
- ``routing_falcon``: the same rules and answers as a Falcon app;
- ``bare``: a WSGI callable that answers every request with hello world, the
  ceiling for any framework;
- ``blog_kolben``, ``blog_flask``: the example blog (``examples/blog``) with ten
  posts, on kolben and on Flask. Its password hash is made cheap (one PBKDF2
  round), so that a login measures the framework, not the hash.
"""

from __future__ import annotations

import sys
import typing as t
from pathlib import Path
from types import ModuleType
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]

#: The blog's demo account, as the load logs in.
BLOG_USER = ("demo", "kolben")
BLOG_SECRET_KEY = "load test"
BLOG_POSTS = 10

HELLO = b"Hello, World!"


def bare(environ: dict[str, t.Any], start_response: t.Callable[..., t.Any]) -> t.Any:
    """Hello world, whatever the request."""
    start_response(
        "200 OK",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(HELLO))),
        ],
    )
    return [HELLO]


def _routing(framework: ModuleType) -> t.Any:
    from benches.bench_app import make_app

    return make_app(framework)


def _routing_falcon() -> t.Any:
    import falcon
    from benches.bench_app import EXTRA_RULES

    class Text:
        def __init__(self, text: t.Callable[..., str]) -> None:
            self.text = text

        def on_get(self, req: t.Any, resp: t.Any, **values: t.Any) -> None:
            resp.content_type = falcon.MEDIA_HTML
            resp.text = self.text(**values)

    class Json:
        def on_get(self, req: t.Any, resp: t.Any) -> None:
            resp.media = {"hello": "world", "n": 1}

    app = falcon.App()
    for i in range(EXTRA_RULES):
        app.add_route(f"/extra{i}/{{x:int}}/page{i}", Text(lambda x: ""))
    app.add_route("/", Text(lambda: "Hello, World!"))
    app.add_route("/user/{username}", Text(lambda username: f"User: {username}"))
    app.add_route("/json", Json())
    return app


def _blog(app_class: type[t.Any]) -> t.Any:
    """The blog made by its own factory, with ``app_class`` as its app class."""
    from werkzeug.security import generate_password_hash

    blog_root = str(ROOT / "examples" / "blog")
    if blog_root not in sys.path:
        sys.path.insert(0, blog_root)
    import blog

    # The factory names its class once; the Flask build swaps in flask.Flask.
    with mock.patch.object(blog, "Kolben", app_class):
        app = blog.create_app(
            {
                "SECRET_KEY": BLOG_SECRET_KEY,
                "BLOG_USERS": {
                    BLOG_USER[0]: generate_password_hash(
                        BLOG_USER[1], "pbkdf2:sha256:1"
                    )
                },
            }
        )
    store = app.extensions["blog.posts"]
    for n in range(1, BLOG_POSTS + 1):
        store.add(f"Post {n}", f"The body of post {n}.\n" * 5, author=BLOG_USER[0])
    return app


def _blog_kolben() -> t.Any:
    import kolben

    return _blog(kolben.Kolben)


def _blog_flask() -> t.Any:
    import flask

    return _blog(flask.Flask)


def _routing_kolben() -> t.Any:
    import kolben

    return _routing(kolben)


def _routing_flask() -> t.Any:
    import flask

    return _routing(flask)


_FACTORIES: dict[str, t.Callable[[], t.Any]] = {
    "routing_kolben": _routing_kolben,
    "routing_flask": _routing_flask,
    "routing_falcon": _routing_falcon,
    "blog_kolben": _blog_kolben,
    "blog_flask": _blog_flask,
}
_made: dict[str, t.Any] = {}


def __getattr__(name: str) -> t.Any:
    factory = _FACTORIES.get(name)
    if factory is None:
        raise AttributeError(name)
    if name not in _made:
        _made[name] = factory()
    return _made[name]
