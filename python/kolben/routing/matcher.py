"""The bridge to the Rust router: Werkzeug's matcher interface on ``kolben._router``.

``Map`` keeps one :class:`NativeMatcher` in ``_matcher``, where Werkzeug keeps its
``StateMachineMatcher``: rules are added to a Rust builder as they come (so
malformed and conflicting rules fail at ``add``), and ``update()`` swaps in a new
frozen router, which threads then share without locks.
"""

from __future__ import annotations

import typing as t
import uuid

from werkzeug.exceptions import MethodNotAllowed, NotFound

from .. import _router
from .converters import DEFAULT_CONVERTERS, ValidationError
from .exceptions import NoMatch, RequestAliasRedirect, RequestPath

if t.TYPE_CHECKING:
    from .rules import Rule

#: Converter classes matched natively; any other class (a subclass included) is
#: custom: its regex runs in Rust and its ``to_python`` in Python.
BUILTIN_CONVERTERS = frozenset(DEFAULT_CONVERTERS.values())


class Special:
    """A rule whose match needs more than its values: an alias, a redirect, or a
    rule that an earlier rule for the same endpoint provides defaults for."""

    __slots__ = ("rule",)

    def __init__(self, rule: Rule) -> None:
        self.rule = rule


def rule_options(rule: Rule) -> dict[str, t.Any]:
    """The keyword arguments for ``RouterBuilder.add`` describing ``rule``."""
    rule_map = rule.map
    domain = (rule.host if rule_map.host_matching else rule.subdomain) or ""
    converters = [
        (name, conv.regex, int(conv.weight), bool(conv.part_isolating), conv.to_python)
        for name, conv in rule._converters.items()
        if type(conv) not in BUILTIN_CONVERTERS
    ]
    automatic = getattr(rule, "provide_automatic_options", False)
    return {
        "domain": domain,
        "methods": sorted(rule.methods) if rule.methods is not None else None,
        "implicit_methods": ["OPTIONS"] if automatic else [],
        "websocket": bool(rule.websocket),
        "strict_slashes": bool(rule.strict_slashes),
        "merge_slashes": bool(rule.merge_slashes),
        "converters": converters,
        "defaults": dict(rule.defaults) if rule.defaults else None,
    }


class NativeMatcher:
    """Werkzeug's ``StateMachineMatcher`` interface over the Rust router."""

    def __init__(self, merge_slashes: bool) -> None:
        self.merge_slashes = merge_slashes
        self._builder = _router.RouterBuilder(
            merge_slashes=merge_slashes,
            uuid_class=uuid.UUID,
            validation_error=ValidationError,
            special=Special,
            not_found=NotFound,
            method_not_allowed=MethodNotAllowed,
        )
        self._rules: list[Rule] = []
        self.router: _router.Router = self._builder.build(
            merge_slashes=merge_slashes, payloads=[]
        )

    def add(self, rule: Rule) -> None:
        """Adds a bound rule; raises ValueError if it conflicts with an earlier one."""
        self._builder.add(rule.rule, **rule_options(rule))
        self._rules.append(rule)

    def update(self) -> None:
        """Swaps in a frozen router over every rule added so far."""
        payloads = [self._payload(rule) for rule in self._rules]
        self.router = self._builder.build(
            merge_slashes=self.merge_slashes, payloads=payloads
        )

    def _payload(self, rule: Rule) -> Rule | Special:
        rule_map = rule.map
        special = rule.redirect_to is not None or (
            rule_map.redirect_defaults
            and (
                rule.alias
                or any(
                    other.provides_defaults_for(rule)
                    for other in rule_map._rules_by_endpoint.get(rule.endpoint, ())
                )
            )
        )
        return Special(rule) if special else rule

    def match(
        self, domain: str, path: str, method: str, websocket: bool
    ) -> tuple[Rule, t.MutableMapping[str, t.Any]]:
        """Matches like Werkzeug's matcher, raising its internal exceptions."""
        result = self.router.match(domain, path, method, websocket)
        if isinstance(result, tuple):
            payload, values = result
            rule = payload.rule if type(payload) is Special else payload
            if rule.alias and rule.map.redirect_defaults:
                raise RequestAliasRedirect(values, rule.endpoint)
            return rule, values
        if isinstance(result, str):
            raise RequestPath(result)
        if result is False:
            raise NoMatch(set(), True)
        raise NoMatch(set(result or ()), False)
