"""Sphinx configuration of kolben's documentation."""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

from pallets_sphinx_themes import ProjectLink

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# Project --------------------------------------------------------------

project = "kolben"
copyright = "2026, the kolben authors"
author = "the kolben authors"
release = metadata.version("kolben")
version = ".".join(release.split(".")[:2])

# General --------------------------------------------------------------

default_role = "code"
extensions = [
    "sphinx.ext.autodoc",
    "sphinx_click",
    "myst_parser",
    "pallets_sphinx_themes",
    "upstream_links",
    "module_names",
    "native_stub",
]
exclude_patterns = ["_build"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_preserve_defaults = True
# Markdown included from the repository (benches/RESULTS.md) keeps its own
# headings; anchors for them let its links to sections work.
myst_heading_anchors = 3
# benches/RESULTS.md writes rules such as <path:filename> in tables: text, not
# links with a "path:" scheme.
myst_disable_syntax = ["autolink"]

# A warning fails the build (-W), and so does a reference that resolves to
# nothing (-n, and nitpicky here for builds that do not pass it).
nitpicky = True
# References to Flask's, Werkzeug's and Python's objects link to
# their sites (docs/_ext/upstream_links.py). The names below have no page to
# link to, each for the reason given.
nitpick_ignore_regex = [
    # Type-checking-only names: typeshed's WSGI protocol types exist for type
    # checkers and have no documentation page.
    (
        "py:class",
        r"(_typeshed\.wsgi\.)?(WSGIEnvironment|StartResponse|WSGIApplication)",
    ),
    # click's objects in the command-line module's signatures: click's site
    # documents them, and its inventory cannot be fetched during the build.
    ("py:class", r"click\.(core\.)?\w+"),
    # Flask's objects that Flask's documentation does not describe: its type
    # aliases (flask.typing), the sans-I/O App base class, and the exception
    # its command line raises for an app it cannot find.
    ("py:class", r"ResponseReturnValue|RouteCallable|App"),
    ("py:exc", r"NoAppException"),
    # Werkzeug's base converter, described in prose on Werkzeug's routing
    # page, without an entry to link to.
    ("py:class", r"BaseConverter"),
]

# HTML -----------------------------------------------------------------

# Flask's own theme, from pallets-sphinx-themes: a Flask user finds the
# pages, the sidebar and the code blocks where Flask's documentation has them.
html_theme = "flask"
html_theme_options = {"index_sidebar_logo": False}
html_context = {
    "project_links": [
        ProjectLink("PyPI releases", "https://pypi.org/project/kolben/"),
        ProjectLink("Flask's documentation", "https://flask.palletsprojects.com/"),
    ]
}
html_sidebars = {
    "index": ["project.html", "localtoc.html", "searchbox.html"],
    "**": ["localtoc.html", "relations.html", "searchbox.html"],
}
html_title = f"kolben documentation ({version})"
html_static_path = ["_static"]
html_favicon = "_static/kolben-icon.svg"
html_show_sourcelink = False
# The theme's banner script asks Read the Docs which versions exist; kolben
# publishes one.
version_banner = False
