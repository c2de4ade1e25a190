"""The JSON provider and the tagged serializer."""

from __future__ import annotations

import dataclasses
import decimal
import typing as t
import uuid
from datetime import date, datetime, timezone

import flask
import pytest
from flask.json.provider import DefaultJSONProvider
from flask.json.tag import JSONTag, TaggedJSONSerializer
from markupsafe import Markup

import kolben
from kolben import json


@dataclasses.dataclass
class Point:
    x: int
    y: int


DUMPS = [
    (date(2026, 11, 25), '"Wed, 25 Nov 2026 00:00:00 GMT"'),
    (decimal.Decimal("1.5"), '"1.5"'),
    (uuid.UUID(int=1), '"00000000-0000-0000-0000-000000000001"'),
    (Point(1, 2), '{"x": 1, "y": 2}'),
    (Markup("<b>"), '"<b>"'),
    ({"b": 1, "a": 2}, '{"a": 2, "b": 1}'),
    ("é", '"\\u00e9"'),
]


@pytest.mark.parametrize(("value", "expected"), DUMPS)
def test_default_provider_dumps(
    app: kolben.Kolben, value: t.Any, expected: str
) -> None:
    with app.app_context():
        assert json.dumps(value) == expected


def test_unserializable_raises(app: kolben.Kolben) -> None:
    with app.app_context(), pytest.raises(TypeError, match="not JSON serializable"):
        json.dumps(object())


def test_provider_options(app: kolben.Kolben) -> None:
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.compact = False  # type: ignore[attr-defined]
    app.json.mimetype = "application/vnd.api+json"  # type: ignore[attr-defined]
    app.add_url_rule("/", "i", lambda: {"b": "é", "a": 1})
    rv = app.test_client().get("/")
    assert rv.mimetype == "application/vnd.api+json"
    assert rv.data.decode() == '{\n  "b": "é",\n  "a": 1\n}\n'


def test_debug_indents(app: kolben.Kolben) -> None:
    app.debug = True
    app.add_url_rule("/", "i", lambda: {"a": 1})
    assert app.test_client().get("/").data == b'{\n  "a": 1\n}\n'


def test_custom_provider(app: kolben.Kolben) -> None:
    class Upper(DefaultJSONProvider):
        def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
            return super().dumps(obj, **kwargs).upper()

    app.json = Upper(app)
    app.add_url_rule("/", "i", lambda: {"a": "x"})
    assert app.test_client().get("/").data == b'{"A":"X"}\n'


def test_helpers_without_app() -> None:
    assert json.loads(json.dumps({"a": date(2020, 1, 1)})) == {
        "a": "Wed, 01 Jan 2020 00:00:00 GMT"
    }


TAGGED = [
    {" t": "not a tag"},
    (1, (2, 3)),
    b"\x00bytes",
    Markup("<i>"),
    uuid.uuid4(),
    datetime(2026, 1, 1, tzinfo=timezone.utc),
    {"nested": [{"x": (1,)}]},
]


@pytest.mark.parametrize("value", TAGGED)
def test_tagged_roundtrip(value: t.Any) -> None:
    serializer = TaggedJSONSerializer()
    assert serializer.loads(serializer.dumps(value)) == value


def test_tag_registration() -> None:
    class TagPoint(JSONTag):
        key = " p"

        def check(self, value: t.Any) -> bool:
            return isinstance(value, Point)

        def to_json(self, value: Point) -> t.Any:
            return [value.x, value.y]

        def to_python(self, value: t.Any) -> Point:
            return Point(*value)

    serializer = TaggedJSONSerializer()
    serializer.register(TagPoint, index=0)
    assert serializer.loads(serializer.dumps(Point(1, 2))) == Point(1, 2)
    with pytest.raises(KeyError):
        serializer.register(TagPoint)
    serializer.register(TagPoint, force=True)


@pytest.mark.parametrize("app_class", [flask.Flask, kolben.Kolben])
def test_circular_result_raises_as_in_flask(app_class: type[flask.Flask]) -> None:
    app = app_class(__name__)
    app.testing = True

    @app.route("/")
    def circular() -> dict[str, t.Any]:
        value: dict[str, t.Any] = {"a": 1}
        value["self"] = value
        return value

    client = app.test_client()
    with pytest.raises(ValueError, match="Circular reference detected"):
        client.get("/")
    # The next request is answered: nothing was left half-done.
    app.view_functions["circular"] = lambda: {"a": 1}
    assert client.get("/").json == {"a": 1}
