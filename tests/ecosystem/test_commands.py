"""Flask's own CLI (``flask.cli.FlaskGroup``) run on the app: the ``db`` group
Flask-Migrate adds to ``app.cli``, from ``--help`` to a migration applied."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import click
import flask
import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from flask.cli import FlaskGroup
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Item(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


@pytest.fixture
def app(app: flask.Flask, tmp_path: Path) -> Iterator[flask.Flask]:
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'items.db'}"
    db.init_app(app)
    Migrate(app, db, directory=str(tmp_path / "migrations"))

    @app.cli.command("seed")
    def seed() -> None:
        """Add one item."""
        db.session.add(Item(name="first"))
        db.session.commit()
        click.echo(f"seeded {flask.current_app.name}")

    yield app
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Alembic's ``env.py`` runs ``logging.config.fileConfig``, which replaces
    the root handlers (bound to the runner's stderr) and disables every
    logger already made; put them back for the tests that follow."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    loggers = {
        name: (logger.disabled, logger.level, logger.handlers[:], logger.propagate)
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, logger in logging.Logger.manager.loggerDict.items():
        if not isinstance(logger, logging.Logger):
            continue
        disabled, was_level, was_handlers, propagate = loggers.get(
            name, (False, logging.NOTSET, [], True)
        )
        logger.disabled = disabled
        logger.setLevel(was_level)
        logger.handlers[:] = was_handlers
        logger.propagate = propagate


def _cli(app: flask.Flask, *args: str) -> Result:
    group = FlaskGroup(create_app=lambda: app, load_dotenv=False)
    result = CliRunner().invoke(group, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def _commands(help_text: str) -> set[str]:
    lines = help_text.split("Commands:\n", 1)[1].splitlines()
    return {line.split()[0] for line in lines if line.startswith("  ")}


def test_flask_cli_lists_extension_and_app_commands(app: flask.Flask) -> None:
    assert _commands(_cli(app, "--help").output) >= {"db", "seed", "routes", "shell"}


def test_db_group_help(app: flask.Flask) -> None:
    commands = _commands(_cli(app, "db", "--help").output)
    assert commands >= {"init", "migrate", "upgrade", "downgrade", "current"}


def test_app_command_runs_in_app_context(app: flask.Flask) -> None:
    with app.app_context():
        db.create_all()
    assert _cli(app, "seed").output == f"seeded {app.name}\n"
    with app.app_context():
        assert db.session.scalars(sa.select(Item.name)).all() == ["first"]


# The env.py Flask-Migrate generates calls Flask-SQLAlchemy's deprecated
# get_engine() first, falling back to .engine only on an error.
@pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")
@pytest.mark.usefixtures("restore_logging")
def test_db_init_migrate_upgrade(app: flask.Flask, tmp_path: Path) -> None:
    _cli(app, "db", "init")
    migrations = tmp_path / "migrations"
    assert (migrations / "alembic.ini").is_file()
    assert (migrations / "env.py").is_file()

    _cli(app, "db", "migrate", "-m", "items")
    (revision,) = (migrations / "versions").glob("*_items.py")
    assert "op.create_table('item'" in revision.read_text()

    _cli(app, "db", "upgrade")
    with app.app_context():
        tables = sa.inspect(db.engine).get_table_names()
    assert sorted(tables) == ["alembic_version", "item"]
