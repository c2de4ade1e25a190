"""Flask's default JSON provider, with a clear error for too-deep documents."""

from __future__ import annotations

import typing as t

from flask.json.provider import DefaultJSONProvider


class KolbenJSONProvider(DefaultJSONProvider):
    """:class:`flask.json.provider.DefaultJSONProvider` whose :meth:`loads`
    raises ``ValueError`` for a document nested too deeply to parse, where the
    standard library raises ``RecursionError``: a request body like that is a
    400 Bad Request, as any other malformed JSON, instead of a 500."""

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        """Parse ``s``; raises ``ValueError`` for malformed or too-deep JSON."""
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("the JSON document is nested too deeply") from None
