"""Documents the native module ``kolben._router`` from its stub.

``python/kolben/_router.pyi`` is the native module's documented and typed face
(CI checks it against the built module with ``mypy.stubtest``). For the length
of the build, autodoc finds the stub's classes and functions when it imports
``kolben._router``: the stub is run as a module of that name and put in
``sys.modules`` once kolben itself has loaded the real one, which kolben's own
modules keep using.
"""

from __future__ import annotations
import __future__

import sys
import types
import typing as t
from pathlib import Path

from sphinx.application import Sphinx

NAME = "kolben._router"


def load_stub() -> None:
    """Import kolben (and so the native module), then run the stub as
    ``kolben._router`` in ``sys.modules``."""
    import kolben.app  # noqa: F401  (loads the native module and its users)
    import kolben.cli  # noqa: F401

    path = Path(sys.modules[NAME].__file__ or "").with_name("_router.pyi")
    stub = types.ModuleType(NAME, None)
    stub.__file__ = str(path)
    # Annotations stay strings, as a stub's are: they name classes defined
    # further down.
    code = compile(
        path.read_text(encoding="utf-8"),
        str(path),
        "exec",
        flags=__future__.annotations.compiler_flag,
        dont_inherit=True,
    )
    exec(code, vars(stub))
    sys.modules[NAME] = stub


def setup(app: Sphinx) -> dict[str, t.Any]:
    load_stub()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
