"""The benchmark of an app's own URL map: one probe per rule (a URL made for it
by :mod:`~kolben.bench.urls`), routed by kolben's ``MapAdapter.match`` and by
Werkzeug's on a copy of the map; the two answers must be the same, then both
are timed on every probe, paired round by round.

Werkzeug's map gets a copy of every rule (``Rule.empty()``: the same string,
endpoint, methods, defaults, subdomain or host, strict slashes, redirects and
aliases, plus websocket and merge slashes) and the app map's options and
converters. kolben routes with the app's own map when it is a
:class:`kolben.routing.Map`, else with a copy made the same way. Each probe
asks for ``GET`` when the rule allows it, else for the first of its methods.
"""

from __future__ import annotations

import statistics
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import Map as WerkzeugMap
from werkzeug.routing import Rule
from werkzeug.routing.exceptions import RequestRedirect

from ..routing import Map as KolbenMap
from .peers import Call, WrongAnswer
from .timing import (
    MIN_ROUND_SECONDS,
    Progress,
    RoundCounter,
    Timing,
    no_progress,
    paired_ratio,
    time_probes,
)
from .urls import NoURL, converters_of, make_url

#: The routers an app run times, the baseline first.
APP_PEERS = ("werkzeug", "kolben")
#: The kinds of rule, in the order the results list them.
RULE_KINDS = ("static", "1-param", "multi-param", "path")
#: The ten slowest rules: how many the results name.
SLOWEST = 10


def rule_kind(rule: Rule) -> str:
    """``path`` for a rule with a variable that can match ``/`` (a ``path``
    converter or another that is not part-isolating), else ``static``,
    ``1-param`` or ``multi-param`` by its number of variables (host and
    subdomain ones included)."""
    converters = converters_of(rule).values()
    if any(not converter.part_isolating for converter in converters):
        return "path"
    count = len(converters)
    return "static" if count == 0 else "1-param" if count == 1 else "multi-param"


def describe(rule: Rule) -> str:
    """The rule as the results name it: its string, with the host or the
    subdomain in front when it has one, and its endpoint."""
    domain = rule.host if rule.map.host_matching else rule.subdomain
    where = f"{domain} {rule.rule}" if domain else rule.rule
    return f"{where} ({rule.endpoint})"


def probe_method(rule: Rule) -> str:
    """``GET`` when the rule allows it (or any method), else the first of its
    methods other than ``HEAD`` and ``OPTIONS``, else the first."""
    methods = rule.methods
    if not methods or "GET" in methods:
        return "GET"
    chosen = sorted(methods - {"HEAD", "OPTIONS"}) or sorted(methods)
    return chosen[0]


@dataclass(frozen=True)
class AppProbe:
    """A rule, the URL made for it, and the answer both routers gave."""

    index: int  # the rule's position in the map
    rule: str  # as :func:`describe` gives it
    kind: str
    method: str
    path: str
    domain: str
    websocket: bool
    answer: tuple[Any, ...]


@dataclass(frozen=True)
class Unmade:
    """A rule with no URL made for it, and why."""

    rule: str
    reason: str


@dataclass(frozen=True)
class AppPlan:
    """The probes of an app's map, checked, with the calls that time them."""

    name: str
    rules: int
    probes: tuple[AppProbe, ...]
    unmade: tuple[Unmade, ...]
    build_only: tuple[str, ...]
    calls: tuple[dict[str, Call], ...]  # one per probe: peer -> call


@dataclass(frozen=True)
class AppRun:
    """An app run: its plan and each probe's timings by peer."""

    plan: AppPlan
    timings: tuple[dict[str, Timing], ...]  # one per probe
    rounds: int
    min_round_seconds: float

    def ratio(self, index: int) -> float:
        """Probe ``index``'s Werkzeug time over kolben's, paired round by round."""
        by_peer = self.timings[index]
        return paired_ratio(by_peer["werkzeug"].round_ns, by_peer["kolben"].round_ns)

    def by_kind(self) -> dict[str, list[int]]:
        """The probes' indexes by rule kind, kinds in :data:`RULE_KINDS` order."""
        groups: dict[str, list[int]] = {kind: [] for kind in RULE_KINDS}
        for index, probe in enumerate(self.plan.probes):
            groups[probe.kind].append(index)
        return {kind: indexes for kind, indexes in groups.items() if indexes}

    def summary(self, indexes: Iterable[int]) -> dict[str, float]:
        """The median over the probes ``indexes`` of each peer's median ns, and
        of the ratios (``ratio``)."""
        chosen = list(indexes)
        row = {
            peer: statistics.median(self.timings[i][peer].ns for i in chosen)
            for peer in APP_PEERS
        }
        row["ratio"] = statistics.median(self.ratio(i) for i in chosen)
        return row

    def slowest(self, count: int = SLOWEST) -> list[int]:
        """The probes kolben takes longest on, slowest first."""
        order = sorted(
            range(len(self.timings)), key=lambda i: -self.timings[i]["kolben"].ns
        )
        return order[:count]


def werkzeug_copy(url_map: WerkzeugMap) -> WerkzeugMap:
    """A Werkzeug ``Map`` with copies of the rules and options of ``url_map``."""
    return _copy(WerkzeugMap, url_map)


def kolben_copy(url_map: WerkzeugMap) -> KolbenMap:
    """A kolben ``Map`` with copies of the rules and options of ``url_map``;
    conflicting rules are kept behind the earlier ones without a warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _copy(KolbenMap, url_map)


_M = TypeVar("_M", bound=WerkzeugMap)


def _copy(map_class: type[_M], url_map: WerkzeugMap) -> _M:
    copied = map_class(
        default_subdomain=url_map.default_subdomain,
        strict_slashes=url_map.strict_slashes,
        merge_slashes=url_map.merge_slashes,
        redirect_defaults=url_map.redirect_defaults,
        converters=url_map.converters,
        sort_parameters=url_map.sort_parameters,
        sort_key=url_map.sort_key,
        host_matching=url_map.host_matching,
    )
    for rule in url_map.iter_rules():
        copy = rule.empty()
        copy.websocket = rule.websocket
        copy.merge_slashes = rule.merge_slashes
        copied.add(copy)
    copied.update()
    return copied


def _route(adapter: Any, *args: Any) -> Any:
    """``adapter.match(*args)``'s answer or the HTTP exception it raised."""
    try:
        return adapter.match(*args)
    except HTTPException as error:
        return error


def answer(result: Any) -> tuple[Any, ...]:
    """What the two routers must agree on: the endpoint and values of a match,
    the URL of a redirect, the allowed methods of a 405, the type of any
    other exception."""
    if isinstance(result, RequestRedirect):
        return ("redirect", result.new_url)
    if isinstance(result, MethodNotAllowed):
        return ("405", sorted(result.valid_methods or ()))
    if isinstance(result, HTTPException):
        return (type(result).__name__,)
    endpoint, values = result
    return ("match", endpoint, dict(values))


def plan_app(
    url_map: WerkzeugMap, name: str = "app", progress: Progress = no_progress
) -> AppPlan:
    """Make a URL for every rule of ``url_map`` that is not build-only, route
    it with Werkzeug and with kolben, and check the answers agree.

    :raises WrongAnswer: kolben answered a probe differently from Werkzeug;
        the message names every such rule (before any timing).
    """
    kolben_map = url_map if isinstance(url_map, KolbenMap) else kolben_copy(url_map)
    maps = {"werkzeug": werkzeug_copy(url_map), "kolben": kolben_map}
    adapters: dict[tuple[str, str], Any] = {}

    def adapter(peer: str, domain: str) -> Any:
        if (peer, domain) not in adapters:
            if url_map.host_matching:
                bound = maps[peer].bind(domain)
            elif domain == url_map.default_subdomain:
                # As Flask binds a request without subdomain matching.
                bound = maps[peer].bind("localhost")
            else:
                bound = maps[peer].bind("localhost", subdomain=domain)
            adapters[peer, domain] = bound
        return adapters[peer, domain]

    rules = list(kolben_map.iter_rules())
    probes: list[AppProbe] = []
    calls: list[dict[str, Call]] = []
    unmade: list[Unmade] = []
    build_only: list[str] = []
    wrong: list[str] = []
    for index, rule in enumerate(rules):
        progress(index, len(rules))
        if rule.build_only:
            build_only.append(describe(rule))
            continue
        try:
            url = make_url(rule)
        except NoURL as error:
            unmade.append(Unmade(describe(rule), str(error)))
            continue
        method = probe_method(rule)
        answers = {}
        by_peer: dict[str, Call] = {}
        args: tuple[Any, ...] = (url.path, method)
        if rule.websocket:
            args += (False, None, True)  # return_rule, query_args, websocket
        for peer in APP_PEERS:
            bound = adapter(peer, url.domain)
            answers[peer] = answer(_route(bound, *args))
            # A match is timed as the plain call; anything else with its except.
            if answers[peer][0] == "match":
                by_peer[peer] = (bound.match, args)
            else:
                by_peer[peer] = (_route, (bound, *args))
        if answers["kolben"] != answers["werkzeug"]:
            wrong.append(
                f"{describe(rule)}: {method} {url.domain}{url.path} -> kolben"
                f" {answers['kolben']!r}, Werkzeug {answers['werkzeug']!r}"
            )
            continue
        probes.append(
            AppProbe(
                index=index,
                rule=describe(rule),
                kind=rule_kind(rule),
                method=method,
                path=url.path,
                domain=url.domain,
                websocket=rule.websocket,
                answer=answers["werkzeug"],
            )
        )
        calls.append(by_peer)
    progress(len(rules), len(rules))
    if wrong:
        raise WrongAnswer(
            f"kolben and Werkzeug differ on {len(wrong)} of {len(rules)} rules:\n"
            + "\n".join(wrong)
        )
    return AppPlan(
        name, len(rules), tuple(probes), tuple(unmade), tuple(build_only), tuple(calls)
    )


def time_app(
    plan: AppPlan,
    rounds: int = 7,
    min_round_seconds: float = MIN_ROUND_SECONDS,
    progress: Progress = no_progress,
) -> AppRun:
    """Time Werkzeug and kolben on every probe of ``plan``: ``rounds`` rounds of
    at least ``min_round_seconds`` (:func:`~kolben.bench.timing.time_probes`:
    every probe in each round, the two routers one after the other)."""
    counter = RoundCounter(len(plan.probes) * rounds, progress)
    probes = [
        (plan.name, probe.kind, by_peer)
        for probe, by_peer in zip(plan.probes, plan.calls)
    ]
    timed = time_probes(probes, rounds, min_round_seconds * 1e9, counter.advance)
    timings = tuple({t.peer: t for t in by_peer} for by_peer in timed)
    return AppRun(plan, timings, rounds, min_round_seconds)
