"""The request and application contexts of a :class:`~kolben.Kolben` app.

They are Flask's contexts, pushed into Flask's own context variables, so
``flask.request``, ``flask.session``, ``flask.g`` and every extension reading
them see them. What they change is when work happens:

- the URL is matched by one native call on the path and method the request has
  already read; the URL adapter is bound only when something asks for
  ``url_adapter`` (``url_for``, a redirect, automatic ``OPTIONS``), and the
  application context's adapter (``SERVER_NAME``) likewise;
- the session is opened on first use when the app's session interface says
  it may be (``open_lazily = True``), instead of on every push.
"""

from __future__ import annotations

import typing as t

from flask.ctx import AppContext
from flask.signals import appcontext_pushed
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from ._flask_private import (
    MERGED_CONTEXT,
    RequestContextBase,
    app_var,
    init_app_context,
    init_request_context,
    is_pushed,
    push_directly,
)
from .routing.exceptions import FATAL, RouterPanic
from .routing.matcher import Special
from .wrappers import reads_routing_values_lazily

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIEnvironment
    from flask.sessions import SessionMixin
    from flask.wrappers import Request
    from werkzeug.routing import MapAdapter

    from . import _router
    from .app import Kolben

#: "Not yet": the adapter before it is bound, and what the lazy session reads as
#: while Flask's ``push`` runs, so that Flask leaves both to this class.
_PENDING: t.Any = object()

#: Whether this Flask's request context marks the session accessed on every
#: read of ``session`` (3.1.3 and later); earlier releases leave that to the
#: session.
_READ_MARKS_ACCESSED = isinstance(vars(RequestContextBase).get("session"), property)


class KolbenAppContext(AppContext):
    """Flask's application context, whose URL adapter (bound to ``SERVER_NAME``,
    for ``url_for`` outside a request) is made when first used rather than for
    every request's context."""

    def __init__(self, app: Kolben) -> None:
        # Flask's attributes, set here instead of by Flask's __init__, which
        # makes the adapter at once (test_flask_private checks the names).
        init_app_context(self, app)
        self._adapter: MapAdapter | None = _PENDING

    @property
    def url_adapter(self) -> MapAdapter | None:
        """The URL map bound to ``SERVER_NAME``, or ``None`` without it."""
        adapter = self._adapter
        if adapter is _PENDING:
            adapter = self._adapter = self.app.create_url_adapter(None)
        return adapter

    @url_adapter.setter
    def url_adapter(self, adapter: MapAdapter | None) -> None:
        self._adapter = adapter


class KolbenRequestContext(RequestContextBase):  # type: ignore[misc]
    """Flask's request context with native matching, a lazily bound URL adapter
    and a lazily opened session (see the module docs). On Flask 3.2 and later
    it is Flask's ``AppContext`` with a request, which Flask's ``copy`` makes
    from ``request`` and ``session`` alone."""

    app: Kolben
    request: Request
    _after_request_functions: list[t.Any]

    def __init__(
        self,
        app: Kolben,
        environ: WSGIEnvironment | None = None,
        request: Request | None = None,
        session: SessionMixin | None = None,
    ) -> None:
        # Flask's attributes, set here instead of by Flask's __init__, which
        # binds the URL adapter at once (test_flask_private checks the names).
        if request is None:
            if environ is None:
                raise TypeError("a request context needs a WSGI environ or a request")
            request = app.request_class(environ)
            request.json_module = app.json
        environ = request.environ
        init_request_context(self, app, request)
        self._opened_session = session
        self._pushing = False
        #: Whether a plain view result may be written without a Response object:
        #: only for the request the app's ``wsgi_app`` serves (a caller of
        #: ``full_dispatch_request`` itself expects a Response).
        self.plain_allowed = False
        self._router: _router.Router | None = None
        self._adapter: MapAdapter | None = _PENDING
        #: An error from compiling or binding the map, raised once pushed:
        #: Flask's wsgi_app makes the context outside its error handling.
        self._setup_error: Exception | None = None
        try:
            self._router = app.native_router()
            if self._router is None:
                self._adapter = self._bind()
            else:
                self._check_host(environ)
        except FATAL:
            raise
        except BaseException as error:
            self._setup_error = (
                error if isinstance(error, Exception) else RouterPanic.caused_by(error)
            )
            self._adapter = None

    def _check_host(self, environ: WSGIEnvironment) -> None:
        """Bind the URL map as Flask does for a host not seen before, and for
        one it refused (Werkzeug answers a host it cannot encode with 400 Bad
        Request): the request is then matched by the bound adapter, which
        raises what Flask's raises. A host that bound before needs no adapter
        until something asks for it."""
        hosts = self.app._host_binds
        key = _host_key(self.app, environ)
        if key is not None and hosts.get(key):
            return
        self._adapter = self._bind()
        if self._adapter is None:
            self._router = None
        if key is not None:
            if len(hosts) > _HOSTS_KEPT:
                hosts.clear()
            hosts[key] = self._router is not None

    def _bind(self) -> MapAdapter | None:
        """The app's URL adapter for this request; ``None`` with the routing
        exception recorded on the request when binding refuses it."""
        try:
            return self.app.create_url_adapter(self.request)
        except HTTPException as error:
            self.request.routing_exception = error
            return None

    @property
    def url_adapter(self) -> MapAdapter | None:
        """The URL map bound to this request, bound on first use."""
        adapter = self._adapter
        if adapter is _PENDING and not self._pushing:
            adapter = self._adapter = self._bind()
        return adapter

    @url_adapter.setter
    def url_adapter(self, adapter: MapAdapter | None) -> None:
        self._adapter = adapter

    def _lazy_session(self) -> bool:
        return bool(getattr(self.app.session_interface, "open_lazily", False))

    def _current_session(self) -> SessionMixin | None:
        """The session, opened now if the request has not used it yet. While
        Flask 3.1's ``push`` runs it reads as "already there" for a lazy
        interface (so push does not open it) and as ``None`` for any other (so
        push opens it, as in Flask)."""
        if self._opened_session is None and self._pushing:
            return _PENDING if self._lazy_session() else None
        return self._open_session()

    def _open_session(self) -> SessionMixin:
        session = self._opened_session
        if session is None:
            interface = self.app.session_interface
            session = interface.open_session(self.app, self.request)
            if session is None:
                session = interface.make_null_session(self.app)
            self._opened_session = session
        return session

    def _get_session(self) -> SessionMixin | None:
        """Flask's method that opens the session (3.2 and later), which its
        ``push`` calls: a lazy interface waits for the first use."""
        if self._pushing and self._lazy_session():
            return None
        return self._open_session()

    @property
    def _session(self) -> SessionMixin | None:
        # Flask's own name for the stored session (3.1.3 and later).
        return self._current_session()

    @_session.setter
    def _session(self, value: SessionMixin | None) -> None:
        self._opened_session = value

    @property
    def session(self) -> SessionMixin:
        """The session, opened on first use; reading it marks it accessed where
        Flask's context does."""
        session = self._current_session()
        if _READ_MARKS_ACCESSED and session is not None and not self._pushing:
            session.accessed = True
        return session  # type: ignore[return-value]

    @session.setter
    def session(self, value: SessionMixin | None) -> None:
        self._opened_session = value

    @property
    def session_opened(self) -> bool:
        """Whether the request has opened its session."""
        return self._opened_session is not None

    def push(self) -> None:
        """Flask's push (app context, context variables, signals), leaving the
        lazy session closed; the URL is matched at its end. A push nothing
        observes (no context is current, no ``appcontext_pushed`` receiver)
        is :meth:`push_unobserved`."""
        if (
            not appcontext_pushed.receivers
            and app_var.get(None) is None
            and not is_pushed(self)
        ):
            self.push_unobserved()
        else:
            self._push_through_flask()

    def push_unobserved(self) -> None:
        """Push this context, not pushed yet, for a caller that knows nothing
        observes the push (no context is current, no ``appcontext_pushed``
        receiver): made current directly, in the state Flask's push leaves it
        in, while the session waits for its first use; else by Flask's push,
        which opens the session."""
        if not self._lazy_session():
            self._push_through_flask()
            return
        push_directly(self, None if MERGED_CONTEXT else self.app.app_context())
        if self._setup_error is not None:
            raise self._setup_error
        if self._adapter is not None:
            self.match_request()

    def _push_through_flask(self) -> None:
        self._pushing = True
        try:
            super().push()
        finally:
            self._pushing = False
        if self._setup_error is not None:
            raise self._setup_error

    def match_request(self) -> None:
        """Match the URL: one native call on the fast path; what it leaves
        undecided (redirects, aliases, websockets) goes to the URL adapter, as
        does every request without a native router."""
        # Matching is the last step of Flask's push: the adapter may bind now.
        self._pushing = False
        router = self._router
        request = self.request
        try:
            if router is not None:
                result = _route(router, request)
                if type(result) is tuple:
                    rule, values = result
                    if type(rule) is not Special:
                        request.url_rule = rule
                        request.view_args = values
                        return
                elif result is None:
                    request.routing_exception = NotFound()
                    return
                elif type(result) is frozenset:
                    request.routing_exception = MethodNotAllowed(
                        valid_methods=sorted(result)
                    )
                    return
            super().match_request()
        except (*FATAL, Exception):
            raise
        except BaseException as error:
            raise RouterPanic.caused_by(error) from error


def _route(router: _router.Router, request: Request) -> t.Any:
    """``router.route`` for ``request``. A :class:`~kolben.wrappers.KolbenRequest`
    that has not read its environ yet is routed on the raw ``PATH_INFO`` and
    ``REQUEST_METHOD`` when they are what Werkzeug would make of them (an
    ASCII path, which the router takes only with one leading ``/``; an ASCII
    method, which it takes only in upper case), and keeps them as its ``path`` and
    ``method``; any other request on its ``path`` and ``method``."""
    state = request.__dict__
    environ = request.environ
    if (
        "path" not in state
        and "method" not in state
        and reads_routing_values_lazily(type(request))
    ):
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if (
            type(path) is str
            and type(method) is str
            and path.isascii()
            and method.isascii()
        ):
            result = router.route(path, method, environ)
            if result is not NotImplemented:
                state["path"], state["method"] = path, method
            return result
    return router.route(request.path, request.method, environ)


#: How many hosts an app remembers binding to before starting over.
_HOSTS_KEPT = 256


def _host_key(app: Kolben, environ: WSGIEnvironment) -> tuple[t.Any, ...] | None:
    """What decides whether the URL map binds to a request's host: the
    values Werkzeug reads from the environ for it, and ``SERVER_NAME``;
    ``None`` for a websocket upgrade (which changes the scheme), bound every
    time."""
    if "HTTP_UPGRADE" in environ:
        return None
    return (
        environ.get("HTTP_HOST"),
        environ.get("SERVER_NAME"),
        environ.get("SERVER_PORT"),
        environ.get("wsgi.url_scheme"),
        app.config["SERVER_NAME"],
    )
