"""Route tables, probes and routers shared by the routing benchmarks.

Every peer is built from the same table of ``(method, rule)`` routes, with rules in
Werkzeug syntax. Werkzeug and kolben get one :class:`Rule` per route (endpoint
``"METHOD rule"``); Falcon and pymatchit, which route paths but not methods, get one
route per distinct rule.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent / "data"
SYNTHETIC_SIZES = (10, 100, 1_000, 10_000)
TABLE_NAMES = ("github", *(f"synthetic-{n}" for n in SYNTHETIC_SIZES))

_PARAM = re.compile(r"<(?:[^:<>]+:)?(\w+)>")

Route = tuple[str, str]


@dataclass(frozen=True)
class Probe:
    """A request to route and the answer every peer must give."""

    kind: str
    path: str
    method: str = "GET"
    rule: str | None = None  # None: the path matches no rule
    values: dict[str, str] = field(default_factory=dict)

    @property
    def brace_rule(self) -> str | None:
        """The expected rule in Falcon's and matchit's syntax."""
        return None if self.rule is None else brace_rule(self.rule)

    @property
    def endpoint(self) -> str | None:
        """The Werkzeug/kolben endpoint of the expected rule."""
        return None if self.rule is None else endpoint_name(self.method, self.rule)


@dataclass(frozen=True)
class Table:
    """A named route table with one probe per kind."""

    name: str
    routes: tuple[Route, ...]
    probes: dict[str, Probe]


def endpoint_name(method: str, rule: str) -> str:
    """The endpoint a benchmark map gives the route ``method rule``."""
    return f"{method} {rule}"


def load_routes(filename: str) -> list[Route]:
    """Read ``METHOD RULE`` lines from ``benches/data``, skipping comments."""
    routes = []
    for line in (DATA / filename).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            method, rule = line.split()
            routes.append((method, rule))
    return routes


def github_table() -> Table:
    """The GitHub API table of the classic HTTP router benchmarks (203 routes)."""
    probes = [
        Probe("static", "/user/repos", rule="/user/repos"),
        Probe(
            "1-param",
            "/users/julienschmidt/gists",
            rule="/users/<user>/gists",
            values={"user": "julienschmidt"},
        ),
        Probe(
            "3-param",
            "/repos/julienschmidt/httprouter/issues/42",
            rule="/repos/<owner>/<repo>/issues/<number>",
            values={"owner": "julienschmidt", "repo": "httprouter", "number": "42"},
        ),
        Probe("miss", "/repos/julienschmidt/httprouter/nope"),
    ]
    routes = tuple(load_routes("github_api.txt"))
    return Table("github", routes, {p.kind: p for p in probes})


def synthetic_table(size: int) -> Table:
    """A REST-like table of ``size`` routes: resources of four routes each.

    Resource ``j`` lives under ``/api/v{j // 25}/res{j}`` with a static list route, a
    1-param item route, a 3-param route and a POST-only edit route. The probes hit the
    last resource that has each shape, so a router that scans its rules pays in full.
    """
    shapes: list[tuple[str, str]] = [
        ("GET", "{base}"),
        ("GET", "{base}/<id>"),
        ("GET", "{base}/<id>/<repo>/items/<number>"),
        ("POST", "{base}/<id>/edit"),
    ]
    routes: list[Route] = []
    last: dict[int, tuple[int, str]] = {}
    for i in range(size):
        j, shape = divmod(i, len(shapes))
        method, template = shapes[shape]
        rule = template.format(base=f"/api/v{j // 25}/res{j}")
        routes.append((method, rule))
        last[shape] = (j, rule)

    def base(shape: int) -> str:
        j = last[shape][0]
        return f"/api/v{j // 25}/res{j}"

    probes = [
        Probe("static", base(0), rule=last[0][1]),
        Probe("1-param", f"{base(1)}/7", rule=last[1][1], values={"id": "7"}),
        Probe(
            "3-param",
            f"{base(2)}/7/kolben/items/42",
            rule=last[2][1],
            values={"id": "7", "repo": "kolben", "number": "42"},
        ),
        Probe("miss", f"{base(2)}/7/kolben/nope/42"),
    ]
    return Table(f"synthetic-{size}", tuple(routes), {p.kind: p for p in probes})


@functools.cache
def get_table(name: str) -> Table:
    """The table called ``name`` (one of :data:`TABLE_NAMES`)."""
    if name == "github":
        return github_table()
    return synthetic_table(int(name.removeprefix("synthetic-")))


def brace_rule(rule: str) -> str:
    """``/users/<user>`` in the ``{user}`` syntax of Falcon and matchit."""
    return _PARAM.sub(r"{\1}", rule)


def distinct_rules(routes: tuple[Route, ...]) -> list[str]:
    """The rules of ``routes`` in order, each once."""
    return list(dict.fromkeys(rule for _, rule in routes))


def build_map(map_class: type[Any], rule_class: type[Any], routes: tuple[Route, ...]):
    """A Werkzeug-style map with one rule per route."""
    return map_class(
        [
            rule_class(rule, endpoint=endpoint_name(method, rule), methods=[method])
            for method, rule in routes
        ]
    )


@functools.cache
def werkzeug_map(name: str) -> Any:
    """Werkzeug's ``Map`` for table ``name``, compiled."""
    from werkzeug.routing import Map, Rule

    return _compiled(build_map(Map, Rule, get_table(name).routes))


@functools.cache
def kolben_map(name: str) -> Any:
    """kolben's ``Map`` for table ``name``, compiled."""
    from kolben.routing import Map, Rule

    return _compiled(build_map(Map, Rule, get_table(name).routes))


def _compiled(url_map: Any) -> Any:
    # Both maps compile lazily on the first match; pay for it outside the timing.
    url_map.update()
    return url_map


class _FalconResource:
    """A Falcon resource that answers every method the tables use."""

    def on_get(self, req: Any, resp: Any) -> None: ...

    def on_post(self, req: Any, resp: Any) -> None: ...

    def on_put(self, req: Any, resp: Any) -> None: ...

    def on_delete(self, req: Any, resp: Any) -> None: ...


@functools.cache
def falcon_router(name: str) -> Any:
    """Falcon's ``CompiledRouter`` for table ``name``, compiled."""
    from falcon.routing import CompiledRouter

    router = CompiledRouter()
    for rule in distinct_rules(get_table(name).routes):
        router.add_route(brace_rule(rule), _FalconResource())
    router.find("/")  # compiles the router
    return router


@functools.cache
def matchit_router(name: str) -> Any:
    """pymatchit's ``PyRouter`` for table ``name``; each route's value is its rule."""
    from pymatchit import PyRouter

    router = PyRouter()
    for rule in distinct_rules(get_table(name).routes):
        template = brace_rule(rule)
        router.insert(template, template)
    return router


class Tables:
    """The benchmark tables and every peer's router for them, built once."""

    table = staticmethod(get_table)
    werkzeug_map = staticmethod(werkzeug_map)
    kolben_map = staticmethod(kolben_map)
    falcon_router = staticmethod(falcon_router)
    matchit_router = staticmethod(matchit_router)


@pytest.fixture(scope="session")
def tables() -> Tables:
    """Tables and routers, cached for the whole session."""
    return Tables()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that takes ``table_name`` on every table."""
    if "table_name" in metafunc.fixturenames:
        metafunc.parametrize("table_name", TABLE_NAMES)
