"""The ``kolben`` command: Flask's ``flask`` command with kolben's additions.

``kolben`` (and ``python -m kolben``) is a :class:`flask.cli.FlaskGroup`, so
everything ``flask`` does for an app works the same: finding the app
(``--app``, ``FLASK_APP``, ``wsgi.py``/``app.py``), ``.flaskenv`` and ``.env``,
``run``, ``shell``, ``routes``, ``app.cli`` and ``AppGroup`` commands, and the
commands extensions register under the ``flask.commands`` entry points
(Flask-Migrate's ``db``). kolben adds:

- ``routes --check``: every pair of rules that match exactly the same URLs
  (:func:`kolben.routing.conflicts.route_conflicts`); exit status 1 if any.
  Without ``--check``, ``routes`` is Flask's.
- ``bench``: the router benchmark of :mod:`kolben.bench`: an app's own rules
  (``bench --app``, or the app the group names), or fixed tables with no app;
  ``--plot`` charts the synthetic tables.
- ``KOLBEN_APP``, an alias of ``FLASK_APP``: read only when neither ``--app``
  nor ``FLASK_APP`` names the app.
- ``.kolbenenv``, read like ``.flaskenv`` (found the same way, skipped with
  ``FLASK_SKIP_DOTENV``) after Flask's files: it sets only the variables
  that the environment, ``-e``, ``.env`` and ``.flaskenv`` leave unset.
- An app that cannot be loaded is reported in one ``Error:`` line, an
  ImportError inside the app module with the file and line it came from,
  where Flask shows the usage text and the traceback. Exceptions other than
  Flask's ``NoAppException`` (a bug in the app module) keep their traceback;
  a busy port is reported by Werkzeug, as under ``flask run``.
- ``--version`` names kolben's version before Flask's.

``routes`` and ``bench`` are also ``flask.commands`` entry points, so a user
who keeps the ``flask`` command has them there too.
"""

from __future__ import annotations

import contextlib
import copy
import importlib.metadata
import importlib.util
import os
import sys
import traceback
import typing as t
import warnings
from pathlib import Path

import click
from click.core import ParameterSource
from flask import cli as flask_cli
from flask import current_app

# Flask's own objects, also importable from here.
from flask.cli import AppGroup as AppGroup
from flask.cli import FlaskGroup as FlaskGroup
from flask.cli import NoAppException as NoAppException
from flask.cli import ScriptInfo as ScriptInfo
from flask.cli import load_dotenv as load_dotenv
from flask.cli import pass_script_info as pass_script_info
from flask.cli import with_appcontext as with_appcontext

from . import bench
from .routing.conflicts import route_conflicts
from .routing.policy import RouteConflictWarning

if t.TYPE_CHECKING:  # pragma: no cover
    import flask
    from werkzeug.routing import Map

__all__ = [
    "AppGroup",
    "FlaskGroup",
    "KolbenGroup",
    "KolbenScriptInfo",
    "NoAppException",
    "ScriptInfo",
    "bench_command",
    "cli",
    "load_dotenv",
    "main",
    "pass_script_info",
    "routes_command",
    "version_option",
    "with_appcontext",
]

#: kolben's own dotenv file, beside Flask's ``.flaskenv`` and ``.env``.
KOLBENENV = ".kolbenenv"


class _AppNotLoaded(NoAppException):
    """A :class:`~flask.cli.NoAppException` shown as one ``Error:`` line,
    without the usage text (exit status 2, as Flask's)."""

    def show(self, file: t.IO[t.Any] | None = None) -> None:
        click.ClickException.show(self, file)


def _one_line(error: NoAppException) -> str:
    """``error``'s message in one line: an ImportError's traceback, which
    Flask puts in the message, becomes the exception and where it was raised."""
    message = error.format_message()
    first, newline, _ = message.partition("\n")
    if not newline:
        return message
    cause = error.__context__  # Flask raises ``from None``; the cause stays here.
    if cause is None:
        return first
    return f"{first.rstrip()} {_describe(cause)}"


def _describe(error: BaseException) -> str:
    """The exception and the innermost line of Python code raising it."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if not frame.filename.startswith("<frozen")
    ]
    where = f" ({frames[-1].filename}, line {frames[-1].lineno})" if frames else ""
    return f"{type(error).__name__}: {error}{where}"


class KolbenScriptInfo(ScriptInfo):
    """Flask's :class:`~flask.cli.ScriptInfo`, which also reads ``KOLBEN_APP``
    and reports an app it cannot load in one line."""

    def load_app(self) -> flask.Flask:
        """Flask's ``load_app``; with no ``--app`` or ``FLASK_APP`` (and no
        ``create_app``), ``KOLBEN_APP`` names the app.

        :raises NoAppException: as Flask's, shown as one ``Error:`` line.
        """
        if self.create_app is None and not self.app_import_path:
            self.app_import_path = os.environ.get("KOLBEN_APP") or None
        try:
            return super().load_app()
        except _AppNotLoaded:
            raise
        except NoAppException as e:
            raise _AppNotLoaded(_one_line(e).replace(*_FLASK_APP_HINT)) from e


#: Flask's hint when no app is found, and the same for the ``kolben`` command.
_FLASK_APP_HINT = (
    "Use the 'flask --app' option, 'FLASK_APP' environment variable",
    "Use the 'kolben --app' option, the 'KOLBEN_APP' or 'FLASK_APP' environment"
    " variable",
)


def _load_kolbenenv(ctx: click.Context) -> None:
    """Read ``.kolbenenv`` when Flask reads its default dotenv files; it sets
    only what is still unset."""
    if not ctx.ensure_object(ScriptInfo).load_dotenv_defaults:
        return
    try:
        import dotenv
    except ImportError:
        # Flask's load_dotenv, given a path, says to install python-dotenv;
        # it has said so already if there is a .env or .flaskenv.
        present = [os.path.isfile(name) for name in (KOLBENENV, ".env", ".flaskenv")]
        path = KOLBENENV if present == [True, False, False] else ""
    else:
        path = dotenv.find_dotenv(KOLBENENV, usecwd=True)
    if path:
        flask_cli.load_dotenv(path, load_defaults=False)


def _reading_kolbenenv(env_file: click.Parameter) -> click.Parameter:
    """Flask's ``--env-file`` option, whose callback (run whether or not the
    option is given) also reads ``.kolbenenv``."""
    flask_callback = env_file.callback

    def callback(ctx: click.Context, param: click.Parameter, value: t.Any) -> t.Any:
        if flask_callback is not None:
            value = flask_callback(ctx, param, value)
        _load_kolbenenv(ctx)
        return value

    option = copy.copy(env_file)
    option.callback = callback
    if isinstance(option, click.Option):
        option.help = (
            "Load environment variables from this file. They win over those of"
            " '.env', '.flaskenv' and '.kolbenenv'; the environment wins over all."
            " Needs python-dotenv."
        )
    return option


def _show_version(ctx: click.Context, param: click.Parameter, value: t.Any) -> None:
    if not value or ctx.resilient_parsing:
        return
    click.echo(f"Kolben {importlib.metadata.version('kolben')}", color=ctx.color)
    flask_cli.get_version(ctx, param, value)  # Python, Flask, Werkzeug; exits


#: ``--version``: kolben's version, then Flask's ``--version``.
version_option = click.Option(
    ["--version"],
    help="Show the kolben, Flask and Werkzeug versions.",
    expose_value=False,
    callback=_show_version,
    is_flag=True,
    is_eager=True,
)


def _print_conflicts(
    url_map: Map, has_view: t.Callable[[str], bool], include_packages: bool
) -> t.Literal[0, 1]:
    """Print the conflicts of ``url_map``'s rules, those between rules that
    installed packages added apart; the exit status: 1 for a conflict of the
    app's own, or of a package's too with ``include_packages``."""
    total = len(list(url_map.iter_rules()))
    conflicts = route_conflicts(url_map, has_view=has_view)
    own = [conflict for conflict in conflicts if not conflict.between_packages]
    packages = [conflict for conflict in conflicts if conflict.between_packages]
    for conflict in own:
        kind = "Invalid" if conflict.earlier is None else "Conflict"
        click.echo(f"{kind}: {conflict.message}")
    for conflict in packages:
        click.echo(f"Conflict in installed packages: {conflict.message}")
    if not conflicts:
        click.echo(f"No conflicts among {total} rules.")
        return 0
    counted = conflicts if include_packages else own
    summary = f"{len(own)} conflict(s) among {total} rules"
    if packages:
        summary += f", and {len(packages)} between rules installed packages added" + (
            "" if include_packages else " (not counted: --include-packages)"
        )
    click.echo(f"{summary}.", err=True)
    return 1 if counted else 0


_flask_routes = flask_cli.routes_command


def _routes(check: bool, include_packages: bool, **options: t.Any) -> None:
    ctx = click.get_current_context()
    if not check:
        # Flask's command, with its own options.
        ctx.invoke(t.cast("t.Callable[..., t.Any]", _flask_routes.callback), **options)
        return
    view_functions = current_app.view_functions
    ctx.exit(
        _print_conflicts(
            current_app.url_map, lambda e: e in view_functions, include_packages
        )
    )


def _load_quietly(check: bool, **options: t.Any) -> None:
    """Load the app without its conflict warnings when ``--check`` lists the
    conflicts (each is printed once, by the check); then the command."""
    ctx = click.get_current_context()
    if check and not current_app:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RouteConflictWarning)
            ctx.ensure_object(ScriptInfo).load_app()
    ctx.invoke(with_appcontext(_routes), check=check, **options)


#: Flask's ``routes`` command and its options, plus ``--check``.
routes_command = click.Command(
    "routes",
    callback=_load_quietly,
    params=[
        *_flask_routes.params,
        click.Option(
            ["--check"],
            is_flag=True,
            help=(
                "Instead of the table, list every pair of rules that match exactly"
                " the same URLs for a shared method (the later rule never matches"
                " them), and exit with status 1 if there is one. Pairs of rules"
                " that installed packages added are listed apart."
            ),
        ),
        click.Option(
            ["--include-packages"],
            is_flag=True,
            help=(
                "With --check, exit with status 1 for conflicts between rules"
                " that installed packages added too."
            ),
        ),
    ],
    help=_flask_routes.help,
    short_help=_flask_routes.short_help,
)


def _plot_path(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> str | None:
    if value is not None and Path(value).suffix.lower() not in bench.PLOT_SUFFIXES:
        raise click.BadParameter("the chart is written as .svg or .png.")
    return value


@contextlib.contextmanager
def _progress(label: str, file: t.TextIO | None) -> t.Iterator[bench.Progress]:
    """A :data:`kolben.bench.Progress` showing click's progress bar on
    ``file``, made when the run first tells its length; none without a file."""
    with contextlib.ExitStack() as stack:
        bars: list[t.Any] = []

        def progress(done: int, total: int) -> None:
            if file is None:
                return
            if not bars:
                bar = click.progressbar(length=total, label=label, file=file)
                bars.append(stack.enter_context(bar))
            bars[0].update(done - bars[0].pos)

        yield progress


def _progress_file(json_path: str | None) -> t.TextIO | None:
    """stderr, when it is a terminal and stdout is not taken by ``--json -``."""
    if json_path == "-" or not sys.stderr.isatty():
        return None
    return sys.stderr


def _app_named(info: ScriptInfo) -> bool:
    """Whether the group's ``--app``, ``FLASK_APP`` or ``KOLBEN_APP`` (or a
    custom group's ``create_app``) names an app."""
    return bool(
        info.app_import_path
        or info.create_app is not None
        or os.environ.get("KOLBEN_APP")
    )


def _bench_app(
    info: ScriptInfo,
    rounds: int,
    json_path: str | None,
    min_round_seconds: float,
) -> None:
    """``kolben bench`` on the app ``info`` loads."""
    app = info.load_app()
    progress_file = _progress_file(json_path)
    try:
        with _progress("Checking the rules", progress_file) as progress:
            plan = bench.plan_app(app.url_map, app.name, progress)
    except bench.WrongAnswer as e:
        raise click.ClickException(f"Wrong answer: {e}") from None
    with _progress("Timing", progress_file) as progress:
        run = bench.time_app(plan, rounds, min_round_seconds, progress)
    if json_path != "-":
        click.echo(bench.app_markdown(run))
    if json_path is not None:
        bench.dump_json(bench.app_json(run), json_path)


def _bench_tables(
    op: str,
    tables: tuple[str, ...],
    kinds: tuple[str, ...],
    rounds: int,
    json_path: str | None,
    plot_path: str | None,
    min_round_seconds: float,
) -> None:
    """``kolben bench`` on the fixed tables, charted with ``--plot``."""
    if not tables:
        tables = bench.TABLE_NAMES[1:] if plot_path is not None else ("github",)
    if op == "build" and set(kinds) == {"miss"}:
        raise click.UsageError("--op build times the probes with a rule: not miss.")
    if plot_path is not None:
        if not bench.synthetic_tables(tables):
            raise click.UsageError("--plot charts the synthetic tables: name one.")
        if not bench.can_plot():
            raise click.ClickException(
                "--plot needs matplotlib: pip install 'kolben[bench]'."
            )
    try:
        with _progress("Timing", _progress_file(json_path)) as progress:
            run = bench.measure(tables, kinds, rounds, min_round_seconds, op, progress)
    except bench.WrongAnswer as e:
        raise click.ClickException(f"Wrong answer: {e}") from None
    if json_path != "-":
        click.echo(bench.run_markdown(run))
    if json_path is not None:
        bench.write_json(run, json_path)
    if plot_path is not None:
        bench.plot_run(run, plot_path)
        click.echo(f"Chart: {plot_path}", err=True)


#: The options that time the fixed tables, not an app.
_TABLE_OPTIONS = {
    "op": "--op",
    "tables": "--table",
    "kinds": "--kind",
    "plot_path": "--plot",
}


@click.command("bench", short_help="Time the router against Werkzeug's.")
@click.option(
    "-A",
    "--app",
    "app_path",
    metavar="IMPORT",
    help=(
        "Time this app's own rules, the app found as '--app' finds it"
        " ('module', 'module:name', 'module:create_app()'). The group's"
        " '--app', FLASK_APP and KOLBEN_APP also name it."
    ),
)
@click.option(
    "--op",
    type=click.Choice(bench.OPS),
    default="match",
    show_default=True,
    help="Route the probes, or build the URLs of their rules (no miss).",
)
@click.option(
    "--table",
    "tables",
    type=click.Choice(bench.TABLE_NAMES),
    multiple=True,
    help=(
        "A route table to time (repeatable; default: github, with --plot the"
        " synthetic tables)."
    ),
)
@click.option(
    "--kind",
    "kinds",
    type=click.Choice(bench.KINDS),
    multiple=True,
    default=bench.KINDS,
    help="A probe to time (repeatable; default: all).",
)
@click.option(
    "--rounds",
    type=click.IntRange(min=1),
    default=7,
    show_default=True,
    help="Timed rounds per peer and probe; the median is shown.",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Also write the results to this file as JSON; '-': only JSON, to stdout.",
)
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(dir_okay=False),
    callback=_plot_path,
    help=(
        "Chart ns per call against the number of rules of the synthetic tables"
        " in this .svg or .png file (needs matplotlib: pip install"
        " 'kolben[bench]')."
    ),
)
@click.option(
    "--min-round-seconds",
    type=click.FloatRange(min=0),
    default=bench.MIN_ROUND_SECONDS,
    hidden=True,
)
@click.pass_context
def bench_command(
    ctx: click.Context,
    app_path: str | None,
    op: str,
    tables: tuple[str, ...],
    kinds: tuple[str, ...],
    rounds: int,
    json_path: str | None,
    plot_path: str | None,
    min_round_seconds: float,
) -> None:
    """Time URL matching in an app, or on fixed route tables.

    With an app (--app, or the group's --app, FLASK_APP, KOLBEN_APP): make a
    URL for each of its rules, check that kolben and Werkzeug route each to
    the same answer, then time both; print the median ns per match and the
    ratio by kind of rule, the ten slowest rules, and the rules no URL was
    made for.

    Otherwise, or with --table, --kind, --op or --plot: time Werkzeug, kolben
    (MapAdapter.match and the app's fast path) and, when installed, Falcon and
    pymatchit on the same probes in one run, or with --op build Werkzeug's
    and kolben's MapAdapter.build; print the median ns per call and the ratio
    to Werkzeug.

    A wrong answer stops the run before any timing (exit status 1). A progress
    bar shows on stderr when it is a terminal and stdout is not '--json -'.
    """
    given = [
        flag
        for name, flag in _TABLE_OPTIONS.items()
        if ctx.get_parameter_source(name) not in (None, ParameterSource.DEFAULT)
    ]
    info = ctx.ensure_object(ScriptInfo)
    if app_path is not None:
        if given:
            raise click.UsageError(
                f"{', '.join(given)}: for the fixed tables, not with --app."
            )
        info = type(info)(app_import_path=app_path, set_debug_flag=info.set_debug_flag)
    if app_path is not None or (not given and _app_named(info)):
        _bench_app(info, rounds, json_path, min_round_seconds)
    else:
        _bench_tables(
            op, tables, kinds, rounds, json_path, plot_path, min_round_seconds
        )


class KolbenGroup(FlaskGroup):
    """Flask's :class:`~flask.cli.FlaskGroup` with kolben's additions (see the
    module docs): ``routes --check``, ``bench``, ``KOLBEN_APP``,
    ``.kolbenenv``, one-line errors for an app that cannot be loaded, and
    kolben's ``--version``. Takes FlaskGroup's arguments; with
    ``add_default_commands=False`` neither Flask's commands nor kolben's are
    added."""

    def __init__(
        self,
        add_default_commands: bool = True,
        create_app: t.Callable[..., flask.Flask] | None = None,
        add_version_option: bool = True,
        load_dotenv: bool = True,
        set_debug_flag: bool = True,
        **extra: t.Any,
    ) -> None:
        super().__init__(
            add_default_commands=add_default_commands,
            create_app=create_app,
            add_version_option=False,
            load_dotenv=load_dotenv,
            set_debug_flag=set_debug_flag,
            **extra,
        )
        self._env_file_option: click.Parameter | None = None
        for index, param in enumerate(self.params):
            if param.name == "env_file":
                self._env_file_option = self.params[index] = _reading_kolbenenv(param)
        if add_version_option:
            self.params.append(version_option)
        if add_default_commands:
            self.add_command(routes_command)
            self.add_command(bench_command)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: t.Any,
    ) -> click.Context:
        """Flask's, with a :class:`KolbenScriptInfo` as the context object
        unless one is given."""
        if "obj" not in extra and "obj" not in self.context_settings:
            extra["obj"] = KolbenScriptInfo(
                create_app=self.create_app,
                set_debug_flag=self.set_debug_flag,
                load_dotenv_defaults=self.load_dotenv,
            )
        return super().make_context(info_name, args, parent=parent, **extra)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Flask's. For a bare ``--help``, which click handles before the other
        options, Flask reads the dotenv files and ``--app`` first so that the
        help lists the app's commands; ``.kolbenenv`` is read with them."""
        help_only = (not args and self.no_args_is_help) or (
            len(args) == 1 and args[0] in self.get_help_option_names(ctx)
        )
        # Without python-dotenv nothing is read, and Flask's reading alone
        # says to install it.
        if (
            help_only
            and self._env_file_option is not None
            and importlib.util.find_spec("dotenv") is not None
        ):
            self._env_file_option.handle_parse_result(ctx, {}, [])
        return super().parse_args(ctx, args)


cli = KolbenGroup(
    name="kolben",
    help="""\
A general utility script for kolben and Flask applications.

The application to load is given with the '--app' option, the 'FLASK_APP'
environment variable (or its alias 'KOLBEN_APP'), or a 'wsgi.py' or 'app.py'
file in the current directory.
""",
)


def main() -> None:
    """The ``kolben`` console script and ``python -m kolben``."""
    cli.main()


if __name__ == "__main__":
    main()
