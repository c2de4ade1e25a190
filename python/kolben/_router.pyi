"""The native URL router (rust/py/): a builder and the frozen router it makes.

A match returns ``(payload, values)``: the payload given to ``build`` for the
rule and a new dict of converted values. A miss returns ``None`` (404), a
``frozenset`` of allowed methods (405), a ``str`` path to redirect to, or
``False`` (only the websocket flag differed).
"""

from collections.abc import Callable, Sequence
from types import NotImplementedType
from typing import Any, Literal, final

from typing_extensions import Self, TypeAlias

__all__ = [
    "__version__",
    "RouteConflictError",
    "RouterBuilder",
    "Router",
    "RouterCell",
    "AdapterState",
    "adapter_method",
    "check_rule",
]

__version__: str

#: ``(name, regex, weight, part_isolating, to_python)`` of a custom converter.
_CustomConverter: TypeAlias = tuple[str, str, int, bool, Callable[[str], Any]]
_Found: TypeAlias = tuple[Any, dict[str, Any]]

class RouteConflictError(ValueError):
    """Raised by :meth:`RouterBuilder.add` for a rule that matches exactly the
    URLs of an earlier one for an overlapping method. ``str()`` is the message
    naming both rules, and ``args`` is ``(message,)``."""

    earlier_index: int
    """The index ``RouterBuilder.add`` returned for the earlier rule."""

@final
class RouterBuilder:
    """Collects rules; ``build()`` snapshots them into a frozen :class:`Router`."""

    def __new__(
        cls,
        *,
        merge_slashes: bool,
        uuid_class: Callable[[str], Any],
        validation_error: type[BaseException],
        special: type[Any],
        not_found: Callable[[], BaseException],
        method_not_allowed: Callable[..., BaseException],
        bare_not_found: bool = False,
    ) -> Self:
        """``bare_not_found``: ``not_found()`` only sets ``response = None``
        (Werkzeug's ``HTTPException.__init__``), so it can be made without
        calling it."""
    def add(
        self,
        rule: str,
        *,
        domain: str = ...,
        methods: Sequence[str] | None = None,
        implicit_methods: Sequence[str] = ...,
        websocket: bool = False,
        strict_slashes: bool = True,
        merge_slashes: bool = True,
        converters: Sequence[_CustomConverter] = ...,
        defaults: dict[str, Any] | None = None,
        allow_conflict: bool = False,
    ) -> int:
        """Adds a rule and returns its index; raises ValueError for a malformed
        rule and :class:`RouteConflictError` (a ValueError) for a conflict with
        an earlier one, unless ``allow_conflict`` (the earlier rule then keeps
        answering what both match)."""

    def build(
        self,
        *,
        merge_slashes: bool,
        payloads: Sequence[Any],
        builds: Sequence[tuple[Any, Sequence[tuple[Any, ...]] | None]] = ...,
    ) -> Router:
        """A frozen router over the rules so far; one payload per rule, in order.
        ``builds`` gives each endpoint's rules for URL building, as
        ``kolben.routing.matcher.build_spec`` describes them (``None``: built
        by Python)."""

    def __len__(self) -> int: ...

@final
class Router:
    """An immutable router: shared between threads, matched without locks."""

    def match(
        self, domain: str, path: str, method: str, websocket: bool = False
    ) -> _Found | frozenset[str] | str | Literal[False] | None:
        """Matches ``path`` on ``domain`` (subdomain, host or empty) for the
        upper-case ``method``."""

    def route(
        self, path: str, method: str, environ: dict[str, Any]
    ) -> _Found | frozenset[str] | NotImplementedType | None:
        """The request fast path: routes ``request.path`` and ``request.method``
        on the default domain, reading ``environ`` only for an empty
        ``PATH_INFO`` and the ``Upgrade`` header. ``NotImplemented`` when the
        full adapter must decide (a redirect, a websocket upgrade, an empty
        ``PATH_INFO``)."""

    def url_for(self, index: int, values: Sequence[str]) -> tuple[str, str]:
        """``(host part, path)`` of rule ``index`` from its values in URL form, in
        rule order; raises IndexError for a bad index or value count."""

    def __len__(self) -> int: ...

@final
class RouterCell:
    """A map's current router for the native adapter methods; ``None`` after
    a rule was added, until the map compiles again."""

    def __new__(cls) -> Self: ...
    def set(self, router: Router | None) -> None: ...

@final
class AdapterState:
    """What ``Map.bind`` decided for one adapter (kept as its ``_native``),
    read by the native ``match`` and ``build``."""

    def __new__(
        cls,
        *,
        routers: RouterCell,
        domain: str,
        path_info: str,
        default_method: str,
        websocket: bool,
        server_name: str,
        subdomain: str | None,
        script_name: str,
        url_scheme: str | None,
        host_matching: bool,
        map: Any,
    ) -> AdapterState: ...

def adapter_method(
    cls: type[Any], name: Literal["match", "build"], fallback: Callable[..., Any]
) -> Any:
    """A method descriptor for ``cls``: the native ``match`` or ``build``,
    called without an argument tuple; it falls back to ``fallback`` (the
    Python method, given the adapter first) for anything but the plain cases."""

def check_rule(rule: str, custom: Sequence[str] = ...) -> None:
    """Raises ValueError (with the position) if ``rule`` is not a valid rule;
    converters named in ``custom`` are accepted as they are."""
