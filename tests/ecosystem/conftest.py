"""Real Flask extensions on a Kolben app, each through its public API.

Every app is built through the ``app_class`` fixture, which is
:class:`kolben.Kolben`. With ``KOLBEN_ECOSYSTEM_APP=flask`` in the environment
the same tests run on stock Flask, the baseline: a test that fails there is
wrong, one that fails only on Kolben has found an incompatibility.
"""

from __future__ import annotations

import os
from types import ModuleType

import flask
import pytest


def _baseline() -> bool:
    # kolben is imported only when it is under test, so the baseline runs
    # whatever state it is in.
    return os.environ.get("KOLBEN_ECOSYSTEM_APP") == "flask"


@pytest.fixture
def app_class() -> type[flask.Flask]:
    """The application class under test."""
    if _baseline():
        return flask.Flask
    import kolben

    return kolben.Kolben


@pytest.fixture
def framework() -> ModuleType:
    """The module an application imports its names (``g``, ``request``,
    ``session``...) from, beside ``app_class``."""
    if _baseline():
        return flask
    import kolben

    return kolben


@pytest.fixture
def app(app_class: type[flask.Flask]) -> flask.Flask:
    """A bare app in testing mode with a secret key, for a test to extend."""
    app = app_class(__name__)
    app.config.update(TESTING=True, SECRET_KEY="ecosystem test key")
    return app
