"""Jinja: loaders, context, decorators, streaming and signals."""

from __future__ import annotations

import typing as t

import pytest
from jinja2 import TemplateNotFound

import kolben
from kolben import render_template, render_template_string


def test_render_from_folder_and_string(app: kolben.Kolben) -> None:
    app.context_processor(lambda: {"extra": "?", "name": "processor"})
    with app.test_request_context("/p"):
        assert render_template("hello.html", name="you") == "Hello you?!"
        assert render_template(["missing.html", "hello.html"]) == "Hello processor?!"
        assert render_template_string("{{ request.path }} {{ config.TESTING }}") == (
            "/p True"
        )
        with pytest.raises(TemplateNotFound):
            render_template("missing.html")


def test_autoescape(app: kolben.Kolben) -> None:
    with app.app_context():
        assert render_template("hello.html", name="<b>") == "Hello &lt;b&gt;!"
        assert render_template_string("{{ '<b>' }}") == "&lt;b&gt;"


def test_filters_tests_globals(app: kolben.Kolben) -> None:
    @app.template_filter("reverse_it")
    def reverse(s: str) -> str:
        return s[::-1]

    @app.template_test()
    def short(s: str) -> bool:
        return len(s) < 4

    @app.template_global("twice")
    def double(n: int) -> int:
        return n * 2

    with app.app_context():
        assert render_template("filters.txt", value="abc") == "cba True 4"


def test_stream_template(app: kolben.Kolben) -> None:
    @app.get("/")
    def index() -> t.Any:
        return kolben.stream_template_string(
            "{{ request.args['x'] }}{% for i in r %}{{ i }}{% endfor %}", r=range(3)
        )

    @app.get("/f")
    def from_file() -> t.Any:
        return kolben.stream_template("hello.html", name="s")

    client = app.test_client()
    assert client.get("/?x=a").data == b"a012"
    assert client.get("/f").data == b"Hello s!"


def test_rendering_signals(app: kolben.Kolben) -> None:
    events: list[tuple[str, str | None]] = []

    def before(sender: t.Any, template: t.Any, context: t.Any) -> None:
        events.append(("before", template.name))

    def after(sender: t.Any, template: t.Any, context: t.Any) -> None:
        events.append(("after", template.name))

    with kolben.before_render_template.connected_to(before, app):
        with kolben.template_rendered.connected_to(after, app):
            with app.app_context():
                render_template("hello.html")
    assert events == [("before", "hello.html"), ("after", "hello.html")]


def test_get_template_attribute_and_url_for(app: kolben.Kolben) -> None:
    app.add_url_rule("/x", "x", lambda: "")
    with app.test_request_context():
        greet = kolben.get_template_attribute("macros.html", "greet")
        assert greet("x") == "hi x"
        assert render_template_string("{{ url_for('x') }}") == "/x"


def test_auto_reload_follows_debug(app: kolben.Kolben) -> None:
    assert app.jinja_env.auto_reload is False
    app.debug = True
    assert app.jinja_env.auto_reload is True
