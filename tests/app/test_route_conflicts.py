"""Route conflicts on a Kolben app: Flask's patterns stay silent, real conflicts
warn with where each rule was added, strict mode raises."""

from __future__ import annotations

import warnings

import flask
import pytest

import kolben
from kolben import Blueprint, url_for
from kolben.routing import RouteConflictWarning

HERE = __file__


def _flaskr() -> kolben.Kolben:
    """Flask's tutorial app, flaskr, reduced to its routing: the blog blueprint's
    index at ``/``, then ``/`` again as the endpoint ``index`` without a view."""
    app = kolben.Kolben(__name__)
    blog = Blueprint("blog", __name__)
    blog.add_url_rule("/", "index", lambda: "blog index")
    app.register_blueprint(blog)
    app.add_url_rule("/", endpoint="index")
    return app


def test_flaskr_alias_is_accepted_silently() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        app = _flaskr()
    assert app.test_client().get("/").text == "blog index"
    with app.test_request_context():
        assert url_for("index") == "/"
        assert url_for("blog.index") == "/"


def test_flaskr_alias_is_accepted_in_strict_mode() -> None:
    app = kolben.Kolben(__name__)
    app.config["KOLBEN_STRICT_ROUTES"] = True
    app.add_url_rule("/", "blog.index", lambda: "blog index")
    app.add_url_rule("/", endpoint="index")
    assert app.test_client().get("/").text == "blog index"


@pytest.mark.parametrize("app_class", [kolben.Kolben, flask.Flask])
def test_alias_added_before_its_target_is_accepted(
    app_class: type[flask.Flask],
) -> None:
    """An endpoint without a view added first: the later rule with a view is
    no conflict either. As in Flask, the first rule still matches ``/``, so
    the alias, having no view, fails the request there."""
    app = app_class(__name__)
    app.testing = True  # the view's error reaches the test
    app.add_url_rule("/", endpoint="index")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        app.add_url_rule("/", "home", lambda: "home")
    with pytest.raises(KeyError, match="'index'"):
        app.test_client().get("/")
    with app.test_request_context():
        assert url_for("index") == url_for("home") == "/"


def test_repeat_for_the_same_endpoint_is_silent() -> None:
    app = kolben.Kolben(__name__)
    view = lambda: "one"  # noqa: E731
    app.add_url_rule("/a", "one", view)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        app.add_url_rule("/a", "one", view)
    assert app.test_client().get("/a").text == "one"


def test_conflict_warns_naming_both_rules_and_where_they_were_added() -> None:
    app = kolben.Kolben(__name__)
    app.add_url_rule("/item/<int:id>", "first", lambda id: f"first {id}")
    with pytest.warns(RouteConflictWarning) as record:
        app.add_url_rule("/item/<int:n>", "second", lambda n: f"second {n}")
    (warning,) = record
    message = str(warning.message)
    assert "'/item/<int:id>' (endpoint 'first', added at " in message
    assert "'/item/<int:n>' (endpoint 'second', added at " in message
    assert message.count(f"{HERE}:") == 2
    assert app.test_client().get("/item/3").text == "first 3"


def test_decorated_routes_name_the_decorated_line() -> None:
    app = kolben.Kolben(__name__)

    @app.get("/x")
    def one() -> str:
        return "one"

    with pytest.warns(RouteConflictWarning, match=rf"{HERE}:\d+") as record:

        @app.get("/x")
        def two() -> str:
            return "two"

    assert "'one'" in str(record[0].message)


def test_strict_mode_raises() -> None:
    app = kolben.Kolben(__name__)
    app.config["KOLBEN_STRICT_ROUTES"] = True
    app.add_url_rule("/a", "one", lambda: "one")
    with pytest.raises(ValueError, match="conflicts with rule"):
        app.add_url_rule("/a", "two", lambda: "two")
    assert app.test_client().get("/a").text == "one"


def test_later_rule_keeps_the_methods_only_it_has() -> None:
    """As in Flask: GET goes to the first rule, POST to the second."""
    app = kolben.Kolben(__name__)
    app.add_url_rule("/a", "read", lambda: "read", methods=["GET"])
    with pytest.warns(RouteConflictWarning):
        app.add_url_rule("/a", "write", lambda: "write", methods=["GET", "POST"])
    client = app.test_client()
    assert client.get("/a").text == "read"
    assert client.post("/a").text == "write"
