"""Bad input: malformed rules fail at setup, hostile paths still get an answer."""

from __future__ import annotations

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

# Rules kolben rejects with a ValueError that does not yet name the rule.
_UNNAMED = {"/<int(min=-2):x>", "/<string(length='a'):x>", "/<x>/<x>"}


def _kolben_marks(rule: str) -> Any:
    if rule == "/<x>/<x>":
        return pytest.mark.xfail(
            reason="kolben malformed rules: a duplicate variable raises SyntaxError",
            strict=False,
        )
    return ()


@pytest.mark.parametrize(
    "rule", [pytest.param(rule, marks=_kolben_marks(rule)) for rule in MALFORMED]
)
def test_malformed_rule_raises_value_error(rule: str) -> None:
    """A malformed rule, an unknown converter or bad converter arguments raise
    ``ValueError`` when the rule is added."""
    with pytest.raises(ValueError):
        kolben.routing.Map([kolben.routing.Rule(rule, endpoint="e")])


@pytest.mark.parametrize(
    "rule",
    [
        pytest.param(
            rule,
            marks=pytest.mark.xfail(
                reason="kolben malformed rules: message does not name the rule",
                strict=False,
            )
            if rule in _UNNAMED
            else (),
        )
        for rule in MALFORMED
        if rule
    ],
)
def test_malformed_rule_message_names_the_rule(rule: str) -> None:
    """The error message quotes the rule at fault."""
    with pytest.raises(Exception) as excinfo:  # the type is the test above's job
        kolben.routing.Map([kolben.routing.Rule(rule, endpoint="e")])
    assert rule in str(excinfo.value)


def test_malformed_rule_message_gives_the_position() -> None:
    """Parse errors point at the offending position in the rule."""
    with pytest.raises(ValueError, match="position 3"):
        kolben.routing.Map([kolben.routing.Rule("/a/<int:>", endpoint="e")])


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


@pytest.mark.xfail(
    reason="kolben: lone surrogates come back as U+FFFD, Werkzeug keeps them",
    strict=False,
)
@pytest.mark.parametrize(
    "path", list(_SURROGATE_PATHS.values()), ids=list(_SURROGATE_PATHS)
)
def test_lone_surrogates_keep_their_value(path: str) -> None:
    """The value matched from a lone surrogate is the surrogate itself."""
    assert _answer(kolben.routing, path) == _answer(werkzeug.routing, path)


@pytest.mark.xfail(
    reason="kolben: int() refuses more than 4,300 digits and the match raises",
    strict=False,
)
@pytest.mark.parametrize("path", list(_HUGE_INT.values()), ids=list(_HUGE_INT))
def test_huge_int_gets_an_answer(path: str) -> None:
    """An int segment past Python's digit limit is a miss, not an exception
    (Werkzeug raises ``ValueError`` here)."""
    assert _answer(kolben.routing, path)[0] in {"NotFound", "int"}
