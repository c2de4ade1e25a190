"""Static files and send_file."""

from __future__ import annotations

import io
import os

import pytest
from werkzeug.exceptions import NotFound

import kolben

HERE = os.path.dirname(__file__)


def test_app_static_route(app: kolben.Kolben) -> None:
    client = app.test_client()
    rv = client.get("/static/file.txt")
    assert (rv.status_code, rv.data) == (200, b"static body\n")
    assert rv.headers["Cache-Control"] == "no-cache"
    etag = rv.headers["ETag"]
    rv.close()
    rv = client.get("/static/file.txt", headers={"If-None-Match": etag})
    assert rv.status_code == 304
    rv.close()
    assert client.get("/static/../conftest.py").status_code == 404
    assert client.get("/static/missing.txt").status_code == 404
    with app.test_request_context():
        assert kolben.url_for("static", filename="file.txt") == "/static/file.txt"


def test_static_url_path_and_no_static_folder() -> None:
    app = kolben.Kolben(__name__, static_url_path="/assets", root_path=HERE)
    rv = app.test_client().get("/assets/file.txt")
    assert rv.data == b"static body\n"
    rv.close()
    bare = kolben.Kolben(__name__, static_folder=None)
    assert "static" not in bare.view_functions


@pytest.mark.parametrize(("config", "max_age"), [(None, None), (60, 60)])
def test_send_file_max_age(
    app: kolben.Kolben, config: int | None, max_age: int | None
) -> None:
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = config
    with app.test_request_context():
        rv = app.send_static_file("file.txt")
        assert rv.cache_control.max_age == max_age
        rv.close()


def test_send_file_and_from_directory(app: kolben.Kolben) -> None:
    with app.test_request_context():
        rv = kolben.send_file(io.BytesIO(b"data"), mimetype="text/plain")
        rv.direct_passthrough = False
        assert rv.data == b"data"
        rv = kolben.send_file(
            io.BytesIO(b"x"), as_attachment=True, download_name="r.csv"
        )
        assert "attachment" in rv.headers["Content-Disposition"]
        rv = kolben.send_from_directory(os.path.join(HERE, "static"), "file.txt")
        rv.direct_passthrough = False
        assert rv.data == b"static body\n"
        rv.close()
        with pytest.raises(NotFound):
            kolben.send_from_directory(os.path.join(HERE, "static"), "../conftest.py")


def test_open_resource(app: kolben.Kolben) -> None:
    with app.open_resource("static/file.txt") as f:
        assert f.read() == b"static body\n"
    with pytest.raises(ValueError, match="reading"):
        app.open_resource("static/file.txt", "w")
