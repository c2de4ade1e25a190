"""Flask's signed-cookie session, opened only when a request uses it."""

from __future__ import annotations

import typing as t

from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

if t.TYPE_CHECKING:  # pragma: no cover
    from flask import Flask
    from flask.wrappers import Request, Response


class LazyCookieSessionInterface(SecureCookieSessionInterface):
    """Flask's :class:`~flask.sessions.SecureCookieSessionInterface`, the same
    cookies and signatures, made cheap for the requests that never touch the
    session: kolben's request context opens it on first use
    (:attr:`open_lazily`), a request without the session cookie gets a new empty
    session without building a signer, and an empty session nobody read or
    changed is not saved."""

    #: Read by :class:`~kolben.context.KolbenRequestContext`: opening may wait
    #: until the request first uses the session.
    open_lazily = True

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """The request's session; a new empty one when the cookie is absent
        (and a secret key is set), without building a signer."""
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: t.Any, response: Response) -> None:
        """Flask's save, skipped for an empty session that was neither read nor
        changed (for which it would send nothing)."""
        if session or session.modified or session.accessed:
            super().save_session(app, session, response)
