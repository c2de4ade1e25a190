"""Application and request contexts: what ``current_app``, ``g``, ``request``
and ``session`` point at, pushed and popped around each request."""

from __future__ import annotations

import contextvars
import sys
import typing as t
from functools import update_wrapper
from types import TracebackType

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from . import typing as ft
from .globals import _cv_app, _cv_request
from .routing.matcher import Special
from .signals import appcontext_popped, appcontext_pushed

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.routing import MapAdapter

    from . import _router
    from .app import Kolben
    from .sessions import SessionMixin
    from .wrappers import Request

_sentinel = object()
#: ``RequestContext._url_adapter`` before the adapter is needed.
_UNBOUND: t.Any = object()


class _AppCtxGlobals:
    """``g``: a namespace for data that lives as long as the app context."""

    def __getattr__(self, name: str) -> t.Any:
        try:
            return self.__dict__[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: t.Any) -> None:
        self.__dict__[name] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self.__dict__[name]
        except KeyError:
            raise AttributeError(name) from None

    def get(self, name: str, default: t.Any | None = None) -> t.Any:
        """The attribute ``name``, or ``default``."""
        return self.__dict__.get(name, default)

    def pop(self, name: str, default: t.Any = _sentinel) -> t.Any:
        """Remove and return ``name``; raises ``KeyError`` without a default."""
        if default is _sentinel:
            return self.__dict__.pop(name)
        return self.__dict__.pop(name, default)

    def setdefault(self, name: str, default: t.Any = None) -> t.Any:
        """The attribute ``name``, set to ``default`` first if missing."""
        return self.__dict__.setdefault(name, default)

    def __contains__(self, item: str) -> bool:
        return item in self.__dict__

    def __iter__(self) -> t.Iterator[str]:
        return iter(self.__dict__)

    def __repr__(self) -> str:
        ctx = _cv_app.get(None)
        if ctx is not None:
            return f"<kolben.g of {ctx.app.name!r}>"
        return object.__repr__(self)


def after_this_request(
    f: ft.AfterRequestCallable[t.Any],
) -> ft.AfterRequestCallable[t.Any]:
    """Run ``f`` on this request's response, before the ``after_request`` hooks.

    Raises ``RuntimeError`` outside a request.
    """
    ctx = _cv_request.get(None)
    if ctx is None:
        raise RuntimeError(
            "'after_this_request' can only be used when a request"
            " context is active, such as in a view function."
        )
    ctx._after_request_functions.append(f)
    return f


F = t.TypeVar("F", bound=t.Callable[..., t.Any])


def copy_current_request_context(f: F) -> F:
    """Wrap ``f`` so it runs inside a copy of the current request context, for
    use in a thread or greenlet. Raises ``RuntimeError`` outside a request."""
    ctx = _cv_request.get(None)
    if ctx is None:
        raise RuntimeError(
            "'copy_current_request_context' can only be used when a"
            " request context is active, such as in a view function."
        )
    ctx = ctx.copy()

    def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
        with ctx:
            return ctx.app.ensure_sync(f)(*args, **kwargs)

    return update_wrapper(wrapper, f)  # type: ignore[return-value]


def has_request_context() -> bool:
    """Whether a request context is active."""
    return _cv_request.get(None) is not None


def has_app_context() -> bool:
    """Whether an application context is active."""
    return _cv_app.get(None) is not None


class AppContext:
    """Makes ``current_app`` and ``g`` available; pushed for every request and by
    ``app.app_context()``."""

    def __init__(self, app: Kolben) -> None:
        self.app = app
        self.url_adapter = app.create_url_adapter(None)
        self.g: _AppCtxGlobals = app.app_ctx_globals_class()
        self._cv_tokens: list[contextvars.Token[AppContext]] = []

    def push(self) -> None:
        """Bind this context; sends ``appcontext_pushed``."""
        self._cv_tokens.append(_cv_app.set(self))
        if appcontext_pushed.receivers:
            appcontext_pushed.send(self.app, _async_wrapper=self.app.ensure_sync)

    def pop(self, exc: BaseException | None = _sentinel) -> None:  # type: ignore[assignment]
        """Unbind this context, running ``teardown_appcontext`` functions when it
        is the outermost push. Raises ``AssertionError`` for the wrong context."""
        try:
            if len(self._cv_tokens) == 1:
                if exc is _sentinel:
                    exc = sys.exc_info()[1]
                self.app.do_teardown_appcontext(exc)
        finally:
            ctx = _cv_app.get()
            _cv_app.reset(self._cv_tokens.pop())
        if ctx is not self:
            raise AssertionError(
                f"Popped wrong app context. ({ctx!r} instead of {self!r})"
            )
        if appcontext_popped.receivers:
            appcontext_popped.send(self.app, _async_wrapper=self.app.ensure_sync)

    def __enter__(self) -> AppContext:
        self.push()
        return self

    def __exit__(
        self,
        exc_type: type | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.pop(exc_value)


class RequestContext:
    """Makes ``request`` and ``session`` available for one request; pushes an
    app context first if the app's is not active.

    The session is opened when first used (or at push, for a session interface
    that asks for it), so a request that never touches it pays nothing.
    """

    def __init__(
        self,
        app: Kolben,
        environ: WSGIEnvironment,
        request: Request | None = None,
        session: SessionMixin | None = None,
    ) -> None:
        self.app = app
        if request is None:
            request = app.request_class(environ)
        self.request: Request = request
        #: The native router when the request can be routed in one call on the
        #: URL map's default domain; the adapter is then bound only if needed.
        self._router: _router.Router | None = None
        self._url_adapter: MapAdapter | None = None
        #: An unexpected error from binding the URL map, raised at push so the
        #: app handles it as a 500 inside the request context.
        self._bind_error: BaseException | None = None
        try:
            self._router = app._request_router()
            if self._router is not None:
                self._url_adapter = _UNBOUND
            else:
                self._url_adapter = app.create_url_adapter(self.request)
        except HTTPException as e:
            self.request.routing_exception = e
        except (KeyboardInterrupt, SystemExit, GeneratorExit):
            raise
        except BaseException as e:
            self._bind_error = e
        self.flashes: list[tuple[str, str]] | None = None
        #: The session once opened; ``None`` while the request has not used it.
        self._opened_session: SessionMixin | None = session
        self._after_request_functions: list[ft.AfterRequestCallable[t.Any]] = []
        self._cv_tokens: list[
            tuple[contextvars.Token[RequestContext], AppContext | None]
        ] = []

    def copy(self) -> RequestContext:
        """A new context for the same request object and session."""
        return self.__class__(
            self.app,
            environ=self.request.environ,
            request=self.request,
            session=self._get_session(),
        )

    @property
    def url_adapter(self) -> MapAdapter | None:
        """The URL map bound to this request (bound on first use)."""
        adapter = self._url_adapter
        if adapter is _UNBOUND:
            adapter = self._url_adapter = self.app.create_url_adapter(self.request)
        return adapter

    @url_adapter.setter
    def url_adapter(self, adapter: MapAdapter | None) -> None:
        self._url_adapter = adapter

    def match_request(self) -> None:
        """Match the request's URL, setting ``request.url_rule`` and
        ``view_args``, or ``request.routing_exception`` on a miss.

        On the fast path this is one native call on the path and method the
        request has already read; what it leaves undecided (redirects, aliases,
        websockets) goes to the adapter.
        """
        request = self.request
        router = self._router
        if router is not None:
            result = router.route(request.path, request.method, request.environ)
            if isinstance(result, tuple):
                rule, args = result
                if type(rule) is not Special:
                    request.url_rule = rule
                    request.view_args = args
                    return
            elif result is None:
                request.routing_exception = NotFound()
                return
            elif isinstance(result, frozenset):
                request.routing_exception = MethodNotAllowed(valid_methods=list(result))
                return
        try:
            rule, args = self.url_adapter.match(return_rule=True)  # type: ignore[union-attr]
        except HTTPException as e:
            request.routing_exception = e
        else:
            request.url_rule = rule
            request.view_args = args  # type: ignore[assignment]

    def _get_session(self) -> SessionMixin:
        """The session, opened now if needed, without marking it accessed."""
        session = self._opened_session
        if session is None:
            interface = self.app.session_interface
            session = interface.open_session(self.app, self.request)
            if session is None:
                session = interface.make_null_session(self.app)
            self._opened_session = session
        return session

    @property
    def _session(self) -> SessionMixin:
        # Flask's private name, used by extensions: the session, not accessed.
        return self._get_session()

    @_session.setter
    def _session(self, value: SessionMixin | None) -> None:
        self._opened_session = value

    @property
    def session(self) -> SessionMixin:
        """The session, opened on first use. Reading it (also through the
        ``session`` proxy) marks it accessed, so the response varies on
        ``Cookie``."""
        session = self._get_session()
        session.accessed = True
        return session

    def push(self) -> None:
        """Bind this context (and an app context if needed), open the session if
        the interface is not lazy, then match the URL."""
        app_ctx = _cv_app.get(None)
        if app_ctx is None or app_ctx.app is not self.app:
            app_ctx = self.app.app_context()
            app_ctx.push()
        else:
            app_ctx = None
        self._cv_tokens.append((_cv_request.set(self), app_ctx))
        if self._bind_error is not None:
            raise self._bind_error
        if self._opened_session is None and not self.app.session_interface.open_lazily:
            self._get_session()
        if self._router is not None or self._url_adapter is not None:
            self.match_request()

    def pop(self, exc: BaseException | None = _sentinel) -> None:  # type: ignore[assignment]
        """Unbind this context; at the outermost pop run the teardown functions
        and close the request. Raises ``AssertionError`` for the wrong context."""
        clear_request = len(self._cv_tokens) == 1
        try:
            if clear_request:
                if exc is _sentinel:
                    exc = sys.exc_info()[1]
                self.app.do_teardown_request(exc)
                self.request.close()
        finally:
            ctx = _cv_request.get()
            token, app_ctx = self._cv_tokens.pop()
            _cv_request.reset(token)
            if clear_request:
                ctx.request.environ["werkzeug.request"] = None
            if app_ctx is not None:
                app_ctx.pop(exc)
            if ctx is not self:
                raise AssertionError(
                    f"Popped wrong request context. ({ctx!r} instead of {self!r})"
                )

    def __enter__(self) -> RequestContext:
        self.push()
        return self

    def __exit__(
        self,
        exc_type: type | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.pop(exc_value)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {self.request.url!r}"
            f" [{self.request.method}] of {self.app.name}>"
        )
