"""A blueprint's static route beside other rules for the same URLs.

kolben warns of two rules for exactly the same URLs; a blueprint's static route
that repeats an earlier rule is only logged at INFO: as in Flask, the earlier
rule serves the URLs and ``url_for`` still builds the blueprint's.
"""

from __future__ import annotations

import logging
import os
import typing as t
from pathlib import Path

import pytest

import kolben
from kolben import Blueprint, url_for
from kolben.routing import RouteConflictWarning

HERE = os.path.dirname(__file__)


@pytest.fixture
def bp_root(tmp_path: Path) -> str:
    """A blueprint root whose static folder holds ``file.txt`` (another body
    than the app's) and ``only-bp.txt``."""
    static = tmp_path / "static"
    static.mkdir()
    (static / "file.txt").write_text("bp body\n")
    (static / "only-bp.txt").write_text("only bp\n")
    return str(tmp_path)


def _app(static_folder: str | None = "static") -> kolben.Kolben:
    app = kolben.Kolben("kolben_test", root_path=HERE, static_folder=static_folder)
    app.config["TESTING"] = True
    return app


def _get(app: kolben.Kolben, path: str) -> tuple[int, bytes]:
    rv = app.test_client().get(path)
    try:
        return rv.status_code, rv.data
    finally:
        rv.close()


# (blueprint options, app has a static folder, endpoint serving the URL,
#  URL requested, what url_for("bp.static", filename="file.txt") builds)
CASES = [
    ({}, True, "static", "/static/file.txt", "/static/file.txt"),
    ({}, False, "bp.static", "/static/file.txt", "/static/file.txt"),
    (
        {"url_prefix": "/static", "static_url_path": ""},
        True,
        "static",
        "/static/file.txt",
        "/static/file.txt",
    ),
    ({"url_prefix": "/bp"}, True, "bp.static", "/bp/static/file.txt", None),
    ({"static_url_path": "/assets"}, True, "bp.static", "/assets/file.txt", None),
]


@pytest.mark.parametrize(("options", "app_static", "endpoint", "url", "built"), CASES)
def test_which_rule_serves(
    bp_root: str,
    options: dict[str, t.Any],
    app_static: bool,
    endpoint: str,
    url: str,
    built: str | None,
) -> None:
    app = _app("static" if app_static else None)
    bp = Blueprint("bp", __name__, static_folder="static", root_path=bp_root, **options)
    app.register_blueprint(bp)
    assert app.url_map.bind("localhost").match(url)[0] == endpoint
    body = b"bp body\n" if endpoint == "bp.static" else b"static body\n"
    assert _get(app, url) == (200, body)
    with app.test_request_context():
        assert url_for("bp.static", filename="file.txt") == (built or url)


def test_shadowed_static_rule_is_build_only_and_logged(
    bp_root: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = _app()
    caplog.set_level(logging.INFO, logger=app.name)
    bp = Blueprint("bp", __name__, static_folder="static", root_path=bp_root)
    app.register_blueprint(bp)
    assert app.url_map.bind("localhost").match("/static/x")[0] == "static"
    (record,) = caplog.records
    assert record.levelno == logging.INFO
    assert "'bp.static'" in record.getMessage()
    assert "endpoint 'static'" in record.getMessage()
    # The app's static view answers; a file only the blueprint has is a 404,
    # as in Flask.
    assert _get(app, "/static/only-bp.txt")[0] == 404


def test_same_blueprint_twice_first_registration_serves(bp_root: str) -> None:
    app = _app(static_folder=None)
    bp = Blueprint("bp", __name__, static_folder="static", root_path=bp_root)
    app.register_blueprint(bp)
    app.register_blueprint(bp, name="again")
    assert app.url_map.bind("localhost").match("/static/x")[0] == "bp.static"
    with app.test_request_context():
        assert url_for("again.static", filename="x") == "/static/x"


def test_other_subdomain_is_not_a_duplicate(bp_root: str) -> None:
    app = _app()
    app.config["SERVER_NAME"] = "example.test"
    app.subdomain_matching = True
    bp = Blueprint(
        "bp", __name__, static_folder="static", root_path=bp_root, subdomain="cdn"
    )
    app.register_blueprint(bp)
    (rule,) = app.url_map.iter_rules("bp.static")
    assert not rule.build_only
    rv = app.test_client().get("/static/file.txt", "http://cdn.example.test")
    assert rv.data == b"bp body\n"
    rv.close()


def test_post_only_rule_does_not_shadow_the_static_rule(bp_root: str) -> None:
    app = _app(static_folder=None)
    app.add_url_rule(
        "/static/<path:filename>", "upload", lambda filename: "", methods=["POST"]
    )
    bp = Blueprint("bp", __name__, static_folder="static", root_path=bp_root)
    app.register_blueprint(bp)
    assert _get(app, "/static/file.txt") == (200, b"bp body\n")


def test_a_user_route_repeated_by_a_blueprint_still_warns() -> None:
    app = _app()
    app.add_url_rule("/x", "x", lambda: "")
    bp = Blueprint("bp", __name__)
    bp.add_url_rule("/x", "x", lambda: "")
    with pytest.warns(RouteConflictWarning, match='"/x" conflicts with rule "/x"'):
        app.register_blueprint(bp)


def test_a_static_rule_matching_the_same_urls_otherwise_still_warns(
    bp_root: str,
) -> None:
    # Only the same rule is a shadowed static route; another variable name
    # matching the same URLs is a conflict the user resolves.
    app = _app(static_folder=None)
    app.add_url_rule("/static/<path:name>", "files", lambda name: "")
    bp = Blueprint("bp", __name__, static_folder="static", root_path=bp_root)
    with pytest.warns(
        RouteConflictWarning, match="conflicts with rule ./static/<path:name>"
    ):
        app.register_blueprint(bp)


def test_readding_a_rule_with_another_view_names_the_endpoint() -> None:
    app = _app()
    app.add_url_rule("/", "index", lambda: "first")
    with pytest.raises(AssertionError, match="endpoint function: index"):
        app.add_url_rule("/", "index", lambda: "second")
    assert _get(app, "/") == (200, b"first")
