"""URL converters.

The built-in converters are Werkzeug's classes: the Rust router recognises them and
matches, validates and converts their values natively. Any other
:class:`BaseConverter` subclass is a *custom* converter: its ``regex`` is matched in
Rust (linear-time ``regex`` crate, so no catastrophic backtracking) and its
``to_python`` is called from Python for the values it captured.
"""

from __future__ import annotations

from werkzeug.routing.converters import DEFAULT_CONVERTERS as DEFAULT_CONVERTERS
from werkzeug.routing.converters import AnyConverter as AnyConverter
from werkzeug.routing.converters import BaseConverter as BaseConverter
from werkzeug.routing.converters import FloatConverter as FloatConverter
from werkzeug.routing.converters import IntegerConverter as IntegerConverter
from werkzeug.routing.converters import NumberConverter as NumberConverter
from werkzeug.routing.converters import PathConverter as PathConverter
from werkzeug.routing.converters import UnicodeConverter as UnicodeConverter
from werkzeug.routing.converters import UUIDConverter as UUIDConverter
from werkzeug.routing.converters import ValidationError as ValidationError

__all__ = [
    "DEFAULT_CONVERTERS",
    "AnyConverter",
    "BaseConverter",
    "FloatConverter",
    "IntegerConverter",
    "NumberConverter",
    "PathConverter",
    "UnicodeConverter",
    "UUIDConverter",
    "ValidationError",
]
