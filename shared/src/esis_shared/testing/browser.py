"""pytest plugin for browser tests: Playwright driving Debian's Chromium against a live ASGI app.

Enable it in a ``conftest.py`` with ``pytest_plugins = ["esis_shared.testing.browser"]`` and mark the
tests ``@pytest.mark.browser``. Fixtures:

* ``browser`` (session) — headless Chromium at ``/usr/bin/chromium`` (``ESIS_CHROMIUM`` overrides);
  never a Playwright-downloaded browser.
* ``page`` — a fresh context (cookies, storage) per test at a desktop size; ``phone_page`` — 390×844
  with touch, like a common phone; ``page_factory(**context_options)`` — more pages in one test.

Every page is guarded: a request to any host other than loopback is aborted and fails the test (no CDN,
no fonts or scripts from outside, no analytics), as does a Content-Security-Policy violation or an
uncaught script error. When a test fails, a screenshot of each of its pages is saved under
``test-artifacts/``. ``live_server(app)`` runs an ASGI app with uvicorn on a free loopback port.
"""

from __future__ import annotations

import ipaddress
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, Route, sync_playwright

from esis_shared.testing.processes import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
DEFAULT_TIMEOUT_MS = 10_000
ARTIFACTS_DIR = "test-artifacts"

PageFactory = Callable[..., Page]
CALL_REPORT = pytest.StashKey[pytest.TestReport]()


# ---------------------------------------------------------------- live server

@dataclass
class LiveServer:
    """An ASGI app served on loopback; ``url("/path")`` builds absolute URLs."""

    base_url: str
    server: uvicorn.Server

    def url(self, path: str = "/") -> str:
        return self.base_url + path


@contextmanager
def live_server(app: Any, *, host: str = "127.0.0.1", startup_timeout: float = 15.0) -> Iterator[LiveServer]:
    """Run ``app`` with uvicorn in a thread on a free port for the duration of the ``with`` block."""
    port = free_port(host)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"live-server-{port}", daemon=True)
    thread.start()
    _wait_started(server, thread, startup_timeout)
    try:
        yield LiveServer(f"http://{host}:{port}", server)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _wait_started(server: uvicorn.Server, thread: threading.Thread, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the live server stopped during start-up (see the log above)")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the live server did not start within {timeout} s")
        time.sleep(0.02)


# ---------------------------------------------------------------- guarded pages

@dataclass
class PageGuard:
    """What a page did that a test must not allow: outside requests, CSP violations, script errors."""

    external_requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return ([f"request to a non-loopback host: {u}" for u in self.external_requests]
                + [f"Content-Security-Policy violation: {m}" for m in self.csp_violations]
                + [f"uncaught script error: {m}" for m in self.page_errors])

    def on_route(self, route: Route) -> None:
        url = route.request.url
        if is_loopback(url):
            route.continue_()
            return
        self.external_requests.append(url)
        route.abort("blockedbyclient")

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.csp_violations.append(text)
        else:
            self.console_errors.append(text)


def is_loopback(url: str) -> bool:
    """Whether ``url`` stays on this machine (loopback address, ``localhost``, or an inline scheme)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    host = parts.hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name other than localhost
        return False


def guard_context(context: BrowserContext) -> PageGuard:
    """Block and record every request that leaves the machine; record CSP violations and errors."""
    guard = PageGuard()
    context.route("**/*", guard.on_route)
    context.on("page", lambda page: _watch_page(page, guard))
    return guard


def _watch_page(page: Page, guard: PageGuard) -> None:
    page.on("console", guard.on_console)
    page.on("pageerror", lambda error: guard.page_errors.append(str(error)))


# ---------------------------------------------------------------- fixtures

def chromium_path() -> str:
    path = os.environ.get("ESIS_CHROMIUM", CHROMIUM)
    if not Path(path).is_file():
        pytest.fail(f"Chromium not found at {path}: run `apt-get install -y chromium` "
                    "(browser tests never use `playwright install`)", pytrace=False)
    return path


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the whole session (per xdist worker)."""
    browser = playwright_instance.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS,
                                                  headless=True)
    yield browser
    browser.close()


@pytest.fixture
def page_factory(browser: Browser, request: pytest.FixtureRequest) -> Iterator[PageFactory]:
    """``page_factory(**context_options)`` → a page in a new guarded context; checked at teardown."""
    opened: list[tuple[BrowserContext, Page, PageGuard]] = []

    def make(**options: Any) -> Page:
        context = browser.new_context(**{**DESKTOP, **options})
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        guard = guard_context(context)
        page = context.new_page()
        opened.append((context, page, guard))
        return page

    yield make
    _finish(request, opened)


@pytest.fixture
def page(page_factory: PageFactory) -> Page:
    """A desktop-sized page (1280×800) in a fresh context."""
    return page_factory()


@pytest.fixture
def phone_page(page_factory: PageFactory) -> Page:
    """A phone-sized page (390×844, touch, mobile viewport) in a fresh context."""
    return page_factory(**PHONE)


def _finish(request: pytest.FixtureRequest, opened: list[tuple[BrowserContext, Page, PageGuard]]) -> None:
    failed = _test_failed(request.node)
    problems: list[str] = []
    for index, (context, page, guard) in enumerate(opened):
        if failed:
            save_screenshot(page, request.node, suffix=str(index) if len(opened) > 1 else "")
        problems.extend(guard.problems())
        context.close()
    if problems:
        pytest.fail("the page broke the platform's browser rules:\n  " + "\n  ".join(problems), pytrace=False)


def _test_failed(node: pytest.Item) -> bool:
    report = node.stash.get(CALL_REPORT, None)
    return bool(report is not None and report.failed)


def save_screenshot(page: Page, node: pytest.Item, *, suffix: str = "",
                    directory: str | Path | None = None) -> Path | None:
    """Save a full-page PNG named after the test under ``test-artifacts/``; None if the page is gone."""
    folder = Path(directory) if directory else Path(node.config.rootpath) / ARTIFACTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", node.nodeid).strip("_") + (f"-{suffix}" if suffix else "")
    path = folder / f"{name}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception:  # the page or browser may already be closed by the failure itself
        return None
    return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep the call-phase report on the item, so fixtures can tell at teardown whether the test failed."""
    report = yield
    if report.when == "call":
        item.stash[CALL_REPORT] = report
    return report
