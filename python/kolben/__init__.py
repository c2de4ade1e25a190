"""kolben: a Flask-compatible micro web framework with a Rust URL router."""

from __future__ import annotations

__version__ = "0.1.0"
