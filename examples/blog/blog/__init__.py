"""A small blog on kolben: an app factory, two blueprints, templates and static files.

From ``examples/blog``: ``python -m blog.wsgi`` serves it on http://127.0.0.1:5000
(``blog.wsgi:app`` for a WSGI server); log in as ``demo`` / ``kolben``.
"""

from __future__ import annotations

import functools
import os
import typing as t

from werkzeug.security import generate_password_hash

from kolben import Kolben

from . import auth, posts
from .store import PostStore

#: The one account the demo knows; its password is hashed when the app is made.
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "kolben"


@functools.cache
def _demo_password_hash() -> str:
    # Hashing is slow on purpose (scrypt): once per process is enough.
    return generate_password_hash(DEMO_PASSWORD)


def create_app(test_config: t.Mapping[str, t.Any] | None = None) -> Kolben:
    """Make a blog app with its own in-memory post store.

    ``SECRET_KEY`` comes from the ``BLOG_SECRET_KEY`` environment variable, else a
    development default; ``test_config`` overrides any key, ``instance/config.py``
    is read when no test config is given.
    """
    app = Kolben(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("BLOG_SECRET_KEY", "dev"),
        BLOG_USERS={DEMO_USERNAME: _demo_password_hash()},
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)

    app.extensions["blog.posts"] = PostStore()
    app.register_blueprint(auth.bp)
    app.register_blueprint(posts.bp)
    return app
