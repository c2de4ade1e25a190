"""Flask-SQLAlchemy: models written and read across requests, the scoped
session removed when the app context tears down, ``create_all`` in an app
context, and ``get_or_404`` through Flask's error handling."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import flask
import pytest
import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Note(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str]


class Seen:
    """What the views saw, kept alive so identities cannot be reused."""

    def __init__(self) -> None:
        self.notes: list[Note] = []
        self.sessions: list[Session] = []


@pytest.fixture
def seen() -> Seen:
    return Seen()


@pytest.fixture
def app(app: flask.Flask, tmp_path: Path, seen: Seen) -> Iterator[flask.Flask]:
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'notes.db'}"
    db.init_app(app)

    @app.post("/notes")
    def add() -> tuple[dict[str, int], int]:
        note = Note(text=flask.request.form["text"])
        db.session.add(note)
        db.session.commit()
        seen.notes.append(note)
        seen.sessions.append(db.session())
        return {"id": note.id}, 201

    @app.post("/notes/fail")
    def add_then_fail() -> str:
        note = Note(text=flask.request.form["text"])
        db.session.add(note)
        db.session.flush()
        seen.notes.append(note)
        raise RuntimeError("after the flush")

    @app.get("/notes/<int:id>")
    def get(id: int) -> str:
        seen.sessions.append(db.session())
        return db.get_or_404(Note, id).text

    @app.get("/notes")
    def count() -> str:
        return str(db.session.scalar(sa.select(sa.func.count()).select_from(Note)))

    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


def test_create_all_in_app_context(app: flask.Flask) -> None:
    with app.app_context():
        assert sa.inspect(db.engine).get_table_names() == ["note"]
        assert db.session.scalar(sa.select(sa.func.count(Note.id))) == 0


def test_written_in_one_request_read_in_another(app: flask.Flask) -> None:
    client = app.test_client()
    rv = client.post("/notes", data={"text": "first"})
    assert rv.status_code == 201
    note_id = rv.json["id"]
    client.post("/notes", data={"text": "second"})

    assert app.test_client().get(f"/notes/{note_id}").text == "first"
    assert client.get("/notes").text == "2"
    with app.app_context():
        rows = db.session.execute(sa.select(Note.id, Note.text).order_by(Note.id))
        assert [tuple(row) for row in rows] == [(1, "first"), (2, "second")]


def test_get_or_404(app: flask.Flask) -> None:
    rv = app.test_client().get("/notes/404")
    assert rv.status_code == 404


def test_session_removed_at_teardown(app: flask.Flask, seen: Seen) -> None:
    client = app.test_client()
    client.post("/notes", data={"text": "first"})
    client.get("/notes/1")

    # remove() closes the session, which detaches what it held.
    (note,) = seen.notes
    assert sa.inspect(note).detached
    first, second = seen.sessions
    assert first is not second
    assert not first.in_transaction()


def test_failed_request_rolls_back_and_removes_session(
    app: flask.Flask, seen: Seen
) -> None:
    client = app.test_client()
    with pytest.raises(RuntimeError, match="after the flush"):
        client.post("/notes/fail", data={"text": "lost"})
    (note,) = seen.notes
    assert sa.inspect(note).detached
    assert client.get("/notes").text == "0"
