"""Rules and rule factories: Werkzeug's, re-exported.

A :class:`Rule` is plain data (the rule string, methods, endpoint, options); when it
is added to a :class:`kolben.routing.Map` the map hands it to the Rust router, which
parses it again, reports malformed rules with their position and rejects conflicts.
"""

from __future__ import annotations

from werkzeug.routing.rules import EndpointPrefix as EndpointPrefix
from werkzeug.routing.rules import Rule as Rule
from werkzeug.routing.rules import RuleFactory as RuleFactory
from werkzeug.routing.rules import RuleTemplate as RuleTemplate
from werkzeug.routing.rules import RuleTemplateFactory as RuleTemplateFactory
from werkzeug.routing.rules import Subdomain as Subdomain
from werkzeug.routing.rules import Submount as Submount
from werkzeug.routing.rules import parse_converter_args as parse_converter_args

__all__ = [
    "EndpointPrefix",
    "Rule",
    "RuleFactory",
    "RuleTemplate",
    "RuleTemplateFactory",
    "Subdomain",
    "Submount",
    "parse_converter_args",
]
