"""``Request`` and ``Response``: Werkzeug's, aware of the current app."""

from __future__ import annotations

import typing as t

from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.wrappers import Request as RequestBase
from werkzeug.wrappers import Response as ResponseBase

from . import json
from .globals import current_app
from .helpers import _split_blueprint_path

if t.TYPE_CHECKING:  # pragma: no cover
    from werkzeug.routing import Rule


class _JSONModule:
    """``kolben.json`` for request bodies: nesting too deep for the parser is
    invalid JSON (a 400), not a server error."""

    @staticmethod
    def loads(s: str | bytes, **kwargs: t.Any) -> t.Any:
        try:
            return json.loads(s, **kwargs)
        except RecursionError as e:
            raise ValueError("JSON nested too deeply") from e

    @staticmethod
    def dumps(obj: t.Any, **kwargs: t.Any) -> str:
        return json.dumps(obj, **kwargs)


class Request(RequestBase):
    """The request: Werkzeug's, plus the URL rule that matched and limits taken
    from the app's config (``MAX_CONTENT_LENGTH``, ``MAX_FORM_MEMORY_SIZE``,
    ``MAX_FORM_PARTS``)."""

    json_module: t.Any = _JSONModule

    #: The rule that matched, or ``None`` before matching or when none did.
    url_rule: Rule | None = None
    #: The matched view arguments, or ``None``.
    view_args: dict[str, t.Any] | None = None
    #: The ``NotFound``/``MethodNotAllowed``/redirect raised by matching, if any.
    routing_exception: HTTPException | None = None

    _max_content_length: int | None = None
    _max_form_memory_size: int | None = None
    _max_form_parts: int | None = None

    @property
    def max_content_length(self) -> int | None:
        """Largest body accepted, in bytes (``MAX_CONTENT_LENGTH``); a larger one
        raises ``RequestEntityTooLarge`` (413) when read. Settable per request."""
        if self._max_content_length is not None:
            return self._max_content_length
        if not current_app:
            return super().max_content_length
        return current_app.config["MAX_CONTENT_LENGTH"]  # type: ignore[no-any-return]

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    @property
    def max_form_memory_size(self) -> int | None:
        """Largest non-file form field, in bytes (``MAX_FORM_MEMORY_SIZE``)."""
        if self._max_form_memory_size is not None:
            return self._max_form_memory_size
        if not current_app:
            return super().max_form_memory_size
        return current_app.config["MAX_FORM_MEMORY_SIZE"]  # type: ignore[no-any-return]

    @max_form_memory_size.setter
    def max_form_memory_size(self, value: int | None) -> None:
        self._max_form_memory_size = value

    @property  # type: ignore[override]
    def max_form_parts(self) -> int | None:
        """Most multipart form parts accepted (``MAX_FORM_PARTS``)."""
        if self._max_form_parts is not None:
            return self._max_form_parts
        if not current_app:
            return super().max_form_parts
        return current_app.config["MAX_FORM_PARTS"]  # type: ignore[no-any-return]

    @max_form_parts.setter
    def max_form_parts(self, value: int | None) -> None:
        self._max_form_parts = value

    @property
    def endpoint(self) -> str | None:
        """The matched rule's endpoint, or ``None``."""
        if self.url_rule is not None:
            return self.url_rule.endpoint  # type: ignore[no-any-return]
        return None

    @property
    def blueprint(self) -> str | None:
        """The dotted name of the blueprint of the matched endpoint, or ``None``."""
        endpoint = self.endpoint
        if endpoint is not None and "." in endpoint:
            return endpoint.rpartition(".")[0]
        return None

    @property
    def blueprints(self) -> list[str]:
        """The matched blueprint and its parents, innermost first."""
        name = self.blueprint
        if name is None:
            return []
        return _split_blueprint_path(name)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        if (
            current_app
            and current_app.debug
            and self.mimetype != "multipart/form-data"
            and not self.files
        ):
            from .debughelpers import attach_enctype_error_multidict

            attach_enctype_error_multidict(self)

    def on_json_loading_failed(self, e: ValueError | None) -> t.Any:
        """Raises ``BadRequest``; the parser's message is shown only in debug."""
        try:
            return super().on_json_loading_failed(e)
        except BadRequest as ebr:
            if current_app and current_app.debug:
                raise
            raise BadRequest() from ebr


class Response(ResponseBase):
    """The response: Werkzeug's, ``text/html`` by default, with the cookie size
    limit from ``MAX_COOKIE_SIZE``."""

    default_mimetype: str | None = "text/html"
    json_module: t.Any = json
    autocorrect_location_header = False

    @property
    def max_cookie_size(self) -> int:  # type: ignore[override]
        """``MAX_COOKIE_SIZE`` of the current app, or Werkzeug's default."""
        if current_app:
            return current_app.config["MAX_COOKIE_SIZE"]  # type: ignore[no-any-return]
        return super().max_cookie_size
