"""The ``kolben`` command (Flask's ``flask`` command): finding the app, ``run``,
``routes`` (with ``--check`` for conflicting rules), ``shell`` and ``bench``
(:mod:`kolben.bench`, no app needed), plus the click classes apps and
blueprints register their own commands with.

The app is found from ``--app``, ``KOLBEN_APP`` or ``FLASK_APP``, else a
``wsgi.py`` or ``app.py`` in the current directory. Mistakes a user makes while
setting up (no app, an import failing inside the app module, a busy port) are
reported in one line, without a traceback.
"""

from __future__ import annotations

import ast
import collections.abc as cabc
import importlib.metadata
import inspect
import os
import platform
import re
import socket
import sys
import traceback
import typing as t
from functools import update_wrapper
from operator import itemgetter
from types import ModuleType, TracebackType

import click
from werkzeug.serving import (
    get_sockaddr,
    is_running_from_reloader,
    run_simple,
    select_address_family,
)
from werkzeug.utils import import_string

from . import bench
from .ctx import has_app_context
from .globals import _cv_app
from .helpers import get_debug_flag, get_load_dotenv

if t.TYPE_CHECKING:  # pragma: no cover
    import ssl

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from werkzeug.routing import Map as _AnyMap
    from werkzeug.routing import Rule

    from .app import Kolben

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

#: Dotenv files loaded by default, lowest precedence first.
_DOTENV_FILES = (".flaskenv", ".kolbenenv", ".env")


class NoAppException(click.UsageError):
    """The application could not be found or loaded. Shown as one ``Error:``
    line (no usage text), exit status 2."""

    def show(self, file: t.IO[t.Any] | None = None) -> None:
        click.ClickException.show(self, file)


def _is_app(obj: object) -> bool:
    """A Kolben app, or a Flask one when Flask is already imported (``routes
    --check`` and ``run`` serve any such app)."""
    from .app import Kolben

    flask = sys.modules.get("flask")
    flask_cls = getattr(flask, "Flask", None)
    return isinstance(obj, Kolben) or (
        isinstance(flask_cls, type) and isinstance(obj, flask_cls)
    )


def _call_factory(
    factory: t.Callable[..., t.Any], *args: t.Any, **kwargs: t.Any
) -> t.Any:
    """Call an app factory; ``None`` when it could not be called with these
    arguments (a ``TypeError`` raised inside it propagates)."""
    try:
        return factory(*args, **kwargs)
    except TypeError as e:
        tb: TracebackType | None = e.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code is factory.__code__:
                raise  # the call itself worked; the factory raised
            tb = tb.tb_next
        return None


def find_best_app(module: ModuleType) -> Kolben:
    """The app in ``module``: ``app`` or ``application``, the only app
    instance, or what ``create_app()``/``make_app()`` returns.

    :raises NoAppException: none, several, or a factory that needs arguments.
    """
    for name in ("app", "application"):
        app = getattr(module, name, None)
        if _is_app(app):
            return t.cast("Kolben", app)
    matches = [v for v in module.__dict__.values() if _is_app(v)]
    if len(matches) == 1:
        return t.cast("Kolben", matches[0])
    if matches:
        raise NoAppException(
            f"Detected multiple Kolben applications in module {module.__name__!r}."
            f" Use '{module.__name__}:name' to specify the correct one."
        )
    for name in ("create_app", "make_app"):
        factory = getattr(module, name, None)
        if not inspect.isfunction(factory):
            continue
        app = _call_factory(factory)
        if app is None:
            raise NoAppException(
                f"Detected factory {name!r} in module {module.__name__!r}, but"
                f" could not call it without arguments. Use"
                f" '{module.__name__}:{name}(args)' to specify arguments."
            )
        if _is_app(app):
            return t.cast("Kolben", app)
    raise NoAppException(
        f"Failed to find Kolben application or factory in module"
        f" {module.__name__!r}. Use '{module.__name__}:name' to specify one."
    )


def _parse_app_name(app_name: str) -> tuple[str, list[t.Any], dict[str, t.Any]] | None:
    """``name`` or ``name(literal args)`` as (name, args, kwargs); ``None``
    when ``name`` is neither."""
    try:
        expr = ast.parse(app_name.strip(), mode="eval").body
    except SyntaxError:
        return None
    if isinstance(expr, ast.Name):
        return expr.id, [], {}
    if not isinstance(expr, ast.Call):
        return None
    if not isinstance(expr.func, ast.Name):
        raise NoAppException(f"Function reference must be a simple name: {app_name!r}.")
    try:
        args = [ast.literal_eval(arg) for arg in expr.args]
        kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in expr.keywords if kw.arg}
    except ValueError:
        raise NoAppException(
            f"Failed to parse arguments as literal values: {app_name!r}."
        ) from None
    return expr.func.id, args, kwargs


def find_app_by_string(module: ModuleType, app_name: str) -> Kolben:
    """The app named ``app_name`` in ``module``: an attribute, or a factory
    called with literal arguments (``create_app('dev', debug=True)``).

    :raises NoAppException: the name does not parse, is missing, or is no app.
    """
    parsed = _parse_app_name(app_name)
    if parsed is None:
        raise NoAppException(
            f"Failed to parse {app_name!r} as an attribute name or function call."
        )
    name, args, kwargs = parsed
    try:
        attr = getattr(module, name)
    except AttributeError:
        raise NoAppException(
            f"Failed to find attribute {name!r} in {module.__name__!r}."
        ) from None
    app = attr
    if inspect.isfunction(attr):
        app = _call_factory(attr, *args, **kwargs)
        if app is None:
            raise NoAppException(
                f"The factory {app_name!r} in module {module.__name__!r} could not"
                " be called with the specified arguments."
            )
    if _is_app(app):
        return t.cast("Kolben", app)
    raise NoAppException(
        "A valid Kolben application was not obtained from"
        f" '{module.__name__}:{app_name}'."
    )


def prepare_import(path: str) -> str:
    """The module name for a file or dotted path; the folder above its
    package is put first on ``sys.path``."""
    path = os.path.realpath(path)
    base, ext = os.path.splitext(path)
    if ext == ".py":
        path = base
    if os.path.basename(path) == "__init__":
        path = os.path.dirname(path)
    parts = []
    while True:  # climb out of the package (folders with an __init__.py)
        path, name = os.path.split(path)
        parts.append(name)
        if not os.path.exists(os.path.join(path, "__init__.py")):
            break
    if sys.path[0] != path:
        sys.path.insert(0, path)
    return ".".join(reversed(parts))


def _import_failure(e: BaseException) -> str:
    """One line: the exception and the innermost line of user code raising it."""
    where = ""
    frames = [
        f for f in traceback.extract_tb(e.__traceback__) if "<frozen" not in f.filename
    ]
    if frames:
        where = f" ({frames[-1].filename}, line {frames[-1].lineno})"
    return f"{type(e).__name__}: {e}{where}"


@t.overload
def locate_app(
    module_name: str, app_name: str | None, raise_if_not_found: t.Literal[True] = True
) -> Kolben: ...


@t.overload
def locate_app(
    module_name: str, app_name: str | None, raise_if_not_found: bool = ...
) -> Kolben | None: ...


def locate_app(
    module_name: str, app_name: str | None, raise_if_not_found: bool = True
) -> Kolben | None:
    """Import ``module_name`` and find the app in it (``app_name`` as in
    :func:`find_app_by_string`, else :func:`find_best_app`).

    :raises NoAppException: the module is missing (unless
        ``raise_if_not_found`` is false: ``None``), an import inside it failed,
        or it holds no app.
    """
    try:
        __import__(module_name)
    except ImportError as e:
        tb = e.__traceback__
        if tb is not None and tb.tb_next is not None:  # raised inside the module
            raise NoAppException(
                f"While importing {module_name!r}, an ImportError was raised:"
                f" {_import_failure(e)}"
            ) from None
        if raise_if_not_found:
            raise NoAppException(f"Could not import {module_name!r}.") from None
        return None
    module = sys.modules[module_name]
    if app_name is None:
        return find_best_app(module)
    return find_app_by_string(module, app_name)


def get_version(
    ctx: click.Context, param: click.Parameter | None, value: t.Any
) -> None:
    """The ``--version`` callback: Python, Kolben and Werkzeug versions."""
    if not value or ctx.resilient_parsing:
        return
    click.echo(
        f"Python {platform.python_version()}\n"
        f"Kolben {importlib.metadata.version('kolben')}\n"
        f"Werkzeug {importlib.metadata.version('werkzeug')}",
        color=ctx.color,
    )
    ctx.exit()


version_option = click.Option(
    ["--version"],
    help="Show the Kolben version.",
    expose_value=False,
    callback=get_version,
    is_flag=True,
    is_eager=True,
)


class ScriptInfo:
    """How the CLI finds the app: ``create_app``, else ``app_import_path``,
    else ``wsgi.py``/``app.py`` in the current directory. Passed to commands as
    click's ``obj``; ``data`` holds whatever commands want to share.
    """

    def __init__(
        self,
        app_import_path: str | None = None,
        create_app: t.Callable[..., Kolben] | None = None,
        set_debug_flag: bool = True,
        load_dotenv_defaults: bool = True,
    ) -> None:
        self.app_import_path = app_import_path
        self.create_app = create_app
        self.data: dict[t.Any, t.Any] = {}
        self.set_debug_flag = set_debug_flag
        #: Whether the default dotenv files are to be loaded (``KOLBEN_SKIP_DOTENV``
        #: turns it off); ScriptInfo itself loads nothing.
        self.load_dotenv_defaults = get_load_dotenv(load_dotenv_defaults)
        self._loaded_app: Kolben | None = None

    def load_app(self) -> Kolben:
        """The app, loaded once.

        :raises NoAppException: no app could be found or imported.
        """
        if self._loaded_app is not None:
            return self._loaded_app
        app: Kolben | None = None
        if self.create_app is not None:
            app = self.create_app()
        elif self.app_import_path:
            # "module:name"; a colon before a path separator is a drive's.
            path, *attr = re.split(r":(?![\\/])", self.app_import_path, maxsplit=1)
            app = locate_app(prepare_import(path), attr[0] if attr else None)
        else:
            for name in ("wsgi", "app"):
                # Only a module in the current directory, not one of that
                # name found further along sys.path.
                if os.path.isfile(f"{name}.py") or os.path.isfile(
                    os.path.join(name, "__init__.py")
                ):
                    app = locate_app(prepare_import(f"{name}.py"), None, False)
                    if app is not None:
                        break
        if app is None:
            raise NoAppException(
                "Could not locate a Kolben application. Use the 'kolben --app'"
                " option, the 'KOLBEN_APP' or 'FLASK_APP' environment variable,"
                " or a 'wsgi.py' or 'app.py' file in the current directory."
            )
        if self.set_debug_flag:
            app.debug = get_debug_flag()
        self._loaded_app = app
        return app


pass_script_info = click.make_pass_decorator(ScriptInfo, ensure=True)


def with_appcontext(f: F) -> F:
    """Run the command (and its subcommands) inside the app context of the
    app the CLI loads. Commands under ``app.cli``/``blueprint.cli`` have it
    already."""

    @click.pass_context
    def decorator(ctx: click.Context, /, *args: t.Any, **kwargs: t.Any) -> t.Any:
        if not has_app_context():
            app = ctx.ensure_object(ScriptInfo).load_app()
            ctx.with_resource(app.app_context())
        return ctx.invoke(f, *args, **kwargs)

    return update_wrapper(decorator, f)  # type: ignore[return-value]


class AppGroup(click.Group):
    """A click group whose :meth:`command` runs commands in the app context
    (``with_appcontext=False`` opts out) and whose :meth:`group` makes
    ``AppGroup`` subgroups. ``app.cli`` and ``blueprint.cli`` are these."""

    def command(  # type: ignore[override]
        self, *args: t.Any, **kwargs: t.Any
    ) -> t.Callable[[t.Callable[..., t.Any]], click.Command]:
        """Click's ``command`` decorator, wrapping in :func:`with_appcontext`."""
        wrap = kwargs.pop("with_appcontext", True)
        register = super().command(*args, **kwargs)

        def decorator(f: t.Callable[..., t.Any]) -> click.Command:
            return t.cast(click.Command, register(with_appcontext(f) if wrap else f))

        return decorator

    def group(  # type: ignore[override]
        self, *args: t.Any, **kwargs: t.Any
    ) -> t.Callable[[t.Callable[..., t.Any]], click.Group]:
        """Click's ``group`` decorator, defaulting to :class:`AppGroup`."""
        kwargs.setdefault("cls", AppGroup)
        return super().group(*args, **kwargs)  # type: ignore[no-any-return]


def _set_app(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(ScriptInfo).app_import_path = value


# Eager, and listed before --help, so that --help shows the app's commands.
_app_option = click.Option(
    ["-A", "--app"],
    metavar="IMPORT",
    envvar=["KOLBEN_APP", "FLASK_APP"],
    help=(
        "The application or factory to load, as 'module:name'. The module can be"
        " a dotted import or a file path; the name may be left out if it is"
        " 'app', 'application', 'create_app' or 'make_app', and can be"
        " 'name(args)' to pass arguments."
    ),
    is_eager=True,
    expose_value=False,
    callback=_set_app,
)


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool | None) -> None:
    # None: not given, the environment decides. Else environment variables,
    # so that an app factory sees them too: both names, as KOLBEN_DEBUG wins
    # for kolben and Flask reads only FLASK_DEBUG. (The parameter's source is
    # no help: click 8.4 records it only after the callback.)
    if value is not None:
        os.environ["KOLBEN_DEBUG"] = os.environ["FLASK_DEBUG"] = "1" if value else "0"


_debug_option = click.Option(
    ["--debug/--no-debug"],
    default=None,
    help="Set debug mode.",
    expose_value=False,
    callback=_set_debug,
)


def _load_env_file(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> None:
    try:
        import dotenv  # noqa: F401
    except ImportError:
        if value is not None:
            raise click.BadParameter(
                "python-dotenv must be installed to load an env file.", ctx, param
            ) from None
    defaults = ctx.ensure_object(ScriptInfo).load_dotenv_defaults
    if value is not None or defaults:
        load_dotenv(value, load_defaults=defaults)


# Eager and first, so that the variables it sets reach the other options.
_env_file_option = click.Option(
    ["-e", "--env-file"],
    type=click.Path(exists=True, dir_okay=False),
    help=(
        "Load environment variables from this file, over those of '.env',"
        " '.kolbenenv' and '.flaskenv'; variables already set in the environment"
        " win. Needs python-dotenv."
    ),
    is_eager=True,
    expose_value=False,
    callback=_load_env_file,
)


class KolbenGroup(AppGroup):
    """The ``kolben`` command group: ``--app``, ``--debug``, ``--env-file`` and
    ``--version``, the ``run``, ``shell``, ``routes`` and ``bench`` commands,
    commands from the ``kolben.commands`` entry point group, and the loaded
    app's ``app.cli`` commands (run in its app context).

    ``create_app`` builds the app instead of discovery; ``load_dotenv`` loads
    the dotenv files; ``set_debug_flag`` sets ``app.debug`` from
    ``KOLBEN_DEBUG``. Unprefixed options read ``KOLBEN_<OPTION>`` variables.
    """

    def __init__(
        self,
        add_default_commands: bool = True,
        create_app: t.Callable[..., Kolben] | None = None,
        add_version_option: bool = True,
        load_dotenv: bool = True,
        set_debug_flag: bool = True,
        **extra: t.Any,
    ) -> None:
        params: list[click.Parameter] = list(extra.pop("params", None) or ())
        params.extend((_env_file_option, _app_option, _debug_option))
        if add_version_option:
            params.append(version_option)
        extra.setdefault("context_settings", {}).setdefault(
            "auto_envvar_prefix", "KOLBEN"
        )
        super().__init__(params=params, **extra)
        self.create_app = create_app
        self.load_dotenv = load_dotenv
        self.set_debug_flag = set_debug_flag
        if add_default_commands:
            self.add_command(run_command)
            self.add_command(shell_command)
            self.add_command(routes_command)
            self.add_command(bench_command)
        self._loaded_plugin_commands = False

    def _load_plugin_commands(self) -> None:
        if self._loaded_plugin_commands:
            return
        for ep in importlib.metadata.entry_points(group="kolben.commands"):
            self.add_command(ep.load(), ep.name)
        self._loaded_plugin_commands = True

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """A built-in or plugin command, else one of the app's, which then runs
        in the app context. An app that cannot be found is reported, not raised."""
        self._load_plugin_commands()
        rv = super().get_command(ctx, name)
        if rv is not None:
            return rv
        try:
            app = ctx.ensure_object(ScriptInfo).load_app()
        except NoAppException as e:
            click.secho(f"Error: {e.format_message()}\n", err=True, fg="red")
            return None
        active = _cv_app.get(None)
        if active is None or active.app is not app:
            ctx.with_resource(app.app_context())
        return app.cli.get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Built-in, plugin and app commands; an app failing to load is
        reported and its commands left out."""
        self._load_plugin_commands()
        names = set(super().list_commands(ctx))
        try:
            names.update(
                ctx.ensure_object(ScriptInfo).load_app().cli.list_commands(ctx)
            )
        except NoAppException as e:
            click.secho(f"Error: {e.format_message()}\n", err=True, fg="red")
        except Exception:
            click.secho(f"{traceback.format_exc()}\n", err=True, fg="red")
        return sorted(names)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: t.Any,
    ) -> click.Context:
        # app.run() in an imported module must not start a second server.
        # Flask's name: kolben's app.run reads it too, and so does a Flask app.
        os.environ["FLASK_RUN_FROM_CLI"] = "true"
        if "obj" not in extra and "obj" not in self.context_settings:
            extra["obj"] = ScriptInfo(
                create_app=self.create_app,
                set_debug_flag=self.set_debug_flag,
                load_dotenv_defaults=self.load_dotenv,
            )
        return super().make_context(info_name, args, parent=parent, **extra)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if (not args and self.no_args_is_help) or (
            len(args) == 1 and args[0] in self.get_help_option_names(ctx)
        ):
            # Help skips eager options; read the env file and KOLBEN_APP here
            # so that the app's commands are listed.
            _env_file_option.handle_parse_result(ctx, {}, [])
            _app_option.handle_parse_result(ctx, {}, [])
        return super().parse_args(ctx, args)


#: The name Flask code knows the group by.
FlaskGroup = KolbenGroup


def load_dotenv(
    path: str | os.PathLike[str] | None = None, load_defaults: bool = True
) -> bool:
    """Set environment variables from dotenv files: ``path`` over ``.env`` over
    ``.kolbenenv`` over ``.flaskenv`` (the nearest of each, searching up from
    the current directory). Variables already in the environment are kept.

    Returns whether any variable was read; ``False`` without python-dotenv
    (with a tip when such files exist).
    """
    try:
        import dotenv
    except ImportError:
        if path or any(os.path.isfile(name) for name in _DOTENV_FILES):
            click.secho(
                " * Tip: There are .env files present. Install python-dotenv"
                " to use them.",
                fg="yellow",
                err=True,
            )
        return False
    data: dict[str, str | None] = {}
    if load_defaults:
        for name in _DOTENV_FILES:
            found = dotenv.find_dotenv(name, usecwd=True)
            if found:
                data |= dotenv.dotenv_values(found, encoding="utf-8")
    if path is not None and os.path.isfile(path):
        data |= dotenv.dotenv_values(path, encoding="utf-8")
    for key, value in data.items():
        if value is not None and key not in os.environ:
            os.environ[key] = value
    return bool(data)


def show_server_banner(debug: bool, app_import_path: str | None) -> None:
    """Print which app is served and the debug mode, once (not in the reloader)."""
    if is_running_from_reloader():
        return
    if app_import_path is not None:
        click.echo(f" * Serving Kolben app '{app_import_path}'")
    click.echo(f" * Debug mode: {'on' if debug else 'off'}")


# click 8.2+ makes ParamType generic; older releases do not.
class CertParamType(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    """``--cert``: a certificate file, ``adhoc`` (needs cryptography), or the
    import path of an ``ssl.SSLContext``."""

    name = "path"

    def __init__(self) -> None:
        self.path_type = click.Path(exists=True, dir_okay=False, resolve_path=True)

    def convert(
        self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> t.Any:
        try:
            import ssl
        except ImportError:
            raise click.BadParameter(
                'Using "--cert" requires Python to be compiled with SSL support.',
                ctx,
                param,
            ) from None
        try:
            return self.path_type(value, param, ctx)
        except click.BadParameter:
            value = str(value).lower()
            if value == "adhoc":
                try:
                    import cryptography  # noqa: F401
                except ImportError:
                    raise click.BadParameter(
                        "Using ad-hoc certificates requires the cryptography library.",
                        ctx,
                        param,
                    ) from None
                return value
            obj = import_string(value, silent=True)
            if isinstance(obj, ssl.SSLContext):
                return obj
            raise


def _validate_key(ctx: click.Context, param: click.Parameter, value: t.Any) -> t.Any:
    """``--key`` goes with a certificate file (not ``adhoc`` or a context) and
    turns ``cert`` into the ``(cert, key)`` pair."""
    cert = ctx.params.get("cert")
    is_adhoc = cert == "adhoc"
    try:
        import ssl
    except ImportError:
        is_context = False
    else:
        is_context = isinstance(cert, ssl.SSLContext)
    if value is None:
        if cert and not (is_adhoc or is_context):
            raise click.BadParameter('Required when using "--cert".', ctx, param)
        return value
    if is_adhoc:
        raise click.BadParameter(
            'When "--cert" is "adhoc", "--key" is not used.', ctx, param
        )
    if is_context:
        raise click.BadParameter(
            'When "--cert" is an SSLContext object, "--key" is not used.', ctx, param
        )
    if not cert:
        raise click.BadParameter('"--cert" must also be specified.', ctx, param)
    ctx.params["cert"] = cert, value
    return value


class SeparatedPathType(click.Path):
    """Paths separated by ``os.pathsep``, each checked as a ``click.Path``."""

    def convert(
        self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> t.Any:
        convert = super().convert
        return [convert(item, param, ctx) for item in self.split_envvar_value(value)]


def _envvars(name: str) -> list[str]:
    """``KOLBEN_RUN_<NAME>``, then Flask's ``FLASK_RUN_<NAME>``."""
    return [f"KOLBEN_RUN_{name}", f"FLASK_RUN_{name}"]


def _check_port(host: str, port: int) -> None:
    """Bind and release ``host:port`` first, so that a busy port is one line.

    :raises click.ClickException: the address cannot be bound.
    """
    if is_running_from_reloader() or host.startswith("unix://"):
        return
    family = select_address_family(host, port)
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            if os.name != "nt":  # as the server will: a TIME_WAIT socket is no user
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(get_sockaddr(host, port, family))
    except OSError as e:
        raise _bind_error(host, port, e) from None


def _bind_error(host: str, port: int, e: OSError) -> click.ClickException:
    return click.ClickException(
        f"Could not listen on {host}:{port}: {e.strerror or e}."
        " Is another server using the port? Pick another with --port."
    )


def _failing_app(error: Exception) -> WSGIApplication:
    """A WSGI app raising ``error`` for every request."""

    def app(
        environ: WSGIEnvironment, start_response: StartResponse
    ) -> cabc.Iterable[bytes]:
        raise error from None

    return app


@click.command("run", short_help="Run a development server.")
@click.option(
    "--host", "-h", default="127.0.0.1", envvar=_envvars("HOST"), help="The interface."
)
@click.option(
    "--port", "-p", default=5000, envvar=_envvars("PORT"), help="The port to bind to."
)
@click.option(
    "--cert",
    type=CertParamType(),
    envvar=_envvars("CERT"),
    help="A certificate file for HTTPS, or 'adhoc'.",
    is_eager=True,
)
@click.option(
    "--key",
    type=click.Path(exists=True, dir_okay=False, resolve_path=True),
    envvar=_envvars("KEY"),
    callback=_validate_key,
    expose_value=False,
    help="The key file to use with a certificate file.",
)
@click.option(
    "--reload/--no-reload",
    default=None,
    envvar=_envvars("RELOAD"),
    help="Restart on code changes (default: in debug mode).",
)
@click.option(
    "--debugger/--no-debugger",
    default=None,
    envvar=_envvars("DEBUGGER"),
    help="Show the interactive debugger on errors (default: in debug mode).",
)
@click.option(
    "--with-threads/--without-threads",
    default=True,
    envvar=_envvars("WITH_THREADS"),
    help="Serve each request in a thread.",
)
@click.option(
    "--extra-files",
    default=None,
    type=SeparatedPathType(),
    envvar=_envvars("EXTRA_FILES"),
    help=f"More files whose changes reload, separated by {os.path.pathsep!r}.",
)
@click.option(
    "--exclude-patterns",
    default=None,
    type=SeparatedPathType(),
    envvar=_envvars("EXCLUDE_PATTERNS"),
    help=(
        "fnmatch patterns of files whose changes do not reload, separated by"
        f" {os.path.pathsep!r}."
    ),
)
@pass_script_info
def run_command(
    info: ScriptInfo,
    host: str,
    port: int,
    reload: bool | None,
    debugger: bool | None,
    with_threads: bool,
    cert: ssl.SSLContext | tuple[str, str | None] | t.Literal["adhoc"] | None,
    extra_files: list[str] | None,
    exclude_patterns: list[str] | None,
) -> None:
    """Serve the app with Werkzeug's development server.

    Not for production: use a WSGI server such as gunicorn or granian there.
    '--debug' turns on the reloader and the debugger.
    """
    app: WSGIApplication
    try:
        app = info.load_app()
    except Exception as e:
        if not is_running_from_reloader():
            raise e from None
        # In the reloader, keep serving so that a fix reloads: show the error
        # now and raise it for each request.
        traceback.print_exc()
        app = _failing_app(e)
    _check_port(host, port)
    debug = get_debug_flag()
    show_server_banner(debug, info.app_import_path)
    try:
        run_simple(
            host,
            port,
            app,
            use_reloader=debug if reload is None else reload,
            use_debugger=debug if debugger is None else debugger,
            threaded=with_threads,
            ssl_context=cert,
            extra_files=extra_files,
            exclude_patterns=exclude_patterns,
        )
    except OSError as e:
        raise _bind_error(host, port, e) from None


run_command.params.insert(0, _debug_option)


@click.command("shell", short_help="Run a shell in the app context.")
@with_appcontext
@pass_script_info
def shell_command(info: ScriptInfo) -> None:
    """Start an interactive Python shell in the app context, with the names
    from the app's shell context processors (and ``PYTHONSTARTUP``)."""
    import code

    app = info.load_app()
    banner = (
        f"Python {sys.version} on {sys.platform}\n"
        f"App: {app.import_name}\n"
        f"Instance: {app.instance_path}"
    )
    namespace: dict[str, t.Any] = {}
    startup = os.environ.get("PYTHONSTARTUP")
    if startup and os.path.isfile(startup):
        with open(startup) as f:
            eval(compile(f.read(), startup, "exec"), namespace)
    namespace.update(app.make_shell_context())
    # The default hook sets up readline; complete from this namespace, not
    # kolben.__main__'s.
    interactive_hook = getattr(sys, "__interactivehook__", None)
    if interactive_hook is not None:
        try:
            import readline
            from rlcompleter import Completer
        except ImportError:
            pass
        else:
            readline.set_completer(Completer(namespace).complete)
        interactive_hook()
    code.interact(banner=banner, local=namespace)


def _print_routes(url_map: _AnyMap, sort: str, all_methods: bool) -> None:
    """The Endpoint / Methods / [Host|Subdomain] / Rule table."""
    rules = list(url_map.iter_rules())
    if not rules:
        click.echo("No routes were registered.")
        return
    ignored = set() if all_methods else {"HEAD", "OPTIONS"}
    host_matching = url_map.host_matching
    has_domain = any(rule.host if host_matching else rule.subdomain for rule in rules)
    headers = ["Endpoint", "Methods"]
    if has_domain:
        headers.append("Host" if host_matching else "Subdomain")
    headers.append("Rule")
    rows = []
    for rule in rules:
        row = [rule.endpoint, ", ".join(sorted((rule.methods or set()) - ignored))]
        if has_domain:
            row.append((rule.host if host_matching else rule.subdomain) or "")
        rows.append([*row, rule.rule])
    # "match" keeps the map's order; "domain" sorts only when there is one.
    columns = ["endpoint", "methods", *(["domain"] if has_domain else []), "rule"]
    if sort in columns:
        rows.sort(key=itemgetter(columns.index(sort)))
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    template = "  ".join(f"{{{i}:<{w}}}" for i, w in enumerate(widths))
    for row in [headers, ["-" * w for w in widths], *rows]:
        click.echo(template.format(*row).rstrip())


def _fresh_map(url_map: _AnyMap) -> _AnyMap:
    """An empty kolben Map with ``url_map``'s settings and custom converters."""
    from .routing import Map

    converters = {
        name: conv
        for name, conv in url_map.converters.items()
        if Map.default_converters.get(name) is not conv
    }
    return Map(
        default_subdomain=url_map.default_subdomain,
        strict_slashes=url_map.strict_slashes,
        merge_slashes=url_map.merge_slashes,
        converters=converters,
        host_matching=url_map.host_matching,
    )


def _unbound_copy(rule: Rule) -> Rule:
    """``rule`` unbound, keeping the implicit OPTIONS Flask marks rules with."""
    copy = rule.empty()
    automatic = getattr(rule, "provide_automatic_options", None)
    if automatic is not None:
        copy.provide_automatic_options = automatic  # type: ignore[attr-defined]
    return copy


def _map_error(url_map: _AnyMap, *rules: Rule) -> ValueError | None:
    """Why ``rules`` cannot all go in a fresh kolben Map, or ``None``."""
    fresh = _fresh_map(url_map)
    try:
        for rule in rules:
            fresh.add(_unbound_copy(rule))
    except ValueError as e:
        return e
    return None


def _shape(rule: Rule) -> tuple[str | None, str | None, str]:
    """What rules matching the same URLs have in common: domain, and the path
    with parameters blanked and slashes merged (a filter, not a verdict)."""
    return rule.subdomain, rule.host, _SLASHES.sub("/", _PARAMETER.sub("<>", rule.rule))


_PARAMETER = re.compile(r"<[^>]*>")
_SLASHES = re.compile(r"/+")


def route_conflicts(url_map: _AnyMap) -> list[tuple[Rule | None, Rule, str]]:
    """Every pair of ``url_map``'s rules that kolben's router rejects as
    matching the same URLs, as ``(earlier, later, message)``; a rule the
    router rejects on its own comes as ``(None, rule, message)``.

    ``url_map`` is any Werkzeug-style map (a Flask app's too). Each rule is
    added to a fresh kolben Map; one it refuses is then tried in pairs with
    the earlier rules of its shape (:func:`_shape`), or with all earlier rules
    when none of those is its partner.
    """
    combined = _fresh_map(url_map)
    earlier: list[Rule] = []
    by_shape: dict[tuple[str | None, str | None, str], list[Rule]] = {}
    refused_shapes: set[tuple[str | None, str | None, str]] = set()
    found: list[tuple[Rule | None, Rule, str]] = []
    for rule in url_map.iter_rules():
        shape = _shape(rule)
        same_shape = by_shape.setdefault(shape, [])
        try:
            combined.add(_unbound_copy(rule))
        except ValueError:
            alone = _map_error(url_map, rule)
            if alone is not None:
                found.append((None, rule, str(alone)))
                continue
            refused_shapes.add(shape)
            pairs = _pairs(url_map, same_shape, rule) or _pairs(url_map, earlier, rule)
        else:
            # Accepted rules never conflict with each other; only with a
            # refused one, which ``combined`` lacks.
            pairs = _pairs(url_map, same_shape, rule) if shape in refused_shapes else []
        found.extend(pairs)
        same_shape.append(rule)
        earlier.append(rule)
    return found


def _pairs(
    url_map: _AnyMap, others: list[Rule], rule: Rule
) -> list[tuple[Rule | None, Rule, str]]:
    """The rules of ``others`` kolben refuses beside ``rule``, with the reason."""
    pairs: list[tuple[Rule | None, Rule, str]] = []
    for other in others:
        error = _map_error(url_map, other, rule)
        if error is not None:
            pairs.append((other, rule, str(error)))
    return pairs


def _print_conflicts(url_map: _AnyMap) -> int:
    """Print the conflicts of :func:`route_conflicts`; the exit status."""
    total = len(list(url_map.iter_rules()))
    conflicts = route_conflicts(url_map)
    if not conflicts:
        click.echo(f"No conflicts among {total} rules.")
        return 0
    for other, rule, message in conflicts:
        if other is None:
            click.echo(f"Invalid: endpoint {rule.endpoint!r}: {message}")
        else:
            click.echo(
                f"Conflict: endpoints {other.endpoint!r} and {rule.endpoint!r}:"
                f" {message}"
            )
    click.echo(f"{len(conflicts)} conflict(s) among {total} rules.", err=True)
    return 1


@click.command("routes", short_help="Show the routes for the app.")
@click.option(
    "--sort",
    "-s",
    type=click.Choice(("endpoint", "methods", "domain", "rule", "match")),
    default="endpoint",
    help="Sort by this column; 'match' is the order the rules were added in.",
)
@click.option("--all-methods", is_flag=True, help="Show HEAD and OPTIONS methods.")
@click.option(
    "--check",
    is_flag=True,
    help=(
        "Check the rules for pairs kolben's router refuses (both match the same"
        " URLs); print each pair and exit 1 if there are any."
    ),
)
@with_appcontext
@pass_script_info
def routes_command(info: ScriptInfo, sort: str, all_methods: bool, check: bool) -> None:
    """Show all registered routes with their endpoints and methods."""
    url_map = info.load_app().url_map
    if check:
        click.get_current_context().exit(_print_conflicts(url_map))
    _print_routes(url_map, sort, all_methods)


@click.command("bench", short_help="Time the router against Werkzeug's.")
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
    default=("github",),
    show_default=True,
    help="A route table to time (repeatable).",
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
    type=click.Path(dir_okay=False),
    help="Also write the results to this file as JSON.",
)
@click.option(
    "--min-round-seconds",
    type=click.FloatRange(min=0),
    default=bench.MIN_ROUND_SECONDS,
    hidden=True,
)
def bench_command(
    op: str,
    tables: tuple[str, ...],
    kinds: tuple[str, ...],
    rounds: int,
    json_path: str | None,
    min_round_seconds: float,
) -> None:
    """Time URL matching: Werkzeug, kolben (MapAdapter.match and the app's
    fast path) and, when installed, Falcon and pymatchit, on the same probes
    in one run; or, with --op build, Werkzeug's and kolben's MapAdapter.build.
    Prints the median ns per call and the ratio to Werkzeug. Needs no app."""
    if op == "build" and set(kinds) == {"miss"}:
        raise click.UsageError("--op build times the probes with a rule: not miss.")
    try:
        run = bench.measure(tables, kinds, rounds, min_round_seconds, op)
    except bench.WrongAnswer as e:
        raise click.ClickException(f"Wrong answer: {e}") from None
    click.echo(bench.run_markdown(run))
    if json_path is not None:
        bench.write_json(run, json_path)


cli = KolbenGroup(
    name="kolben",
    help="""\
A general utility script for Kolben applications.

The application to load is given with the '--app' option, the 'KOLBEN_APP'
(or 'FLASK_APP') environment variable, or a 'wsgi.py' or 'app.py' file in the
current directory.
""",
)


def main() -> None:
    """The ``kolben`` console script and ``python -m kolben``."""
    cli.main()


if __name__ == "__main__":
    main()
