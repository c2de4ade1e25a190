"""The request class of a :class:`~kolben.Kolben` app.

:class:`KolbenRequest` is :class:`flask.Request`, with the attributes
Werkzeug's ``Request.__init__`` reads from the WSGI environ (``path``,
``method``, ``headers``, ``server``, ...) read when first used instead of when
the request is made: a request that never looks at them (a hello, a JSON
answer, a 404) does not pay for them. The first read of any of them runs
Werkzeug's own ``__init__`` once; a value set before that is kept. The query
string is read alone, for ``args``.
"""

from __future__ import annotations

import typing as t

import flask
from werkzeug.wrappers import Request as WerkzeugRequest

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIEnvironment

#: The attributes Werkzeug's ``Request.__init__`` sets from the environ.
FROM_ENVIRON = (
    "method",
    "scheme",
    "server",
    "root_path",
    "path",
    "query_string",
    "headers",
    "remote_addr",
)


class _ReadFromEnviron:
    """One of :data:`FROM_ENVIRON` on a :class:`KolbenRequest`: a non-data
    descriptor, so that once the environ is read the instance's own value is
    found first and this is no longer called."""

    __slots__ = ("name",)

    def __init__(self) -> None:
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(
        self, request: KolbenRequest | None, owner: type | None = None
    ) -> t.Any:
        if request is None:
            return self
        request.read_environ()
        try:
            return request.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None


class _QueryStringFromEnviron:
    """``query_string`` on a :class:`KolbenRequest`: read alone, the value
    Werkzeug's ``Request.__init__`` gives it, so that ``args`` reads nothing
    else from the environ. A non-data descriptor, as :class:`_ReadFromEnviron`
    is."""

    __slots__ = ()

    def __get__(
        self, request: KolbenRequest | None, owner: type | None = None
    ) -> t.Any:
        if request is None:
            return self
        value = request.environ.get("QUERY_STRING", "").encode("latin1")
        request.__dict__["query_string"] = value
        return value


class KolbenRequest(flask.Request):
    """:class:`flask.Request` reading its environ on first use (see the module
    docs); :meth:`close` returns at once when the request never parsed
    uploaded files, instead of iterating over none."""

    method: str = _ReadFromEnviron()  # type: ignore[assignment]
    scheme: str = _ReadFromEnviron()  # type: ignore[assignment]
    server: tuple[str, int | None] | None = _ReadFromEnviron()  # type: ignore[assignment]
    root_path: str = _ReadFromEnviron()  # type: ignore[assignment]
    path: str = _ReadFromEnviron()  # type: ignore[assignment]
    query_string: bytes = _QueryStringFromEnviron()  # type: ignore[assignment]
    headers: t.Any = _ReadFromEnviron()
    remote_addr: str | None = _ReadFromEnviron()  # type: ignore[assignment]

    def __init__(
        self,
        environ: WSGIEnvironment,
        populate_request: bool = True,
        shallow: bool = False,
    ) -> None:
        self.environ = environ
        self.shallow = shallow
        if populate_request and not shallow:
            environ["werkzeug.request"] = self

    def read_environ(self) -> None:
        """Set the attributes of :data:`FROM_ENVIRON` as Werkzeug's
        ``Request.__init__`` does, keeping any already set."""
        state = self.__dict__
        kept = {name: state[name] for name in FROM_ENVIRON if name in state}
        WerkzeugRequest.__init__(
            self, self.environ, populate_request=False, shallow=self.shallow
        )
        state.update(kept)

    def close(self) -> None:
        """Close the uploaded files the request parsed, if any."""
        if self.__dict__.get("files"):
            super().close()


def closes_nothing(request: t.Any) -> bool:
    """Whether ``request.close()`` would do nothing: a
    :class:`KolbenRequest` (or a subclass keeping its ``close``) that parsed
    no uploaded files."""
    return type(request).close is KolbenRequest.close and not request.__dict__.get(
        "files"
    )


#: The attributes the native route reads of a request.
ROUTING_VALUES = ("path", "method")

#: Per request class: whether it is routed on the raw environ (see
#: :func:`reads_routing_values_lazily`).
_lazy_classes: dict[type, bool] = {}


def reads_routing_values_lazily(cls: type) -> bool:
    """Whether requests of ``cls`` read ``path`` and ``method`` from the
    environ on first use, as :class:`KolbenRequest` does (a subclass that
    reads either its own way does not). Answered once per class."""
    lazy = _lazy_classes.get(cls)
    if lazy is None:
        lazy = _lazy_classes[cls] = all(
            getattr(cls, name, None) is vars(KolbenRequest)[name]
            for name in ROUTING_VALUES
        )
    return lazy
