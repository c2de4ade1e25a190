"""Blueprints: prefixes, nesting, names, hooks, handlers, static, templates."""

from __future__ import annotations

import os
import typing as t

import pytest

import kolben
from kolben import Blueprint, url_for

HERE = os.path.dirname(__file__)


def test_prefix_subdomain_and_endpoint_names(app: kolben.Kolben) -> None:
    bp = Blueprint("bp", __name__, url_prefix="/bp")

    @bp.route("/")
    def index() -> str:
        return url_for(".other") + " " + kolben.request.blueprint  # type: ignore[operator]

    @bp.route("/other")
    def other() -> str:
        return ""

    app.register_blueprint(bp)
    assert app.test_client().get("/bp/").data == b"/bp/other bp"
    with app.test_request_context():
        assert url_for("bp.index") == "/bp/"


def test_nesting_and_registration_options(app: kolben.Kolben) -> None:
    parent = Blueprint("parent", __name__, url_prefix="/p")
    child = Blueprint("child", __name__, url_prefix="/c")
    child.add_url_rule("/x", "x", lambda: kolben.request.endpoint or "")

    @child.route("/bps")
    def bps() -> str:
        return ",".join(kolben.request.blueprints)

    parent.register_blueprint(child)
    app.register_blueprint(parent)
    app.register_blueprint(parent, name="again", url_prefix="/again")
    client = app.test_client()
    assert client.get("/p/c/x").data == b"parent.child.x"
    assert client.get("/again/c/x").data == b"again.child.x"
    assert client.get("/p/c/bps").data == b"parent.child,parent"


def test_name_errors(app: kolben.Kolben) -> None:
    with pytest.raises(ValueError, match="empty"):
        Blueprint("", __name__)
    with pytest.raises(ValueError, match="dot"):
        Blueprint("a.b", __name__)
    bp = Blueprint("bp", __name__)
    with pytest.raises(ValueError, match="itself"):
        bp.register_blueprint(bp)
    with pytest.raises(ValueError, match="endpoint"):
        bp.add_url_rule("/", "a.b", lambda: "")
    app.register_blueprint(bp)
    with pytest.raises(ValueError, match="already registered"):
        app.register_blueprint(bp)


def test_url_defaults_and_preprocessors(app: kolben.Kolben) -> None:
    bp = Blueprint("lang", __name__, url_prefix="/<lang>")

    @bp.url_defaults
    def add_lang(endpoint: str, values: dict[str, t.Any]) -> None:
        values.setdefault("lang", kolben.g.lang)

    @bp.url_value_preprocessor
    def pull_lang(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        kolben.g.lang = values.pop("lang")  # type: ignore[union-attr]

    @bp.route("/")
    def index() -> str:
        return url_for(".index")

    app.register_blueprint(bp)
    app.register_blueprint(
        Blueprint("fixed", __name__), url_defaults={"page": 1}, url_prefix="/f"
    )
    assert app.test_client().get("/fr/").data == b"/fr/"


def test_blueprint_url_defaults(app: kolben.Kolben) -> None:
    bp = Blueprint("bp", __name__, url_defaults={"page": "home"})
    bp.add_url_rule("/", "page", lambda page: page)
    app.register_blueprint(bp)
    assert app.test_client().get("/").data == b"home"


def test_hooks_and_handlers_are_scoped(app: kolben.Kolben) -> None:
    calls: list[str] = []
    bp = Blueprint("bp", __name__, url_prefix="/bp")

    @bp.before_request
    def bp_before() -> None:
        calls.append("bp before")

    @bp.after_request
    def bp_after(r: kolben.Response) -> kolben.Response:
        calls.append("bp after")
        return r

    @bp.teardown_request
    def bp_teardown(e: BaseException | None) -> None:
        calls.append("bp teardown")

    @bp.before_app_request
    def app_before() -> None:
        calls.append("app before")

    @bp.errorhandler(404)
    def bp_404(e: Exception) -> tuple[str, int]:
        return "bp 404", 404

    @bp.app_errorhandler(403)
    def app_403(e: Exception) -> tuple[str, int]:
        return "app 403", 403

    bp.add_url_rule("/", "i", lambda: "i")
    bp.add_url_rule("/missing", "m", lambda: kolben.abort(404))
    app.add_url_rule("/", "root", lambda: "root")
    app.add_url_rule("/forbidden", "forbidden", lambda: kolben.abort(403))
    app.register_blueprint(bp)
    client = app.test_client()
    client.get("/bp/")
    assert calls == ["app before", "bp before", "bp after", "bp teardown"]
    calls.clear()
    client.get("/")
    assert calls == ["app before"]
    assert client.get("/bp/missing").data == b"bp 404"
    assert client.get("/nowhere").status_code == 404
    assert client.get("/nowhere").data != b"bp 404"
    assert client.get("/forbidden").data == b"app 403"


def test_record_and_record_once(app: kolben.Kolben) -> None:
    seen: list[tuple[str, bool]] = []
    bp = Blueprint("bp", __name__)
    bp.record(lambda s: seen.append(("record", s.first_registration)))
    bp.record_once(lambda s: seen.append(("once", s.first_registration)))
    app.register_blueprint(bp)
    app.register_blueprint(bp, name="bp2")
    assert seen == [("record", True), ("once", True), ("record", False)]


def test_static_and_templates(app: kolben.Kolben) -> None:
    bp = Blueprint(
        "bp",
        __name__,
        static_folder="static",
        static_url_path="/bp-static",
        template_folder="bp_templates",
        url_prefix="/bp",
    )
    bp.add_url_rule(
        "/page", "page", lambda: kolben.render_template("bp/page.html", name="x")
    )
    app.register_blueprint(bp)
    client = app.test_client()
    rv = client.get("/bp/bp-static/file.txt")
    assert rv.data == b"static body\n"
    rv.close()
    assert client.get("/bp/page").data == b"from bp x"
    with app.test_request_context():
        assert url_for("bp.static", filename="file.txt") == "/bp/bp-static/file.txt"


def test_app_template_registration(app: kolben.Kolben) -> None:
    bp = Blueprint("bp", __name__)
    bp.add_app_template_filter(lambda s: s[::-1], "rev")
    bp.add_app_template_test(lambda s: len(s) < 3, "tiny")
    bp.add_app_template_global(lambda: "G", "glob")
    app.register_blueprint(bp)
    with app.app_context():
        out = kolben.render_template_string(
            "{{ 'ab'|rev }} {{ 'ab' is tiny }} {{ glob() }}"
        )
    assert out == "ba True G"


def test_setup_closes_after_registration() -> None:
    bp = Blueprint("bp", __name__)
    kolben.Kolben(__name__).register_blueprint(bp)
    with pytest.raises(AssertionError, match="registered"):
        bp.add_url_rule("/", "i", lambda: "")
