"""The native ``MapAdapter.match``: bound adapters answer in one call, and
everything else falls back to the Python method with Werkzeug's exceptions."""

from __future__ import annotations

import gc
import inspect
import typing as t
import weakref

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.test import create_environ

from kolben import _router
from kolben.routing import Map, MapAdapter, RequestRedirect, Rule


def _map() -> Map:
    return Map(
        [
            Rule("/", endpoint="index"),
            Rule("/a/", endpoint="slash"),
            Rule("/u/<int:user_id>", endpoint="user", methods=["GET", "POST"]),
            Rule("/old", endpoint="old", redirect_to="/a/"),
        ]
    )


@pytest.mark.parametrize("bind", ["bind", "bind_to_environ"])
def test_adapters_get_the_native_match(bind: str) -> None:
    url_map = _map()
    if bind == "bind":
        adapter = url_map.bind("example.org")
    else:
        adapter = url_map.bind_to_environ(create_environ("/", "http://example.org/"))
    assert type(adapter) is MapAdapter
    assert isinstance(adapter._native, _router.AdapterState)
    assert type(MapAdapter.__dict__["match"]).__name__ == "method_descriptor"
    assert adapter.match("/u/7") == ("user", {"user_id": 7})
    assert adapter.build("user", {"user_id": 7}) == "/u/7"


def test_arguments_as_werkzeug_takes_them() -> None:
    url_map = _map()
    adapter = url_map.bind("example.org", path_info="/u/3", default_method="POST")
    assert adapter.match() == ("user", {"user_id": 3})
    rule, values = adapter.match(path_info="/u/4", method="get", return_rule=True)
    assert (rule.rule, values) == ("/u/<int:user_id>", {"user_id": 4})
    assert adapter.match("u/5", "GET") == ("user", {"user_id": 5})
    assert adapter.match("///u/6", "GET") == ("user", {"user_id": 6})


def test_bad_arguments_raise_type_error() -> None:
    """The native method takes its arguments as the Python signature does."""
    adapter = _map().bind("example.org")
    assert adapter.match(path_info="/u/1", websocket=None) == ("user", {"user_id": 1})
    with pytest.raises(TypeError, match="unexpected keyword argument 'path'"):
        adapter.match(path="/")
    with pytest.raises(TypeError, match="multiple values for argument 'path_info'"):
        adapter.match("/", path_info="/")
    with pytest.raises(TypeError, match="at most 5 arguments"):
        adapter.match("/", "GET", False, None, None, None)
    with pytest.raises(TypeError, match="missing required argument 'endpoint'"):
        adapter.build()
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        adapter.build("user", **{"user_id": 1})  # type: ignore[arg-type]


def test_misses_raise_werkzeugs_exceptions() -> None:
    adapter = _map().bind("example.org")
    with pytest.raises(NotFound) as missing:
        adapter.match("/missing")
    assert type(missing.value) is NotFound
    assert vars(missing.value) == vars(NotFound()) == {"response": None}
    assert missing.value.args == ()
    with pytest.raises(MethodNotAllowed) as info:
        adapter.match("/u/1", "DELETE")
    assert sorted(info.value.valid_methods or ()) == ["GET", "HEAD", "POST"]
    with pytest.raises(RequestRedirect) as redirect:
        adapter.match("/a", query_args="x=1")
    assert redirect.value.new_url == "http://example.org/a/?x=1"
    with pytest.raises(RequestRedirect) as redirect:
        adapter.match("/old")
    assert redirect.value.new_url == "http://example.org/a/"


def test_a_temporary_adapter_can_match() -> None:
    """``map.bind(...).match(...)`` keeps the adapter alive for the call."""
    url_map = _map()
    assert url_map.bind("example.org").match("/") == ("index", {})
    with pytest.raises(RequestRedirect):
        url_map.bind("example.org").match("/a")


def test_rules_added_after_binding_are_matched() -> None:
    url_map = _map()
    adapter = url_map.bind("example.org")
    with pytest.raises(NotFound):
        adapter.match("/late")
    url_map.add(Rule("/late", endpoint="late"))
    assert adapter.match("/late") == ("late", {})


def test_a_subclass_that_matches_its_own_way_keeps_its_match() -> None:
    class MyAdapter(MapAdapter):
        def match(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
            return ("mine", {})

    class MyMap(Map):
        map_adapter_class = MyAdapter

    adapter = MyMap([Rule("/", endpoint="index")]).bind("example.org")
    assert adapter.match("/") == ("mine", {})


def test_adapters_are_freed_without_the_collector() -> None:
    """Binding makes no reference cycle: an adapter used for matching and
    building is freed as soon as its last reference goes."""
    url_map = _map()
    adapter = url_map.bind("example.org")
    adapter.match("/")
    adapter.build("index")
    ref = weakref.ref(adapter)
    gc.disable()
    try:
        del adapter
        assert ref() is None
    finally:
        gc.enable()


def test_an_adapter_made_without_bind_matches_through_python() -> None:
    """An adapter constructed directly has no native state; its methods fall
    back to Werkzeug's code and still answer."""
    url_map = _map()
    adapter = MapAdapter(url_map, "example.org", "/", "", "http", "/", "GET", None)
    assert not hasattr(adapter, "_native")
    assert adapter.match("/u/7") == ("user", {"user_id": 7})
    assert adapter.build("user", {"user_id": 7}) == "/u/7"
    with pytest.raises(NotFound):
        adapter.match("/missing")


def test_native_methods_have_signatures() -> None:
    assert list(inspect.signature(MapAdapter.match).parameters) == [
        "self",
        "path_info",
        "method",
        "return_rule",
        "query_args",
        "websocket",
    ]
    assert "endpoint" in inspect.signature(MapAdapter.build).parameters


def test_server_name_mismatch_warns_at_the_caller() -> None:
    """As in Werkzeug, the warning names the code that bound the map, and the
    subdomain is invalid so nothing matches."""
    environ = create_environ("/", "http://foo.localhost/")
    with pytest.warns(UserWarning, match="doesn't match configured") as record:
        adapter = _map().bind_to_environ(environ, server_name="dev.local")
    assert record[0].filename == __file__
    with pytest.raises(NotFound):
        adapter.match("/")
    sub = _map().bind_to_environ(
        create_environ("/", "http://api.dev.local/"), server_name="dev.local"
    )
    assert sub.subdomain == "api"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/w/ab/c", {"a": "ab", "b": "c"}),
        ("/w/x/y/", {"a": "x", "b": "y/"}),
        ("/w/%C3%A9/z", {"a": "%C3%A9", "b": "z"}),
        ("/w/é/ü", {"a": "é", "b": "ü"}),
        ("/w/\U0001f600/\x00", {"a": "\U0001f600", "b": "\x00"}),
    ],
)
def test_values_are_the_texts_of_their_parts(
    path: str, expected: dict[str, str]
) -> None:
    """String values come out equal to the path's parts, whether the path is
    ASCII (cut from the path object) or not (decoded), on the host too."""
    url_map = Map(
        [
            Rule("/w/<a>/<path:b>", endpoint="w"),
            Rule("/h/<x>", endpoint="h", subdomain="<sub>"),
        ]
    )
    endpoint, values = url_map.bind("example.org").match(path)
    assert (endpoint, values) == ("w", expected)
    assert all(type(value) is str for value in values.values())
    sub = url_map.bind("example.org", subdomain="api")
    assert sub.match("/h/q1") == ("h", {"sub": "api", "x": "q1"})
