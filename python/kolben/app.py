"""``Kolben``: a :class:`flask.Flask` routed by kolben's Rust router.

Everything is Flask's but what the methods below override, each in a place
Flask made for it: the URL map class, the request context (native matching, a
lazily bound adapter and session), the plain-response short path behind
``finalize_request``, the static route's extras, and the route-conflict policy
around ``add_url_rule``.
"""

from __future__ import annotations

import sys
import typing as t

import flask
from flask.sessions import SessionInterface
from flask.signals import appcontext_tearing_down, request_tearing_down
from werkzeug.datastructures import ImmutableDict
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from . import lane, static
from ._flask_private import context_args, request_context_var
from .context import KolbenAppContext, KolbenRequestContext
from .json_provider import KolbenJSONProvider
from .lazy_session import LazyCookieSessionInterface
from .plain import plain_response
from .routing import Map, RuleSource
from .routing.exceptions import FATAL, RouterPanic
from .routing.matcher import NativeMatcher
from .wrappers import ROUTING_VALUES, KolbenRequest

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse, WSGIEnvironment
    from flask.ctx import AppContext
    from flask.typing import ResponseReturnValue, RouteCallable

    from . import _router

#: Config keys kolben adds, with their defaults (see the README).
KOLBEN_CONFIG: dict[str, t.Any] = {
    # Serve a .br/.gz sibling of a static file to clients that accept it.
    "STATIC_PRECOMPRESSED": True,
    # Cache fingerprinted static names for a year: True, a regex, or None.
    "STATIC_IMMUTABLE": None,
    # Raise ValueError for conflicting rules instead of warning.
    "KOLBEN_STRICT_ROUTES": False,
}

_ROUTING_READS = ROUTING_VALUES
#: Per name in ``_ROUTING_READS``: the class attributes (none for Werkzeug's)
#: of the request classes whose ``path`` and ``method`` are Werkzeug's.
_ROUTING_READERS = {
    name: (getattr(flask.Request, name, None), vars(KolbenRequest)[name])
    for name in _ROUTING_READS
}

#: How many view functions' sync wrappers an app keeps before starting over.
_SYNC_VIEWS_KEPT = 4096

#: The default of the ``ctx`` parameters below, which Flask passes from 3.2 on:
#: before, the methods read the current context themselves.
_CURRENT: t.Any = None
#: The default of ``finalize_request``'s ``rv``: not passed, because Flask
#: before 3.2 passes the result where 3.2 passes the context.
_NO_RESULT: t.Any = object()

#: The code of Flask's ``wsgi_app``, the caller of ``request_context`` whose
#: request may take the plain-response short path.
_WSGI_APP_CODE = flask.Flask.wsgi_app.__code__


class Kolben(flask.Flask):
    """A Flask application whose URLs are matched and built by kolben's Rust
    router, with a shorter request path. Takes Flask's arguments; adds the
    config keys of :data:`KOLBEN_CONFIG`."""

    url_map_class = Map
    request_class = KolbenRequest
    json_provider_class = KolbenJSONProvider
    default_config = ImmutableDict({**flask.Flask.default_config, **KOLBEN_CONFIG})
    #: Flask's signed-cookie session, opened only by requests that use it.
    session_interface: SessionInterface = LazyCookieSessionInterface()

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        #: Each dispatched view's sync wrapper (see :meth:`dispatch_request`).
        self._sync_views: dict[t.Callable[..., t.Any], t.Callable[..., t.Any]] = {}
        #: Per host (see ``kolben.context._host_key``): whether the URL map
        #: binds to it, as Flask binds it for every request.
        self._host_binds: dict[tuple[t.Any, ...], bool] = {}
        super().__init__(*args, **kwargs)

    def app_context(self) -> KolbenAppContext:
        """The application context: :class:`~kolben.context.KolbenAppContext`."""
        return KolbenAppContext(self)

    def request_context(self, environ: WSGIEnvironment) -> KolbenRequestContext:
        """The request context for ``environ``:
        :class:`~kolben.context.KolbenRequestContext`. When Flask's ``wsgi_app``
        is the caller, the request may take the plain-response short path: only
        there is what ``full_dispatch_request`` returns called as a WSGI
        callable rather than used as a Response."""
        ctx = KolbenRequestContext(self, environ)
        ctx.plain_allowed = sys._getframe(1).f_code is _WSGI_APP_CODE
        return ctx

    def wsgi_app(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> t.Iterable[bytes]:
        """Flask's; a request nothing observes on its way (see
        :mod:`kolben.lane`) takes kolben's lane, when the app keeps the
        methods the lane stands for."""
        if lane.is_unobserved(environ) and _keeps_methods(self, _LANE_KEPT):
            return lane.serve(self, environ, start_response)
        return super().wsgi_app(environ, start_response)

    def native_router(self) -> _router.Router | None:
        """The native router a request is matched with in one call, with rules
        added since the last request compiled in; ``None`` when matching needs
        the bound adapter: host or subdomain matching, ``TRUSTED_HOSTS``, a
        ``create_url_adapter`` of the app's own (in a subclass or set on the
        instance), a request class that reads its path or method its own way,
        or a URL map that is not kolben's."""
        url_map = self.url_map
        state = url_map.__dict__
        matcher = state.get("_matcher")
        if (
            type(matcher) is not NativeMatcher
            or self.subdomain_matching
            or url_map.host_matching
            or url_map.default_subdomain
            or self.config["TRUSTED_HOSTS"] is not None
            or not _NATIVE_ROUTING.get((type(self), self.request_class))
            and not _routes_natively(type(self), self.request_class)
            or "create_url_adapter" in self.__dict__
        ):
            return None
        if state.get("_remap_flag", True):
            url_map.update()
        return matcher.router

    def preprocess_request(
        self, ctx: AppContext = _CURRENT
    ) -> ResponseReturnValue | None:
        """Flask's, skipped when no ``url_value_preprocessor`` or
        ``before_request`` function is registered."""
        before, preprocessors = self.before_request_funcs, self.url_value_preprocessors
        if (not before or not _registered(before)) and (
            not preprocessors or not _registered(preprocessors)
        ):
            return None
        return super().preprocess_request(*context_args(ctx))

    def dispatch_request(self, ctx: AppContext = _CURRENT) -> ResponseReturnValue:
        """Flask's; a matched view is called through a sync wrapper looked up once
        per view function (Flask's ``ensure_sync``, which asks whether the view
        is a coroutine function on every request)."""
        current: t.Any = request_context_var.get() if ctx is None else ctx
        request: flask.Request = current.request
        miss = request.routing_exception
        if miss is not None:
            if type(miss) in _NATIVE_MISSES and self._unhandled(miss):
                # What Flask's handling of the raised miss would return.
                return miss
            return super().dispatch_request(*context_args(ctx))
        rule = request.url_rule
        if (
            rule is None
            or request.method == "OPTIONS"
            or type(self).ensure_sync is not flask.Flask.ensure_sync
            or "ensure_sync" in self.__dict__
        ):
            return super().dispatch_request(*context_args(ctx))
        sync = self._sync(self.view_functions[rule.endpoint])
        return sync(**request.view_args)  # type: ignore[no-any-return, arg-type]

    def _sync(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        """``ensure_sync(func)``, made once per function (a view or a context
        processor); only while ``ensure_sync`` is Flask's."""
        sync = self._sync_views.get(func)
        if sync is None:
            if len(self._sync_views) > _SYNC_VIEWS_KEPT:
                self._sync_views.clear()
            sync = self._sync_views[func] = self.ensure_sync(func)
        return sync

    def update_template_context(  # type: ignore[override]
        self, ctx: t.Any = _NO_RESULT, context: dict[str, t.Any] = _NO_RESULT
    ) -> None:
        """Flask's: the values of the context processors (the app's, then the
        request's blueprints'), those passed to ``render_template`` taking
        precedence. Each processor's sync wrapper is made once, as a view's
        is, and the request's blueprints are read only when a blueprint has
        processors of its own. Flask 3.2 passes the context first, Flask
        before it the template context alone."""
        if context is _NO_RESULT:
            ctx, context = _CURRENT, ctx
        elif ctx is _NO_RESULT:
            ctx = _CURRENT
        processors = self.template_context_processors
        if (
            type(self).ensure_sync is not flask.Flask.ensure_sync
            or "ensure_sync" in self.__dict__
            or any(funcs for name, funcs in processors.items() if name is not None)
        ):
            super().update_template_context(  # type: ignore[call-arg]
                *context_args(ctx), context
            )
            return
        functions = processors.get(None)
        if not functions:
            return
        given = context.copy()
        for func in functions:
            context.update(self._sync(func)())
        context.update(given)

    def _unhandled(self, miss: HTTPException) -> bool:
        """Whether Flask, raising the routing miss ``miss``, would hand it back
        as it is: the exception-handling methods are Flask's (neither
        overridden in a subclass nor replaced on the instance), it is not
        trapped, and no error handler is registered (in any scope)."""
        return (
            _keeps_methods(self, _MISS_HANDLING)
            and not self.trap_http_exception(miss)
            and not any(
                handlers
                for scope in self.error_handler_spec.values()
                for handlers in scope.values()
            )
        )

    def do_teardown_request(  # type: ignore[override]
        self, ctx: AppContext = _CURRENT, /, *args: t.Any, **kwargs: t.Any
    ) -> None:
        """Flask's, skipped when no ``teardown_request`` function or
        ``request_tearing_down`` receiver is registered. Flask's arguments are
        passed on as they came (before 3.2, the first is the exception)."""
        functions = self.teardown_request_funcs
        if request_tearing_down.receivers or (functions and _registered(functions)):
            first = () if ctx is _CURRENT else (ctx,)
            super().do_teardown_request(*first, *args, **kwargs)

    def do_teardown_appcontext(  # type: ignore[override]
        self, ctx: AppContext = _CURRENT, /, *args: t.Any, **kwargs: t.Any
    ) -> None:
        """Flask's, skipped when no ``teardown_appcontext`` function or
        ``appcontext_tearing_down`` receiver is registered. Flask's arguments
        are passed on as they came (before 3.2, the first is the exception)."""
        if appcontext_tearing_down.receivers or self.teardown_appcontext_funcs:
            first = () if ctx is _CURRENT else (ctx,)
            super().do_teardown_appcontext(*first, *args, **kwargs)

    def finalize_request(  # type: ignore[override]
        self,
        ctx: AppContext,
        rv: ResponseReturnValue | HTTPException = _NO_RESULT,
        from_error_handler: bool = False,
    ) -> flask.Response:
        """Flask's, except that a plain ``str``/``dict`` result or an HTTP error
        that nothing will observe as a Response object is written straight to
        WSGI (:mod:`kolben.plain`). Before 3.2, Flask passes the result
        first and no context."""
        if rv is _NO_RESULT:
            ctx, rv = request_context_var.get(), t.cast(t.Any, ctx)
        if (
            not from_error_handler
            and self.response_class is flask.Response
            and not (self.after_request_funcs and _registered(self.after_request_funcs))
            and _keeps_methods(self, _RESPONSE_MAKING)
        ):
            plain = plain_response(self, t.cast(t.Any, ctx), rv)
            if plain is not None:
                return plain  # type: ignore[return-value]
        return super().finalize_request(  # type: ignore[call-arg]
            *context_args(ctx), rv, from_error_handler
        )

    def url_for(self, /, endpoint: str, **kwargs: t.Any) -> str:
        """Flask's, with a failure inside the native builder raised as
        :class:`~kolben.routing.RouterPanic` (an ``Exception``, so a 500)."""
        try:
            return super().url_for(endpoint, **kwargs)
        except (*FATAL, Exception):
            raise
        except BaseException as error:
            raise RouterPanic.caused_by(error) from error

    def send_static_file(self, filename: str) -> flask.Response:
        """Flask's static view, plus precompressed siblings
        (``STATIC_PRECOMPRESSED``) and immutable caching of fingerprinted names
        (``STATIC_IMMUTABLE``); see :mod:`kolben.static`."""
        if not self.has_static_folder:
            return super().send_static_file(filename)
        config = self.config
        response = static.send_variant(
            t.cast(str, self.static_folder),
            filename,
            flask.request.environ,
            precompressed=bool(config["STATIC_PRECOMPRESSED"]),
            immutable=static.is_fingerprinted(filename, config["STATIC_IMMUTABLE"]),
            max_age=self.get_send_file_max_age(filename),
            use_x_sendfile=config["USE_X_SENDFILE"],
            response_class=self.response_class,
        )
        return t.cast(flask.Response, response)

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: RouteCallable | None = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        """Flask's, telling kolben's map what it needs to judge a conflict: a
        rule added without a view function for an endpoint that has none (an
        alias only ``url_for`` uses) never conflicts, nor does a blueprint's
        static route that repeats an earlier rule; ``KOLBEN_STRICT_ROUTES``
        turns conflict warnings into ``ValueError``."""
        url_map = self.url_map
        if not isinstance(url_map, Map):
            super().add_url_rule(
                rule, endpoint, view_func, provide_automatic_options, **options
            )
            return
        source = RuleSource(
            has_view=view_func is not None
            or (endpoint is not None and endpoint in self.view_functions),
            has_view_for=self.view_functions.__contains__,
            strict=bool(self.config["KOLBEN_STRICT_ROUTES"]),
            blueprint_static=_is_blueprint_static(view_func),
            logger=lambda: self.logger,
        )
        with url_map.rule_source(source):
            super().add_url_rule(
                rule, endpoint, view_func, provide_automatic_options, **options
            )


#: The methods the plain short path stands for, and the one its result goes
#: back through (an override of it expects a Response).
_RESPONSE_MAKING = ("make_response", "process_response", "full_dispatch_request")
#: The methods whose work kolben's lane does without calling them (the
#: context's making, the dispatch around the view) or whose defaults it
#: relies on (the error Flask's ``should_ignore_error`` passes on).
_LANE_KEPT = (
    "request_context",
    "app_context",
    "full_dispatch_request",
    "should_ignore_error",
)
#: The methods a routing miss passes through when raised.
_MISS_HANDLING = (
    "raise_routing_exception",
    "handle_user_exception",
    "handle_http_exception",
)
#: The misses the native route records.
_NATIVE_MISSES = (NotFound, MethodNotAllowed)
#: Per app class and method names: whether the class keeps Kolben's methods.
_kept_methods: dict[tuple[type[Kolben], tuple[str, ...]], bool] = {}


def _keeps_methods(app: Kolben, names: tuple[str, ...]) -> bool:
    """Whether ``app`` keeps Kolben's methods ``names``: its class overrides
    none of them (answered once per class) and none is replaced on the
    instance, as Flask-RESTX's and Flask-RESTful's ``Api(app)`` replace the
    error handlers. An app that replaces one takes Flask's full path for what
    they do."""
    cls = type(app)
    key = (cls, names)
    keeps = _kept_methods.get(key)
    if keeps is None:
        keeps = _kept_methods[key] = all(
            getattr(cls, name) is getattr(Kolben, name) for name in names
        )
    return keeps and app.__dict__.keys().isdisjoint(names)


_NATIVE_ROUTING: dict[tuple[type[flask.Flask], type], bool] = {}


def _routes_natively(app_class: type[flask.Flask], request_class: type) -> bool:
    """Whether ``app_class`` binds the URL map as Flask does and
    ``request_class`` keeps Werkzeug's ``path`` and ``method`` (which the native
    route reads): a class that overrides either is routed through the adapter,
    from the environ, as Flask does. Answered once per pair of classes."""
    key = (app_class, request_class)
    known = _NATIVE_ROUTING.get(key)
    if known is None:
        known = _NATIVE_ROUTING[key] = app_class.create_url_adapter is (
            flask.Flask.create_url_adapter
        ) and all(
            getattr(request_class, name, None) in _ROUTING_READERS[name]
            for name in _ROUTING_READS
        )
    return known


def _registered(functions: dict[t.Any, list[t.Any]]) -> bool:
    """Whether a hook dictionary (per blueprint name) holds any function."""
    return bool(functions) and any(functions.values())


def _is_blueprint_static(view_func: t.Any) -> bool:
    """Whether ``view_func`` is a blueprint's ``send_static_file``."""
    owner = getattr(view_func, "__self__", None)
    return isinstance(owner, flask.Blueprint) and (
        getattr(view_func, "__name__", None) == "send_static_file"
    )
