"""The bridge to the Rust router: Werkzeug's matcher interface on ``kolben._router``.

``Map`` keeps one :class:`NativeMatcher` in ``_matcher``, where Werkzeug keeps its
``StateMachineMatcher``: rules are added to a Rust builder as they come (so
malformed and conflicting rules fail at ``add``), and ``update()`` swaps in a new
frozen router, which threads then share without locks.
"""

from __future__ import annotations

import typing as t
import uuid
from urllib.parse import quote

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing.converters import AnyConverter, BaseConverter, IntegerConverter
from werkzeug.routing.rules import Rule as _WerkzeugRule

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


#: Characters Werkzeug leaves unquoted in a path (the URL spec's path-segment
#: set): in a rule's static text, and in a redirect's path.
PATH_SAFE = "!$&'()*+,/:;=@"

#: The ``Rule`` methods the native builder does the work of; a subclass that
#: overrides one of them is built by Python.
_BUILD_METHODS = ("suitable_for", "build", "_encode_query_vars", "build_compare_key")


def _to_url_kind(converter: BaseConverter) -> tuple[str, t.Any]:
    """How the native builder runs ``converter.to_url``: ``("quote", None)``
    for ``BaseConverter.to_url``, ``("int", fixed_digits)`` and ``("any",
    items)`` for those built-ins, ``("call", None)`` for any other (a
    ``to_url`` set on the instance included)."""
    to_url = getattr(converter.to_url, "__func__", None)
    if to_url is BaseConverter.to_url:
        return "quote", None
    if type(converter) is IntegerConverter and to_url is IntegerConverter.to_url:
        return "int", int(converter.fixed_digits)
    if (
        type(converter) is AnyConverter
        and to_url is AnyConverter.to_url
        and all(type(item) is str for item in converter.items)
    ):
        return "any", sorted(converter.items)
    return "call", None


def build_spec(rule: Rule) -> tuple[t.Any, ...] | None:
    """``rule`` as the native builder takes it (see rust/py/build.rs), or
    ``None`` when only Werkzeug's own code can build it exactly."""
    cls = type(rule)
    if any(
        getattr(cls, name) is not getattr(_WerkzeugRule, name)
        for name in _BUILD_METHODS
    ):
        return None
    defaults = rule.defaults or {}
    if not all(type(key) is str for key in defaults):
        return None
    domain: list[t.Any] = []
    path: list[t.Any] = []
    pieces = domain
    for is_dynamic, data in rule._trace:
        if data == "|" and pieces is domain:
            pieces = path
        elif is_dynamic and data in defaults:
            text = rule._converters[data].to_url(defaults[data])
            if type(text) is not str:
                return None
            pieces.append(text)
        elif not is_dynamic:
            pieces.append(quote(data, safe=PATH_SAFE))
        else:
            converter = rule._converters[data]
            pieces.append((data, converter, *_to_url_kind(converter)))
    variables = [data for is_dynamic, data in rule._trace if is_dynamic]
    return (
        rule,
        sorted(rule.methods) if rule.methods is not None else None,
        [key for key in rule.arguments if key not in defaults],
        list(defaults.items()),
        [name for name in variables if name not in defaults] + list(defaults),
        domain,
        path,
        bool(rule.websocket),
    )


def build_specs(rules: list[Rule]) -> list[tuple[t.Any, ...]] | None:
    """An endpoint's rules for the native builder; ``None`` if one of them needs
    Werkzeug's code."""
    specs = []
    for rule in rules:
        spec = build_spec(rule)
        if spec is None:
            return None
        specs.append(spec)
    return specs


class NativeMatcher:
    """Werkzeug's ``StateMachineMatcher`` interface over the Rust router.

    ``update()`` also compiles every endpoint's rules for URL building (in
    Werkzeug's build order), so that one snapshot serves both.
    """

    def __init__(
        self, merge_slashes: bool, rules_by_endpoint: dict[t.Any, list[Rule]]
    ) -> None:
        self.merge_slashes = merge_slashes
        self._rules_by_endpoint = rules_by_endpoint
        self._builder = _router.RouterBuilder(
            merge_slashes=merge_slashes,
            uuid_class=uuid.UUID,
            validation_error=ValidationError,
            special=Special,
            not_found=NotFound,
            method_not_allowed=MethodNotAllowed,
            # HTTPException.__init__ only sets `response`: made natively.
            bare_not_found=NotFound.__init__ is HTTPException.__init__,
        )
        self._rules: list[Rule] = []
        self.router: _router.Router = self._builder.build(
            merge_slashes=merge_slashes, payloads=[]
        )
        #: The router the native adapter methods read; ``Map.add`` clears it.
        self.routers = _router.RouterCell()

    @property
    def rules(self) -> list[Rule]:
        """The rules added so far, in the order of their native indexes."""
        return self._rules

    def add(self, rule: Rule, allow_conflict: bool = False) -> None:
        """Adds a bound rule; raises ``RouteConflictError`` if it conflicts with
        an earlier one (unless ``allow_conflict``: it then comes after it) and
        ``ValueError`` if it is malformed."""
        self._builder.add(
            rule.rule, allow_conflict=allow_conflict, **rule_options(rule)
        )
        self._rules.append(rule)

    def update(self) -> None:
        """Swaps in a frozen router over every rule added so far."""
        payloads = [self._payload(rule) for rule in self._rules]
        for rules in self._rules_by_endpoint.values():
            # Werkzeug's Map.update sorts them so too, after this.
            rules.sort(key=lambda rule: rule.build_compare_key())
        builds = [
            (endpoint, build_specs(rules))
            for endpoint, rules in self._rules_by_endpoint.items()
        ]
        self.router = self._builder.build(
            merge_slashes=self.merge_slashes, payloads=payloads, builds=builds
        )
        self.routers.set(self.router)

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
