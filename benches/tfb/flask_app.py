"""The six tests as a Flask app, written once against Flask's API and built on
``flask.Flask`` or ``kolben.Kolben``, on raw psycopg (the pool of
:mod:`benches.tfb.db`) or on Flask-SQLAlchemy (the way most Flask apps reach a
database; the same pool size, psycopg underneath). Views return what a Flask
app returns: a dict or a list for JSON, ``render_template``'s text, plain text
with its Content-Type.
"""

from __future__ import annotations

import typing as t
from types import ModuleType

from benches.tfb import db, spec

_PLAIN = {"Content-Type": spec.PLAIN}


def make_app(framework: ModuleType, orm: bool = False, pool: t.Any = None) -> t.Any:
    """The app on ``framework`` (the ``flask`` or ``kolben`` module), with
    Flask-SQLAlchemy when ``orm`` is true, else raw psycopg on ``pool``
    (default: a new pool)."""
    app = framework.Flask("tfb", template_folder=str(spec.TEMPLATES))
    request, render_template = framework.request, framework.render_template

    @app.get(spec.PATHS["json"])
    def json() -> dict[str, str]:
        return {spec.MESSAGE_KEY: spec.HELLO}

    @app.get(spec.PATHS["plaintext"])
    def plaintext() -> tuple[str, dict[str, str]]:
        return spec.HELLO, _PLAIN

    if orm:
        _orm_views(app, request, render_template)
        return app

    pool = db.make_pool() if pool is None else pool

    @app.get(spec.PATHS["db"])
    def single_query() -> dict[str, int]:
        return db.world(pool)

    @app.get(spec.PATHS["queries"])
    def queries() -> list[dict[str, int]]:
        return db.worlds(pool, spec.clamp_queries(request.args.get("queries")))

    @app.get(spec.PATHS["fortunes"])
    def fortunes() -> str:
        return render_template(spec.FORTUNES_TEMPLATE, fortunes=db.fortunes(pool))

    @app.get(spec.PATHS["updates"])
    def updates() -> list[dict[str, int]]:
        count = spec.clamp_queries(request.args.get("queries"))
        return db.update_worlds(pool, count)

    return app


def _orm_views(app: t.Any, request: t.Any, render_template: t.Any) -> None:
    """The database views on Flask-SQLAlchemy models."""
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy import select

    size = db.pool_size()
    app.config.update(
        SQLALCHEMY_DATABASE_URI=db.database_url().replace(
            "postgresql://", "postgresql+psycopg://", 1
        ),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": size, "max_overflow": 0},
    )
    orm = SQLAlchemy(app)

    class World(orm.Model):  # type: ignore[name-defined, misc]
        __tablename__ = "world"
        id = orm.Column(orm.Integer, primary_key=True)
        randomnumber = orm.Column(orm.Integer, nullable=False)

        def as_dict(self) -> dict[str, int]:
            return {"id": self.id, "randomNumber": self.randomnumber}

    class Fortune(orm.Model):  # type: ignore[name-defined, misc]
        __tablename__ = "fortune"
        id = orm.Column(orm.Integer, primary_key=True)
        message = orm.Column(orm.String(2048), nullable=False)

    def get_world() -> t.Any:
        # A query each time (Session.get would answer a repeated id from the
        # session's identity map).
        return orm.session.scalars(
            select(World).where(World.id == spec.random_id())
        ).one()

    @app.get(spec.PATHS["db"])
    def single_query() -> dict[str, int]:
        return get_world().as_dict()  # type: ignore[no-any-return]

    @app.get(spec.PATHS["queries"])
    def queries() -> list[dict[str, int]]:
        count = spec.clamp_queries(request.args.get("queries"))
        return [get_world().as_dict() for _ in range(count)]

    @app.get(spec.PATHS["fortunes"])
    def fortunes() -> str:
        rows = orm.session.scalars(select(Fortune)).all()
        return render_template(
            spec.FORTUNES_TEMPLATE,
            fortunes=spec.sorted_fortunes((f.id, f.message) for f in rows),
        )

    @app.get(spec.PATHS["updates"])
    def updates() -> list[dict[str, int]]:
        count = spec.clamp_queries(request.args.get("queries"))
        worlds = [get_world() for _ in range(count)]
        for world in worlds:
            world.randomnumber = spec.random_id()
        answer = [world.as_dict() for world in worlds]
        orm.session.commit()
        return answer
