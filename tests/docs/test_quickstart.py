"""The Quickstart's app (examples/quickstart, every file shown on the page),
served as the page says: ``kolben run`` in the app's folder."""

from __future__ import annotations

import shlex
import sys

from production.servers import ROOT, fetch, free_port, serving

FOLDER = ROOT / "examples" / "quickstart"


def test_kolben_run_in_the_folder_serves_the_page_and_its_stylesheet() -> None:
    port = free_port()
    command = f"cd {shlex.quote(str(FOLDER))} && exec {shlex.quote(sys.executable)}"
    command += f" -m kolben run --port {port}"
    with serving(["sh", "-c", command], port):
        hello = fetch(port, "/hello")
        assert (hello.status, hello.body) == (200, b"Hello, World!")

        page = fetch(port, "/user/ada?page=2")
        assert page.status == 200
        assert page.headers["Content-Type"] == "text/html; charset=utf-8"
        html = page.body.decode()
        assert "<title>ada</title>" in html
        assert "<h1>Hello, ada!</h1>" in html
        assert "<p>You are on page 2.</p>" in html
        assert '<link rel="stylesheet" href="/static/style.css">' in html

        # Escaped by the template, and no page paragraph without ?page=.
        escaped = fetch(port, "/user/%3Cb%3E").body.decode()
        assert "<h1>Hello, &lt;b&gt;!</h1>" in escaped
        assert "You are on page" not in escaped

        css = fetch(port, "/static/style.css")
        assert css.status == 200
        assert css.headers["Content-Type"].startswith("text/css")
        assert css.body == (FOLDER / "static" / "style.css").read_bytes()
