"""Sessions: signed cookies by default (itsdangerous), replaceable through
``app.session_interface``."""

from __future__ import annotations

import collections.abc as cabc
import hashlib
import typing as t
from datetime import datetime, timezone

from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.datastructures import CallbackDict

from .json.tag import TaggedJSONSerializer

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Kolben
    from .wrappers import Request, Response


class SessionMixin(cabc.MutableMapping[str, t.Any]):
    """What a session object offers besides being a mapping."""

    @property
    def permanent(self) -> bool:
        """Whether the cookie outlives the browser session
        (``PERMANENT_SESSION_LIFETIME``); stored under ``_permanent``."""
        return self.get("_permanent", False)  # type: ignore[no-any-return]

    @permanent.setter
    def permanent(self, value: bool) -> None:
        self["_permanent"] = bool(value)

    #: Whether the session is known to be new; not all backends can tell.
    new = False
    #: Whether the session changed; backends that cannot tell leave it ``True``.
    modified = True
    #: Whether the session was read or written during the request, set by the
    #: request context whenever the session is reached through it; a response
    #: then gets ``Vary: Cookie``.
    accessed = False


class SecureCookieSession(CallbackDict[str, t.Any], SessionMixin):
    """The default session: a dict that sets :attr:`modified` when changed.
    Changes inside mutable values need ``modified = True`` by hand."""

    modified = False

    def __init__(self, initial: cabc.Mapping[str, t.Any] | None = None) -> None:
        def on_update(self: SecureCookieSession) -> None:
            self.modified = True

        super().__init__(initial, on_update)


class NullSession(SecureCookieSession):
    """The session when no secret key is set: readable and empty; writing raises
    ``RuntimeError``."""

    def _fail(self, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        raise RuntimeError(
            "The session is unavailable because no secret "
            "key was set.  Set the secret_key on the "
            "application to something unique and secret."
        )

    __setitem__ = __delitem__ = clear = pop = popitem = update = setdefault = _fail
    del _fail


class SessionInterface:
    """How sessions are loaded and saved; implement :meth:`open_session` and
    :meth:`save_session`, the cookie settings have defaults from the config."""

    #: The session class of :meth:`make_null_session`.
    null_session_class = NullSession
    #: Forbid saving while a streamed response is still being sent.
    pickle_based = False
    #: Open the session only when the request first uses it. Interfaces whose
    #: ``open_session`` has side effects or needs to run at push keep ``False``.
    open_lazily = False

    def make_null_session(self, app: Kolben) -> NullSession:
        """The session used when :meth:`open_session` returns ``None``."""
        return self.null_session_class()

    def is_null_session(self, obj: object) -> bool:
        """Whether ``obj`` is a null session (never saved)."""
        return isinstance(obj, self.null_session_class)

    def get_cookie_name(self, app: Kolben) -> str:
        """``SESSION_COOKIE_NAME``."""
        return app.config["SESSION_COOKIE_NAME"]  # type: ignore[no-any-return]

    def get_cookie_domain(self, app: Kolben) -> str | None:
        """``SESSION_COOKIE_DOMAIN``; ``None`` for a host-only cookie."""
        return app.config["SESSION_COOKIE_DOMAIN"]  # type: ignore[no-any-return]

    def get_cookie_path(self, app: Kolben) -> str:
        """``SESSION_COOKIE_PATH``, else ``APPLICATION_ROOT``."""
        return (  # type: ignore[no-any-return]
            app.config["SESSION_COOKIE_PATH"] or app.config["APPLICATION_ROOT"]
        )

    def get_cookie_httponly(self, app: Kolben) -> bool:
        """``SESSION_COOKIE_HTTPONLY``."""
        return app.config["SESSION_COOKIE_HTTPONLY"]  # type: ignore[no-any-return]

    def get_cookie_secure(self, app: Kolben) -> bool:
        """``SESSION_COOKIE_SECURE``."""
        return app.config["SESSION_COOKIE_SECURE"]  # type: ignore[no-any-return]

    def get_cookie_samesite(self, app: Kolben) -> str | None:
        """``SESSION_COOKIE_SAMESITE``."""
        return app.config["SESSION_COOKIE_SAMESITE"]  # type: ignore[no-any-return]

    def get_cookie_partitioned(self, app: Kolben) -> bool:
        """``SESSION_COOKIE_PARTITIONED``."""
        return app.config["SESSION_COOKIE_PARTITIONED"]  # type: ignore[no-any-return]

    def get_expiration_time(
        self, app: Kolben, session: SessionMixin
    ) -> datetime | None:
        """Now plus ``PERMANENT_SESSION_LIFETIME`` for a permanent session, else
        ``None`` (a browser-session cookie)."""
        if session.permanent:
            return datetime.now(timezone.utc) + app.permanent_session_lifetime
        return None

    def should_set_cookie(self, app: Kolben, session: SessionMixin) -> bool:
        """Whether to send the cookie: when modified, or for a permanent session
        with ``SESSION_REFRESH_EACH_REQUEST``."""
        return session.modified or (
            session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]
        )

    def open_session(self, app: Kolben, request: Request) -> SessionMixin | None:
        """The session for ``request``, or ``None`` for a null session."""
        raise NotImplementedError()

    def save_session(
        self, app: Kolben, session: SessionMixin, response: Response
    ) -> None:
        """Store ``session`` on ``response``; not called for a null session."""
        raise NotImplementedError()


session_json_serializer = TaggedJSONSerializer()


def _lazy_sha1(string: bytes = b"") -> t.Any:
    return hashlib.sha1(string)


class SecureCookieSessionInterface(SessionInterface):
    """Sessions in a cookie signed with ``SECRET_KEY``; cookies signed with a
    key in ``SECRET_KEY_FALLBACKS`` are still accepted."""

    #: Salt mixed into the secret key for signing.
    salt = "cookie-session"
    #: Signature hash function.
    digest_method = staticmethod(_lazy_sha1)
    #: itsdangerous key derivation.
    key_derivation = "hmac"
    #: Payload serializer: compact tagged JSON.
    serializer = session_json_serializer
    session_class = SecureCookieSession
    open_lazily = True

    def get_signing_serializer(self, app: Kolben) -> URLSafeTimedSerializer | None:
        """The serializer for the app's keys, or ``None`` without a secret key."""
        if not app.secret_key:
            return None
        keys: list[str | bytes] = list(app.config["SECRET_KEY_FALLBACKS"] or ())
        keys.append(app.secret_key)  # itsdangerous signs with the last key
        return URLSafeTimedSerializer(
            keys,  # type: ignore[arg-type]
            salt=self.salt,
            serializer=self.serializer,
            signer_kwargs={
                "key_derivation": self.key_derivation,
                "digest_method": self.digest_method,
            },
        )

    def open_session(self, app: Kolben, request: Request) -> SecureCookieSession | None:
        """The cookie's data, an empty session when it is missing, expired or
        badly signed, or ``None`` without a secret key."""
        s = self.get_signing_serializer(app)
        if s is None:
            return None
        val = request.cookies.get(self.get_cookie_name(app))
        if not val:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            return self.session_class(s.loads(val, max_age=max_age))
        except BadSignature:
            return self.session_class()

    def save_session(
        self, app: Kolben, session: SessionMixin, response: Response
    ) -> None:
        """Set, refresh or delete the cookie. The response varies on ``Cookie``
        whenever the session was accessed or the cookie is set or deleted."""
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        secure = self.get_cookie_secure(app)
        partitioned = self.get_cookie_partitioned(app)
        samesite = self.get_cookie_samesite(app)
        httponly = self.get_cookie_httponly(app)

        if session.accessed:
            response.vary.add("Cookie")

        if not session:
            if session.modified:
                response.delete_cookie(
                    name,
                    domain=domain,
                    path=path,
                    secure=secure,
                    partitioned=partitioned,
                    samesite=samesite,
                    httponly=httponly,
                )
                response.vary.add("Cookie")
            return

        if not self.should_set_cookie(app, session):
            return

        expires = self.get_expiration_time(app, session)
        val = self.get_signing_serializer(app).dumps(dict(session))  # type: ignore[union-attr]
        response.set_cookie(
            name,
            val,
            expires=expires,
            httponly=httponly,
            domain=domain,
            path=path,
            secure=secure,
            partitioned=partitioned,
            samesite=samesite,
        )
        response.vary.add("Cookie")
