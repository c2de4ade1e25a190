"""A URL for each rule of an app, to route back through it: a value for each of
the rule's variables that its converter accepts, put into the rule by the
rule's own builder, so that every part goes through its converter's ``to_url``.

The built-in converters get a value that fits their arguments: the smallest
length a ``string`` allows, a number within an ``int``'s or ``float``'s
``min``/``max`` (with its ``fixed_digits``), a UUID, the first of an ``any``'s
items, two segments for a ``path``. A custom converter gets the first of
:data:`SAMPLES` that its ``regex`` matches and its ``to_python`` accepts; when
it has a ``to_url`` of its own, that value goes through ``to_python`` and back
through ``to_url``. A rule with no such value raises :class:`NoURL`, which says
which variable and why.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from werkzeug.routing import Rule
from werkzeug.routing.converters import (
    AnyConverter,
    BaseConverter,
    FloatConverter,
    NumberConverter,
    PathConverter,
    UnicodeConverter,
    UUIDConverter,
    ValidationError,
)

#: The strings tried, in order, for a converter kolben does not know.
SAMPLES = (
    "v",
    "1",
    "v1",
    "abc",
    "a-b",
    "a_b",
    "1.5",
    "A",
    "en",
    "en-US",
    "2024-01-31",
    "12:30",
    "true",
    "0",
    "-1",
    "a.b",
    "a,b",
    "a+b",
    "a/b",
    "12345678-1234-5678-1234-567812345678",
)

_SAMPLE_UUID = uuid.UUID("12345678-1234-5678-1234-567812345678")
_MIN_LENGTH = re.compile(r"\{(\d+)")


class NoURL(Exception):
    """No URL could be made for a rule; the message says which variable and why."""


@dataclass(frozen=True)
class MadeURL:
    """A URL a rule matches: the path (percent-decoded, as a WSGI server hands
    it to the app) and the domain part (the subdomain, or the host when the map
    matches hosts)."""

    path: str
    domain: str


def converters_of(rule: Rule) -> dict[str, BaseConverter]:
    """The converter of each of a bound rule's variables, in the host or
    subdomain and in the path (Werkzeug keeps them on the rule)."""
    converters: dict[str, BaseConverter] = rule._converters
    return converters


def make_url(rule: Rule) -> MadeURL:
    """A URL that ``rule`` (bound to its map) matches.

    :raises NoURL: a variable's converter accepts none of the values tried, or
        the rule's builder refused the values.
    """
    values = {
        name: value_for(converter, name)
        for name, converter in converters_of(rule).items()
    }
    try:
        built = rule.build(values, append_unknown=False)
    except Exception as error:  # a converter's to_url is user code
        raise NoURL(f"building it with {values!r} failed: {error!r}") from error
    if built is None:
        raise NoURL(f"its converters refused to build it with {values!r}")
    domain, path = built
    return MadeURL(unquote(path), domain)


def value_for(converter: BaseConverter, name: str = "value") -> Any:
    """A value for ``converter`` whose URL part it matches and converts back.

    :raises NoURL: none of the values tried fits.
    """
    for value in _candidates(converter):
        if _fits(converter, value):
            return value
    kind = type(converter).__name__
    raise NoURL(
        f"no value tried fits <{name}> ({kind}, regex {converter.regex!r});"
        f" tried {', '.join(map(repr, SAMPLES))}"
    )


def _candidates(converter: BaseConverter) -> Iterable[Any]:
    """The values to try for ``converter``: the built-in kind's own first,
    then :data:`SAMPLES`."""
    if isinstance(converter, AnyConverter):
        yield from sorted(converter.items)
    elif isinstance(converter, UUIDConverter):
        yield _SAMPLE_UUID
    elif isinstance(converter, NumberConverter):
        yield _number(converter)
    elif isinstance(converter, PathConverter):
        yield "a/b"
    elif isinstance(converter, UnicodeConverter):
        found = _MIN_LENGTH.search(converter.regex)
        yield "v" * max(1, int(found[1]) if found else 1)
    own_to_url = type(converter).to_url is not BaseConverter.to_url
    for sample in SAMPLES:
        if re.fullmatch(converter.regex, sample) is None:
            continue
        if not own_to_url:
            yield sample
            continue
        try:
            yield converter.to_python(sample)
        except (ValidationError, ValueError, TypeError, LookupError):
            continue


def _number(converter: NumberConverter) -> int | float:
    """7 (or 1.5 for a float), moved into the converter's ``min``/``max``."""
    value: int | float = 1.5 if isinstance(converter, FloatConverter) else 7
    if converter.min is not None and value < converter.min:
        value = converter.min
    if converter.max is not None and value > converter.max:
        value = converter.max
    return value


def _fits(converter: BaseConverter, value: Any) -> bool:
    """Whether ``value``'s URL part is one ``converter`` matches and converts."""
    try:
        part = unquote(converter.to_url(value))
        if re.fullmatch(converter.regex, part) is None:
            return False
        converter.to_python(part)
    except Exception:  # to_url and to_python are user code for a custom converter
        return False
    return True
