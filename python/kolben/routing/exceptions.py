"""Routing exceptions: Werkzeug's, so ``except`` clauses written for Werkzeug work,
and :class:`RouterPanic`."""

from __future__ import annotations

from werkzeug.routing.exceptions import BuildError as BuildError
from werkzeug.routing.exceptions import NoMatch as NoMatch
from werkzeug.routing.exceptions import RequestAliasRedirect as RequestAliasRedirect
from werkzeug.routing.exceptions import RequestPath as RequestPath
from werkzeug.routing.exceptions import RequestRedirect as RequestRedirect
from werkzeug.routing.exceptions import RoutingException as RoutingException
from werkzeug.routing.exceptions import WebsocketMismatch as WebsocketMismatch


class RouterPanic(RuntimeError):
    """An unexpected failure inside the native router (a Rust panic, which PyO3
    raises as a ``BaseException``), raised again as an ``Exception`` so that
    Flask answers it as any other error: a logged 500. The original is its
    ``__cause__``."""

    @classmethod
    def caused_by(cls, error: BaseException) -> RouterPanic:
        """A RouterPanic for ``error``, with ``error`` as its cause."""
        panic = cls(f"the router failed: {error!r}")
        panic.__cause__ = error
        return panic


#: Exceptions that end a worker on purpose: never turned into a RouterPanic.
FATAL = (KeyboardInterrupt, SystemExit, GeneratorExit)


__all__ = [
    "BuildError",
    "NoMatch",
    "RequestAliasRedirect",
    "RequestPath",
    "RequestRedirect",
    "RouterPanic",
    "RoutingException",
    "WebsocketMismatch",
]
