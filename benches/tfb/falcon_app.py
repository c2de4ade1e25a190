"""The six tests as a Falcon app on raw psycopg (the pool of
:mod:`benches.tfb.db`): a resource a test, JSON through ``resp.media``, the
fortunes template rendered with Jinja2."""

from __future__ import annotations

import typing as t

from benches.tfb import db, spec


def make_app(pool: t.Any = None) -> t.Any:
    """The Falcon app, on ``pool`` (default: a new pool)."""
    import falcon
    import jinja2

    pool = db.make_pool() if pool is None else pool
    template = jinja2.Environment(
        loader=jinja2.FileSystemLoader(spec.TEMPLATES), autoescape=True
    ).get_template(spec.FORTUNES_TEMPLATE)

    class Json:
        def on_get(self, req: t.Any, resp: t.Any) -> None:
            resp.media = {spec.MESSAGE_KEY: spec.HELLO}

    class PlainText:
        def on_get(self, req: t.Any, resp: t.Any) -> None:
            resp.content_type = spec.PLAIN
            resp.text = spec.HELLO

    class SingleQuery:
        def on_get(self, req: t.Any, resp: t.Any) -> None:
            resp.media = db.world(pool)

    class Queries:
        def on_get(self, req: t.Any, resp: t.Any) -> None:
            count = spec.clamp_queries(req.get_param("queries"))
            resp.media = db.worlds(pool, count)

    class Fortunes:
        def on_get(self, req: t.Any, resp: t.Any) -> None:
            resp.content_type = falcon.MEDIA_HTML
            resp.text = template.render(fortunes=db.fortunes(pool))

    class Updates:
        def on_get(self, req: t.Any, resp: t.Any) -> None:
            count = spec.clamp_queries(req.get_param("queries"))
            resp.media = db.update_worlds(pool, count)

    app = falcon.App()
    resources = {
        "json": Json(),
        "plaintext": PlainText(),
        "db": SingleQuery(),
        "queries": Queries(),
        "fortunes": Fortunes(),
        "updates": Updates(),
    }
    for test, resource in resources.items():
        app.add_route(spec.PATHS[test], resource)
    return app
