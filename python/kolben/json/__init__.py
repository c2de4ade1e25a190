"""JSON helpers that use the current app's provider (``app.json``) when there is
one, and the default behaviour otherwise."""

from __future__ import annotations

import json as _json
import typing as t

from ..globals import current_app
from .provider import _default

if t.TYPE_CHECKING:  # pragma: no cover
    from ..wrappers import Response


def dumps(obj: t.Any, **kwargs: t.Any) -> str:
    """Serialize ``obj`` to a JSON string with ``current_app.json``."""
    if current_app:
        return current_app.json.dumps(obj, **kwargs)
    kwargs.setdefault("default", _default)
    return _json.dumps(obj, **kwargs)


def dump(obj: t.Any, fp: t.IO[str], **kwargs: t.Any) -> None:
    """Serialize ``obj`` as JSON into the text file ``fp``."""
    if current_app:
        current_app.json.dump(obj, fp, **kwargs)
    else:
        kwargs.setdefault("default", _default)
        _json.dump(obj, fp, **kwargs)


def loads(s: str | bytes, **kwargs: t.Any) -> t.Any:
    """Parse JSON; raises ``ValueError`` when invalid."""
    if current_app:
        return current_app.json.loads(s, **kwargs)
    return _json.loads(s, **kwargs)


def load(fp: t.IO[t.AnyStr], **kwargs: t.Any) -> t.Any:
    """Read and parse JSON from ``fp``."""
    if current_app:
        return current_app.json.load(fp, **kwargs)
    return _json.load(fp, **kwargs)


def jsonify(*args: t.Any, **kwargs: t.Any) -> Response:
    """A JSON response of the arguments (see ``app.json.response``).

    Needs an application context; raises ``TypeError`` for args and kwargs
    together.
    """
    return current_app.json.response(*args, **kwargs)  # type: ignore[return-value]
