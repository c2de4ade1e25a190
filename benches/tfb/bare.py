"""The six tests as one WSGI callable with no framework: the same queries
(:mod:`benches.tfb.db`), the same Jinja2 template and JSON encoder, a dict
lookup for the path and the query string parsed by the standard library. The
limit a framework can approach, not pass."""

from __future__ import annotations

import json
import typing as t
from urllib.parse import parse_qs

from benches.tfb import db, spec

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

_JSON_TYPE = spec.JSON
_NOT_FOUND = b"Not Found"


def make_app(pool: t.Any = None) -> WSGIApplication:
    """The bare WSGI callable, on ``pool`` (default: a new pool)."""
    import jinja2

    pool = db.make_pool() if pool is None else pool
    template = jinja2.Environment(
        loader=jinja2.FileSystemLoader(spec.TEMPLATES), autoescape=True
    ).get_template(spec.FORTUNES_TEMPLATE)
    dumps = json.JSONEncoder(separators=(",", ":")).encode

    def queries(environ: WSGIEnvironment) -> int:
        values = parse_qs(environ.get("QUERY_STRING", "")).get("queries")
        return spec.clamp_queries(values[0] if values else None)

    def answer_json(environ: WSGIEnvironment) -> tuple[bytes, str]:
        return dumps({spec.MESSAGE_KEY: spec.HELLO}).encode(), _JSON_TYPE

    def answer_plaintext(environ: WSGIEnvironment) -> tuple[bytes, str]:
        return spec.HELLO.encode(), spec.PLAIN

    def answer_db(environ: WSGIEnvironment) -> tuple[bytes, str]:
        return dumps(db.world(pool)).encode(), _JSON_TYPE

    def answer_queries(environ: WSGIEnvironment) -> tuple[bytes, str]:
        return dumps(db.worlds(pool, queries(environ))).encode(), _JSON_TYPE

    def answer_fortunes(environ: WSGIEnvironment) -> tuple[bytes, str]:
        return template.render(fortunes=db.fortunes(pool)).encode(), spec.HTML

    def answer_updates(environ: WSGIEnvironment) -> tuple[bytes, str]:
        return dumps(db.update_worlds(pool, queries(environ))).encode(), _JSON_TYPE

    answers = {
        spec.PATHS["json"]: answer_json,
        spec.PATHS["plaintext"]: answer_plaintext,
        spec.PATHS["db"]: answer_db,
        spec.PATHS["queries"]: answer_queries,
        spec.PATHS["fortunes"]: answer_fortunes,
        spec.PATHS["updates"]: answer_updates,
    }

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        answer = answers.get(environ.get("PATH_INFO", ""))
        if answer is None or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            status, (body, content_type) = "404 Not Found", (_NOT_FOUND, spec.PLAIN)
        else:
            status, (body, content_type) = "200 OK", answer(environ)
        start_response(
            status,
            [("Content-Type", content_type), ("Content-Length", str(len(body)))],
        )
        return [body]

    return app
