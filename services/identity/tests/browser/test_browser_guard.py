"""The browser harness itself: a page that reaches outside the machine is caught (the no-CDN rule).

It lives next to identity's browser tests because it needs a browser and a socket, which the shared unit
tests may not use.
"""

from __future__ import annotations

import pytest
from esis_shared.testing.browser import guard_context, is_loopback, live_server
from playwright.sync_api import Browser
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

pytestmark = pytest.mark.browser

CDN_PAGE = ('<!doctype html><html lang="en"><head><title>t</title>'
            '<link rel="stylesheet" href="https://cdn.example.org/bootstrap.min.css"></head>'
            '<body><script src="http://203.0.113.9/analytics.js"></script><p>hi</p></body></html>')


def app(headers: dict[str, str]) -> Starlette:
    return Starlette(routes=[Route("/", lambda _: HTMLResponse(CDN_PAGE, headers=headers))])


@pytest.mark.parametrize("url, local", [("http://127.0.0.1:8001/identity/", True), ("http://localhost/x", True),
                                        ("data:image/png;base64,AA", True), ("https://cdn.example.org/a.css", False),
                                        ("http://10.0.0.5/x", False), ("https://127.0.0.1.evil.example/", False),
                                        ("http://[::1]:8000/", True), ("http://127.0.0.2/", True)])
def test_only_loopback_addresses_count_as_local(url: str, local: bool) -> None:
    assert is_loopback(url) is local


def test_requests_to_other_hosts_are_blocked_and_reported(browser: Browser) -> None:
    with live_server(app({})) as server:
        context = browser.new_context()
        guard = guard_context(context)
        context.new_page().goto(server.url("/"))
        context.close()
    assert sorted(guard.external_requests) == ["http://203.0.113.9/analytics.js",
                                              "https://cdn.example.org/bootstrap.min.css"]
    assert len(guard.problems()) == 2


def test_a_csp_violation_is_reported_even_though_no_request_leaves(browser: Browser) -> None:
    with live_server(app({"Content-Security-Policy": "default-src 'self'"})) as server:
        context = browser.new_context()
        guard = guard_context(context)
        page = context.new_page()
        page.goto(server.url("/"))
        page.wait_for_load_state("load")
        context.close()
    assert guard.external_requests == []
    assert guard.csp_violations, "the page's CSP blocked the CDN files; the guard must say so"
