"""Config loading."""

from __future__ import annotations

import json
import os
import typing as t
from pathlib import Path

import pytest

import kolben
from kolben import Config


class Settings:
    SECRET = "s"
    lower = "ignored"


def test_from_object_mapping_and_namespace(tmp_path: Path) -> None:
    config = Config(tmp_path)
    config.from_object(Settings)
    config.from_mapping({"A_ONE": 1, "lower": 2}, A_TWO=2)
    assert config["SECRET"] == "s" and "lower" not in config
    assert config.get_namespace("A_") == {"one": 1, "two": 2}
    assert config.get_namespace("A_", lowercase=False, trim_namespace=False) == {
        "A_ONE": 1,
        "A_TWO": 2,
    }
    config.from_object("tests.app.test_config.Settings")
    assert config["SECRET"] == "s"


def test_from_pyfile_envvar_and_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "settings.py").write_text("FROM_PY = 1\nlower = 2\n")
    (tmp_path / "settings.json").write_text(json.dumps({"FROM_JSON": 2}))
    config = Config(tmp_path)
    assert config.from_pyfile("settings.py")
    assert config.from_file("settings.json", load=json.load)
    assert config["FROM_PY"] == 1 and config["FROM_JSON"] == 2
    assert not config.from_pyfile("missing.py", silent=True)
    assert not config.from_file("missing.json", load=json.load, silent=True)
    with pytest.raises(OSError, match="Unable to load configuration file"):
        config.from_pyfile("missing.py")
    monkeypatch.setenv("SETTINGS", str(tmp_path / "settings.py"))
    assert config.from_envvar("SETTINGS")
    monkeypatch.delenv("SETTINGS")
    assert not config.from_envvar("SETTINGS", silent=True)
    with pytest.raises(RuntimeError, match="not set"):
        config.from_envvar("SETTINGS")


ENV = [
    # (variables, prefix, expected subset)
    ({"FLASK_A": "1"}, None, {"A": 1}),
    ({"FLASK_A": "true"}, None, {"A": True}),
    ({"FLASK_S": "text"}, None, {"S": "text"}),
    ({"FLASK_DB__HOST": '"h"'}, None, {"DB": {"HOST": "h", "PORT": 1}}),
    ({"APP_X": "[1]", "FLASK_X": "0"}, "APP", {"X": [1]}),
]


@pytest.mark.parametrize(("env", "prefix", "expected"), ENV)
def test_from_prefixed_env(
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    prefix: str | None,
    expected: dict[str, t.Any],
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    config = Config(".", {"DB": {"PORT": 1}})
    if prefix is None:
        config.from_prefixed_env()
    else:
        config.from_prefixed_env(prefix)
    assert {k: config[k] for k in expected} == expected


def test_app_config_defaults_and_attributes(app: kolben.Kolben) -> None:
    assert app.config["SESSION_COOKIE_NAME"] == "session"
    assert app.config["PROVIDE_AUTOMATIC_OPTIONS"] is True
    app.secret_key = "k"
    assert app.config["SECRET_KEY"] == "k"
    app.config["PERMANENT_SESSION_LIFETIME"] = 60
    assert app.permanent_session_lifetime.total_seconds() == 60


def test_debug_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert kolben.Kolben(__name__).debug is True
    monkeypatch.setenv("FLASK_DEBUG", "0")
    assert kolben.Kolben(__name__).debug is False


def test_instance_folder(tmp_path: Path) -> None:
    app = kolben.Kolben(
        __name__, instance_path=str(tmp_path), instance_relative_config=True
    )
    (tmp_path / "cfg.py").write_text("INSTANCE = True\n")
    app.config.from_pyfile("cfg.py")
    assert app.config["INSTANCE"] is True
    with app.open_instance_resource("cfg.py", "r") as f:
        assert "INSTANCE" in f.read()
    default = kolben.Kolben(__name__)
    assert os.path.basename(default.instance_path) == "instance"
    with pytest.raises(ValueError, match="absolute"):
        kolben.Kolben(__name__, instance_path="relative")
