"""The smallest kolben app, and the one the production tests serve.

Run it with ``kolben --app examples.hello run`` or, in production,
``gunicorn examples.hello:app`` / ``granian --interface wsgi examples.hello:app``
from the repository root.
"""

from __future__ import annotations

from markupsafe import escape
from werkzeug.wrappers import Response

from kolben import Kolben, redirect, request

app = Kolben(__name__)


@app.route("/hello")
def hello() -> str:
    return "Hello, World!"


@app.route("/user/<username>")
def show_user(username: str) -> str:
    return f"User: {escape(username)}"


@app.route("/api/user/<int:user_id>")
def api_user(user_id: int) -> dict[str, object]:
    return {"id": user_id, "name": f"user{user_id}"}


@app.post("/echo")
def echo() -> dict[str, object]:
    return {"received": request.get_data(as_text=True)}


@app.route("/old")
def old() -> Response:
    return redirect("/hello")


@app.route("/docs/")
def docs() -> str:
    return "Docs"
