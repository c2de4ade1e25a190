"""Where a conflict is reported, and whose it is.

- A ``RouteConflictWarning`` points at the app's line that added the later rule
  (``@app.route``, ``add_url_rule``, ``register_blueprint``, ``Map.add``), so
  ``python -W error`` and pytest's warning summary show the user's file.
- A conflict between two rules that installed packages added (code under
  site-packages, as Flask-RESTX's ``Api(app)`` adds two views at ``/``) is
  logged at DEBUG, not warned, and not raised in the app's strict mode; one
  between a package's rule and the app's own is the app's, and warns.

"Installed" is where Python installs packages (``policy._INSTALLED_DIRS``);
the package tests put a package of their own there for the duration of a test
by adding its folder to that list.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import sys
import textwrap
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import flask
import pytest
from click.testing import CliRunner, Result

import kolben
import kolben.routing
from kolben.cli import KolbenGroup
from kolben.routing import policy
from kolben.routing.conflicts import route_conflicts
from kolben.routing.policy import RouteConflictWarning


def _line_of(marker: str) -> int:
    """The line of this file holding ``marker`` (in a comment)."""
    lines = Path(__file__).read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.rstrip().endswith(marker))


def _by_route() -> None:
    app = kolben.Kolben(__name__)
    app.route("/a")(lambda: "a")
    app.route("/a", endpoint="b")(lambda: "b")  # marker:route


def _by_add_url_rule() -> None:
    app = kolben.Kolben(__name__)
    app.add_url_rule("/a", "a", lambda: "a")
    app.add_url_rule("/a", "b", lambda: "b")  # marker:add_url_rule


def _by_blueprint() -> None:
    app = kolben.Kolben(__name__)
    app.add_url_rule("/a", "a", lambda: "a")
    blueprint = flask.Blueprint("bp", __name__)
    blueprint.add_url_rule("/a", "b", lambda: "b")
    app.register_blueprint(blueprint)  # marker:blueprint


def _by_map() -> None:
    url_map = kolben.routing.Map([kolben.routing.Rule("/a", endpoint="a")])
    url_map.add(kolben.routing.Rule("/a", endpoint="b"))  # marker:map


PLACES: dict[str, Callable[[], None]] = {
    "route": _by_route,
    "add_url_rule": _by_add_url_rule,
    "blueprint": _by_blueprint,
    "map": _by_map,
}


@pytest.mark.parametrize("place", PLACES)
def test_warning_points_at_the_app_line(place: str) -> None:
    with pytest.warns(RouteConflictWarning) as record:
        PLACES[place]()
    assert len(record) == 1
    assert (record[0].filename, record[0].lineno) == (
        __file__,
        _line_of(f"# marker:{place}"),
    )


_PACKAGE = """\
def install(app):
    # Two views at "/", on purpose, as Flask-RESTX's Api(app) adds them.
    app.add_url_rule("/", "package_root", lambda: "root")
    app.add_url_rule("/", "package_doc", lambda: "doc")


def add_one(app, rule, endpoint):
    app.add_url_rule(rule, endpoint, lambda: endpoint)


def run(code, namespace):
    # As doctest runs a page's examples, and a console the text typed in.
    exec(code, namespace)
"""


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """A package ``conflicting_package`` in a folder counted as installed."""
    site = tmp_path / "site-packages"
    site.mkdir()
    (site / "conflicting_package.py").write_text(textwrap.dedent(_PACKAGE))
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(
        policy, "_INSTALLED_DIRS", (*policy._INSTALLED_DIRS, f"{site.resolve()}/")
    )
    import conflicting_package

    yield conflicting_package
    sys.modules.pop("conflicting_package", None)


def test_package_conflict_is_logged_not_warned(
    package: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    app = kolben.Kolben(__name__)
    with warnings.catch_warnings(), caplog.at_level(logging.DEBUG):
        warnings.simplefilter("error")
        package.install(app)  # type: ignore[attr-defined]
    debug = [r for r in caplog.records if r.levelno == logging.DEBUG]
    assert len(debug) == 1
    assert "package_doc" in debug[0].getMessage()
    assert "installed packages" in debug[0].getMessage()
    # The first rule serves "/", as in Flask.
    assert app.test_client().get("/").data == b"root"


def test_package_conflict_is_not_raised_in_strict_mode(package: ModuleType) -> None:
    app = kolben.Kolben(__name__)
    app.config["KOLBEN_STRICT_ROUTES"] = True
    package.install(app)  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="never matches"):
        app.add_url_rule("/", "mine", lambda: "mine")


def test_conflict_with_a_package_rule_is_the_app_s(package: ModuleType) -> None:
    """A rule of the app's own conflicting with a package's warns: the app's
    author can move theirs."""
    app = kolben.Kolben(__name__)
    package.install(app)  # type: ignore[attr-defined]
    with pytest.warns(RouteConflictWarning, match="'mine'"):
        app.add_url_rule("/", "mine", lambda: "mine")
    app = kolben.Kolben(__name__)
    app.add_url_rule("/x", "mine", lambda: "mine")
    with pytest.warns(RouteConflictWarning, match="'theirs'"):
        package.add_one(app, "/x", "theirs")  # type: ignore[attr-defined]


def test_routes_check_lists_package_conflicts_apart(
    package: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Flask's command line sets it for the process; undone after the test.
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "false")
    app = kolben.Kolben(__name__)
    package.install(app)  # type: ignore[attr-defined]
    conflicts = route_conflicts(app.url_map, lambda e: e in app.view_functions)
    assert [c.between_packages for c in conflicts] == [True]
    group = KolbenGroup(create_app=lambda: app)

    def invoke(*args: str) -> Result:
        # In a context of its own: an app context another test left pushed
        # would be the app Flask's with_appcontext uses.
        return contextvars.Context().run(CliRunner().invoke, group, list(args))

    result = invoke("routes", "--check")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Conflict in installed packages: rule '/'")
    assert "not counted: --include-packages" in result.output
    result = invoke("routes", "--check", "--include-packages")
    assert result.exit_code == 1
    with pytest.warns(RouteConflictWarning):
        app.add_url_rule("/", "mine", lambda: "mine")
    result = invoke("routes", "--check")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith(
        "Conflict: rule '/' (endpoint 'mine'"
    )


def test_rule_added_by_code_without_a_file_is_the_app_s(package: ModuleType) -> None:
    """Code with no file of its own (``exec``'d text, a doctest) is the app's,
    even when an installed package runs it (as ``doctest`` does): its conflict
    warns."""
    app = kolben.Kolben(__name__)
    for endpoint in ("first", "second"):
        text = f'app.add_url_rule("/", "{endpoint}", lambda: "{endpoint}")'
        with contextlib.ExitStack() as stack:
            if endpoint == "second":
                stack.enter_context(pytest.warns(RouteConflictWarning, match="second"))
            package.run(compile(text, "<doc>", "exec"), {"app": app})  # type: ignore[attr-defined]
    assert not any(policy.added_by_package(r) for r in app.url_map.iter_rules())
