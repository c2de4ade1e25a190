"""Jinja: loaders, context, decorators, streaming and signals."""

from __future__ import annotations

import json
import os
import typing as t
from pathlib import Path

import flask
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


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


def test_loader_order_app_then_blueprints(tmp_path: Path) -> None:
    _write(tmp_path / "templates", {"app.txt": "app", "shared.txt": "from app"})
    _write(tmp_path / "one", {"shared.txt": "from one", "both.txt": "one"})
    _write(tmp_path / "two", {"both.txt": "two", "only_two.txt": "two only"})
    app = kolben.Kolben("order", root_path=str(tmp_path))
    app.register_blueprint(
        kolben.Blueprint(
            "one", __name__, template_folder="one", root_path=str(tmp_path)
        )
    )
    app.register_blueprint(
        kolben.Blueprint(
            "two", __name__, template_folder="two", root_path=str(tmp_path)
        )
    )
    app.register_blueprint(kolben.Blueprint("none", __name__, root_path=str(tmp_path)))
    with app.app_context():
        rendered = [
            render_template(name)
            for name in ["app.txt", "shared.txt", "both.txt", "only_two.txt"]
        ]
        assert rendered == ["app", "from app", "one", "two only"]
        assert render_template(["nope.txt", "both.txt"]) == "one"
        assert sorted(app.jinja_env.list_templates()) == [
            "app.txt",
            "both.txt",
            "only_two.txt",
            "shared.txt",
        ]
        template = app.jinja_env.get_template("app.txt")
        assert render_template(template) == "app"
        assert render_template(["nope.txt", template]) == "app"


@pytest.mark.parametrize(
    ("name", "escaped"),
    [
        ("t.html", True),
        ("t.htm", True),
        ("t.xml", True),
        ("t.xhtml", True),
        ("t.svg", True),
        ("T.HTML", False),
        ("t.txt", False),
        ("t.js", False),
        ("t.html.j2", False),
        (None, True),
    ],
)
def test_autoescape_by_name(tmp_path: Path, name: str | None, escaped: bool) -> None:
    source = "{{ v }}{% autoescape false %}{{ v }}{% endautoescape %}"
    app = kolben.Kolben("esc", root_path=str(tmp_path))
    with app.app_context():
        if name is None:
            out = render_template_string(source, v="<&>")
        else:
            _write(tmp_path / "templates", {name: source})
            out = render_template(name, v="<&>")
    assert out == ("&lt;&amp;&gt;<&>" if escaped else "<&><&>")


def test_tojson_is_safe_in_script(app: kolben.Kolben) -> None:
    evil = "</script><script>alert('x')</script>&"
    with app.app_context():
        out = render_template_string(
            "<script>var v = {{ v|tojson }};</script>", v={"k": evil}
        )
    assert out.count("</script>") == 1 and "'" not in out[8:-9]
    assert "\\u003c/script\\u003e" in out and "\\u0026" in out and "\\u0027" in out
    payload = out[len("<script>var v = ") : -len(";</script>")]
    assert json.loads(payload) == {"k": evil}


def test_globals_in_every_template(app: kolben.Kolben) -> None:
    app.add_url_rule("/u/<n>", "user", lambda n: "")

    @app.route("/page")
    def page() -> str:
        kolben.flash("hi", "info")
        kolben.g.who = "gee"
        kolben.session["s"] = "sess"
        return render_template_string(
            "{{ url_for('user', n=1) }}|{{ get_flashed_messages(True) }}|"
            "{{ config.SECRET_KEY }}|{{ request.args.q }}|{{ session.s }}|{{ g.who }}"
        )

    rv = app.test_client().get("/page?q=x")
    assert rv.text == "/u/1|[(&#39;info&#39;, &#39;hi&#39;)]|test key|x|sess|gee"
    with app.app_context():
        kolben.g.who = "app ctx"
        out = render_template_string(
            "{{ g.who }}|{{ request is defined }}|{{ config.TESTING }}"
        )
        assert out == "app ctx|True|True"


def test_context_processors(app: kolben.Kolben) -> None:
    bp = kolben.Blueprint("bp", __name__)
    app.context_processor(lambda: {"who": "app", "app_only": 1})

    @bp.context_processor
    def bp_values() -> dict[str, t.Any]:
        return {"who": "bp"}

    @bp.app_context_processor
    def everywhere() -> dict[str, t.Any]:
        return {"everywhere": "e"}

    source = "{{ who }} {{ app_only }} {{ everywhere }} {{ given|default('-') }}"
    bp.add_url_rule("/in", "in_bp", lambda: render_template_string(source))
    bp.add_url_rule("/given", "given", lambda: render_template_string(source, who="v"))
    app.add_url_rule("/out", "out", lambda: render_template_string(source))
    app.register_blueprint(bp, url_prefix="/bp")
    client = app.test_client()
    assert client.get("/bp/in").text == "bp 1 e -"
    assert client.get("/bp/given").text == "v 1 e -"
    assert client.get("/out").text == "app 1 e -"


def test_blueprint_app_template_decorators(app: kolben.Kolben) -> None:
    bp = kolben.Blueprint("bp", __name__)

    @bp.app_template_filter()
    def shout(s: str) -> str:
        return s.upper()

    @bp.app_template_test("even")
    def is_even(n: int) -> bool:
        return n % 2 == 0

    @bp.app_template_global()
    def answer() -> int:
        return 42

    app.add_template_filter(lambda s: s[::-1], "rev")
    app.add_template_test(lambda s: not s, "empty")
    app.add_template_global(lambda: "G", "glob")
    app.register_blueprint(bp)
    assert app.jinja_env.filters["shout"] is shout
    with app.app_context():
        out = render_template_string(
            "{{ 'a'|shout }} {{ 2 is even }} {{ answer() }}"
            " {{ 'ab'|rev }} {{ '' is empty }} {{ glob() }}"
        )
    assert out == "A True 42 ba True G"


def test_jinja_env_and_options(tmp_path: Path) -> None:
    class App(kolben.Kolben):
        jinja_options = {"trim_blocks": True, "extensions": ["jinja2.ext.do"]}

    app = App("opts", root_path=str(tmp_path))
    assert isinstance(app.jinja_env, flask.templating.Environment)
    assert app.jinja_env.app is app
    assert app.jinja_env.trim_blocks and "jinja2.ext.ExprStmtExtension" in (
        app.jinja_env.extensions
    )
    app.jinja_env.globals["site"] = "S"
    with app.app_context():
        out = render_template_string("{% if 1 %}\n{{ site }}{% endif %}{% do [] %}")
    assert out == "S"


@pytest.mark.parametrize(
    ("setting", "debug", "auto_reload"),
    [
        (None, False, False),
        (None, True, True),
        (True, False, True),
        (False, True, False),
    ],
)
def test_templates_auto_reload(
    tmp_path: Path, setting: bool | None, debug: bool, auto_reload: bool
) -> None:
    _write(tmp_path / "templates", {"t.txt": "one"})
    app = kolben.Kolben("reload", root_path=str(tmp_path))
    app.config["TEMPLATES_AUTO_RELOAD"] = setting
    app.debug = debug
    assert app.jinja_env.auto_reload is auto_reload
    with app.app_context():
        assert render_template("t.txt") == "one"
        path = tmp_path / "templates" / "t.txt"
        path.write_text("two")
        os.utime(path, (path.stat().st_atime, path.stat().st_mtime + 10))
        assert render_template("t.txt") == ("two" if auto_reload else "one")


def test_debug_turns_reload_on_after_first_use(app: kolben.Kolben) -> None:
    app.jinja_env  # noqa: B018 - made before debug changes
    app.debug = True
    assert app.jinja_env.auto_reload is True


def test_signals_for_every_render_call(app: kolben.Kolben) -> None:
    events: list[tuple[str, str | None, t.Any]] = []

    def before(sender: t.Any, template: t.Any, context: t.Any) -> None:
        events.append(("before", template.name, context.get("v")))

    def after(sender: t.Any, template: t.Any, context: t.Any) -> None:
        events.append(("after", template.name, context.get("v")))

    with kolben.before_render_template.connected_to(before, app):
        with kolben.template_rendered.connected_to(after, app):
            with app.test_request_context():
                render_template_string("x", v=1)
                stream = kolben.stream_template("hello.html", v=2)
                assert events[-1] == ("before", "hello.html", 2)
                assert "".join(stream) == "Hello !"
                "".join(kolben.stream_template_string("y", v=3))
    assert events == [
        ("before", None, 1),
        ("after", None, 1),
        ("before", "hello.html", 2),
        ("after", "hello.html", 2),
        ("before", None, 3),
        ("after", None, 3),
    ]


def test_stream_without_request(app: kolben.Kolben) -> None:
    with app.app_context():
        assert "".join(kolben.stream_template_string("{{ 1 + 1 }}")) == "2"


def test_explain_template_loading(
    app: kolben.Kolben, caplog: pytest.LogCaptureFixture
) -> None:
    app.config["EXPLAIN_TEMPLATE_LOADING"] = True
    bp = kolben.Blueprint("bp", __name__, template_folder="bp_templates")
    bp.add_url_rule("/", "index", lambda: render_template("missing.html"))
    app.register_blueprint(bp)
    with app.test_request_context("/"), caplog.at_level("INFO"):
        assert render_template("hello.html", name="x") == "Hello x!"
        with pytest.raises(TemplateNotFound):
            render_template("missing.html")
    messages = [r.getMessage() for r in caplog.records]
    assert messages[0].startswith("Locating template 'hello.html'")
    assert "found" in messages[0]
    assert "Error: the template could not be found." in messages[1]
    assert "belongs to the blueprint 'bp'" in messages[1]
    assert "blueprints/#templates" in messages[1]
