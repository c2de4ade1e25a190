"""The blog in headless Chromium behind a real server: assets load, CSS and JS
apply, no request fails, and a login and a post go through the forms."""

from __future__ import annotations

import threading
import typing as t
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pytest
from blog import DEMO_PASSWORD, DEMO_USERNAME, create_app
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait
from werkzeug.serving import BaseWSGIServer, make_server

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# Colours from examples/blog/blog/static/style.css, as getComputedStyle reports them.
BODY_BACKGROUND = "rgb(250, 243, 224)"
BRAND_COLOUR = "rgb(139, 37, 0)"


@dataclass
class RecordingApp:
    """WSGI middleware that keeps (method, path, status) of every answered request."""

    app: WSGIApplication
    seen: list[tuple[str, str, int]] = field(default_factory=list)

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        request = (environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""))

        def recording_start_response(
            status: str, headers: list[tuple[str, str]], exc_info: t.Any = None
        ) -> t.Callable[[bytes], object]:
            self.seen.append((*request, int(status.split(" ", 1)[0])))
            return start_response(status, headers, exc_info)

        return self.app(environ, recording_start_response)

    def failures(self) -> list[tuple[str, str, int]]:
        return [seen for seen in self.seen if seen[2] >= 400]


@dataclass
class LiveServer:
    url: str
    recorder: RecordingApp


@pytest.fixture
def live_server() -> Iterator[LiveServer]:
    recorder = RecordingApp(create_app({"SECRET_KEY": "browser test key"}))
    server: BaseWSGIServer = make_server("127.0.0.1", 0, recorder, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", recorder)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def driver(browser_paths: tuple[str, str]) -> Iterator[webdriver.Chrome]:
    chromium, chromedriver = browser_paths
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(chromedriver))
    browser.set_page_load_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()


def console_errors(driver: webdriver.Chrome) -> list[dict[str, t.Any]]:
    log: list[dict[str, t.Any]] = driver.get_log("browser")  # type: ignore[no-untyped-call]
    return [entry for entry in log if entry["level"] == "SEVERE"]


def submit(driver: webdriver.Chrome, button: str) -> None:
    """Click a form's button and wait until the next page has replaced this one
    and finished loading (a replaced page may still be parsing)."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, button).click()
    # While the old page is being replaced, Chrome may answer a question about
    # one of its nodes with a generic error ("Node with given id does not
    # belong to the document") before the stale-element one: ask again.
    wait = WebDriverWait(
        driver, 10, poll_frequency=0.05, ignored_exceptions=(WebDriverException,)
    )
    wait.until(expected_conditions.staleness_of(page))
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def test_page_loads_with_its_assets(
    live_server: LiveServer, driver: webdriver.Chrome
) -> None:
    driver.get(live_server.url + "/")
    assert driver.title == "Posts - Kolben Blog"
    assert (
        driver.execute_script("return getComputedStyle(document.body).backgroundColor")
        == BODY_BACKGROUND
    )
    assert (
        driver.execute_script(
            "return getComputedStyle(document.querySelector('.brand')).color"
        )
        == BRAND_COLOUR
    )
    assert driver.execute_script("return document.body.dataset.js") == "loaded"
    assert driver.find_element(By.ID, "js-status").text == "JavaScript is on."
    logo = driver.find_element(By.ID, "logo")
    assert (
        driver.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth", logo
        )
        == 16
    )

    paths = {path for _, path, _ in live_server.recorder.seen}
    assert {"/", "/static/style.css", "/static/app.js", "/static/logo.png"} <= paths
    assert live_server.recorder.failures() == []
    assert console_errors(driver) == []


def test_login_and_post_through_the_forms(
    live_server: LiveServer, driver: webdriver.Chrome
) -> None:
    driver.get(live_server.url + "/create")
    # Not logged in: sent to the login form, which says why.
    assert driver.current_url == f"{live_server.url}/auth/login?next=/create"
    assert driver.find_element(By.CSS_SELECTOR, ".flash-error").text == (
        "Log in to do that."
    )

    driver.find_element(By.ID, "username").send_keys(DEMO_USERNAME)
    driver.find_element(By.ID, "password").send_keys(DEMO_PASSWORD)
    submit(driver, ".login-form button")
    # Back to the page that asked for a login.
    assert driver.find_element(By.TAG_NAME, "h1").text == "New post"
    assert driver.current_url == f"{live_server.url}/create"
    assert driver.find_element(By.CSS_SELECTOR, ".flash-success").text == (
        f"Welcome back, {DEMO_USERNAME}!"
    )

    driver.find_element(By.ID, "title").send_keys("From the browser")
    driver.find_element(By.ID, "body").send_keys("<script>alert(1)</script>")
    submit(driver, ".post-form button")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Posts"
    assert driver.find_element(By.CSS_SELECTOR, ".flash-success").text == (
        "Post published: From the browser"
    )
    post = driver.find_element(By.CSS_SELECTOR, "article.post")
    assert post.find_element(By.TAG_NAME, "h2").text == "From the browser"
    # Escaped: shown as text, never run (an alert would fail the next call).
    assert post.find_element(By.CSS_SELECTOR, ".body").text == (
        "<script>alert(1)</script>"
    )

    submit(driver, "form.logout button")
    assert driver.find_element(By.CSS_SELECTOR, ".flash-info").text == (
        "You are logged out."
    )
    assert driver.find_element(By.LINK_TEXT, "Log in")

    assert live_server.recorder.failures() == []
    assert console_errors(driver) == []
