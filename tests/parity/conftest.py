"""Seeing whether kolben's native ``MapAdapter.match`` and ``build`` answered
themselves or fell back to the Python methods.

The native methods hold the Python method they fall back to (given to
``_router.adapter_method`` by ``kolben.routing.map``), so replacing an attribute
would not be seen: :func:`watch_fallbacks` checks that ``MapAdapter``'s
methods are the native ones and gives them a recording wrapper of that same
method instead, which answers as before, and puts the original back after.
"""

from __future__ import annotations

import contextlib
import typing as t

import pytest

from kolben import _router
from kolben.routing import map as routing_map

Name = t.Literal["match", "build"]


class Fallbacks:
    """The calls the native adapter methods passed on to the Python methods:
    ``("match" | "build", args, kwargs)``, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[Name, tuple[t.Any, ...], dict[str, t.Any]]] = []

    def names(self) -> list[Name]:
        """``"match"`` or ``"build"`` for each fallback, in order."""
        return [name for name, _, _ in self.calls]

    def clear(self) -> None:
        self.calls.clear()

    def _recording(
        self, name: Name, method: t.Callable[..., t.Any]
    ) -> t.Callable[..., t.Any]:
        def fallback(*args: t.Any, **kwargs: t.Any) -> t.Any:
            self.calls.append((name, args, kwargs))
            return method(*args, **kwargs)

        return fallback


#: The type of the native methods (CPython's method descriptor).
_NATIVE_METHOD = type(str.__dict__["upper"])

#: Each native method's name and the Python method it falls back to.
_PYTHON_METHODS: tuple[tuple[Name, t.Callable[..., t.Any]], ...] = (
    ("match", routing_map._python_match),
    ("build", routing_map._python_build),
)


@contextlib.contextmanager
def watch_fallbacks() -> t.Iterator[Fallbacks]:
    """Within the block, every fallback of the native ``match`` and ``build``
    is recorded (and still answered by the Python method)."""
    fallbacks = Fallbacks()
    adapter_class = routing_map.MapAdapter
    for name, _ in _PYTHON_METHODS:
        # A Python method in its place would answer without being watched.
        installed = adapter_class.__dict__[name]
        assert type(installed) is _NATIVE_METHOD, f"MapAdapter.{name}: {installed!r}"
    try:
        for name, method in _PYTHON_METHODS:
            _router.adapter_method(
                adapter_class, name, fallbacks._recording(name, method)
            )
        yield fallbacks
    finally:
        for name, method in _PYTHON_METHODS:
            _router.adapter_method(adapter_class, name, method)


@pytest.fixture
def fallbacks() -> t.Iterator[Fallbacks]:
    """The fallbacks of the native adapter methods during the test."""
    with watch_fallbacks() as recorded:
        yield recorded
