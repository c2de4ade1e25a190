"""Blueprints: groups of routes, hooks and handlers registered on an app under
a name, URL prefix and subdomain; they nest."""

from __future__ import annotations

import os
import typing as t
from collections import defaultdict
from functools import update_wrapper

from . import typing as ft
from .scaffold import (
    Scaffold,
    T_after_request,
    T_before_request,
    T_error_handler,
    T_teardown,
    T_template_context_processor,
    T_template_filter,
    T_template_global,
    T_template_test,
    T_url_defaults,
    T_url_value_preprocessor,
    _endpoint_from_view_func,
    _named_decorator,
    setupmethod,
)

if t.TYPE_CHECKING:  # pragma: no cover
    from werkzeug.routing import Map, Rule

    from .sansio.app import App

DeferredSetupFunction = t.Callable[["BlueprintSetupState"], None]

_sentinel: t.Any = object()


class BlueprintSetupState:
    """One registration of a blueprint on an app: the resolved name, URL
    prefix, subdomain and URL defaults, passed to the recorded functions."""

    def __init__(
        self,
        blueprint: Blueprint,
        app: App,
        options: t.Any,
        first_registration: bool,
    ) -> None:
        self.app = app
        self.blueprint = blueprint
        self.options = options
        #: Whether this is the blueprint's first registration on ``app``.
        self.first_registration = first_registration
        subdomain = options.get("subdomain")
        self.subdomain = blueprint.subdomain if subdomain is None else subdomain
        url_prefix = options.get("url_prefix")
        self.url_prefix = blueprint.url_prefix if url_prefix is None else url_prefix
        self.name = options.get("name", blueprint.name)
        self.name_prefix = options.get("name_prefix", "")
        self.url_defaults = dict(blueprint.url_values_defaults)
        self.url_defaults.update(options.get("url_defaults", ()))

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: ft.RouteCallable | None = None,
        **options: t.Any,
    ) -> None:
        """Add a rule to the app with this registration's prefix, subdomain,
        defaults and dotted endpoint name."""
        options.setdefault("subdomain", self.subdomain)
        if endpoint is None:
            endpoint = _endpoint_from_view_func(view_func)
        defaults = self.url_defaults
        if "defaults" in options:
            defaults = dict(defaults, **options.pop("defaults"))
        self.app.add_url_rule(
            self._prefixed(rule),
            self._endpoint_name(endpoint),
            view_func,
            defaults=defaults,
            **options,
        )

    def _prefixed(self, rule: str) -> str:
        """``rule`` under this registration's URL prefix."""
        if self.url_prefix is None:
            return rule
        if not rule:
            return self.url_prefix
        return "/".join((self.url_prefix.rstrip("/"), rule.lstrip("/")))

    def _endpoint_name(self, endpoint: str) -> str:
        """The app's name for the blueprint's ``endpoint``: ``"<bp>.<endpoint>"``,
        after the names of the blueprints this one is nested in."""
        return f"{self.name_prefix}.{self.name}.{endpoint}".lstrip(".")

    def _add_static_rule(self) -> None:
        """Add the blueprint's static route, ``<static_url_path>/<path:filename>``.

        kolben refuses a rule that matches exactly the URLs of an earlier one,
        where Werkzeug lets the first win. A blueprint's static route often
        repeats one, as the app's own ``/static/<path:filename>`` for a blueprint
        with a ``static_folder`` and no URL prefix. Flask serves those URLs from
        the earlier rule, so this rule is added build-only: requests go to the
        earlier rule, ``url_for("<bp>.static", ...)`` still builds, and one INFO
        line on the app logger says so. Any other conflict still raises.
        """
        blueprint = self.blueprint
        rule = self._prefixed(f"{blueprint.static_url_path}/<path:filename>")
        earlier = _rule_serving(self.app.url_map, rule, self.subdomain)
        if earlier is not None:
            self.app.logger.info(
                "Blueprint %r: static rule %r (endpoint %r) is build-only: the"
                " earlier rule %r (endpoint %r) serves the same URLs.",
                self.name,
                rule,
                self._endpoint_name("static"),
                earlier.rule,
                earlier.endpoint,
            )
        self.add_url_rule(
            f"{blueprint.static_url_path}/<path:filename>",
            view_func=blueprint.send_static_file,
            endpoint="static",
            build_only=earlier is not None,
        )


def _rule_serving(url_map: Map, rule: str, subdomain: str | None) -> Rule | None:
    """The rule of ``url_map`` that matches GET requests for exactly the URLs of
    ``rule`` on ``subdomain`` (the same rule on the same domain), or ``None``."""
    if url_map.host_matching:
        domain = ""
    else:
        domain = subdomain if subdomain is not None else url_map.default_subdomain
    for other in url_map.iter_rules():
        other_domain = other.host if url_map.host_matching else other.subdomain
        if (
            other.rule == rule
            and (other_domain or "") == (domain or "")
            and not other.build_only
            and not other.websocket
            and (other.methods is None or "GET" in other.methods)
        ):
            return other
    return None


def _join_prefix(outer: str | None, inner: str | None) -> str | None:
    if outer is not None and inner is not None:
        return outer.rstrip("/") + "/" + inner.lstrip("/")
    return inner if inner is not None else outer


class Blueprint(Scaffold):
    """A named set of routes and hooks to register on apps (or on other
    blueprints). Its endpoints are ``"<name>.<endpoint>"``; ``url_for(".x")``
    inside it is relative. Raises ``ValueError`` for an empty or dotted name.

    ``cli_group`` names the group of its CLI commands (``None``: the app's).
    """

    _got_registered_once = False

    def __init__(
        self,
        name: str,
        import_name: str,
        static_folder: str | os.PathLike[str] | None = None,
        static_url_path: str | None = None,
        template_folder: str | os.PathLike[str] | None = None,
        url_prefix: str | None = None,
        subdomain: str | None = None,
        url_defaults: dict[str, t.Any] | None = None,
        root_path: str | None = None,
        cli_group: str | None = _sentinel,
    ) -> None:
        super().__init__(
            import_name=import_name,
            static_folder=static_folder,
            static_url_path=static_url_path,
            template_folder=template_folder,
            root_path=root_path,
        )
        if not name:
            raise ValueError("'name' may not be empty.")
        if "." in name:
            raise ValueError("'name' may not contain a dot '.' character.")
        self.name = name
        self.url_prefix = url_prefix
        self.subdomain = subdomain
        self.deferred_functions: list[DeferredSetupFunction] = []
        self.url_values_defaults = url_defaults or {}
        self.cli_group = cli_group
        self._blueprints: list[tuple[Blueprint, dict[str, t.Any]]] = []

    def _check_setup_finished(self, f_name: str) -> None:
        if self._got_registered_once:
            raise AssertionError(
                f"The setup method '{f_name}' can no longer be called on the blueprint"
                f" '{self.name}'. It has already been registered at least once, any"
                " changes will not be applied consistently.\n"
                "Make sure all imports, decorators, functions, etc. needed to set up"
                " the blueprint are done before registering it."
            )

    @setupmethod
    def record(self, func: DeferredSetupFunction) -> None:
        """Call ``func(state)`` at every registration on an app."""
        self.deferred_functions.append(func)

    @setupmethod
    def record_once(self, func: DeferredSetupFunction) -> None:
        """Call ``func(state)`` at the first registration on each app only."""

        def wrapper(state: BlueprintSetupState) -> None:
            if state.first_registration:
                func(state)

        self.record(update_wrapper(wrapper, func))

    def make_setup_state(
        self, app: App, options: dict[str, t.Any], first_registration: bool = False
    ) -> BlueprintSetupState:
        """The :class:`BlueprintSetupState` of one registration."""
        return BlueprintSetupState(self, app, options, first_registration)

    @setupmethod
    def register_blueprint(self, blueprint: Blueprint, **options: t.Any) -> None:
        """Nest ``blueprint`` here: it is registered with this one, under this
        name and prefix. Raises ``ValueError`` for the blueprint itself."""
        if blueprint is self:
            raise ValueError("Cannot register a blueprint on itself")
        self._blueprints.append((blueprint, options))

    def register(self, app: App, options: dict[str, t.Any]) -> None:
        """Register on ``app`` (called by ``app.register_blueprint``): add the
        static route, merge hooks and handlers, run the recorded functions, then
        register the nested blueprints. Raises ``ValueError`` when the dotted
        name is already registered."""
        name_prefix = options.get("name_prefix", "")
        self_name = options.get("name", self.name)
        name = f"{name_prefix}.{self_name}".lstrip(".")
        if name in app.blueprints:
            bp_desc = "this" if app.blueprints[name] is self else "a different"
            existing_at = f" '{name}'" if self_name != name else ""
            raise ValueError(
                f"The name '{self_name}' is already registered for"
                f" {bp_desc} blueprint{existing_at}. Use 'name=' to"
                f" provide a unique name."
            )
        first_bp_registration = not any(bp is self for bp in app.blueprints.values())
        first_name_registration = name not in app.blueprints
        app.blueprints[name] = self
        self._got_registered_once = True
        state = self.make_setup_state(app, options, first_bp_registration)

        if self.has_static_folder:
            state._add_static_rule()
        if first_bp_registration or first_name_registration:
            self._merge_blueprint_funcs(app, name)
        for deferred in self.deferred_functions:
            deferred(state)
        self._register_cli(app, name, options)

        for blueprint, bp_options in self._blueprints:
            bp_options = bp_options.copy()
            bp_subdomain = bp_options.get("subdomain")
            if bp_subdomain is None:
                bp_subdomain = blueprint.subdomain
            if state.subdomain is not None and bp_subdomain is not None:
                bp_options["subdomain"] = f"{bp_subdomain}.{state.subdomain}"
            elif bp_subdomain is not None or state.subdomain is not None:
                bp_options["subdomain"] = (
                    bp_subdomain if bp_subdomain is not None else state.subdomain
                )
            bp_url_prefix = bp_options.get("url_prefix")
            if bp_url_prefix is None:
                bp_url_prefix = blueprint.url_prefix
            url_prefix = _join_prefix(state.url_prefix, bp_url_prefix)
            if url_prefix is not None:
                bp_options["url_prefix"] = url_prefix
            bp_options["name_prefix"] = name
            blueprint.register(app, bp_options)

    def _register_cli(self, app: App, name: str, options: dict[str, t.Any]) -> None:
        if "cli" not in self.__dict__ or not getattr(self.cli, "commands", None):
            return
        group = options.get("cli_group", self.cli_group)
        if group is None:
            app.cli.commands.update(self.cli.commands)
            return
        self.cli.name = name if group is _sentinel else group
        app.cli.add_command(self.cli)

    def _merge_blueprint_funcs(self, app: App, name: str) -> None:
        def extend(
            bp_dict: dict[ft.AppOrBlueprintKey, list[t.Any]],
            parent_dict: dict[ft.AppOrBlueprintKey, list[t.Any]],
        ) -> None:
            for key, values in bp_dict.items():
                key = name if key is None else f"{name}.{key}"
                parent_dict[key].extend(values)

        for key, value in self.error_handler_spec.items():
            key = name if key is None else f"{name}.{key}"
            app.error_handler_spec[key] = defaultdict(
                dict, {code: dict(handlers) for code, handlers in value.items()}
            )
        for endpoint, func in self.view_functions.items():
            app.view_functions[endpoint] = func
        extend(self.before_request_funcs, app.before_request_funcs)
        extend(self.after_request_funcs, app.after_request_funcs)
        extend(self.teardown_request_funcs, app.teardown_request_funcs)
        extend(self.url_default_functions, app.url_default_functions)
        extend(self.url_value_preprocessors, app.url_value_preprocessors)
        extend(self.template_context_processors, app.template_context_processors)

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: ft.RouteCallable | None = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        """Record a rule to add at registration (see ``App.add_url_rule``).
        Raises ``ValueError`` for a dotted endpoint or view name."""
        if endpoint and "." in endpoint:
            raise ValueError("'endpoint' may not contain a dot '.' character.")
        if view_func and hasattr(view_func, "__name__") and "." in view_func.__name__:
            raise ValueError("'view_func' name may not contain a dot '.' character.")
        self.record(
            lambda s: s.add_url_rule(
                rule,
                endpoint,
                view_func,
                provide_automatic_options=provide_automatic_options,
                **options,
            )
        )

    def _record_on_app(self, register: t.Callable[[App], object]) -> None:
        def on_app(state: BlueprintSetupState) -> None:
            register(state.app)

        self.record_once(on_app)

    @setupmethod
    def app_template_filter(
        self, name: str | None = None
    ) -> t.Callable[[T_template_filter], T_template_filter]:
        """Decorate a Jinja filter for the whole app."""
        return _named_decorator(self.add_app_template_filter, name)

    @setupmethod
    def add_app_template_filter(
        self, f: ft.TemplateFilterCallable, name: str | None = None
    ) -> None:
        """Register a Jinja filter for the whole app."""
        self._record_on_app(lambda app: app.add_template_filter(f, name=name))

    @setupmethod
    def app_template_test(
        self, name: str | None = None
    ) -> t.Callable[[T_template_test], T_template_test]:
        """Decorate a Jinja test for the whole app."""
        return _named_decorator(self.add_app_template_test, name)

    @setupmethod
    def add_app_template_test(
        self, f: ft.TemplateTestCallable, name: str | None = None
    ) -> None:
        """Register a Jinja test for the whole app."""
        self._record_on_app(lambda app: app.add_template_test(f, name=name))

    @setupmethod
    def app_template_global(
        self, name: str | None = None
    ) -> t.Callable[[T_template_global], T_template_global]:
        """Decorate a Jinja global for the whole app."""
        return _named_decorator(self.add_app_template_global, name)

    @setupmethod
    def add_app_template_global(
        self, f: ft.TemplateGlobalCallable, name: str | None = None
    ) -> None:
        """Register a Jinja global for the whole app."""
        self._record_on_app(lambda app: app.add_template_global(f, name=name))

    @setupmethod
    def before_app_request(self, f: T_before_request) -> T_before_request:
        """``before_request`` for every request of the app."""
        self._record_on_app(lambda app: app.before_request(f))
        return f

    @setupmethod
    def after_app_request(self, f: T_after_request) -> T_after_request:
        """``after_request`` for every request of the app."""
        self._record_on_app(lambda app: app.after_request(f))
        return f

    @setupmethod
    def teardown_app_request(self, f: T_teardown) -> T_teardown:
        """``teardown_request`` for every request of the app."""
        self._record_on_app(lambda app: app.teardown_request(f))
        return f

    @setupmethod
    def app_context_processor(
        self, f: T_template_context_processor
    ) -> T_template_context_processor:
        """``context_processor`` for every template of the app."""
        self._record_on_app(lambda app: app.context_processor(f))
        return f

    @setupmethod
    def app_errorhandler(
        self, code: type[Exception] | int
    ) -> t.Callable[[T_error_handler], T_error_handler]:
        """``errorhandler`` for the whole app."""

        def decorator(f: T_error_handler) -> T_error_handler:
            self._record_on_app(lambda app: app.register_error_handler(code, f))
            return f

        return decorator

    @setupmethod
    def app_url_value_preprocessor(
        self, f: T_url_value_preprocessor
    ) -> T_url_value_preprocessor:
        """``url_value_preprocessor`` for every request of the app."""
        self._record_on_app(lambda app: app.url_value_preprocessor(f))
        return f

    @setupmethod
    def app_url_defaults(self, f: T_url_defaults) -> T_url_defaults:
        """``url_defaults`` for every URL built by the app."""
        self._record_on_app(lambda app: app.url_defaults(f))
        return f
