"""The apps the fault, thread and fuzz tests serve.

- :func:`make_app`: one app written against the Flask API, built on kolben or on
  Flask, with a rule of each converter, strict slashes, methods, JSON, forms, a
  session, a redirect and ``url_for`` in views; :data:`app` is its kolben build
  (served by gunicorn gthread as ``tests.faults.apps:app``).
- :data:`fault_app` (``tests.faults.apps:fault_app``): views that fail: an
  exception, a stream that raises after two chunks, a stream that goes on until
  the client leaves, each recording how its generator ended; ``/pid`` names the
  worker.
"""

from __future__ import annotations

import os
import threading
import time
import typing as t
from collections import Counter
from collections.abc import Callable, Iterator
from types import ModuleType

import flask

import kolben


def make_app(framework: ModuleType) -> flask.Flask:
    """The app, built with ``framework.Flask`` (kolben or flask)."""
    app: flask.Flask = framework.Flask("faults")
    app.config["SECRET_KEY"] = "fault tests"
    request = framework.request
    for i in range(50):
        app.add_url_rule(f"/extra{i}/<int:x>/page{i}", f"extra{i}", lambda x: str(x))

    @app.route("/")
    def index() -> str:
        return "index"

    @app.route("/user/<name>")
    def user(name: str) -> str:
        return f"user {name!r} at {framework.url_for('user', name=name)}"

    @app.route("/int/<int:n>")
    def integer(n: int) -> dict[str, t.Any]:
        return {"n": n, "next": framework.url_for("integer", n=n + 1)}

    @app.route("/float/<float(signed=True):x>")
    def floating(x: float) -> str:
        return repr(x)

    @app.route("/path/<path:p>")
    def path(p: str) -> str:
        return f"path {p!r}"

    @app.route("/uuid/<uuid:u>")
    def uuid(u: t.Any) -> str:
        return str(u)

    @app.route("/any/<any(a, b, 'c d'):x>")
    def choice(x: str) -> str:
        return x

    @app.route("/dir/")
    def directory() -> str:
        return "dir"

    @app.route("/form", methods=["POST", "PUT"])
    def form() -> dict[str, t.Any]:
        return {"form": sorted(request.form.items()), "length": len(request.data)}

    @app.route("/json", methods=["POST"])
    def json() -> dict[str, t.Any]:
        return {"json": request.get_json(silent=True)}

    @app.route("/args")
    def args() -> dict[str, t.Any]:
        return {"args": sorted(request.args.items(multi=True))}

    @app.route("/session")
    def session() -> str:
        count = framework.session.get("count", 0) + 1
        framework.session["count"] = count
        return str(count)

    @app.route("/go")
    def go() -> t.Any:
        return framework.redirect(framework.url_for("path", p="a b/ü"))

    return app


app = make_app(kolben)


def serve(
    wsgi_app: t.Any, environ: dict[str, t.Any]
) -> tuple[str, dict[str, str], bytes]:
    """One in-process request: the status, the headers and the drained body
    (closed, as a server closes it)."""
    seen: dict[str, t.Any] = {}

    def start_response(status: str, headers: t.Any, exc_info: t.Any = None) -> None:
        seen["status"] = status
        seen["headers"] = dict(headers)

    body = wsgi_app(environ, start_response)
    try:
        data = b"".join(body)
    finally:
        close: Callable[[], None] | None = getattr(body, "close", None)
        if close is not None:
            close()
    return seen["status"], seen["headers"], data


fault_app = kolben.Kolben("fault_app")

#: How each stream's generator ended, e.g. ``("endless", "closed")``: counted
#: per worker process, read back through ``/endings``.
_endings: Counter[tuple[str, str]] = Counter()
_endings_lock = threading.Lock()

#: How long the endless stream runs when nobody closes it.
ENDLESS_SECONDS = 30.0
CHUNK = b"x" * 65536


def _ended(stream: str, how: str) -> None:
    with _endings_lock:
        _endings[stream, how] += 1


@fault_app.route("/pid")
def pid() -> dict[str, int]:
    return {"pid": os.getpid()}


@fault_app.route("/view-error")
def view_error() -> str:
    raise RuntimeError("a view failed on purpose")


def _tracked(stream: str, chunks: Iterator[bytes]) -> Iterator[bytes]:
    """``chunks``, recording whether the generator was exhausted, raised, or
    was closed before its end."""
    how = "closed"
    try:
        yield from chunks
        how = "exhausted"
    except GeneratorExit:
        raise
    except Exception:
        how = "raised"
        raise
    finally:
        _ended(stream, how)


def _raising() -> Iterator[bytes]:
    yield b"first\n"
    yield b"second\n"
    raise RuntimeError("a stream failed on purpose")


def _endless() -> Iterator[bytes]:
    deadline = time.monotonic() + ENDLESS_SECONDS
    while time.monotonic() < deadline:
        yield CHUNK
        time.sleep(0.001)


@fault_app.route("/stream/raise")
def stream_raise() -> kolben.Response:
    return kolben.Response(_tracked("raise", _raising()))


@fault_app.route("/stream/endless")
def stream_endless() -> kolben.Response:
    return kolben.Response(_tracked("endless", _endless()))


@fault_app.route("/endings")
def endings() -> dict[str, int]:
    with _endings_lock:
        return {f"{stream} {how}": n for (stream, how), n in _endings.items()}
