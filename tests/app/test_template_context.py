"""``update_template_context``: what a template sees is what it sees on a stock
Flask app (the context processors' values, the app's then the request's
blueprints', those passed to ``render_template`` winning), with each
processor's sync wrapper made once while ``ensure_sync`` is Flask's."""

from __future__ import annotations

import typing as t

import flask
import pytest

import kolben

TEMPLATE = "{{ a }} {{ b }} {{ c }} {{ d }} {{ request.path if request }}"


def _app_processors(app: flask.Flask, bp: flask.Blueprint) -> None:
    app.context_processor(lambda: {"a": "app", "b": "app"})
    app.context_processor(lambda: {"b": "second", "c": "second"})


def _async_processor(app: flask.Flask, bp: flask.Blueprint) -> None:
    async def processor() -> dict[str, str]:
        return {"a": "async"}

    app.context_processor(processor)


def _blueprint_processor(app: flask.Flask, bp: flask.Blueprint) -> None:
    app.context_processor(lambda: {"a": "app", "b": "app"})
    bp.context_processor(lambda: {"b": "blueprint", "d": "blueprint"})


def _app_processor_from_blueprint(app: flask.Flask, bp: flask.Blueprint) -> None:
    bp.app_context_processor(lambda: {"c": "bp-app"})


def _instance_ensure_sync(app: flask.Flask, bp: flask.Blueprint) -> None:
    app.context_processor(lambda: {"a": "app"})
    plain = app.ensure_sync
    app.ensure_sync = lambda func: lambda: {**plain(func)(), "d": "own"}  # type: ignore[method-assign]


def _no_processor(app: flask.Flask, bp: flask.Blueprint) -> None:
    app.template_context_processors[None].clear()


SETUPS: dict[str, t.Callable[[flask.Flask, flask.Blueprint], None]] = {
    "default processor only": lambda app, bp: None,
    "no processor": _no_processor,
    "app processors": _app_processors,
    "async processor": _async_processor,
    "blueprint processor": _blueprint_processor,
    "app processor from a blueprint": _app_processor_from_blueprint,
    "ensure_sync on the instance": _instance_ensure_sync,
}


def _rendered(base: type[flask.Flask], setup: t.Callable[..., None]) -> list[str]:
    app = base(__name__)
    bp = flask.Blueprint("bp", __name__)
    setup(app, bp)

    @bp.route("/bp")
    def in_blueprint() -> str:
        return flask.render_template_string(TEMPLATE, c="given")

    @app.route("/")
    def in_app() -> str:
        return flask.render_template_string(TEMPLATE, c="given")

    app.register_blueprint(bp)
    client = app.test_client()
    pages = [client.get(path).text for path in ("/", "/bp", "/")]
    with app.app_context():
        pages.append(flask.render_template_string(TEMPLATE))
    return pages


@pytest.mark.parametrize("setup", SETUPS.values(), ids=list(SETUPS))
def test_context_is_flasks(setup: t.Callable[..., None]) -> None:
    assert _rendered(kolben.Kolben, setup) == _rendered(flask.Flask, setup)


def test_processor_made_sync_once(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[t.Any] = []
    ensure_sync = flask.Flask.ensure_sync

    def spy(self: flask.Flask, func: t.Any) -> t.Any:
        made.append(func)
        return ensure_sync(self, func)

    monkeypatch.setattr(flask.Flask, "ensure_sync", spy)
    app = kolben.Kolben(__name__)

    @app.context_processor
    def processor() -> dict[str, str]:
        return {"a": "app"}

    with app.test_request_context("/"):
        for _ in range(3):
            assert flask.render_template_string("{{ a }}") == "app"
    assert made.count(processor) == 1


def test_subclass_ensure_sync_is_called_for_each_render() -> None:
    made: list[t.Any] = []

    class App(kolben.Kolben):
        def ensure_sync(self, func: t.Any) -> t.Any:
            made.append(func)
            return super().ensure_sync(func)

    app = App(__name__)
    app.context_processor(lambda: {"a": "app"})
    with app.test_request_context("/"):
        for _ in range(3):
            assert flask.render_template_string("{{ a }}") == "app"
    assert len(made) == 3 * len(app.template_context_processors[None])
