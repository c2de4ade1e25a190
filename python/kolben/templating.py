"""Jinja2 for the app: the environment, the loader over the app's and the
blueprints' template folders, and ``render_template`` & co."""

from __future__ import annotations

import typing as t

from jinja2 import BaseLoader, Template, TemplateNotFound
from jinja2 import Environment as BaseEnvironment

from .globals import _cv_app, _cv_request, current_app, request
from .helpers import stream_with_context
from .signals import before_render_template, template_rendered

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Kolben
    from .sansio.app import App
    from .scaffold import Scaffold

_Source = tuple[str, t.Optional[str], t.Optional[t.Callable[[], bool]]]


def _default_template_ctx_processor() -> dict[str, t.Any]:
    """Put ``g`` and ``request`` in the context as plain objects. ``session``
    stays the global proxy, so only a template that reads it marks the session
    accessed."""
    appctx = _cv_app.get(None)
    reqctx = _cv_request.get(None)
    rv: dict[str, t.Any] = {}
    if appctx is not None:
        rv["g"] = appctx.g
    if reqctx is not None:
        rv["request"] = reqctx.request
    return rv


class Environment(BaseEnvironment):
    """A Jinja environment bound to an app, loading through
    :class:`DispatchingJinjaLoader` unless another loader is given."""

    def __init__(self, app: App, **options: t.Any) -> None:
        if "loader" not in options:
            options["loader"] = app.create_global_jinja_loader()
        super().__init__(**options)
        self.app = app


class DispatchingJinjaLoader(BaseLoader):
    """Looks a template up in the app's template folder, then in each
    blueprint's, in registration order. ``EXPLAIN_TEMPLATE_LOADING`` logs every
    attempt."""

    def __init__(self, app: App) -> None:
        self.app = app

    def get_source(self, environment: BaseEnvironment, template: str) -> _Source:
        """The first loader's source; raises ``TemplateNotFound``."""
        if self.app.config["EXPLAIN_TEMPLATE_LOADING"]:
            return self._get_source_explained(environment, template)
        for _owner, loader in self._iter_loaders(template):
            try:
                return loader.get_source(environment, template)
            except TemplateNotFound:
                continue
        raise TemplateNotFound(template)

    def _get_source_explained(
        self, environment: BaseEnvironment, template: str
    ) -> _Source:
        attempts = []
        found: _Source | None = None
        for owner, loader in self._iter_loaders(template):
            rv: _Source | None
            try:
                rv = loader.get_source(environment, template)
            except TemplateNotFound:
                rv = None
            if found is None:
                found = rv
            attempts.append((loader, owner, rv))

        from .debughelpers import explain_template_loading_attempts

        explain_template_loading_attempts(self.app, template, attempts)
        if found is None:
            raise TemplateNotFound(template)
        return found

    def _iter_loaders(self, template: str) -> t.Iterator[tuple[Scaffold, BaseLoader]]:
        loader = self.app.jinja_loader
        if loader is not None:
            yield self.app, loader
        for blueprint in self.app.iter_blueprints():
            loader = blueprint.jinja_loader
            if loader is not None:
                yield blueprint, loader

    def list_templates(self) -> list[str]:
        """Every template name the app and its blueprints can load."""
        result: set[str] = set()
        for _owner, loader in self._iter_loaders(""):
            result.update(loader.list_templates())
        return list(result)


def _render(app: Kolben, template: Template, context: dict[str, t.Any]) -> str:
    app.update_template_context(context)
    if before_render_template.receivers:
        before_render_template.send(
            app, _async_wrapper=app.ensure_sync, template=template, context=context
        )
    rv = template.render(context)
    if template_rendered.receivers:
        template_rendered.send(
            app, _async_wrapper=app.ensure_sync, template=template, context=context
        )
    return rv


def render_template(
    template_name_or_list: str | Template | list[str | Template],
    **context: t.Any,
) -> str:
    """Render a template by name (the first that exists, for a list) with
    ``context``. Raises ``jinja2.TemplateNotFound``."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    return _render(app, template, context)


def render_template_string(source: str, **context: t.Any) -> str:
    """Render template ``source`` with ``context``."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return _render(app, app.jinja_env.from_string(source), context)


def _stream(
    app: Kolben, template: Template, context: dict[str, t.Any]
) -> t.Iterator[str]:
    app.update_template_context(context)
    if before_render_template.receivers:
        before_render_template.send(
            app, _async_wrapper=app.ensure_sync, template=template, context=context
        )

    def generate() -> t.Iterator[str]:
        yield from template.generate(context)
        if template_rendered.receivers:
            template_rendered.send(
                app, _async_wrapper=app.ensure_sync, template=template, context=context
            )

    rv = generate()
    if request:
        rv = stream_with_context(rv)
    return rv


def stream_template(
    template_name_or_list: str | Template | list[str | Template],
    **context: t.Any,
) -> t.Iterator[str]:
    """Render a template piece by piece, for a streamed response; the request
    context stays available while it is iterated."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    return _stream(app, template, context)


def stream_template_string(source: str, **context: t.Any) -> t.Iterator[str]:
    """Render template ``source`` piece by piece, for a streamed response."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return _stream(app, app.jinja_env.from_string(source), context)
