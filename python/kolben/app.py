"""``Kolben`` (also exported as ``Flask``): the WSGI application.

Setup lives in :mod:`kolben.sansio.app`; this module serves requests: contexts,
dispatch, response making, error handling, URL building and test helpers.
"""

from __future__ import annotations

import collections.abc as cabc
import os
import sys
import typing as t
from itertools import chain
from types import TracebackType
from urllib.parse import quote as _url_quote

from werkzeug.datastructures import Headers
from werkzeug.exceptions import BadRequestKeyError, HTTPException, InternalServerError
from werkzeug.routing import BuildError, MapAdapter, RequestRedirect, RoutingException
from werkzeug.wrappers import Response as BaseResponse
from werkzeug.wsgi import get_host

from . import _router
from . import typing as ft
from ._fastpath import plain_response
from .ctx import AppContext, RequestContext
from .globals import _cv_app, _cv_request, request, request_ctx
from .helpers import get_debug_flag, get_load_dotenv
from .routing.matcher import NativeMatcher
from .sansio.app import App
from .sessions import SecureCookieSessionInterface, SessionInterface, SessionMixin
from .signals import (
    appcontext_tearing_down,
    got_request_exception,
    request_finished,
    request_started,
    request_tearing_down,
)
from .wrappers import Request, Response

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from .testing import KolbenClient, KolbenCliRunner

_sentinel = object()

#: Exceptions that end the worker on purpose; everything else raised while
#: handling a request (a Rust ``PanicException`` included) becomes a 500.
_FATAL = (KeyboardInterrupt, SystemExit, GeneratorExit)


_PATH_AS_WERKZEUG: dict[type, bool] = {}


def _reads_path_as_werkzeug(request_class: type) -> bool:
    """Whether ``request_class`` keeps Werkzeug's ``path`` and ``method``, the
    attributes its ``__init__`` reads from the environ and the fast path routes
    by; a class that overrides either is routed from the environ, as Flask
    does. Answered once per class."""
    known = _PATH_AS_WERKZEUG.get(request_class)
    if known is None:
        known = not any(hasattr(request_class, name) for name in ("path", "method"))
        _PATH_AS_WERKZEUG[request_class] = known
    return known


class Kolben(App):
    """The application: a WSGI callable with Flask's API.

    ``import_name`` (usually ``__name__``) locates the app's folders. The static
    route ``/<static_url_path>/<path:filename>`` serves ``static_folder``
    (``static_host`` with ``host_matching``); ``subdomain_matching`` matches
    rules' subdomains against ``SERVER_NAME``; ``template_folder``,
    ``instance_path`` (absolute) and ``instance_relative_config`` are Flask's.
    """

    request_class: type[Request] = Request
    response_class: type[Response] = Response
    #: The session interface; signed cookies by default.
    session_interface: SessionInterface = SecureCookieSessionInterface()

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        """The URL map bound to ``request`` (checking ``TRUSTED_HOSTS``; raises
        ``SecurityError``, a 400, for another host), or outside a request to
        ``SERVER_NAME`` when set, else ``None``."""
        if request is not None:
            trusted_hosts = self.config["TRUSTED_HOSTS"]
            if trusted_hosts is not None:
                request.trusted_hosts = trusted_hosts
                # An untrusted Host raises SecurityError (a 400) here.
                request.host = get_host(request.environ, trusted_hosts)
            subdomain = None
            server_name = self.config["SERVER_NAME"]
            if self.url_map.host_matching:
                server_name = None
            elif not self.subdomain_matching:
                subdomain = self.url_map.default_subdomain or ""
            return self.url_map.bind_to_environ(
                request.environ, server_name=server_name, subdomain=subdomain
            )
        if self.config["SERVER_NAME"] is not None:
            return self.url_map.bind(
                self.config["SERVER_NAME"],
                script_name=self.config["APPLICATION_ROOT"],
                url_scheme=self.config["PREFERRED_URL_SCHEME"],
            )
        return None

    def _request_router(self) -> _router.Router | None:
        """The native router a request can be matched with in one call, or
        ``None`` when routing needs the bound adapter: a subclass that binds
        its own way, host or subdomain matching, ``TRUSTED_HOSTS``, a request
        class whose ``path`` or ``method`` is not Werkzeug's, or a URL map that
        is not kolben's. Rules added since the last request are compiled in
        first."""
        url_map = self.url_map
        if (
            self.subdomain_matching
            or url_map.host_matching
            or url_map.default_subdomain
            or self.config["TRUSTED_HOSTS"] is not None
            or type(self).create_url_adapter is not Kolben.create_url_adapter
            or not _reads_path_as_werkzeug(self.request_class)
        ):
            return None
        matcher = getattr(url_map, "_matcher", None)
        if type(matcher) is not NativeMatcher:
            return None
        if url_map._remap:
            url_map.update()
        return matcher.router

    def raise_routing_exception(self, request: Request) -> t.NoReturn:
        """Raise the routing miss; in debug mode a redirect that would make a
        browser drop a form body raises ``FormDataRoutingRedirect`` instead."""
        exc = request.routing_exception
        if (
            not self.debug
            or not isinstance(exc, RequestRedirect)
            or exc.code in {307, 308}
            or request.method in {"GET", "HEAD", "OPTIONS"}
        ):
            raise exc  # type: ignore[misc]
        from .debughelpers import FormDataRoutingRedirect

        raise FormDataRoutingRedirect(request)

    def run(
        self,
        host: str | None = None,
        port: int | None = None,
        debug: bool | None = None,
        load_dotenv: bool = True,
        **options: t.Any,
    ) -> None:
        """Serve the app with Werkzeug's development server (never in
        production). Host and port default to ``SERVER_NAME``, then
        ``127.0.0.1:5000``. Does nothing under the ``kolben run`` command."""
        from werkzeug.serving import is_running_from_reloader, run_simple

        from_cli = os.environ.get("KOLBEN_RUN_FROM_CLI") or os.environ.get(
            "FLASK_RUN_FROM_CLI"
        )
        if from_cli == "true":
            if not is_running_from_reloader():
                print(
                    " * Ignoring a call to 'app.run()' that would block"
                    " the current 'kolben' CLI command.",
                    file=sys.stderr,
                )
            return
        if get_load_dotenv(load_dotenv):
            _load_dotenv()
            if "KOLBEN_DEBUG" in os.environ or "FLASK_DEBUG" in os.environ:
                self.debug = get_debug_flag()
        if debug is not None:
            self.debug = bool(debug)
        server_name = self.config.get("SERVER_NAME")
        sn_host = sn_port = None
        if server_name:
            sn_host, _, sn_port = server_name.partition(":")
        host = host or sn_host or "127.0.0.1"
        if port or port == 0:
            port = int(port)
        else:
            port = int(sn_port) if sn_port else 5000
        options.setdefault("use_reloader", self.debug)
        options.setdefault("use_debugger", self.debug)
        options.setdefault("threaded", True)
        try:
            run_simple(host, port, self, **options)
        finally:
            self._got_first_request = False

    def test_client(self, use_cookies: bool = True, **kwargs: t.Any) -> KolbenClient:
        """A Werkzeug test client for this app (:attr:`test_client_class`)."""
        cls: t.Any = self.test_client_class
        if cls is None:
            from .testing import KolbenClient as cls
        return cls(  # type: ignore[no-any-return]
            self, self.response_class, use_cookies=use_cookies, **kwargs
        )

    def test_cli_runner(self, **kwargs: t.Any) -> KolbenCliRunner:
        """A click runner for this app's CLI commands."""
        cls: t.Any = self.test_cli_runner_class
        if cls is None:
            from .testing import KolbenCliRunner as cls
        return cls(self, **kwargs)  # type: ignore[no-any-return]

    # -- errors ------------------------------------------------------------

    def handle_http_exception(
        self, e: HTTPException
    ) -> HTTPException | ft.ResponseReturnValue:
        """The registered handler's response for ``e``, else ``e`` itself (a
        response). Routing redirects and code-less exceptions pass through."""
        if e.code is None or isinstance(e, RoutingException):
            return e
        handler = self._find_error_handler(e, request.blueprints)
        if handler is None:
            return e
        return self.ensure_sync(handler)(e)  # type: ignore[no-any-return]

    def handle_user_exception(
        self, e: BaseException
    ) -> HTTPException | ft.ResponseReturnValue:
        """Handle an exception from a view or hook with its registered handler;
        re-raises it when there is none."""
        if isinstance(e, BadRequestKeyError) and (
            self.debug or self.config["TRAP_BAD_REQUEST_ERRORS"]
        ):
            e.show_exception = True
        if isinstance(e, HTTPException) and not self.trap_http_exception(e):
            return self.handle_http_exception(e)
        handler = None
        if isinstance(e, Exception):
            handler = self._find_error_handler(e, request.blueprints)
        if handler is None:
            raise e
        return self.ensure_sync(handler)(e)  # type: ignore[no-any-return]

    def handle_exception(self, e: BaseException) -> Response:
        """An unhandled exception: sends ``got_request_exception``, re-raises when
        ``PROPAGATE_EXCEPTIONS`` (default: testing or debug), else logs it and
        returns a 500 through the 500 handler (``InternalServerError`` with
        ``original_exception``); the body never holds a traceback."""
        exc_info = sys.exc_info()
        if got_request_exception.receivers:
            got_request_exception.send(
                self, _async_wrapper=self.ensure_sync, exception=e
            )
        propagate = self.config["PROPAGATE_EXCEPTIONS"]
        if propagate is None:
            propagate = self.testing or self.debug
        if propagate:
            if exc_info[1] is e:
                raise
            raise e
        if exc_info[1] is not e:
            exc_info = (type(e), e, e.__traceback__)  # type: ignore[assignment]
        self.log_exception(exc_info)
        server_error: InternalServerError | ft.ResponseReturnValue
        server_error = InternalServerError(original_exception=e)
        handler = self._find_error_handler(server_error, request.blueprints)
        if handler is not None:
            server_error = self.ensure_sync(handler)(server_error)
        return self.finalize_request(server_error, from_error_handler=True)

    def log_exception(
        self,
        exc_info: tuple[type, BaseException, TracebackType] | tuple[None, None, None],
    ) -> None:
        """Log an unhandled exception at ERROR on :attr:`logger`."""
        self.logger.error(
            f"Exception on {request.path} [{request.method}]", exc_info=exc_info
        )

    # -- dispatch ------------------------------------------------------------

    def dispatch_request(self) -> ft.ResponseReturnValue:
        """Call the matched view with the URL's values (raising the routing miss
        first, answering automatic OPTIONS)."""
        req = _cv_request.get().request
        if req.routing_exception is not None:
            self.raise_routing_exception(req)
        rule = req.url_rule
        if req.method == "OPTIONS" and getattr(
            rule, "provide_automatic_options", False
        ):
            return self.make_default_options_response()
        view = self.view_functions[rule.endpoint]  # type: ignore[union-attr]
        return self.ensure_sync(view)(**req.view_args)  # type: ignore[no-any-return,arg-type]

    def full_dispatch_request(self) -> Response:
        """Dispatch with the hooks around it and error handling; the response."""
        return self.finalize_request(self._dispatch_with_hooks())

    def _dispatch_with_hooks(self) -> ft.ResponseReturnValue | HTTPException:
        self._got_first_request = True
        try:
            if request_started.receivers:
                request_started.send(self, _async_wrapper=self.ensure_sync)
            rv = self.preprocess_request()
            if rv is None:
                rv = self.dispatch_request()
        except _FATAL:
            raise
        except BaseException as e:
            rv = self.handle_user_exception(e)
        return rv

    def finalize_request(
        self,
        rv: ft.ResponseReturnValue | HTTPException,
        from_error_handler: bool = False,
    ) -> Response:
        """Make the response, run :meth:`process_response` and send
        ``request_finished``; errors there are logged when already handling
        an error."""
        response = self.make_response(rv)
        try:
            response = self.process_response(response)
            if request_finished.receivers:
                request_finished.send(
                    self, _async_wrapper=self.ensure_sync, response=response
                )
        except Exception:
            if not from_error_handler:
                raise
            self.logger.exception(
                "Request finalizing failed with an error while handling an error"
            )
        return response

    def make_default_options_response(self) -> Response:
        """An empty response whose ``Allow`` lists the URL's methods."""
        adapter = request_ctx.url_adapter
        rv = self.response_class()
        rv.allow.update(adapter.allowed_methods())  # type: ignore[union-attr]
        return rv

    def url_for(
        self,
        /,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: t.Any,
    ) -> str:
        """The URL of ``endpoint`` (see :func:`kolben.url_for`). Raises
        ``RuntimeError`` outside a request without ``SERVER_NAME``,
        ``ValueError`` for ``_scheme`` without ``_external``, ``BuildError``."""
        req_ctx = _cv_request.get(None)
        if req_ctx is not None:
            url_adapter = req_ctx.url_adapter
            if endpoint[:1] == ".":
                blueprint_name = req_ctx.request.blueprint
                if blueprint_name is not None:
                    endpoint = f"{blueprint_name}{endpoint}"
                else:
                    endpoint = endpoint[1:]
            if _external is None:
                _external = _scheme is not None
        else:
            app_ctx = _cv_app.get(None)
            if app_ctx is not None:
                url_adapter = app_ctx.url_adapter
            else:
                url_adapter = self.create_url_adapter(None)
            if url_adapter is None:
                raise RuntimeError(
                    "Unable to build URLs outside an active request"
                    " without 'SERVER_NAME' configured. Also configure"
                    " 'APPLICATION_ROOT' and 'PREFERRED_URL_SCHEME' as"
                    " needed."
                )
            if _external is None:
                _external = True
        if _scheme is not None and not _external:
            raise ValueError("When specifying '_scheme', '_external' must be True.")
        self.inject_url_defaults(endpoint, values)
        try:
            rv = url_adapter.build(  # type: ignore[union-attr]
                endpoint,
                values,
                method=_method,
                url_scheme=_scheme,
                force_external=_external,
            )
        except BuildError as error:
            values.update(
                _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external
            )
            return self.handle_url_build_error(error, endpoint, values)
        if _anchor is not None:
            rv = f"{rv}#{_url_quote(_anchor, safe='%!#$&()*+,/:;=?@' + chr(39))}"
        return rv

    def make_response(self, rv: ft.ResponseReturnValue | HTTPException) -> Response:
        """A :attr:`response_class` from a view's return value: str/bytes/an
        iterator (body), dict/list (JSON), a response or WSGI callable, or a
        ``(body, status)``, ``(body, headers)`` or ``(body, status, headers)``
        tuple. Raises ``TypeError`` for anything else, ``None`` included."""
        status: t.Any = None
        headers: t.Any = None
        if isinstance(rv, tuple):
            len_rv = len(rv)
            if len_rv == 3:
                rv, status, headers = rv  # type: ignore[misc]
            elif len_rv == 2:
                if isinstance(rv[1], (Headers, dict, tuple, list)):
                    rv, headers = rv
                else:
                    rv, status = rv  # type: ignore[misc]
            else:
                raise TypeError(
                    "The view function did not return a valid response tuple."
                    " The tuple must have the form (body, status, headers),"
                    " (body, status), or (body, headers)."
                )
        if rv is None:
            raise TypeError(
                f"The view function for {request.endpoint!r} did not"
                " return a valid response. The function either returned"
                " None or ended without a return statement."
            )
        if not isinstance(rv, self.response_class):
            if isinstance(rv, HTTPException):
                # Its own response object, instead of running it as a WSGI app.
                rv = rv.get_response(request.environ)
            if isinstance(rv, (str, bytes, bytearray, cabc.Iterator)):
                rv = self.response_class(rv, status=status, headers=headers)
                status = headers = None
            elif isinstance(rv, (dict, list)):
                rv = self.json.response(rv)
            elif isinstance(rv, BaseResponse) or callable(rv):
                try:
                    rv = self.response_class.force_type(
                        rv,  # type: ignore[arg-type]
                        request.environ,
                    )
                except TypeError as e:
                    raise TypeError(
                        f"{e}\nThe view function did not return a valid"
                        " response. The return type must be a string,"
                        " dict, list, tuple with headers or status,"
                        " Response instance, or WSGI callable, but it"
                        f" was a {type(rv).__name__}."
                    ).with_traceback(sys.exc_info()[2]) from None
            else:
                raise TypeError(
                    "The view function did not return a valid"
                    " response. The return type must be a string,"
                    " dict, list, tuple with headers or status,"
                    " Response instance, or WSGI callable, but it was a"
                    f" {type(rv).__name__}."
                )
        rv = t.cast(Response, rv)
        if status is not None:
            if isinstance(status, (str, bytes, bytearray)):
                rv.status = status  # type: ignore[assignment]
            else:
                rv.status_code = status
        if headers:
            rv.headers.update(headers)
        return rv

    def preprocess_request(self) -> ft.ResponseReturnValue | None:
        """Run the ``url_value_preprocessor`` then the ``before_request``
        functions (app first, then blueprints outward-in); a non-``None`` value
        from a ``before_request`` function is returned and stops the request."""
        if not self.url_value_preprocessors and not self.before_request_funcs:
            return None
        req = request_ctx.request
        names = (None, *reversed(req.blueprints))
        for name in names:
            if name in self.url_value_preprocessors:
                for url_func in self.url_value_preprocessors[name]:
                    url_func(req.endpoint, req.view_args)
        for name in names:
            if name in self.before_request_funcs:
                for before_func in self.before_request_funcs[name]:
                    rv = self.ensure_sync(before_func)()
                    if rv is not None:
                        return rv  # type: ignore[no-any-return]
        return None

    def process_response(self, response: Response) -> Response:
        """Run ``after_this_request`` functions, then the ``after_request``
        functions (blueprints inward-out, then the app; last registered first),
        then save the session if it was used."""
        ctx = request_ctx._get_current_object()  # type: ignore[attr-defined]
        for func in ctx._after_request_functions:
            response = self.ensure_sync(func)(response)
        if self.after_request_funcs:
            for name in chain(ctx.request.blueprints, (None,)):
                if name in self.after_request_funcs:
                    for func in reversed(self.after_request_funcs[name]):
                        response = self.ensure_sync(func)(response)
        session = self._session_to_save(ctx)
        if session is not None:
            self.session_interface.save_session(self, session, response)
        return response

    def _session_to_save(self, ctx: RequestContext) -> SessionMixin | None:
        """The session to save: the one in use, or an unused one that came with
        a cookie, so a permanent session is still refreshed (with ``Vary:
        Cookie``) when ``SESSION_REFRESH_EACH_REQUEST`` asks for it."""
        interface = self.session_interface
        session = ctx._opened_session
        if session is None:
            if not (
                "HTTP_COOKIE" in ctx.request.environ
                and self.config["SESSION_REFRESH_EACH_REQUEST"]
                and interface.get_cookie_name(self) in ctx.request.cookies
            ):
                return None
            session = ctx._get_session()
        if interface.is_null_session(session):
            return None
        return session

    def do_teardown_request(
        self,
        exc: BaseException | None = _sentinel,  # type: ignore[assignment]
    ) -> None:
        """Run the ``teardown_request`` functions (last registered first) and
        send ``request_tearing_down``."""
        if exc is _sentinel:
            exc = sys.exc_info()[1]
        if self.teardown_request_funcs:
            for name in chain(request.blueprints, (None,)):
                if name in self.teardown_request_funcs:
                    for func in reversed(self.teardown_request_funcs[name]):
                        self.ensure_sync(func)(exc)
        if request_tearing_down.receivers:
            request_tearing_down.send(self, _async_wrapper=self.ensure_sync, exc=exc)

    def do_teardown_appcontext(
        self,
        exc: BaseException | None = _sentinel,  # type: ignore[assignment]
    ) -> None:
        """Run the ``teardown_appcontext`` functions (last registered first)
        and send ``appcontext_tearing_down``."""
        if exc is _sentinel:
            exc = sys.exc_info()[1]
        for func in reversed(self.teardown_appcontext_funcs):
            self.ensure_sync(func)(exc)
        if appcontext_tearing_down.receivers:
            appcontext_tearing_down.send(self, _async_wrapper=self.ensure_sync, exc=exc)

    def app_context(self) -> AppContext:
        """A new application context (``with app.app_context(): ...``)."""
        return AppContext(self)

    def request_context(self, environ: WSGIEnvironment) -> RequestContext:
        """A new request context for ``environ``."""
        return RequestContext(self, environ)

    def test_request_context(self, *args: t.Any, **kwargs: t.Any) -> RequestContext:
        """A request context for a request built from Werkzeug's
        ``EnvironBuilder`` arguments (path, method, data, json, ...)."""
        from .testing import EnvironBuilder

        builder = EnvironBuilder(self, *args, **kwargs)
        try:
            return self.request_context(builder.get_environ())
        finally:
            builder.close()

    def wsgi_app(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> cabc.Iterable[bytes]:
        """The WSGI application. Anything raised while handling the request
        becomes a response through :meth:`handle_exception`, except
        ``KeyboardInterrupt``, ``SystemExit`` and ``GeneratorExit``."""
        ctx = self.request_context(environ)
        error: BaseException | None = None
        try:
            try:
                ctx.push()
                if self._can_take_plain_path():
                    rv = self._dispatch_with_hooks()
                    fast = plain_response(self, ctx, rv)
                    if fast is not None:
                        start_response(fast[0], fast[1])
                        return fast[2]
                    response = self.finalize_request(rv)
                else:
                    response = self.full_dispatch_request()
            except _FATAL:
                error = sys.exc_info()[1]
                raise
            except BaseException as e:
                error = e
                response = self.handle_exception(e)
            return response(environ, start_response)
        finally:
            if "werkzeug.debug.preserve_context" in environ:
                environ["werkzeug.debug.preserve_context"](_cv_app.get())
                environ["werkzeug.debug.preserve_context"](_cv_request.get())
            if error is not None and self.should_ignore_error(error):
                error = None
            ctx.pop(error)

    def _can_take_plain_path(self) -> bool:
        """Whether a plain str/dict return value may skip the Response object:
        no after_request hooks, no overridden response methods. Checked per
        request, as both can change between requests in tests."""
        if self.response_class is not Response or any(
            self.after_request_funcs.values()
        ):
            return False
        cls = type(self)
        plain = _plain_classes.get(cls)
        if plain is None:
            plain = _plain_classes[cls] = all(
                getattr(cls, name) is getattr(Kolben, name)
                for name in (
                    "full_dispatch_request",
                    "finalize_request",
                    "make_response",
                    "process_response",
                )
            )
        return plain

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> cabc.Iterable[bytes]:
        """Call :meth:`wsgi_app` (wrap that, not this, with middleware)."""
        return self.wsgi_app(environ, start_response)


#: Per app class: whether it keeps the response methods the short path stands for.
_plain_classes: dict[type[Kolben], bool] = {}


def _load_dotenv() -> None:
    """Load ``.env``/``.flaskenv`` through ``kolben.cli`` when it provides it."""
    try:
        from .cli import load_dotenv
    except ImportError:
        return
    load_dotenv()
