"""What the documentation's tests share: the repository's folders and the
pages."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

#: Every page's source, by its path under docs/.
PAGES = sorted(
    path for path in DOCS.rglob("*.rst") if "_build" not in path.relative_to(DOCS).parts
)


@pytest.fixture(scope="session")
def html_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built HTML pages: ``KOLBEN_DOCS_HTML``, or a build made here when
    Sphinx is installed; the test skips without either."""
    given = os.environ.get("KOLBEN_DOCS_HTML")
    if given:
        path = Path(given)
        assert (path / "index.html").is_file(), f"no index.html in {path}"
        return path
    if importlib.util.find_spec("sphinx") is None:
        pytest.skip("needs Sphinx to build the documentation: pip install -e '.[docs]'")
    out = tmp_path_factory.mktemp("html")
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-n", "-q", "-b", "html", DOCS, out],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    return out
