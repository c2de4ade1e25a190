"""References written with the names of the module they appear in.

A docstring says ``:data:`KOLBEN_CONFIG``` inside ``kolben.app``, and a type
hint says ``t.Any`` or ``AppContext``, a name that module imports only for
type checkers (``from __future__ import annotations`` keeps hints as text).
Sphinx looks such names up in the documented module, which is often another
(``kolben.Kolben`` is documented in ``kolben``, written in ``kolben.app``).
This extension reads them as the writing module does: in its globals, then
in its ``if TYPE_CHECKING:`` imports, and resolves the qualified name as
kolben's own object, or through :mod:`upstream_links`. A member a class
inherits (``kolben.Kolben.get_send_file_max_age``) resolves to the class
that defines it.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import sys
import typing as t

import upstream_links
from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


@functools.cache
def _checking_imports(module_name: str) -> dict[str, str]:
    """Name -> qualified name of what ``module_name`` imports under
    ``if TYPE_CHECKING:``."""
    module = sys.modules.get(module_name)
    try:
        source = inspect.getsource(module) if module else ""
    except (OSError, TypeError):
        return {}
    package = getattr(module, "__package__", "") or ""
    found: dict[str, str] = {}
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)):
            continue
        for statement in ast.walk(node):
            if isinstance(statement, ast.ImportFrom):
                base = statement.module or ""
                if statement.level:
                    parent = package.rsplit(".", statement.level - 1)[0]
                    base = f"{parent}.{base}" if base else parent
                for alias in statement.names:
                    found[alias.asname or alias.name] = f"{base}.{alias.name}"
            elif isinstance(statement, ast.Import):
                for alias in statement.names:
                    found[alias.asname or alias.name] = alias.name
    return found


def _writing_modules(node: pending_xref) -> list[str]:
    """The modules whose names the reference may be written in: the module of
    the documented class or function, then the documented module."""
    module_name = node.get("py:module") or ""
    class_name = node.get("py:class")
    modules = []
    if module_name and class_name:
        try:
            owner = importlib.import_module(module_name)
            for part in class_name.split("."):
                owner = getattr(owner, part)
            modules.append(owner.__module__)
        except (ImportError, AttributeError):
            pass
    if module_name:
        modules.append(module_name)
    return modules


def _qualify(target: str, module_name: str) -> str | None:
    """``target`` as ``module_name`` means it, fully qualified."""
    module = sys.modules.get(module_name)
    if module is None:
        return None
    head, _, rest = target.partition(".")
    value = vars(module).get(head)
    if value is not None:
        if inspect.ismodule(value):
            base = value.__name__
        elif hasattr(value, "__module__") and hasattr(value, "__qualname__"):
            base = f"{value.__module__}.{value.__qualname__}"
        elif not rest:
            base = f"{module_name}.{head}"
        else:
            return None
    else:
        base = _checking_imports(module_name).get(head)  # type: ignore[assignment]
        if base is None:
            return None
    return f"{base}.{rest}" if rest else base


def _defining_class(target: str) -> str | None:
    """For ``module.Class.member`` that ``Class`` inherits: the same member
    of the class in its MRO that defines it."""
    owner_name, _, member = target.rpartition(".")
    module_name, _, class_name = owner_name.rpartition(".")
    try:
        owner = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError, ValueError):
        return None
    if not inspect.isclass(owner) or member in vars(owner):
        return None
    for base in owner.__mro__[1:]:
        if member in vars(base):
            return f"{base.__module__}.{base.__qualname__}.{member}"
    return None


def _resolve(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.Element
) -> nodes.Element | None:
    if node.get("refdomain") != "py":
        return None
    target: str = node["reftarget"]
    domain = env.get_domain("py")
    candidates = [_qualify(target, module) for module in _writing_modules(node)]
    candidates.append(_defining_class(target))
    contnode = _without_alias(target, node, contnode)
    for candidate in candidates:
        if candidate is None or candidate == target:
            continue
        for name in (candidate, _defining_class(candidate)):
            if name is None:
                continue
            resolved = domain.resolve_xref(
                env, node["refdoc"], app.builder, node["reftype"], name, node, contnode
            )
            if resolved is None:
                resolved = upstream_links.resolve(name, contnode)
            if resolved is not None:
                return resolved
    return None


def _without_alias(
    target: str, node: pending_xref, contnode: nodes.Element
) -> nodes.Element:
    """``contnode`` showing ``Any`` for ``t.Any``: a hint written through a
    module alias (``import typing as t``) is shown without the alias."""
    head, _, rest = target.partition(".")
    modules = [sys.modules.get(m) for m in _writing_modules(node)]
    if not rest or not any(
        m is not None and inspect.ismodule(vars(m).get(head)) for m in modules
    ):
        return contnode
    if isinstance(contnode, nodes.Text):
        return nodes.Text(rest) if contnode.astext() == target else contnode
    shown = contnode.deepcopy()
    for text in list(shown.findall(nodes.Text)):
        if text.astext() == target and text.parent is not None:
            text.parent.replace(text, nodes.Text(rest))
    return shown


def setup(app: Sphinx) -> dict[str, t.Any]:
    # Before upstream_links, which takes the names as written.
    app.connect("missing-reference", _resolve, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
