"""Hostile template names: each is ``TemplateNotFound`` from every render call,
and no rendered output holds the canary beside the template folders."""

from __future__ import annotations

import typing as t

import pytest
from jinja2 import TemplateNotFound

import kolben

from .conftest import Tree

# {secret} is the absolute path of the canary, {root} the app's root path.
NAMES = [
    "../secret.txt",
    "../../secret.txt",
    "./../secret.txt",
    "templates/../secret.txt",
    "sub/../../secret.txt",
    "ok.html/../../secret.txt",
    "..\\secret.txt",
    "sub\\..\\..\\secret.txt",
    "%2e%2e/secret.txt",
    "..%2fsecret.txt",
    "/etc/passwd",
    "/secret.txt",
    "{secret}",
    "{root}/templates/../secret.txt",
    "C:/secret.txt",
    "c:\\secret.txt",
    "//server/share/secret.txt",
    "\\\\server\\share\\secret.txt",
    "file://{secret}",
    "secret.txt",
    "ok.html\x00",
    "../bp/templates/bp.html",
    "",
    ".",
    "..",
]


def _app(tree: Tree) -> kolben.Kolben:
    app = kolben.Kolben("templates", root_path=str(tree.root))
    app.register_blueprint(
        kolben.Blueprint(
            "bp", __name__, template_folder="bp/templates", root_path=str(tree.root)
        )
    )
    return app


def _renders(name: str) -> list[t.Callable[[], str]]:
    return [
        lambda: kolben.render_template(name),
        lambda: kolben.render_template([name]),
        lambda: "".join(kolben.stream_template(name)),
        lambda: kolben.render_template_string("{% include name %}", name=name),
        lambda: kolben.render_template_string("{% extends name %}", name=name),
        lambda: kolben.render_template_string("{% import name as m %}", name=name),
    ]


@pytest.mark.parametrize("name", NAMES)
def test_hostile_template_names(tree: Tree, name: str) -> None:
    name = name.format(secret=tree.root / "secret.txt", root=tree.root)
    app = _app(tree)
    with app.test_request_context():
        for render in _renders(name):
            with pytest.raises(TemplateNotFound):
                render()
        with pytest.raises(TemplateNotFound):
            kolben.get_template_attribute(name, "x")
        assert kolben.render_template(["missing.html", name, "ok.html"]) == "ok"


def test_explained_loading_refuses_too(tree: Tree) -> None:
    app = _app(tree)
    app.config["EXPLAIN_TEMPLATE_LOADING"] = True
    with app.test_request_context():
        for name in ["../secret.txt", str(tree.root / "secret.txt")]:
            with pytest.raises(TemplateNotFound):
                kolben.render_template(name)


def test_the_tree_renders_lawfully(tree: Tree) -> None:
    app = _app(tree)
    with app.test_request_context():
        assert kolben.render_template("ok.html") == "ok"
        assert kolben.render_template("bp.html") == "bp"
    loose = kolben.Kolben("loose", template_folder=".", root_path=str(tree.root))
    with loose.app_context():
        assert kolben.render_template("secret.txt") == tree.secret.decode()
