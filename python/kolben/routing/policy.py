"""What :class:`~kolben.routing.Map` does with a rule that conflicts with an
earlier one: two rules that match exactly the same URLs for an overlapping
method, so that the later one can never match them.

Werkzeug (and so Flask) lets the first rule win silently. kolben keeps that
outcome and says so:

- a rule added without a view function for an endpoint that has none — an
  endpoint alias only ``url_for`` uses, as in Flask's tutorial — and a repeat of
  a rule for the same endpoint are accepted silently;
- a blueprint's static route repeating an earlier rule (a ``static_folder``
  without a ``url_prefix``) is logged at INFO on the app's logger (requests go
  to the earlier rule; ``url_for`` still builds);
- a conflict between two rules that installed packages added (both added by
  code under site-packages, as Flask-RESTX's ``Api(app)`` adds its root and
  doc views both at ``/``) is logged at DEBUG: the app's author cannot change
  it;
- any other conflict emits a :class:`RouteConflictWarning` naming both rules and
  where each was added, reported at the app's line that added the later rule,
  or raises ``ValueError`` in the app's strict mode (``KOLBEN_STRICT_ROUTES``).

A map made with ``strict_conflicts=True`` raises ``ValueError`` for every
conflict, packages' too (:func:`kolben.routing.conflicts.route_conflicts`
asks such a map).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import site
import sys
import sysconfig
import typing as t
import warnings

import flask
import werkzeug

if t.TYPE_CHECKING:  # pragma: no cover
    from werkzeug.routing import Rule


class RouteConflictWarning(UserWarning):
    """A rule matches exactly the URLs of an earlier rule for an overlapping
    method; the earlier rule serves them, as in Flask."""


@dataclasses.dataclass(frozen=True)
class RuleSource:
    """What the app knows about the rules it is adding, for judging conflicts.

    ``has_view``: the rules come with a view function (or their endpoint has
    one); ``has_view_for``: whether an endpoint has a view (unknown when
    ``None``: a plain Flask app); ``strict``: raise instead of warning;
    ``blueprint_static``: the rule is a blueprint's static route; ``logger``:
    gives the logger for the INFO line of that case (called only then: Flask
    sets an app's logger up when it is first read).
    """

    has_view: bool = True
    has_view_for: t.Callable[[str], bool] | None = None
    strict: bool = False
    blueprint_static: bool = False
    logger: t.Callable[[], logging.Logger] | None = None


#: Where the map logs when no app says where: ``kolben.routing``.
_LOGGER = logging.getLogger("kolben.routing")

#: Packages whose frames are passed over when naming where a rule was added.
_FRAMEWORK_DIRS = tuple(
    os.path.dirname(module.__file__) + os.sep
    for module in (flask, werkzeug, sys.modules[__name__.partition(".")[0]])
    if module.__file__
)


def _installed_dirs() -> tuple[str, ...]:
    """The folders installed packages are imported from (site-packages and the
    standard library), each ending in a separator."""
    paths = sysconfig.get_paths()
    folders = {paths[key] for key in ("purelib", "platlib", "stdlib", "platstdlib")}
    folders.update(getattr(site, "getsitepackages", list)())
    user_site = getattr(site, "getusersitepackages", lambda: None)()
    if isinstance(user_site, str):
        folders.add(user_site)
    return tuple(os.path.join(os.path.realpath(f), "") for f in folders if f)


#: Where installed packages live: a rule added from there is a package's.
_INSTALLED_DIRS = _installed_dirs()


def caller_location() -> str | None:
    """``file:line`` of the innermost caller outside Flask, Werkzeug and kolben
    (the app code that added a rule), or ``None`` when that code has no file
    (``exec``'d text, a doctest, ``python -c``) or there is none."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(_FRAMEWORK_DIRS):
            return None if filename.startswith("<") else f"{filename}:{frame.f_lineno}"
        frame = frame.f_back  # type: ignore[assignment]
    return None


#: The attribute a rule's ``file:line`` of origin is kept in.
ORIGIN_ATTRIBUTE = "_kolben_added_at"


def added_by_package(rule: Rule) -> bool:
    """Whether ``rule`` was added by an installed package's code (the file
    that added it is under site-packages) rather than the app's own."""
    origin: str | None = getattr(rule, ORIGIN_ATTRIBUTE, None)
    if not origin:
        return False
    filename = os.path.realpath(origin.rpartition(":")[0])
    return filename.startswith(_INSTALLED_DIRS)


def _user_stacklevel() -> int:
    """The ``stacklevel`` that makes a warning issued by :func:`resolve` point
    at the innermost caller outside Flask, Werkzeug and kolben: the app's
    ``@app.route`` or ``add_url_rule`` line."""
    level, frame = 2, sys._getframe(2)
    while frame is not None and frame.f_code.co_filename.startswith(_FRAMEWORK_DIRS):
        frame, level = frame.f_back, level + 1  # type: ignore[assignment]
    return level if frame is not None else 2


def describe(rule: Rule) -> str:
    """``rule`` for a message: its text, endpoint and, when known, origin."""
    origin = getattr(rule, ORIGIN_ATTRIBUTE, None)
    where = f", added at {origin}" if origin else ""
    return f"{rule.rule!r} (endpoint {rule.endpoint!r}{where})"


def resolve(
    rule: Rule, earlier: Rule, message: str, source: RuleSource, strict: bool
) -> None:
    """Report the conflict of ``rule`` with ``earlier`` as the policy says
    (module docs); raises ``ValueError`` in strict mode."""
    if rule.endpoint == earlier.endpoint:
        return
    has_view_for = source.has_view_for
    earlier_has_view = has_view_for is None or has_view_for(earlier.endpoint)
    if not source.has_view or not earlier_has_view:
        return
    blueprint_static = source.blueprint_static or (
        has_view_for is None and rule.endpoint.endswith(".static")
    )
    if blueprint_static and rule.rule == earlier.rule:
        logger = _LOGGER if source.logger is None else source.logger()
        if logger is not None:
            logger.info(
                "Static rule %s is build-only: the earlier rule %s serves the"
                " same URLs.",
                describe(rule),
                describe(earlier),
            )
        return
    text = (
        f"{message}: rule {describe(rule)} never matches them, rule"
        f" {describe(earlier)} was added first"
    )
    if strict:
        raise ValueError(text)
    if added_by_package(rule) and added_by_package(earlier):
        logger = _LOGGER if source.logger is None else source.logger()
        if logger is not None:
            logger.debug("Between rules installed packages added: %s", text)
        return
    if source.strict:
        raise ValueError(text)
    warnings.warn(text, RouteConflictWarning, stacklevel=_user_stacklevel())
