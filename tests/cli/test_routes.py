"""``kolben routes``: the table, its sorting, and ``--check`` for rules that
kolben's router refuses (on kolben apps and on Flask apps alike)."""

from __future__ import annotations

import flask
import pytest
from click.testing import CliRunner

from kolben import Kolben
from kolben.cli import KolbenGroup, cli, route_conflicts

from .conftest import WriteFile


def _view() -> str:
    return ""


def _app() -> Kolben:
    app = Kolben(__name__)
    app.add_url_rule(
        "/get_post/<int:x>/<int:y>",
        "yyy_get_post",
        _view,
        methods=["GET", "POST"],
    )
    app.add_url_rule("/zzz_post", "aaa_post", _view, methods=["POST"])
    return app


def _invoke(runner: CliRunner, app: object, *args: str) -> tuple[int, str]:
    result = runner.invoke(KolbenGroup(create_app=lambda: app), ["routes", *args])
    return result.exit_code, result.stdout


def _column(output: str, index: int = 0) -> list[str]:
    return [line.split()[index] for line in output.splitlines()[2:]]


def test_table(runner: CliRunner) -> None:
    code, output = _invoke(runner, _app())
    assert code == 0
    assert output.splitlines() == [
        "Endpoint      Methods    Rule",
        "------------  ---------  -------------------------",
        "aaa_post      POST       /zzz_post",
        "static        GET        /static/<path:filename>",
        "yyy_get_post  GET, POST  /get_post/<int:x>/<int:y>",
    ]


SORTS = [
    ("endpoint", ["aaa_post", "static", "yyy_get_post"]),
    ("methods", ["static", "yyy_get_post", "aaa_post"]),
    ("rule", ["yyy_get_post", "static", "aaa_post"]),
    ("match", ["static", "yyy_get_post", "aaa_post"]),
    ("domain", ["static", "yyy_get_post", "aaa_post"]),  # no domains: map order
]


@pytest.mark.parametrize(("sort", "endpoints"), SORTS)
def test_sort(runner: CliRunner, sort: str, endpoints: list[str]) -> None:
    code, output = _invoke(runner, _app(), "--sort", sort)
    assert code == 0
    assert _column(output) == endpoints


def test_all_methods(runner: CliRunner) -> None:
    assert "GET, HEAD, OPTIONS, POST" not in _invoke(runner, _app())[1]
    assert "GET, HEAD, OPTIONS, POST" in _invoke(runner, _app(), "--all-methods")[1]


def test_no_routes(runner: CliRunner) -> None:
    code, output = _invoke(runner, Kolben(__name__, static_folder=None))
    assert (code, output) == (0, "No routes were registered.\n")


@pytest.mark.parametrize(
    ("host_matching", "keyword", "header"),
    [(False, "subdomain", "Subdomain"), (True, "host", "Host")],
)
def test_domain_column(
    runner: CliRunner, host_matching: bool, keyword: str, header: str
) -> None:
    app = Kolben(__name__, static_folder=None, host_matching=host_matching)
    app.add_url_rule("/a", "a", _view, **{keyword: "b"})
    app.add_url_rule("/b", "b", _view, **{keyword: "a"})
    code, output = _invoke(runner, app, "--sort", "domain")
    assert output.splitlines()[0].split() == ["Endpoint", "Methods", header, "Rule"]
    assert _column(output) == ["b", "a"]


def test_check_clean(runner: CliRunner) -> None:
    code, output = _invoke(runner, _app(), "--check")
    assert (code, output) == (0, "No conflicts among 3 rules.\n")


def _flask_app() -> flask.Flask:
    """Rules Flask accepts and kolben refuses: a/a2 for GET, b1/b2 for POST,
    a2/a3 for POST (a3 alone fits beside a1: only a pairwise look finds it)."""
    app = flask.Flask(__name__)
    app.add_url_rule("/a/<x>", "a1", _view)
    app.add_url_rule("/a/<y>", "a2", _view, methods=["GET", "POST"])
    app.add_url_rule("/b/<int:x>", "b1", _view, methods=["POST"])
    app.add_url_rule("/b/<int:y>", "b2", _view, methods=["POST"])
    app.add_url_rule("/a/<z>", "a3", _view, methods=["POST"])
    app.add_url_rule("/c", "c", _view)
    return app


def test_check_flask_app(runner: CliRunner) -> None:
    result = runner.invoke(KolbenGroup(create_app=_flask_app), ["routes", "--check"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split(":")[1] for line in lines] == [
        " endpoints 'a1' and 'a2'",
        " endpoints 'b1' and 'b2'",
        " endpoints 'a2' and 'a3'",
    ]
    assert 'rule "/a/<y>" conflicts with rule "/a/<x>"' in lines[0]
    assert 'rule "/a/<z>" conflicts with rule "/a/<y>"' in lines[2]
    assert result.stderr == "3 conflict(s) among 7 rules.\n"


def test_check_flask_module(project: WriteFile, runner: CliRunner) -> None:
    """A Flask app is found by ``--app`` like a kolben one."""
    project(
        "flaskapp.py",
        """\
        from flask import Flask

        app = Flask(__name__)
        app.add_url_rule("/p/<a>", "first")
        app.add_url_rule("/p/<b>", "second")
        """,
    )
    result = runner.invoke(cli, ["--app", "flaskapp", "routes", "--check"])
    assert result.exit_code == 1
    assert "endpoints 'first' and 'second'" in result.stdout


# Flask rules, and the pairs of endpoints kolben refuses.
CONFLICTS = [
    ([("/x", "a", None), ("/y", "b", None)], []),
    ([("/x", "a", None), ("/x", "b", None)], [("a", "b")]),
    ([("/x", "a", ["GET"]), ("/x", "b", ["POST"])], []),
    ([("/x", "a", ["GET"]), ("/x", "b", ["POST"]), ("/x", "c", ["PUT"])], []),
    (
        [("/x", "a", ["GET"]), ("/x", "b", ["POST"]), ("/x", "c", ["GET", "POST"])],
        [("a", "c"), ("b", "c")],
    ),
    ([("/<int:a>", "a", None), ("/<b>", "b", None)], []),
    ([("/<int:a>", "a", None), ("/<int:b>", "b", None)], [("a", "b")]),
    ([("/s/", "a", None), ("/s", "b", None)], []),
    ([("/m/<a>", "a", None), ("/m//<b>", "b", None)], [("a", "b")]),
    ([("/x", "a", None), ("/<any(x):y>", "b", None)], []),
    (
        [("/n/<a>", "a", ["GET"]), ("/n/<b>", "b", ["PUT"]), ("/n/<c>", "c", ["PUT"])],
        [("b", "c")],
    ),
    (
        [("/x", "a", None), ("/x", "b", None), ("/x", "c", None)],
        [("a", "b"), ("a", "c"), ("b", "c")],
    ),
]


@pytest.mark.parametrize(("rules", "pairs"), CONFLICTS)
def test_route_conflicts(
    rules: list[tuple[str, str, list[str] | None]], pairs: list[tuple[str, str]]
) -> None:
    app = flask.Flask(__name__, static_folder=None)
    for rule, endpoint, methods in rules:
        app.add_url_rule(rule, endpoint, _view, methods=methods)
    found = route_conflicts(app.url_map)
    assert [(a.endpoint if a else None, b.endpoint) for a, b, _ in found] == pairs


def test_route_conflicts_custom_converter() -> None:
    """The app's own converters are used, so its rules parse."""
    from werkzeug.routing import BaseConverter

    class Hex(BaseConverter):
        regex = "[0-9a-f]+"

    app = flask.Flask(__name__, static_folder=None)
    app.url_map.converters["hex"] = Hex
    app.add_url_rule("/h/<hex:a>", "a", _view)
    app.add_url_rule("/h/<hex:b>", "b", _view)
    found = route_conflicts(app.url_map)
    assert [(a and a.endpoint, b.endpoint) for a, b, _ in found] == [("a", "b")]
