"""The rule map and its per-request binding."""

from __future__ import annotations

from werkzeug.routing.map import Map as _WerkzeugMap
from werkzeug.routing.map import MapAdapter as _WerkzeugMapAdapter


class MapAdapter(_WerkzeugMapAdapter):
    """A :class:`Map` bound to one request's host, script name and method."""


class Map(_WerkzeugMap):
    """Werkzeug's ``Map``, matching and building through the Rust router."""
