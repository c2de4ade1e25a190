"""The native ``MapAdapter.build``: plain builds in one call, the rest through
Werkzeug's method, and the map's later rules seen by adapters bound before."""

from __future__ import annotations

import typing as t

import pytest
from werkzeug.routing import BuildError

from kolben.routing import BaseConverter, Map, MapAdapter, Rule, ValidationError


def _map() -> Map:
    return Map(
        [
            Rule("/", endpoint="index"),
            Rule("/u/<int:user_id>", endpoint="user", methods=["GET", "POST"]),
            Rule("/users/", endpoint="users", defaults={"page": 1}),
            Rule("/users/page/<int:page>", endpoint="users"),
        ]
    )


def test_adapters_get_the_native_build() -> None:
    adapter = _map().bind("example.org", "/app")
    assert type(MapAdapter.__dict__["build"]).__name__ == "method_descriptor"
    assert adapter.build("user", {"user_id": 3}) == "/app/u/3"
    assert adapter.build("users", {"page": 1}) == "/app/users/"
    assert adapter.build("users", {"page": 2, "q": "a b"}) == "/app/users/page/2?q=a+b"
    assert adapter.build("index", force_external=True) == "http://example.org/app/"


def test_rules_added_after_binding_are_built() -> None:
    url_map = _map()
    adapter = url_map.bind("example.org")
    assert adapter.build("index") == "/"
    with pytest.raises(BuildError):
        adapter.build("late")
    url_map.add(Rule("/late/<name>", endpoint="late", build_only=True))
    assert adapter.build("late", {"name": "x"}) == "/late/x"
    url_map.add(Rule("/late2/<name>", endpoint="late"))
    assert adapter.build("late", {"name": "y"}) == "/late/y"


def test_a_converter_refusing_a_value_skips_the_rule() -> None:
    class EvenConverter(BaseConverter):
        def to_url(self, value: t.Any) -> str:
            if int(value) % 2:
                raise ValidationError()
            return str(value)

    url_map = Map(
        [Rule("/even/<even:n>", endpoint="n"), Rule("/any/<n>", endpoint="n")],
        converters={"even": EvenConverter},
    )
    adapter = url_map.bind("example.org")
    assert adapter.build("n", {"n": 2}) == "/even/2"
    assert adapter.build("n", {"n": 3}) == "/any/3"


def test_a_subclass_that_builds_its_own_way_keeps_its_build() -> None:
    class MyAdapter(MapAdapter):
        def build(self, *args: t.Any, **kwargs: t.Any) -> str:
            return "mine"

    class MyMap(Map):
        map_adapter_class = MyAdapter

    adapter = MyMap([Rule("/", endpoint="index")]).bind("example.org")
    assert adapter.build("index") == "mine"
