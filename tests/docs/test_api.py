"""The API reference documents every public name kolben defines: each has an
entry on the built API page, with text under it. Names that are Flask's or
Werkzeug's objects are listed there with links to their own documentation."""

from __future__ import annotations
import __future__

import html
import importlib
import inspect
import re
from pathlib import Path

import click
import flask
import flask.cli
import pytest
import werkzeug.routing

import kolben
import kolben.cli
import kolben.routing
import kolben.static

#: The modules whose public names the API page documents.
MODULES = ("kolben", "kolben.routing", "kolben.static", "kolben.cli")


def _foreign() -> set[int]:
    """The ids of the public objects of Flask, Werkzeug's routing and click,
    which kolben's modules re-export."""
    modules = [flask, flask.cli, werkzeug.routing, click, __future__]
    return {id(getattr(m, n)) for m in modules for n in dir(m) if not n.startswith("_")}


def _public(module_name: str) -> list[str]:
    """The public names kolben itself defines in ``module_name``: its
    ``__all__`` (or every name without an underscore), less modules and the
    objects of Flask, Werkzeug and click it re-exports."""
    if module_name == "kolben":
        return ["Kolben", "Flask", "__version__"]
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None) or [
        n for n in dir(module) if not n.startswith("_")
    ]
    foreign = _foreign()
    own = []
    for name in names:
        value = getattr(module, name)
        if inspect.ismodule(value) or id(value) in foreign:
            continue
        if (inspect.isclass(value) or inspect.isfunction(value)) and not (
            value.__module__.startswith("kolben")
        ):
            continue
        own.append(name)
    return own


def _entries(page: str) -> dict[str, str]:
    """Every documented object's id on ``page``, and its text."""
    found = re.finditer(
        r'<dt class="sig sig-object py" id="([^"]+)">.*?</dt>\s*<dd>(.*?)</dd>',
        page,
        re.S,
    )
    return {
        m.group(1): html.unescape(re.sub(r"<[^>]+>", "", m.group(2))).strip()
        for m in found
    }


@pytest.mark.parametrize("module_name", MODULES)
def test_every_public_name_is_documented(html_dir: Path, module_name: str) -> None:
    entries = _entries((html_dir / "api.html").read_text(encoding="utf-8"))
    names = [f"{module_name}.{name}" for name in _public(module_name)]
    assert names
    assert [name for name in names if not entries.get(name)] == []


def test_flask_names_are_flasks_objects_linked_to_flasks_pages(
    html_dir: Path,
) -> None:
    page = (html_dir / "api.html").read_text(encoding="utf-8")
    for name in dir(kolben):
        value = getattr(kolben, name)
        if name.startswith("_") or name in ("Kolben", "Flask", "annotations", "t"):
            continue
        if inspect.ismodule(value) and value.__name__.startswith("kolben."):
            continue  # kolben's own submodules
        assert value is getattr(flask, name), name
        anchor = {"jsonify": "flask.json.jsonify", "json": "module-flask.json"}.get(
            name, f"flask.{name}"
        )
        assert f'palletsprojects.com/en/stable/api/#{anchor}"' in page, name
