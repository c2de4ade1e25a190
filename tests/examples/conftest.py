"""Fixtures for the example apps: the blog package is loaded from examples/blog."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kolben import Kolben
from kolben.testing import KolbenClient

# The blog is a project of its own, not part of an `examples` package.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples" / "blog"))

from blog import create_app  # noqa: E402


@pytest.fixture
def blog_app() -> Kolben:
    return create_app({"TESTING": True, "SECRET_KEY": "test key"})


@pytest.fixture
def client(blog_app: Kolben) -> KolbenClient:
    return blog_app.test_client()
