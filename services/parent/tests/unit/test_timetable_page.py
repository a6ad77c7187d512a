"""The weekly timetable page (no browser): lessons from the event-fed copy, or read once from education when
the class's timetable was published before the portal kept timetables."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from parent.domain.school import ClassInfo, Lesson
from parent.entrypoints.api.app import build_app
from parent.service_layer.handlers import projections as p
from parent.service_layer.handlers.claims import ClaimChild, claim_child

from .apptools import container, token
from .conftest import MOTHER, claim
from .fakes import FakeTimetable

URL = "/parent/children/lrn-bat/timetable"


@pytest.fixture
def education_timetables() -> FakeTimetable:
    return FakeTimetable()


@pytest.fixture
def built(tmp_path, education_timetables):
    found = container(tmp_path, timetable=education_timetables)
    claim_child(ClaimChild(MOTHER.subject, claim()), found.deps)
    with found.deps.uow() as uow:
        p.class_opened(uow, ClassInfo("cls-5b", "sch-1", "2026-2027", "5", "Б"))
        uow.commit()
    yield found
    found.close()


@pytest.fixture
def client(built) -> TestClient:
    browser = TestClient(build_app(built))
    browser.cookies.set("esis_session", token(MOTHER))
    return browser


def cells(html: str) -> list[list[str]]:
    """The grid's rows as text: the period, then Monday … Saturday."""
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", html, re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", f"<th>{row}")]
            for row in rows]


def test_published_lessons_fill_the_week_grid_by_day_and_period(built, client, education_timetables) -> None:
    with built.deps.uow() as uow:
        p.timetable_published(uow, "cls-5b", [Lesson(1, 1, "MONG", "204"), Lesson(3, 2, "MATH")])
        uow.commit()

    answer = client.get(URL)

    assert answer.status_code == 200 and "7 хоногийн хуваарь" in answer.text
    assert cells(answer.text) == [["1", "MONG 204", "", "", "", "", ""], ["2", "", "", "MATH", "", "", ""]]
    assert education_timetables.asked == []


def test_a_timetable_only_education_knows_is_shown_and_kept(client, education_timetables) -> None:
    education_timetables.by_class["cls-5b"] = [Lesson(2, 1, "ART")]

    first, again = client.get(URL), client.get(URL)

    assert cells(first.text) == cells(again.text) == [["1", "", "ART", "", "", "", ""]]
    assert education_timetables.asked == ["cls-5b"]


def test_without_a_published_timetable_the_page_says_so(client) -> None:
    answer = client.get(URL)

    assert "Сургууль хуваариа хараахан нийтлээгүй байна." in answer.text and "<table" not in answer.text
    assert "The school has not published the timetable yet." in client.get(f"{URL}?lang=en").text
