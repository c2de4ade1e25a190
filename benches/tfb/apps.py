"""The implementations the runner serves, by name, as
``benches.tfb.apps:<name>`` from the repository root; each is made when a
server first asks for it, in the server's process, on the database that
``KOLBEN_TFB_DATABASE_URL`` names.

- ``bare``: a WSGI callable with no framework (:mod:`benches.tfb.bare`);
- ``kolben``, ``flask``: the Flask app on raw psycopg, built on
  ``kolben.Kolben`` and on ``flask.Flask`` (:mod:`benches.tfb.flask_app`);
- ``kolben_orm``, ``flask_orm``: the same app on Flask-SQLAlchemy;
- ``falcon``: the Falcon app on raw psycopg (:mod:`benches.tfb.falcon_app`).
"""

from __future__ import annotations

import typing as t


def _flask_style(name: str, orm: bool) -> t.Callable[[], t.Any]:
    def make() -> t.Any:
        import importlib

        from benches.tfb.flask_app import make_app

        return make_app(importlib.import_module(name), orm=orm)

    return make


def _bare() -> t.Any:
    from benches.tfb.bare import make_app

    return make_app()


def _falcon() -> t.Any:
    from benches.tfb.falcon_app import make_app

    return make_app()


#: implementation -> what makes it
FACTORIES: dict[str, t.Callable[[], t.Any]] = {
    "bare": _bare,
    "kolben": _flask_style("kolben", orm=False),
    "falcon": _falcon,
    "flask": _flask_style("flask", orm=False),
    "kolben_orm": _flask_style("kolben", orm=True),
    "flask_orm": _flask_style("flask", orm=True),
}
IMPLEMENTATIONS = tuple(FACTORIES)
_made: dict[str, t.Any] = {}


def __getattr__(name: str) -> t.Any:
    factory = FACTORIES.get(name)
    if factory is None:
        raise AttributeError(name)
    if name not in _made:
        _made[name] = factory()
    return _made[name]
