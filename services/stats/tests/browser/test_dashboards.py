"""The dashboards in Chromium: the public page with the map of aimags, an area page, the staff sign-in wall."""

from __future__ import annotations

import pytest
from esis_shared.testing.browser import live_server
from playwright.sync_api import Page, expect
from stats.bootstrap import Container
from stats.entrypoints.api.app import build_app

pytestmark = pytest.mark.browser


def test_open_page_shows_the_map_and_a_suppressed_table(page: Page, container: Container) -> None:
    with live_server(build_app(container)) as server:
        page.goto(server.url("/stats/open?year=2023"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Боловсролын нээлттэй статистик")
        expect(page.locator("svg.map circle.map-dot")).to_have_count(22)
        arkhangai = page.locator('svg.map circle[data-code="65"]')
        expect(arkhangai).not_to_have_attribute("fill", "none")  # A65 has learners
        expect(page.locator('svg.map circle[data-code="11"]')).to_have_attribute("fill", "none")  # no data
        table = page.get_by_test_id("enrolment-table")
        expect(table.locator("tr.total-row td").first).to_have_text("35")  # 15 + 20 first-graders
        page.locator('svg.map a[href*="A65"]').first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Нэгж 65")
        page.get_by_role("link", name="Нэгж 6501").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Нэгж 6501")
        row = page.get_by_role("row", name="Нэгж 6501-2")  # the school with 3 first-graders
        expect(row.locator("td").first).to_have_text("·")
        expect(page.locator("tr.total-row td").first).to_have_text("15")
        page.get_by_role("link", name="Нэгж 6501-1").click()
        profile = page.get_by_test_id("school-profile")
        expect(profile).to_contain_text("Суралцагчид12")
        expect(profile).to_contain_text("Бүлгүүд2")


def test_pages_switch_to_english(page: Page, container: Container) -> None:
    with live_server(build_app(container)) as server:
        page.goto(server.url("/stats/open?year=2023&lang=en"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Open education statistics")
        expect(page.get_by_role("link", name="Data dictionary")).to_be_visible()


def test_staff_dashboard_asks_for_sign_in(page: Page, container: Container) -> None:
    with live_server(build_app(container)) as server:
        response = page.request.get(server.url("/stats/area/A65?year=2023"), max_redirects=0)
        assert response.status == 303
        assert response.headers["location"].startswith("/identity/login?next=")
