"""Flask-WTF: a ``FlaskForm`` posted with and without its CSRF token, guarded
by ``CSRFProtect`` and by the form alone."""

from __future__ import annotations

import re

import flask
import pytest
from flask.testing import FlaskClient
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from wtforms import StringField
from wtforms.validators import DataRequired

FORM_PAGE = '<form method="post">{{ form.csrf_token }}{{ form.name }}</form>'


class NameForm(FlaskForm):
    name = StringField(validators=[DataRequired()])


def _add_form_views(app: flask.Flask) -> None:
    @app.route("/form", methods=["GET", "POST"])
    def form() -> ResponseReturnValue:
        form = NameForm()
        if form.validate_on_submit():
            return f"hello {form.name.data}"
        if flask.request.method == "POST":
            return flask.jsonify(sorted(form.errors)), 422
        return flask.render_template_string(FORM_PAGE, form=form)

    @app.get("/token")
    def token() -> str:
        return generate_csrf()


def _scrape_token(client: FlaskClient) -> str:
    rv = client.get("/form")
    assert rv.status_code == 200
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', rv.text)
    assert match is not None, rv.text
    return match.group(1)


@pytest.fixture
def protected_app(app: flask.Flask) -> flask.Flask:
    csrf = CSRFProtect(app)
    _add_form_views(app)

    @app.post("/hook")
    @csrf.exempt
    def hook() -> str:
        return "hook ran"

    @app.errorhandler(CSRFError)
    def csrf_error(e: CSRFError) -> tuple[str, int]:
        return f"refused: {e.description}", 400

    return app


@pytest.mark.parametrize(
    ("token", "status", "body"),
    [
        (None, 400, "refused: The CSRF token is missing."),
        ("form:forged", 400, "refused: The CSRF token is invalid."),
        ("header:forged", 400, "refused: The CSRF token is invalid."),
        ("form", 200, "hello ada"),
        ("header", 200, "hello ada"),
    ],
)
def test_csrf_protect(
    protected_app: flask.Flask, token: str | None, status: int, body: str
) -> None:
    client = protected_app.test_client()
    real = _scrape_token(client)
    data = {"name": "ada"}
    headers = {}
    if token is not None:
        place, _, value = token.partition(":")
        value = value or real
        if place == "form":
            data["csrf_token"] = value
        else:
            headers["X-CSRFToken"] = value
    rv = client.post("/form", data=data, headers=headers)
    assert (rv.status_code, rv.text) == (status, body)


def test_csrf_token_from_another_session_refused(protected_app: flask.Flask) -> None:
    token = _scrape_token(protected_app.test_client())
    rv = protected_app.test_client().post(
        "/form", data={"name": "ada", "csrf_token": token}
    )
    assert rv.status_code == 400
    assert rv.text == "refused: The CSRF session token is missing."


def test_csrf_exempt_view(protected_app: flask.Flask) -> None:
    rv = protected_app.test_client().post("/hook")
    assert (rv.status_code, rv.text) == (200, "hook ran")


@pytest.fixture
def form_app(app: flask.Flask) -> flask.Flask:
    _add_form_views(app)
    return app


def test_form_without_token_does_not_validate(form_app: flask.Flask) -> None:
    rv = form_app.test_client().post("/form", data={"name": "ada"})
    assert rv.status_code == 422
    assert rv.json == ["csrf_token"]


def test_form_with_generated_token_validates(form_app: flask.Flask) -> None:
    client = form_app.test_client()
    token = client.get("/token").text
    rv = client.post("/form", data={"name": "ada", "csrf_token": token})
    assert (rv.status_code, rv.text) == (200, "hello ada")


def test_form_reports_field_errors_with_valid_token(form_app: flask.Flask) -> None:
    client = form_app.test_client()
    rv = client.post("/form", data={"name": "", "csrf_token": _scrape_token(client)})
    assert rv.status_code == 422
    assert rv.json == ["name"]
