"""A tree with a canary: a file holding a fresh secret beside the folders an
app serves from, which no response or rendered template may ever contain."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Tree:
    root: Path
    secret: bytes


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    """``root/secret.txt`` (the canary), ``root/static/{ok.txt,sub/inner.txt}``,
    ``root/staticx/evil.txt`` (a folder whose name starts like the static
    one's), ``root/templates/ok.html`` and ``root/bp/templates/bp.html``."""
    secret = f"canary-{uuid.uuid4().hex}".encode()
    (tmp_path / "secret.txt").write_bytes(secret)
    static = tmp_path / "static"
    (static / "sub").mkdir(parents=True)
    (static / "ok.txt").write_bytes(b"ok")
    (static / "sub" / "inner.txt").write_bytes(b"inner")
    (tmp_path / "staticx").mkdir()
    (tmp_path / "staticx" / "evil.txt").write_bytes(secret)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "ok.html").write_text("ok")
    (tmp_path / "bp" / "templates").mkdir(parents=True)
    (tmp_path / "bp" / "templates" / "bp.html").write_text("bp")
    return Tree(tmp_path, secret)
