"""Fixtures for the example apps: the blog package is loaded from examples/blog;
the browser tests find Chromium and its driver."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from kolben import Kolben

# The blog is a project of its own, not part of an `examples` package.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples" / "blog"))

from blog import create_app  # noqa: E402

#: The Debian packages that provide the browser tests' Chromium and chromedriver.
BROWSER_PACKAGES = "chromium chromium-driver"


@pytest.fixture
def blog_app() -> Kolben:
    return create_app({"TESTING": True, "SECRET_KEY": "test key"})


@pytest.fixture
def client(blog_app: Kolben) -> FlaskClient:
    return blog_app.test_client()


@pytest.fixture
def browser_paths() -> tuple[str, str]:
    """The paths of Chromium and chromedriver. Without them the test is
    skipped, or fails when ``KOLBEN_REQUIRE_BROWSER=1`` (as in CI)."""
    chromium = shutil.which("chromium")
    chromedriver = shutil.which("chromedriver")
    if chromium is None or chromedriver is None:
        message = "needs Chromium and chromedriver: apt-get install " + BROWSER_PACKAGES
        if os.environ.get("KOLBEN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{message} (KOLBEN_REQUIRE_BROWSER=1)", pytrace=False)
        pytest.skip(message)
    return chromium, chromedriver
