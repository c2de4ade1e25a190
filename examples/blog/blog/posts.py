"""The post list and the form that adds to it."""

from __future__ import annotations

from flask.typing import ResponseReturnValue

from kolben import Blueprint, flash, g, redirect, render_template, request, url_for

from .auth import login_required
from .store import get_store

bp = Blueprint("posts", __name__)


@bp.route("/")
def index() -> ResponseReturnValue:
    return render_template("posts/index.html", posts=get_store().newest_first())


@bp.route("/create", methods=["GET", "POST"])
@login_required
def create() -> ResponseReturnValue:
    if request.method == "POST":
        title = request.form.get("title", "").strip()
        body = request.form.get("body", "").strip()
        if not title:
            flash("A post needs a title.", "error")
            return render_template("posts/create.html", title=title, body=body), 400
        get_store().add(title, body, author=g.user)
        flash(f"Post published: {title}", "success")
        return redirect(url_for("posts.index"))
    return render_template("posts/create.html", title="", body="")
