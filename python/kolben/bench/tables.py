"""The benchmark's route tables: the GitHub API table and synthetic REST tables of
``(method, rule)`` routes in Werkzeug syntax, each with one :class:`Probe` per kind
(a request to route and the answer every peer must give).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

SYNTHETIC_SIZES = (10, 100, 1_000, 10_000)
TABLE_NAMES = ("github", *(f"synthetic-{n}" for n in SYNTHETIC_SIZES))
KINDS = ("static", "1-param", "3-param", "miss")

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
    """Read ``METHOD RULE`` lines from ``kolben/bench/data``, skipping comments."""
    data = resources.files("kolben.bench") / "data" / filename
    routes = []
    for line in data.read_text(encoding="utf-8").splitlines():
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


def distinct_rules(routes: Iterable[Route]) -> list[str]:
    """The rules of ``routes`` in order, each once."""
    return list(dict.fromkeys(rule for _, rule in routes))
