"""Werkzeug-compatible URL routing on kolben's Rust router.

``kolben.routing`` has the public names of ``werkzeug.routing``; rules, converters
and exceptions are interchangeable with Werkzeug's. :class:`Map` also works as
Flask's ``url_map_class``.
"""

from __future__ import annotations

from .converters import AnyConverter as AnyConverter
from .converters import BaseConverter as BaseConverter
from .converters import FloatConverter as FloatConverter
from .converters import IntegerConverter as IntegerConverter
from .converters import NumberConverter as NumberConverter
from .converters import PathConverter as PathConverter
from .converters import UnicodeConverter as UnicodeConverter
from .converters import UUIDConverter as UUIDConverter
from .converters import ValidationError as ValidationError
from .exceptions import BuildError as BuildError
from .exceptions import NoMatch as NoMatch
from .exceptions import RequestAliasRedirect as RequestAliasRedirect
from .exceptions import RequestPath as RequestPath
from .exceptions import RequestRedirect as RequestRedirect
from .exceptions import RouterPanic as RouterPanic
from .exceptions import RoutingException as RoutingException
from .exceptions import WebsocketMismatch as WebsocketMismatch
from .map import Map as Map
from .map import MapAdapter as MapAdapter
from .policy import RouteConflictWarning as RouteConflictWarning
from .policy import RuleSource as RuleSource
from .rules import EndpointPrefix as EndpointPrefix
from .rules import Rule as Rule
from .rules import RuleFactory as RuleFactory
from .rules import RuleTemplate as RuleTemplate
from .rules import Subdomain as Subdomain
from .rules import Submount as Submount
from .rules import parse_converter_args as parse_converter_args

__all__ = [
    "AnyConverter",
    "BaseConverter",
    "BuildError",
    "EndpointPrefix",
    "FloatConverter",
    "IntegerConverter",
    "Map",
    "MapAdapter",
    "NoMatch",
    "NumberConverter",
    "PathConverter",
    "RequestAliasRedirect",
    "RequestPath",
    "RequestRedirect",
    "RouteConflictWarning",
    "RouterPanic",
    "RoutingException",
    "RuleSource",
    "Rule",
    "RuleFactory",
    "RuleTemplate",
    "Subdomain",
    "Submount",
    "UnicodeConverter",
    "UUIDConverter",
    "ValidationError",
    "WebsocketMismatch",
    "parse_converter_args",
]
