"""The built documentation in headless Chromium: the index page and the API
page render with their title, navigation, theme and highlighted code, and
every file they load is there.

The pages come from ``KOLBEN_DOCS_HTML`` (a folder ``sphinx-build -b html``
wrote, as CI's documentation step sets it), or are built here when Sphinx is
installed (``pip install -e '.[docs]'``); without either the tests skip.
Chromium and chromedriver are required as by the blog's browser test:
``KOLBEN_REQUIRE_BROWSER=1`` fails instead of skipping without them.
``KOLBEN_DOCS_SCREENSHOTS``, a folder, keeps a screenshot of each page.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import typing as t
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

#: The Debian packages that provide Chromium and chromedriver.
BROWSER_PACKAGES = "chromium chromium-driver"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; remembers (path, status) of every request."""

    seen: list[tuple[str, int]]

    def log_request(self, code: t.Any = "-", size: t.Any = "-") -> None:
        self.seen.append((self.path, int(code)))


@pytest.fixture(scope="module")
def site(html_dir: Path) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """The base URL of the pages served over HTTP, and the requests made."""
    seen: list[tuple[str, int]] = []
    handler = type("Handler", (_QuietHandler,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(html_dir))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def driver() -> Iterator[webdriver.Chrome]:
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or chromedriver is None:
        message = "needs Chromium and chromedriver: apt-get install " + BROWSER_PACKAGES
        if os.environ.get("KOLBEN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{message} (KOLBEN_REQUIRE_BROWSER=1)", pytrace=False)
        pytest.skip(message)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    options.add_argument("--window-size=1280,1600")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(chromedriver))
    browser.set_page_load_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()


def _style(driver: webdriver.Chrome, selector: str, prop: str) -> str:
    value: str = driver.execute_script(
        "return getComputedStyle(document.querySelector(arguments[0]))[arguments[1]]",
        selector,
        prop,
    )
    return value


def _check_loaded(driver: webdriver.Chrome, seen: list[tuple[str, int]]) -> None:
    """Nothing the page asked for failed, and the console has no error."""
    assert [request for request in seen if request[1] >= 400] == []
    log: list[dict[str, t.Any]] = driver.get_log("browser")  # type: ignore[no-untyped-call]
    assert [entry for entry in log if entry["level"] == "SEVERE"] == []


def _screenshot(driver: webdriver.Chrome, name: str) -> None:
    folder = os.environ.get("KOLBEN_DOCS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def test_index_page(
    site: tuple[str, list[tuple[str, int]]], driver: webdriver.Chrome
) -> None:
    base, seen = site
    driver.get(base + "/index.html")
    assert driver.title == f"kolben \N{EM DASH} kolben documentation ({_version()})"
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("kolben")

    # The theme's stylesheet applies: the sidebar floats beside the body.
    assert "flask.css" in " ".join(
        link.get_attribute("href") or ""
        for link in driver.find_elements(By.CSS_SELECTOR, "link[rel=stylesheet]")
    )
    assert _style(driver, "div.sphinxsidebar", "float") in ("left", "right")

    # The first app, highlighted: keywords are coloured apart from names.
    code = driver.find_element(By.CSS_SELECTOR, "div.highlight pre")
    assert "app = Kolben(__name__)" in code.text
    keyword = _style(driver, "div.highlight pre .kn", "color")
    plain = _style(driver, "div.highlight pre", "color")
    assert keyword != plain

    # Navigation: the table of contents leads to every page, the API among them.
    toc = [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".toctree-wrapper a")]
    for title in ("Installation", "Quickstart", "API reference", "Changes"):
        assert title in toc
    _screenshot(driver, "index")
    _check_loaded(driver, seen)

    driver.find_element(By.LINK_TEXT, "API reference").click()
    assert driver.current_url == base + "/api.html"


def test_api_page(
    site: tuple[str, list[tuple[str, int]]], driver: webdriver.Chrome
) -> None:
    base, seen = site
    driver.get(base + "/api.html")
    assert (
        driver.title == f"API reference \N{EM DASH} kolben documentation ({_version()})"
    )

    # The class, its signature and the methods it overrides.
    kolben = driver.find_element(By.ID, "kolben.Kolben")
    assert "class kolben.Kolben" in kolben.text
    assert driver.find_element(By.ID, "kolben.Kolben.request_context")
    assert driver.find_element(By.ID, "kolben.routing.Map")
    assert driver.find_element(By.ID, "kolben._router.Router")
    assert _style(driver, "dt.sig", "font-family") != _style(
        driver, "body", "font-family"
    )

    # Flask's names link to Flask's documentation.
    flask_links = [
        a.get_attribute("href")
        for a in driver.find_elements(By.CSS_SELECTOR, "a.reference.external")
    ]
    assert "https://flask.palletsprojects.com/en/stable/api/#flask.Flask" in flask_links

    # The sidebar: this page's sections, and the way back and on.
    sidebar = driver.find_element(By.CSS_SELECTOR, "div.sphinxsidebar")
    for section in ("The application", "kolben.routing", "kolben.static"):
        assert sidebar.find_element(By.PARTIAL_LINK_TEXT, section)
    assert driver.find_element(By.CSS_SELECTOR, "div.related a[accesskey=P]")
    _screenshot(driver, "api")
    _check_loaded(driver, seen)


@functools.cache
def _version() -> str:
    from importlib import metadata

    return ".".join(metadata.version("kolben").split(".")[:2])
