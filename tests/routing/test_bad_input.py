"""Bad input: malformed rules fail at setup, hostile paths still get an answer."""

from __future__ import annotations

import traceback
from typing import Any

import pytest
import werkzeug.routing
from werkzeug.exceptions import HTTPException

import kolben.routing

MALFORMED = [
    "/a/<int:>",
    "/<x",
    "/<int:x",
    "/<>",
    "/<a<b>>",
    "/a/<1x>",
    "/<int()>",
    "/<int(:x>",
    "/<unknown:x>",
    "/<int(bogus=1):x>",
    "/<int(foo=):x>",
    "/<int(min=1, min=2):x>",
    "/<any():x>",
    "/<path(x=1):p>",
    "/<uuid(1):u>",
    "/<int(fixed_digits='a'):x>",
    "/<int(min=-2):x>",
    "/<string(length='a'):x>",
    "no-leading-slash",
    "",
    "/<x>/<x>",
]


#: The one rule above whose converter does not exist.
UNKNOWN_CONVERTER = "/<unknown:x>"


@pytest.mark.parametrize(
    "rule", [rule for rule in MALFORMED if rule != UNKNOWN_CONVERTER]
)
def test_malformed_rule_raises_value_error(rule: str) -> None:
    """A malformed rule or bad converter arguments raise ``ValueError`` when the
    rule is added."""
    with pytest.raises(ValueError):
        kolben.routing.Map([kolben.routing.Rule(rule, endpoint="e")])


def test_unknown_converter_raises_lookup_error_as_werkzeug() -> None:
    """An unknown converter is a ``LookupError``, as Werkzeug's (and so
    Flask's) is: code that catches it keeps working."""
    with pytest.raises(LookupError) as werkzeug_error:
        werkzeug.routing.Map([werkzeug.routing.Rule(UNKNOWN_CONVERTER, endpoint="e")])
    with pytest.raises(LookupError, match="unknown") as kolben_error:
        kolben.routing.Map([kolben.routing.Rule(UNKNOWN_CONVERTER, endpoint="e")])
    assert type(kolben_error.value) is type(werkzeug_error.value)
    app = kolben.Kolben(__name__)
    with pytest.raises(LookupError):
        app.add_url_rule(UNKNOWN_CONVERTER, "e", lambda x: x)


@pytest.mark.parametrize("rule", [UNKNOWN_CONVERTER, "/<int:x", "/<x>/<x>"])
def test_malformed_rule_is_one_error(rule: str) -> None:
    """The error a rule is refused with stands alone: not chained to the
    Werkzeug error kolben's own message replaces."""
    with pytest.raises(Exception) as excinfo:
        kolben.routing.Map([kolben.routing.Rule(rule, endpoint="e")])
    error = excinfo.value
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    assert "During handling of the above exception" not in text
    assert "direct cause" not in text
    assert text.count("Traceback (most recent call last)") == 1


@pytest.mark.parametrize("rule", [rule for rule in MALFORMED if rule])
def test_malformed_rule_message_names_the_rule(rule: str) -> None:
    """The error message quotes the rule at fault."""
    with pytest.raises(Exception) as excinfo:  # the type is the test above's job
        kolben.routing.Map([kolben.routing.Rule(rule, endpoint="e")])
    assert rule in str(excinfo.value)


def test_malformed_rule_message_gives_the_position() -> None:
    """Parse errors point at the offending position in the rule."""
    with pytest.raises(ValueError, match="position 3"):
        kolben.routing.Map([kolben.routing.Rule("/a/<int:>", endpoint="e")])


@pytest.mark.parametrize(
    ("rule", "position"),
    [
        ("/<x>/<x>", 5),
        ("/<int(min=-2):x>", 1),
        ("/a/<string(length='a'):x>", 3),
    ],
)
def test_refused_by_werkzeug_compile_still_gives_the_position(
    rule: str, position: int
) -> None:
    """Rules Werkzeug's own compile refuses first (a duplicate variable, an
    argument its parser cannot read, a length that is not a number) are
    reported by kolben's parser: a ``ValueError`` with the rule and position."""
    with pytest.raises(ValueError, match=f"position {position}:") as excinfo:
        kolben.routing.Map([kolben.routing.Rule(rule, endpoint="e")])
    assert rule in str(excinfo.value)


class _Letters(kolben.routing.BaseConverter):
    def __init__(self, map: Any, length: int) -> None:
        super().__init__(map)
        self.regex = f"[a-z]{{{int(length)}}}"


def test_custom_converter_refusing_its_arguments_names_the_rule() -> None:
    """A custom converter whose constructor refuses the rule's arguments gives
    a ``ValueError`` naming the rule, with the converter's error in its
    message."""
    url_map = kolben.routing.Map(converters={"letters": _Letters})
    with pytest.raises(ValueError, match="letters") as excinfo:
        url_map.add(kolben.routing.Rule("/<letters(1, 2):x>", endpoint="e"))
    assert "positional argument" in str(excinfo.value)


def test_converter_replacing_a_builtin_name_is_custom() -> None:
    """A converter registered under a built-in's name takes that name's
    arguments: kolben checks its rules as a custom converter's."""

    class Signed(kolben.routing.BaseConverter):
        regex = "-?[0-9]+"

        def __init__(self, map: Any, low: str) -> None:
            super().__init__(map)
            self.low = int(low)

        def to_python(self, value: str) -> Any:
            return int(value)

    url_map = kolben.routing.Map(converters={"int": Signed})
    url_map.add(kolben.routing.Rule("/n/<int('-5'):n>", endpoint="n"))
    assert url_map.bind("x").match("/n/-3") == ("n", {"n": -3})


def _rules(routing: Any) -> list[Any]:
    rule = routing.Rule
    return [
        rule("/", endpoint="index"),
        rule("/s/<x>", endpoint="string"),
        rule("/i/<int:n>", endpoint="int"),
        rule("/f/<float:f>", endpoint="float"),
        rule("/u/<uuid:u>", endpoint="uuid"),
        rule("/p/<path:p>", endpoint="path"),
        rule("/p/<path:p>/edit", endpoint="path-edit"),
        rule("/d/", endpoint="dir"),
        rule("/<a>/<b>/<c>", endpoint="three"),
        rule("/<name>.json", endpoint="json"),
    ]


HOSTILE_PATHS = {
    "100 kB segment": "/s/" + "a" * 100_000,
    "100 kB path": "/p/" + "a/" * 50_000,
    "100 kB miss": "/" + "x" * 100_000 + "/",
    "20,000 segments": "/p" * 20_000,
    "20,000 segments, suffix": "/p" * 20_000 + "/edit",
    "20,000 segments, miss": "/q" * 20_000,
    "20,000 slashes": "/" * 20_000,
    "20,000 slashes inside": "/d" + "/" * 20_000,
    "NUL in string": "/s/a\x00b",
    "NUL after int": "/i/1\x00",
    "NUL alone": "/\x00",
    "U+FFFD": "/s/\ufffd",
    "U+FFFD in int": "/i/\ufffd",
    "non-BMP": "/s/\U0001f40d.json",
    "bad percent escape": "/s/%zz",
    "percent at end": "/s/%",
    "newline": "/s/a\n",
    "float overflow": "/f/" + "9" * 400 + ".5",
    "almost a uuid": "/u/" + "a" * 36,
    "dots": "/../../etc/passwd",
    "empty": "",
}

_SURROGATE_PATHS = {
    "lone high surrogate": "/s/\ud800",
    "lone low surrogate in path": "/p/\udcff/x",
    "surrogates among other text": "/p/\ud800/\udfff/x\u00e9\udc80",
    "a pair written as two surrogates": "/s/a\ud800\udc00b",
    "surrogate in a static segment": "/d\udc80/",
}

_HUGE_INT = {"int of 5,000 digits": "/i/" + "9" * 5_000}


def _answer(routing: Any, path: str) -> Any:
    """Match ``path``; an HTTP exception (404, 405, redirect) is an answer too."""
    adapter = routing.Map(_rules(routing)).bind("example.org")
    try:
        endpoint, values = adapter.match(path)
    except HTTPException as exc:
        return (type(exc).__name__, getattr(exc, "new_url", None))
    return (endpoint, values)


@pytest.mark.parametrize("path", list(HOSTILE_PATHS.values()), ids=list(HOSTILE_PATHS))
def test_hostile_path_gets_werkzeugs_answer(path: str) -> None:
    """Long, deep, odd or broken paths get an answer, and it is Werkzeug's."""
    assert _answer(kolben.routing, path) == _answer(werkzeug.routing, path)


@pytest.mark.parametrize(
    "path", list(_SURROGATE_PATHS.values()), ids=list(_SURROGATE_PATHS)
)
def test_lone_surrogates_get_an_answer(path: str) -> None:
    """Paths with lone surrogates (not valid UTF-8) still get an answer."""
    endpoint, _ = _answer(kolben.routing, path)
    assert endpoint == _answer(werkzeug.routing, path)[0]


@pytest.mark.parametrize(
    "path", list(_SURROGATE_PATHS.values()), ids=list(_SURROGATE_PATHS)
)
def test_lone_surrogates_keep_their_value(path: str) -> None:
    """The value matched from a lone surrogate is the surrogate itself."""
    assert _answer(kolben.routing, path) == _answer(werkzeug.routing, path)


@pytest.mark.parametrize("path", list(_HUGE_INT.values()), ids=list(_HUGE_INT))
def test_huge_int_gets_an_answer(path: str) -> None:
    """An int segment past Python's digit limit is refused as a converter
    refuses a value: a 404, not an exception (Werkzeug raises ``ValueError``
    here), on the map and through an app's fast path alike."""
    assert _answer(kolben.routing, path)[0] == "NotFound"
    app = kolben.Kolben(__name__)
    app.add_url_rule("/i/<int:n>", "int", lambda n: str(n))
    assert app.test_client().get(path).status_code == 404
