"""Finding the rules of a map that match exactly the same URLs, for
``kolben routes --check``.

Werkzeug's map (and so any Flask app's) lets the first of two such rules win
silently; kolben's :class:`~kolben.routing.Map` warns (:mod:`.policy`).
:func:`route_conflicts` lists every such pair of an app's rules at once,
whichever map class the app uses, by asking a fresh strict kolben Map.
"""

from __future__ import annotations

import re
import typing as t

from .map import Map
from .policy import added_by_package, describe

if t.TYPE_CHECKING:  # pragma: no cover
    from werkzeug.routing import Map as AnyMap
    from werkzeug.routing import Rule

#: What a rule's endpoint has; ``has_view(endpoint)`` is false for an endpoint
#: alias that only ``url_for`` uses.
HasView = t.Callable[[str], bool]

_Shape = tuple[t.Optional[str], t.Optional[str], str]
_PARAMETER = re.compile(r"<[^>]*>")
_SLASHES = re.compile(r"/+")


class Conflict(t.NamedTuple):
    """``later`` matches exactly the URLs of ``earlier`` for an overlapping
    method, so the earlier rule serves them and ``later`` never does. A rule
    kolben's router refuses on its own (a rule it cannot parse) comes with
    ``earlier`` ``None``."""

    earlier: Rule | None
    later: Rule
    #: Both rules (with where they were added, when the map recorded it) and
    #: the shared methods; or why the lone rule is refused.
    message: str

    @property
    def between_packages(self) -> bool:
        """Whether installed packages added both rules (not the app's own
        code): the app's author cannot change them, and kolben's map only
        logs such a conflict."""
        return (
            self.earlier is not None
            and added_by_package(self.earlier)
            and added_by_package(self.later)
        )


def route_conflicts(url_map: AnyMap, has_view: HasView | None = None) -> list[Conflict]:
    """Every pair of ``url_map``'s rules that match exactly the same URLs for
    an overlapping method, in the order the later rules were added.

    ``url_map`` is any Werkzeug-style map (a Flask app's too). A pair is no
    conflict when both rules have the same endpoint, when the later rule is a
    blueprint's static route (its endpoint ends in ``.static``; Flask builds
    URLs with it, the earlier rule serves them), or, given ``has_view``, when
    either endpoint has no view function (an endpoint alias only ``url_for``
    uses, as ``app.add_url_rule("/", endpoint="index")`` in Flask's tutorial).
    An app passes ``has_view=lambda e: e in app.view_functions``.
    """
    return [
        conflict
        for conflict in _refused_pairs(url_map)
        if conflict.earlier is None
        or not _allowed(conflict.earlier, conflict.later, has_view)
    ]


def _allowed(earlier: Rule, later: Rule, has_view: HasView | None) -> bool:
    """Whether the policy (module docs) accepts ``later`` beside ``earlier``."""
    if earlier.endpoint == later.endpoint:
        return True
    if isinstance(later.endpoint, str) and later.endpoint.endswith(".static"):
        return True
    return has_view is not None and not (
        has_view(earlier.endpoint) and has_view(later.endpoint)
    )


def _refused_pairs(url_map: AnyMap) -> list[Conflict]:
    """Every pair of rules a fresh strict kolben Map refuses together.

    Each rule is added to one map of all the rules; one it refuses is then
    tried in pairs with the earlier rules of its shape (:func:`_shape`), or
    with all earlier rules when none of those is its partner.
    """
    combined = _fresh_map(url_map)
    earlier: list[Rule] = []
    by_shape: dict[_Shape, list[Rule]] = {}
    refused_shapes: set[_Shape] = set()
    found: list[Conflict] = []
    for rule in url_map.iter_rules():
        shape = _shape(rule)
        same_shape = by_shape.setdefault(shape, [])
        try:
            combined.add(_unbound_copy(rule))
        except ValueError:
            alone = _refusal(url_map, rule)
            if alone is not None:
                found.append(
                    Conflict(None, rule, f"endpoint {rule.endpoint!r}: {alone}")
                )
                continue
            refused_shapes.add(shape)
            pairs = _pairs(url_map, same_shape, rule) or _pairs(url_map, earlier, rule)
        else:
            # Rules the combined map accepted never conflict with each other;
            # only with a refused one, which it lacks.
            pairs = _pairs(url_map, same_shape, rule) if shape in refused_shapes else []
        found.extend(pairs)
        same_shape.append(rule)
        earlier.append(rule)
    return found


def _pairs(url_map: AnyMap, others: list[Rule], rule: Rule) -> list[Conflict]:
    """The rules of ``others`` a fresh map refuses beside ``rule``."""
    return [
        Conflict(other, rule, _message(other, rule))
        for other in others
        if _refusal(url_map, other, rule) is not None
    ]


def _message(earlier: Rule, later: Rule) -> str:
    return (
        f"rule {describe(later)} matches exactly the URLs of rule"
        f" {describe(earlier)} for {_shared_methods(earlier, later)};"
        " the earlier rule serves them"
    )


def _shared_methods(earlier: Rule, later: Rule) -> str:
    """The methods both rules answer, as the router sees them: Flask's
    automatic ``OPTIONS`` answer belongs to no rule."""
    answered = [set(r.methods) for r in (earlier, later) if r.methods is not None]
    if not answered:
        return "every method"
    shared = set.intersection(*answered)
    if any(getattr(r, "provide_automatic_options", False) for r in (earlier, later)):
        shared.discard("OPTIONS")
    return ", ".join(sorted(shared))


def _fresh_map(url_map: AnyMap) -> Map:
    """An empty strict kolben Map with ``url_map``'s settings and custom
    converters (so that the app's own rules parse)."""
    converters = {
        name: converter
        for name, converter in url_map.converters.items()
        if Map.default_converters.get(name) is not converter
    }
    return Map(
        default_subdomain=url_map.default_subdomain,
        strict_slashes=url_map.strict_slashes,
        merge_slashes=url_map.merge_slashes,
        converters=converters,
        host_matching=url_map.host_matching,
        strict_conflicts=True,
    )


def _unbound_copy(rule: Rule) -> Rule:
    """``rule``, unbound, keeping the automatic OPTIONS Flask marks rules with."""
    copy = rule.empty()
    automatic = getattr(rule, "provide_automatic_options", None)
    if automatic is not None:
        copy.provide_automatic_options = automatic  # type: ignore[attr-defined]
    return copy


def _refusal(url_map: AnyMap, *rules: Rule) -> ValueError | None:
    """Why a fresh map refuses ``rules`` together, or ``None``."""
    fresh = _fresh_map(url_map)
    try:
        for rule in rules:
            fresh.add(_unbound_copy(rule))
    except ValueError as e:
        return e
    return None


def _shape(rule: Rule) -> _Shape:
    """What rules matching the same URLs have in common: the domain, and the
    path with parameters blanked and slashes merged (a filter, not a verdict)."""
    return rule.subdomain, rule.host, _SLASHES.sub("/", _PARAMETER.sub("<>", rule.rule))
