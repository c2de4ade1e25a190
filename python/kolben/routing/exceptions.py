"""Routing exceptions: Werkzeug's, so ``except`` clauses written for Werkzeug work."""

from __future__ import annotations

from werkzeug.routing.exceptions import BuildError as BuildError
from werkzeug.routing.exceptions import NoMatch as NoMatch
from werkzeug.routing.exceptions import RequestAliasRedirect as RequestAliasRedirect
from werkzeug.routing.exceptions import RequestPath as RequestPath
from werkzeug.routing.exceptions import RequestRedirect as RequestRedirect
from werkzeug.routing.exceptions import RoutingException as RoutingException
from werkzeug.routing.exceptions import WebsocketMismatch as WebsocketMismatch

__all__ = [
    "BuildError",
    "NoMatch",
    "RequestAliasRedirect",
    "RequestPath",
    "RequestRedirect",
    "RoutingException",
    "WebsocketMismatch",
]
