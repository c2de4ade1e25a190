"""The rule map and its per-request binding, matching through the Rust router."""

from __future__ import annotations

import contextlib
import typing as t
import warnings
from urllib.parse import quote

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing.map import Map as _WerkzeugMap
from werkzeug.routing.map import MapAdapter as _WerkzeugMapAdapter
from werkzeug.sansio.request import Request as _Request
from werkzeug.wsgi import get_host

from .. import _router
from .converters import DEFAULT_CONVERTERS
from .exceptions import (
    RequestRedirect,
    WebsocketMismatch,
)
from .matcher import PATH_SAFE, NativeMatcher, Special
from .policy import ORIGIN_ATTRIBUTE, RuleSource, caller_location, resolve

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.wrappers.request import Request

    from .rules import Rule, RuleFactory

#: The adapter attributes the native ``match`` and ``build`` take at bind time.
_BOUND_ATTRIBUTES = frozenset(
    {
        "server_name",
        "subdomain",
        "script_name",
        "path_info",
        "default_method",
        "url_scheme",
        "websocket",
    }
)


class MapAdapter(_WerkzeugMapAdapter):
    """A :class:`Map` bound to one request's host, script name and method.

    :meth:`match` is one call into the Rust router; the rest is Werkzeug's.
    """

    map: Map

    def __setattr__(self, name: str, value: t.Any) -> None:
        # The native methods read what bind() decided; a changed attribute
        # sends them to the Python methods, which read it as Werkzeug does.
        super().__setattr__(name, value)
        if name in _BOUND_ATTRIBUTES:
            self.__dict__.pop("_native", None)

    def match(
        self,
        path_info: str | None = None,
        method: str | None = None,
        return_rule: bool = False,
        query_args: t.Mapping[str, t.Any] | str | None = None,
        websocket: bool | None = None,
    ) -> tuple[t.Any, t.Mapping[str, t.Any]]:
        """Matches ``path_info`` and returns ``(endpoint, values)``, or
        ``(rule, values)`` with ``return_rule``.

        :raises NotFound: no rule matches.
        :raises MethodNotAllowed: rules match the path for other methods only;
            ``valid_methods`` lists them, sorted (Werkzeug's order comes from a
            set, and changes from process to process).
        :raises RequestRedirect: the URL should be requested elsewhere (a missing
            trailing slash, merged slashes, an alias or ``redirect_to`` rule).
        :raises WebsocketMismatch: the rule is (or is not) a websocket rule.
        """
        url_map = self.map
        if url_map._remap:
            url_map.update()
        if path_info is None:
            path_info = self.path_info
        method = (method or self.default_method).upper()
        if websocket is None:
            websocket = self.websocket
        domain = self.server_name
        if not url_map.host_matching and self.subdomain is not None:
            domain = self.subdomain
        path = f"/{path_info.lstrip('/')}" if path_info else ""

        result = url_map._matcher.router.match(domain, path, method, websocket)
        if isinstance(result, tuple):
            payload, values = result
            if type(payload) is Special:
                return self._match_special(
                    payload.rule, values, method, query_args, return_rule, domain, path
                )
            return (payload if return_rule else payload.endpoint), values
        if result is None:
            raise NotFound()
        if isinstance(result, str):
            raise RequestRedirect(
                self.make_redirect_url(quote(result, safe=PATH_SAFE), query_args)
            )
        if result is False:
            raise WebsocketMismatch()
        raise MethodNotAllowed(valid_methods=sorted(result))

    def _match_special(
        self,
        rule: Rule,
        values: dict[str, t.Any],
        method: str,
        query_args: t.Mapping[str, t.Any] | str | None,
        return_rule: bool,
        domain: str,
        path: str,
    ) -> tuple[t.Any, t.Mapping[str, t.Any]]:
        """Aliases, ``redirect_to`` and default redirects, as Werkzeug does them."""
        if query_args is None:
            query_args = self.query_args or {}
        if rule.alias and self.map.redirect_defaults:
            raise RequestRedirect(
                self.make_alias_redirect_url(
                    f"{domain}|{path}",
                    rule.endpoint,
                    values,
                    method,
                    query_args,
                )
            )
        if self.map.redirect_defaults:
            redirect_url = self.get_default_redirect(rule, method, values, query_args)
            if redirect_url is not None:
                raise RequestRedirect(redirect_url)
        if rule.redirect_to is not None:
            raise RequestRedirect(self._redirect_to_url(rule, values))
        return (rule if return_rule else rule.endpoint), values

    def _redirect_to_url(self, rule: Rule, values: dict[str, t.Any]) -> str:
        from urllib.parse import urljoin

        from werkzeug.routing.rules import _simple_rule_re

        assert rule.redirect_to is not None  # callers check
        if isinstance(rule.redirect_to, str):

            def _handle_match(match: t.Match[str]) -> str:
                value = values[match.group(1)]
                return rule._converters[match.group(1)].to_url(value)

            redirect_url = _simple_rule_re.sub(_handle_match, rule.redirect_to)
        else:
            redirect_url = rule.redirect_to(self, **values)
        if self.subdomain:
            netloc = f"{self.subdomain}.{self.server_name}"
        else:
            netloc = self.server_name
        return urljoin(
            f"{self.url_scheme or 'http'}://{netloc}{self.script_name}", redirect_url
        )


def _subdomain(environ: WSGIEnvironment | Request, server_name: str) -> str:
    """The request's subdomain of ``server_name``, as Werkzeug's
    ``bind_to_environ`` finds it — warned from here, so that the warning
    names the code that bound the map (as Werkzeug's does)."""
    if isinstance(environ, _Request):
        environ = environ.environ
    host = get_host(environ).lower()
    scheme = environ["wsgi.url_scheme"]
    connection = environ.get("HTTP_CONNECTION", "").lower().split(",")
    if any(v.strip() == "upgrade" for v in connection) and (
        environ.get("HTTP_UPGRADE", "").lower() == "websocket"
    ):
        scheme = "wss" if scheme == "https" else "ws"
    server_name = server_name.lower()
    if scheme in {"http", "ws"} and server_name.endswith(":80"):
        server_name = server_name[:-3]
    elif scheme in {"https", "wss"} and server_name.endswith(":443"):
        server_name = server_name[:-4]
    current = host.split(".")
    real = server_name.split(".")
    offset = -len(real)
    if current[offset:] != real:
        warnings.warn(
            f"Current server name {host!r} doesn't match configured"
            f" server name {server_name!r}",
            stacklevel=3,
        )
        return "<invalid>"
    return ".".join(filter(None, current[:offset]))


#: The Python ``match`` and ``build`` (Werkzeug's): what the native methods
#: fall back to for anything but the plain cases.
_python_match = MapAdapter.match
_python_build = MapAdapter.build
# One native call each, with no argument tuple (rust/py/adapter.rs); a subclass
# that defines its own keeps it.
MapAdapter.match = _router.adapter_method(  # type: ignore[method-assign]
    MapAdapter, "match", _python_match
)
MapAdapter.build = _router.adapter_method(  # type: ignore[method-assign]
    MapAdapter, "build", _python_build
)


class Map(_WerkzeugMap):
    """Werkzeug's ``Map``, matching through kolben's Rust router.

    Rules, converters, options and exceptions are Werkzeug's. Two differences:
    a rule that matches exactly the URLs of an earlier rule for an overlapping
    method is reported (:mod:`kolben.routing.policy`: a
    :class:`RouteConflictWarning`, or ``ValueError`` with
    ``strict_conflicts=True``; the first rule wins, as in Werkzeug), and
    malformed rules raise ``ValueError`` with their position. ``Map`` also
    serves as Flask's ``url_map_class``.
    """

    #: The adapter class :meth:`bind` returns.
    map_adapter_class = MapAdapter
    _matcher: NativeMatcher  # type: ignore[assignment]

    def __init__(
        self,
        rules: t.Iterable[RuleFactory] | None = None,
        default_subdomain: str = "",
        strict_slashes: bool = True,
        merge_slashes: bool = True,
        redirect_defaults: bool = True,
        converters: t.Mapping[str, t.Any] | None = None,
        sort_parameters: bool = False,
        sort_key: t.Callable[[t.Any], t.Any] | None = None,
        host_matching: bool = False,
        strict_conflicts: bool = False,
    ) -> None:
        #: Raise ``ValueError`` for a conflicting rule instead of warning.
        self.strict_conflicts = strict_conflicts
        self._source = RuleSource()
        super().__init__(
            None,
            default_subdomain=default_subdomain,
            strict_slashes=strict_slashes,
            merge_slashes=merge_slashes,
            redirect_defaults=redirect_defaults,
            converters=converters,
            sort_parameters=sort_parameters,
            sort_key=sort_key,
            host_matching=host_matching,
        )
        self._matcher = NativeMatcher(merge_slashes, self._rules_by_endpoint)
        for rulefactory in rules or ():
            self.add(rulefactory)

    def add(self, rulefactory: RuleFactory) -> None:
        """Adds a rule (or the rules of a factory).

        :raises ValueError: the rule is malformed (the message gives the
            position), or conflicts with a rule added before in strict mode.
        :raises LookupError: the rule names a converter the map does not have,
            as in Werkzeug.
        """
        # Under update()'s lock: a rule added while another thread compiles
        # waits for it, and is compiled in by the next update.
        with self._remap_lock:
            for rule in rulefactory.get_rules(self):
                try:
                    rule.bind(self)
                except (ValueError, LookupError, TypeError, SyntaxError) as error:
                    raise self._refusal(rule, error) from None
                setattr(rule, ORIGIN_ATTRIBUTE, caller_location())
                if not rule.build_only:
                    self._insert(rule)
                self._rules_by_endpoint.setdefault(rule.endpoint, []).append(rule)
            self._remap = True

    def _refusal(self, rule: Rule, error: Exception) -> Exception:
        """The one error that says why ``rule`` cannot be added, Werkzeug's
        ``error`` having refused it: the native parser's message, which names
        the rule and the position, or else Werkzeug's with the rule. An
        unknown converter is a ``LookupError``, as in Werkzeug; anything else
        a ``ValueError``."""
        try:
            _router.check_rule(rule.rule, self._custom_converter_names())
        except ValueError as native:
            message = str(native)
        else:
            message = f"rule {rule.rule!r}: {error}"
        kind = LookupError if isinstance(error, LookupError) else ValueError
        return kind(message)

    def _insert(self, rule: Rule) -> None:
        """Add ``rule`` to the router. A conflict is reported as the policy says
        (or raised), and the rule is kept behind the earlier one, which answers
        the URLs and methods both match, as in Werkzeug."""
        try:
            self._matcher.add(rule)
        except _router.RouteConflictError as error:
            earlier = self._matcher.rules[error.earlier_index]
            resolve(rule, earlier, str(error), self._source, self.strict_conflicts)
            self._matcher.add(rule, allow_conflict=True)

    @contextlib.contextmanager
    def rule_source(self, source: RuleSource) -> t.Iterator[None]:
        """Within the block, rules are judged with what ``source`` says of them
        (:class:`~kolben.Kolben` tells whether they come with a view)."""
        previous, self._source = self._source, source
        try:
            yield
        finally:
            self._source = previous

    def _custom_converter_names(self) -> list[str]:
        """The converter names whose class is not the built-in one of that name."""
        return [
            name
            for name, converter in self.converters.items()
            if DEFAULT_CONVERTERS.get(name) is not converter
        ]

    @property
    def _remap(self) -> bool:
        """Werkzeug's flag for "compile before the next match or build"; setting
        it also sends the native adapter methods to Python until then."""
        return bool(self.__dict__.get("_remap_flag", True))

    @_remap.setter
    def _remap(self, value: bool) -> None:
        self.__dict__["_remap_flag"] = value
        matcher = self.__dict__.get("_matcher")
        if value and isinstance(matcher, NativeMatcher):
            matcher.routers.set(None)

    def bind(self, *args: t.Any, **kwargs: t.Any) -> MapAdapter:
        """Binds the map to a host, script name and method (Werkzeug's signature)."""
        return self._adapt(super().bind(*args, **kwargs))

    def bind_to_environ(
        self,
        environ: WSGIEnvironment | Request,
        server_name: str | None = None,
        subdomain: str | None = None,
    ) -> MapAdapter:
        """Binds the map to a WSGI request (Werkzeug's signature)."""
        if server_name is not None and subdomain is None and not self.host_matching:
            subdomain = _subdomain(environ, server_name)
        return self._adapt(super().bind_to_environ(environ, server_name, subdomain))

    def _adapt(self, adapter: _WerkzeugMapAdapter) -> MapAdapter:
        """Makes Werkzeug's adapter ours (Werkzeug's bind names its own class;
        ours only overrides methods) and records what the native ``match`` and
        ``build`` read (``_native``: no reference back to the adapter)."""
        adapter.__class__ = self.map_adapter_class
        domain = adapter.server_name
        if not self.host_matching and adapter.subdomain is not None:
            domain = adapter.subdomain
        adapter.__dict__["_native"] = _router.AdapterState(
            routers=self._matcher.routers,
            domain=domain,
            path_info=adapter.path_info,
            default_method=adapter.default_method,
            websocket=adapter.websocket,
            server_name=adapter.server_name,
            subdomain=adapter.subdomain,
            script_name=adapter.script_name,
            url_scheme=adapter.url_scheme,
            host_matching=self.host_matching,
            map=self,
        )
        return t.cast(MapAdapter, adapter)
