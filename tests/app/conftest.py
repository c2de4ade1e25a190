from __future__ import annotations

import os

import flask
import pytest

import kolben


@pytest.fixture
def app() -> kolben.Kolben:
    app = kolben.Kolben("kolben_test", root_path=os.path.dirname(__file__))
    app.config.update(TESTING=True, SECRET_KEY="test key")
    return app


@pytest.fixture
def client(app: kolben.Kolben) -> flask.testing.FlaskClient:
    return app.test_client()
