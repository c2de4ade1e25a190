"""What the documentation's tests share: the repository's folders and the
pages."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

#: Every page's source, by its path under docs/.
PAGES = sorted(
    path for path in DOCS.rglob("*.rst") if "_build" not in path.relative_to(DOCS).parts
)
