"""``kolben routes``: Flask's table, the same output as ``flask routes``; and
``--check``, which lists the rules that match exactly the same URLs."""

from __future__ import annotations

import re
import subprocess
import sys
import typing as t

import flask
import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from werkzeug.routing import BaseConverter

from kolben import Kolben
from kolben.cli import KolbenGroup, cli, routes_command
from production.servers import ROOT

from .conftest import WriteFile

IGNORE_CONFLICTS = "ignore::kolben.routing.RouteConflictWarning"


def _view(**values: t.Any) -> str:
    return ""


def _app(app_class: type[flask.Flask] = Kolben) -> flask.Flask:
    app = app_class(__name__)
    app.add_url_rule(
        "/get_post/<int:x>/<int:y>", "yyy_get_post", _view, methods=["GET", "POST"]
    )
    app.add_url_rule("/zzz_post", "aaa_post", _view, methods=["POST"])
    app.add_url_rule("/item/<int:id>", "item", _view, methods=["PUT", "DELETE"])
    return app


def _domains(host_matching: bool) -> flask.Flask:
    static_host = "static.test" if host_matching else None
    app = Kolben(__name__, host_matching=host_matching, static_host=static_host)
    for path, domain in (("/a", "b.test"), ("/b", "a.test")):
        if host_matching:
            app.add_url_rule(path, path[1:], _view, host=domain)
        else:
            app.add_url_rule(path, path[1:], _view, subdomain=domain)
    return app


APPS: dict[str, t.Callable[[], flask.Flask]] = {
    "kolben": _app,
    "flask": lambda: _app(flask.Flask),
    "subdomains": lambda: _domains(False),
    "hosts": lambda: _domains(True),
    "empty": lambda: Kolben(__name__, static_folder=None),
}
OPTIONS = [
    [],
    ["--sort", "endpoint"],
    ["-s", "methods"],
    ["-s", "rule"],
    ["-s", "match"],
    ["-s", "domain"],
    ["--all-methods"],
    ["-s", "rule", "--all-methods"],
]


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("app_name", APPS)
def test_same_as_flask(runner: CliRunner, app_name: str, options: list[str]) -> None:
    app = APPS[app_name]()
    ours = runner.invoke(KolbenGroup(create_app=lambda: app), ["routes", *options])
    flask_s = runner.invoke(
        flask.cli.routes_command, options, obj=ScriptInfo(create_app=lambda: app)
    )
    assert ours.exit_code == flask_s.exit_code == 0, ours.output
    assert ours.stdout == flask_s.stdout
    assert ours.stdout.strip()


#: Flask's own ``routes`` command, run on its own: ``flask routes`` is
#: kolben's once kolben's ``flask.commands`` entry point is installed.
FLASK_ROUTES = """\
import sys
from flask.cli import ScriptInfo, routes_command

routes_command.main(
    sys.argv[1:], "flask routes", obj=ScriptInfo(app_import_path="examples.hello")
)
"""


def test_same_as_flask_process() -> None:
    """``kolben routes`` and ``flask routes`` (kolben's, through the entry
    point) print what Flask's own command prints for the same app module."""

    def run(*command: str) -> str:
        done = subprocess.run(
            [sys.executable, *command],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    flask_s = run("-c", FLASK_ROUTES, "--sort", "rule")
    assert "/user/<username>" in flask_s
    for command in ("kolben", "flask"):
        ours = run("-m", command, "--app", "examples.hello", "routes", "-s", "rule")
        assert ours == flask_s


def test_options_are_flask_s() -> None:
    flask_options = flask.cli.routes_command.params
    assert routes_command.params[: len(flask_options)] == flask_options
    assert [p.name for p in routes_command.params[len(flask_options) :]] == [
        "check",
        "include_packages",
    ]
    assert cli.commands["routes"] is routes_command


def _check(runner: CliRunner, app: flask.Flask) -> tuple[int, list[str], str]:
    result = runner.invoke(KolbenGroup(create_app=lambda: app), ["routes", "--check"])
    return result.exit_code, result.stdout.splitlines(), result.stderr


@pytest.mark.parametrize("app_name", ["kolben", "flask", "empty"])
def test_check_clean(runner: CliRunner, app_name: str) -> None:
    app = APPS[app_name]()
    total = len(list(app.url_map.iter_rules()))
    assert _check(runner, app) == (0, [f"No conflicts among {total} rules."], "")


@pytest.mark.filterwarnings(IGNORE_CONFLICTS)
@pytest.mark.parametrize("app_class", [Kolben, flask.Flask])
def test_check_conflict(runner: CliRunner, app_class: type[flask.Flask]) -> None:
    """Both rules of each pair are named; exit status 1."""
    app = app_class(__name__)
    app.add_url_rule("/a/<x>", "a1", _view)
    app.add_url_rule("/a/<y>", "a2", _view, methods=["GET", "POST"])
    app.add_url_rule("/b/<int:x>", "b1", _view, methods=["POST"])
    app.add_url_rule("/b/<int:y>", "b2", _view, methods=["POST", "PUT"])
    app.add_url_rule("/c", "c", _view)
    code, lines, stderr = _check(runner, app)
    assert code == 1
    # Where a kolben app's rules were added is checked below.
    assert [re.sub(r", added at [^)]*", "", line) for line in lines] == [
        "Conflict: rule '/a/<y>' (endpoint 'a2') matches exactly the URLs of rule"
        " '/a/<x>' (endpoint 'a1') for GET, HEAD; the earlier rule serves them",
        "Conflict: rule '/b/<int:y>' (endpoint 'b2') matches exactly the URLs of"
        " rule '/b/<int:x>' (endpoint 'b1') for POST; the earlier rule serves them",
    ]
    assert stderr == "2 conflict(s) among 6 rules.\n"


@pytest.mark.filterwarnings(IGNORE_CONFLICTS)
def test_check_names_where_rules_were_added(
    project: WriteFile, runner: CliRunner
) -> None:
    """A kolben app records where each rule was added; --check says it."""
    path = project(
        "twice.py",
        """\
        from kolben import Kolben

        app = Kolben(__name__)
        app.add_url_rule("/p/<a>", "first", lambda a: a)
        app.add_url_rule("/p/<b>", "second", lambda b: b)
        """,
    )
    result = runner.invoke(cli, ["--app", "twice", "routes", "--check"])
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert f"(endpoint 'second', added at {path}:5)" in line
    assert f"(endpoint 'first', added at {path}:4)" in line


def test_check_endpoint_alias(runner: CliRunner) -> None:
    """Flask's tutorial (flaskr): ``"/"`` is the blog's index, and ``index``
    an endpoint with no view for ``url_for("index")``: no conflict."""
    blog = flask.Blueprint("blog", __name__)
    blog.add_url_rule("/", "index", _view)
    for app_class in (Kolben, flask.Flask):
        app = app_class(__name__)
        app.register_blueprint(blog)
        app.add_url_rule("/", endpoint="index")
        with app.test_request_context():
            assert flask.url_for("index") == flask.url_for("blog.index") == "/"
        assert _check(runner, app) == (0, ["No conflicts among 3 rules."], "")


def test_check_same_endpoint_repeated(runner: CliRunner) -> None:
    for app_class in (Kolben, flask.Flask):
        app = app_class(__name__, static_folder=None)
        app.add_url_rule("/x", "x", _view)
        app.add_url_rule("/x", "x", _view)
        assert _check(runner, app) == (0, ["No conflicts among 2 rules."], "")


def test_check_blueprint_static(runner: CliRunner) -> None:
    """A blueprint's static route under the app's, as Flask makes it without
    a url_prefix: only url_for uses it."""
    for app_class in (Kolben, flask.Flask):
        app = app_class(__name__)
        app.register_blueprint(flask.Blueprint("bp", __name__, static_folder="static"))
        rules = [rule.rule for rule in app.url_map.iter_rules()]
        assert rules == ["/static/<path:filename>"] * 2
        assert _check(runner, app) == (0, ["No conflicts among 2 rules."], "")


def _kolben(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m kolben ARGS`` in the current directory."""
    command = [sys.executable, "-m", "kolben", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_check_python_dash_m(project: WriteFile) -> None:
    project(
        "app.py",
        """\
        from flask import Flask

        app = Flask(__name__)
        app.add_url_rule("/p/<a>", "first", lambda a: a)
        app.add_url_rule("/p/<b>", "second", lambda b: b)
        """,
    )
    done = _kolben("routes", "--check")
    assert done.returncode == 1
    assert "'/p/<b>' (endpoint 'second')" in done.stdout
    assert "'/p/<a>' (endpoint 'first')" in done.stdout
    assert done.stderr == "1 conflict(s) among 3 rules.\n"


def test_check_rule_kolben_cannot_route(runner: CliRunner) -> None:
    """A Flask app's rule that kolben's router refuses on its own."""

    class NotAdmin(BaseConverter):
        regex = "(?!admin)[a-z]+"

    app = flask.Flask(__name__, static_folder=None)
    app.url_map.converters["not_admin"] = NotAdmin
    app.add_url_rule("/u/<not_admin:name>", "user", _view)
    code, lines, stderr = _check(runner, app)
    assert code == 1
    assert lines[0].startswith("Invalid: endpoint 'user': ")
    assert stderr == "1 conflict(s) among 1 rules.\n"


def test_check_prints_each_conflict_once(project: WriteFile) -> None:
    """A Kolben app warns of a conflict as it is loaded; ``routes --check``
    lists the conflicts itself, so the warning is not printed beside them."""
    project(
        "app.py",
        """\
        from kolben import Kolben

        app = Kolben(__name__)
        app.add_url_rule("/p/<a>", "first", lambda a: a)
        app.add_url_rule("/p/<b>", "second", lambda b: b)
        """,
    )
    done = _kolben("routes", "--check")
    assert done.returncode == 1
    assert done.stdout.count("(endpoint 'second'") == 1
    assert "RouteConflictWarning" not in done.stderr
    assert done.stderr == "1 conflict(s) among 3 rules.\n"
    # Without --check the app warns as it loads, as anywhere else.
    done = _kolben("routes")
    assert done.returncode == 0
    assert "RouteConflictWarning" in done.stderr


def test_no_app_names_the_kolben_command(project: WriteFile) -> None:
    """Without an app, ``kolben`` says how to name one to ``kolben``."""
    done = _kolben("routes")
    assert done.returncode == 2
    assert "Use the 'kolben --app' option" in done.stderr
    assert "KOLBEN_APP" in done.stderr
    assert "flask --app" not in done.stderr
