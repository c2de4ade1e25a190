"""Links from kolben's pages to the pages of Flask, Werkzeug and Python that
document the objects kolben re-exports, subclasses or names in a signature.

Intersphinx would find those pages in each site's inventory, which a build
without network cannot fetch. This extension answers the references that stay
unresolved instead: an object documented by one of the sites below under a
public name links to that name's anchor on the page that documents it. Which
names each page documents was read from the documentation sources of Flask
3.1 and Werkzeug 3.1 (``docs/api.rst``; ``docs/routing.rst``,
``exceptions.rst``, ``utils.rst``, ``wrappers.rst``, ``datastructures.rst``,
``middleware/proxy_fix.rst``). A reference that none of them documents is left
to Sphinx, so ``-n`` reports it unless ``nitpick_ignore`` says why.
"""

from __future__ import annotations

import importlib
import inspect
import typing as t

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

FLASK = "https://flask.palletsprojects.com/en/stable/"
WERKZEUG = "https://werkzeug.palletsprojects.com/en/stable/"
PYTHON = "https://docs.python.org/3/library/"

#: ``(public module, page, names)``: the names that page documents as
#: ``module.name`` (``None``: every public name the module has).
PAGES: tuple[tuple[str, str, frozenset[str] | None], ...] = (
    # flask.json first: Flask documents jsonify there, not as flask.jsonify.
    ("flask.json", FLASK + "api/", frozenset({"jsonify", "dumps", "loads"})),
    ("flask", FLASK + "api/", None),
    (
        "flask.cli",
        FLASK + "api/",
        frozenset(
            {
                "FlaskGroup",
                "AppGroup",
                "ScriptInfo",
                "load_dotenv",
                "with_appcontext",
                "pass_script_info",
            }
        ),
    ),
    (
        "flask.sessions",
        FLASK + "api/",
        frozenset(
            {
                "SessionInterface",
                "SecureCookieSessionInterface",
                "SecureCookieSession",
                "NullSession",
                "SessionMixin",
            }
        ),
    ),
    ("flask.ctx", FLASK + "api/", frozenset({"AppContext", "RequestContext"})),
    ("flask.testing", FLASK + "api/", frozenset({"FlaskClient", "FlaskCliRunner"})),
    ("flask.views", FLASK + "api/", frozenset({"View", "MethodView"})),
    (
        "flask.json.provider",
        FLASK + "api/",
        frozenset({"JSONProvider", "DefaultJSONProvider"}),
    ),
    (
        "werkzeug.routing",
        WERKZEUG + "routing/",
        frozenset(
            {
                "UnicodeConverter",
                "PathConverter",
                "AnyConverter",
                "IntegerConverter",
                "FloatConverter",
                "UUIDConverter",
                "Map",
                "MapAdapter",
                "Rule",
                "RuleFactory",
                "Subdomain",
                "Submount",
                "EndpointPrefix",
                "RuleTemplate",
            }
        ),
    ),
    ("werkzeug.exceptions", WERKZEUG + "exceptions/", None),
    ("werkzeug.utils", WERKZEUG + "utils/", frozenset({"send_file"})),
    ("werkzeug.security", WERKZEUG + "utils/", frozenset({"safe_join"})),
    ("werkzeug.wrappers", WERKZEUG + "wrappers/", frozenset({"Request", "Response"})),
    ("werkzeug.datastructures", WERKZEUG + "datastructures/", None),
    (
        "werkzeug.middleware.proxy_fix",
        WERKZEUG + "middleware/proxy_fix/",
        frozenset({"ProxyFix"}),
    ),
)

#: Python's modules whose page is ``library/<module>.html``, anchors
#: ``module.name``.
PYTHON_MODULES = (
    "collections.abc",
    "typing",
    "contextlib",
    "logging",
    "os",
    "pathlib",
    "re",
    "types",
    "warnings",
)


def _find(target: str) -> tuple[object, list[str]] | None:
    """The object ``target`` names, down to a class, and the names of the
    class's members after it (``flask.app.Flask.wsgi_app``: ``Flask`` and
    ``["wsgi_app"]``)."""
    parts = target.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        rest = parts[cut:]
        while rest and not inspect.isclass(obj):
            if not hasattr(obj, rest[0]):
                return None
            obj = getattr(obj, rest.pop(0))
        if rest and not hasattr(obj, rest[0]):
            return None
        return obj, rest
    return None


def _documented_at(obj: object) -> tuple[str, str] | None:
    """``(page, anchor)`` of ``obj`` on the site that documents it."""
    if inspect.ismodule(obj):
        pages = {module_name: page for module_name, page, _ in PAGES}
        page = pages.get(obj.__name__)
        return None if page is None else (page, f"module-{obj.__name__}")
    for module_name, page, names in PAGES:
        module = importlib.import_module(module_name)
        candidates = names if names is not None else list(vars(module))
        for name in candidates:
            if not name.startswith("_") and getattr(module, name, None) is obj:
                return page, f"{module_name}.{name}"
    return None


def _python_page(target: str) -> str | None:
    """Python's page for ``target`` if it is in one of :data:`PYTHON_MODULES`."""
    modules = [m for m in PYTHON_MODULES if target.startswith(m + ".")]
    return f"{PYTHON}{max(modules, key=len)}.html" if modules else None


def resolve(target: str, contnode: nodes.Element) -> nodes.reference | None:
    """A link to the page documenting the object ``target`` names, if one of
    the sites above does."""
    page = _python_page(target)
    anchor = target
    if page is None:
        if target != "flask" and not target.startswith(("flask.", "werkzeug.")):
            return None
        found = _find(target)
        place = None if found is None else _documented_at(found[0])
        if found is None or place is None:
            return None
        page, anchor = place
        if found[1]:
            anchor = ".".join([anchor, *found[1]])
    reference = nodes.reference(
        "", "", internal=False, refuri=f"{page}#{anchor}", reftitle=anchor
    )
    reference += contnode
    return reference


def _resolve(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.Element
) -> nodes.reference | None:
    if node.get("refdomain") != "py":
        return None
    return resolve(node["reftarget"], contnode)


def setup(app: Sphinx) -> dict[str, t.Any]:
    app.connect("missing-reference", _resolve)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
