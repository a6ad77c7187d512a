"""Pages through the app (no browser): what a guardian reads, in Mongolian by default, and 404 pages for
children that are not theirs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from parent.domain.growth import Measurement
from parent.domain.school import AttendanceEntry, ClassInfo, SchoolInfo
from parent.entrypoints.api.app import build_app
from parent.service_layer.handlers import projections as p
from parent.service_layer.handlers.claims import ClaimChild, claim_child

from .apptools import container, token
from .conftest import MOTHER, STRANGER, claim

PAGES = ["", "/attendance", "/grades", "/homework", "/timetable", "/messages", "/growth", "/access-log"]


@pytest.fixture
def app_client(tmp_path) -> TestClient:
    built = container(tmp_path)
    deps = built.deps
    claim_child(ClaimChild(MOTHER.subject, claim()), deps)
    claim_child(ClaimChild(MOTHER.subject, claim("УБ21251005")), deps)
    claim_child(ClaimChild(STRANGER.subject, claim("УБ14270101", "Болд", "88001122")), deps)
    with deps.uow() as uow:
        p.school_created(uow, SchoolInfo("sch-1", "Улаанбаатар 1-р сургууль", "UB-001"))
        p.class_opened(uow, ClassInfo("cls-5b", "sch-1", "2026-2027", "5", "Б"))
        p.attendance_marked(uow, [AttendanceEntry("lrn-bat", date(2026, 11, 30), 0, "unexcused",
                                                  "unexcused_absence")], deps)
        p.growth_measured(uow, Measurement("gm-1", "lrn-sarnai", date(2024, 5, 10), Decimal("95.1"), Decimal("13.9")))
        uow.commit()
    client = TestClient(build_app(built))
    client.cookies.set("esis_session", token(MOTHER))
    return client


def test_the_home_page_lists_the_children_with_todays_status(app_client) -> None:
    html = app_client.get("/parent/").text

    assert "Бат" in html and "Сарнай" in html and "Тэмүүлэн" not in html
    assert "5Б" in html and "Улаанбаатар 1-р сургууль" in html
    assert "Чөлөөгүй тасалсан" in html


@pytest.mark.parametrize("suffix", PAGES)
def test_every_child_page_renders_for_the_guardian(app_client, suffix) -> None:
    learner = "lrn-sarnai" if suffix == "/growth" else "lrn-bat"
    answer = app_client.get(f"/parent/children/{learner}{suffix}")

    assert answer.status_code == 200, answer.text[:500]
    assert answer.headers["content-language"] == "mn"


@pytest.mark.parametrize("suffix", PAGES)
@pytest.mark.parametrize("learner", ["lrn-other", "lrn-guess-42"])
def test_every_child_page_is_not_found_for_someone_elses_child(app_client, suffix, learner) -> None:
    answer = app_client.get(f"/parent/children/{learner}{suffix}")

    assert answer.status_code == 404
    assert "Тэмүүлэн" not in answer.text


def test_the_growth_page_draws_an_svg_chart_with_who_curves(app_client) -> None:
    html = app_client.get("/parent/children/lrn-sarnai/growth").text

    assert html.count("<svg") == 2 and "<polyline" in html and "WHO 2006" in html


def test_english_on_request(app_client) -> None:
    html = app_client.get("/parent/children/lrn-bat/attendance?lang=en").text

    assert "Absent without leave" in html and "Attendance" in html


def test_a_page_without_a_session_redirects_to_sign_in(app_client) -> None:
    app_client.cookies.clear()
    answer = app_client.get("/parent/", follow_redirects=False)

    assert answer.status_code == 303 and answer.headers["location"].startswith("/identity/login")
