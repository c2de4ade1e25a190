"""Log in and out with a session cookie; ``login_required`` guards views."""

from __future__ import annotations

import functools
import typing as t

from flask.typing import ResponseReturnValue
from werkzeug.security import check_password_hash

from kolben import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

bp = Blueprint("auth", __name__, url_prefix="/auth")

View = t.TypeVar("View", bound=t.Callable[..., ResponseReturnValue])


@bp.before_app_request
def load_user() -> None:
    g.user = session.get("user")


def login_required(view: View) -> View:
    """Send anonymous visitors to the login page, and back here afterwards."""

    @functools.wraps(view)
    def wrapped(*args: t.Any, **kwargs: t.Any) -> ResponseReturnValue:
        if g.user is None:
            flash("Log in to do that.", "error")
            return redirect(url_for("auth.login", next=request.path))
        return view(*args, **kwargs)

    return t.cast(View, wrapped)


def _safe_next(target: str | None) -> str:
    # Only a path on this site: "//host" and "http://host" would leave it.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("posts.index")


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if request.method == "POST":
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        users: dict[str, str] = current_app.config["BLOG_USERS"]
        pw_hash = users.get(username)
        if pw_hash is None or not check_password_hash(pw_hash, password):
            flash("Wrong username or password.", "error")
            return render_template("auth/login.html", username=username)
        session.clear()
        session["user"] = username
        flash(f"Welcome back, {username}!", "success")
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", username="")


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("posts.index"))
