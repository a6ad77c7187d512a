"""The JSON API on in-memory SQLite: status codes, the error shape, and what lands in the outbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from teacher.adapters.orm import outbox
from teacher.bootstrap import Container
from teacher.entrypoints.api.app import build_app

from ..conftest import (
    MANAGER,
    MINISTRY,
    MONDAY,
    OTHER_TEACHER,
    SATURDAY,
    SCHOOL,
    SIXTH,
    TEACHER,
    UB,
    Clock,
    Tokens,
    memory_engine,
    sql_container,
)

API = "/api/teacher/v1"


@pytest.fixture
def container(tokens: Tokens, clock: Clock) -> Iterator[Container]:
    built = sql_container("sqlite://", tokens, clock, engine=memory_engine())
    yield built
    built.close()


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(build_app(container)) as test_client:
        yield test_client


def staged(container: Container) -> list[Any]:
    with container.engine.connect() as conn:
        return conn.execute(select(outbox).order_by(outbox.c.seq)).all()


def form(day: str = MONDAY.isoformat(), form_id: str = "f-1", **codes: str) -> dict[str, Any]:
    return {"form_id": form_id, "day": day, "lesson": 1, "subject_code": "math",
            "marks": [{"learner_id": x, "code": codes.get(x, "present")} for x in SIXTH]}


def test_a_submitted_form_and_its_resend_make_one_sheet_and_one_event(
        client: TestClient, container: Container, tokens: Tokens) -> None:
    first = client.post(f"{API}/classes/6a/attendance", json=form(L2="sick"), headers=tokens.headers(TEACHER))
    again = client.post(f"{API}/classes/6a/attendance", json=form(L2="sick"), headers=tokens.headers(TEACHER))
    assert first.status_code == 201, first.text
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert first.headers["Location"] == f"{API}/attendance/{first.json()['id']}"
    rows = staged(container)
    assert [(r.topic, r.key, r.event_type, r.aimag) for r in rows] == [
        ("teacher.attendance.v1", "6a", "esis.teacher.v1.AttendanceMarked", UB)]


def test_a_non_school_day_is_422_with_both_languages(client: TestClient, tokens: Tokens, clock: Clock) -> None:
    clock.set_day(MONDAY)
    reply = client.post(f"{API}/classes/6a/attendance", json=form(SATURDAY.isoformat()),
                        headers=tokens.headers(TEACHER))
    assert reply.status_code == 422
    error = reply.json()["error"]
    assert error["code"] == "not_a_school_day" and "weekend" in error["message"]
    assert "амралтын өдөр" in error["details"]["message_mn"]


def test_another_teachers_class_is_403(client: TestClient, tokens: Tokens) -> None:
    reply = client.post(f"{API}/classes/6a/attendance", json=form(), headers=tokens.headers(OTHER_TEACHER))
    assert reply.status_code == 403 and reply.json()["error"]["code"] == "not_your_class"


def test_a_second_form_is_409_and_the_correction_keeps_the_original(client: TestClient, tokens: Tokens) -> None:
    sheet = client.post(f"{API}/classes/6a/attendance", json=form(), headers=tokens.headers(TEACHER)).json()
    clash = client.post(f"{API}/classes/6a/attendance", json=form(form_id="f-2"), headers=tokens.headers(TEACHER))
    assert clash.status_code == 409 and clash.json()["error"]["details"]["sheet_id"] == sheet["id"]
    fixed = client.post(f"{API}/attendance/{sheet['id']}/corrections", headers=tokens.headers(TEACHER),
                        json={"changes": [{"learner_id": "L3", "code": "late"}], "reason": "Хоцорч ирсэн"})
    assert fixed.status_code == 200
    l3 = next(m for m in fixed.json()["marks"] if m["learner_id"] == "L3")
    assert (l3["code"], l3["original_code"]) == ("late", "present")
    assert fixed.json()["corrections"][0]["corrected_by"] == TEACHER.account_id


def test_bad_input_names_the_field(client: TestClient, tokens: Tokens) -> None:
    reply = client.post(f"{API}/classes/6a/attendance", json={**form(), "lesson": 11},
                        headers=tokens.headers(TEACHER))
    assert reply.status_code == 422 and reply.json()["error"]["details"]["fields"][0]["field"] == "lesson"
    reply = client.post(f"{API}/classes/6a/attendance", json=form(L4="gone"), headers=tokens.headers(TEACHER))
    assert reply.json()["error"]["details"]["fields"][0]["field"] == "marks[3].code"


def test_without_a_token_the_api_answers_401(client: TestClient) -> None:
    assert client.get(f"{API}/today").status_code == 401


def test_today_lists_the_teachers_classes(client: TestClient, tokens: Tokens) -> None:
    reply = client.get(f"{API}/today", headers=tokens.headers(TEACHER))
    assert [(c["class"]["label"], c["mode"], c["is_marked"]) for c in reply.json()] == [
        ("3Б", "daily", False), ("6А", "per_lesson", False), ("Бэлтгэл Б", "daily", False)]


def test_the_manager_sees_unmarked_classes_and_the_aimag_its_schools(client: TestClient, tokens: Tokens) -> None:
    school = client.get(f"{API}/schools/{SCHOOL}/not-marked", headers=tokens.headers(MANAGER)).json()
    assert [c["class"]["class_id"] for c in school] == ["3b", "6a", "6b", "kg-b"]
    aimag = client.get(f"{API}/aimags/{UB}/not-marked", headers=tokens.headers(MINISTRY)).json()
    assert aimag == [{"school_id": SCHOOL, "classes_expected": 4, "classes_not_marked": 4}]
    assert client.get(f"{API}/aimags/{UB}/not-marked", headers=tokens.headers(TEACHER)).status_code == 403


def test_grades_go_from_marks_to_an_approved_sheet(client: TestClient, container: Container, tokens: Tokens) -> None:
    teacher, manager = tokens.headers(TEACHER), tokens.headers(MANAGER)
    exam = client.post(f"{API}/classes/6a/assessments", headers=teacher, json={
        "subject_code": "math", "term": 2, "name": "Сорил", "held_on": "2026-11-16", "weight": 2}).json()
    percents = dict(zip(SIXTH, ("90", "89.9", "60", "59.99"), strict=True))
    cells = [{"assessment_id": exam["id"], "learner_id": x, "percent": p} for x, p in percents.items()]
    assert client.post(f"{API}/classes/6a/marks", headers=teacher,
                       json={"subject_code": "math", "marks": cells}).json() == {"changed": 4}
    base = f"{API}/classes/6a/subjects/math/grades/2"
    client.put(f"{base}/overrides/L5", headers=teacher, json={"percent": "75", "reason": "Шилжиж ирсэн"})
    assert client.post(f"{base}/submit", headers=teacher).json()["status"] == "submitted"
    queue = client.get(f"{API}/schools/{SCHOOL}/grade-approvals", headers=manager).json()
    assert client.post(f"{API}/grade-sheets/{queue[0]['sheet_id']}/approve", headers=teacher).status_code == 403
    approved = client.post(f"{API}/grade-sheets/{queue[0]['sheet_id']}/approve", headers=manager).json()
    assert approved["status"] == "approved"
    assert [(e["learner_id"], e["grade"]) for e in approved["entries"]] == [
        ("L1", "A"), ("L2", "B"), ("L3", "D"), ("L4", "F"), ("L5", "C")]
    published = [r for r in staged(container) if r.event_type == "esis.teacher.v1.TermGradePublished"]
    assert sorted(r.key for r in published) == ["L1", "L2", "L3", "L4", "L5"]


def test_an_unknown_grade_period_names_the_field(client: TestClient, tokens: Tokens) -> None:
    reply = client.get(f"{API}/classes/6a/subjects/math/grades/5", headers=tokens.headers(TEACHER))
    assert reply.status_code == 422 and reply.json()["error"]["details"]["fields"][0]["field"] == "period"


def test_anonymous_feedback_reaches_the_school_without_its_sender(client: TestClient, tokens: Tokens) -> None:
    sent = client.post(f"{API}/feedback", headers=tokens.headers(TEACHER), json={
        "category": "workload", "text": "Долоо хоногт 26 цаг заадаг, бэлтгэх цаг үлддэггүй.",
        "anonymous_to_school": True})
    assert sent.status_code == 201, sent.text
    item = sent.json()["id"]
    client.post(f"{API}/feedback/{item}/review", headers=tokens.headers(MINISTRY))
    client.post(f"{API}/feedback/{item}/forward", headers=tokens.headers(MINISTRY),
                json={"to_kind": "school", "to_id": SCHOOL})
    seen = client.get(f"{API}/feedback/inbox", headers=tokens.headers(MANAGER)).json()
    assert [(f["id"], f["sender_account_id"], f["school_id"]) for f in seen] == [(item, None, None)]
    mine = client.get(f"{API}/feedback/mine", headers=tokens.headers(TEACHER)).json()
    assert mine[0]["status"] == "forwarded" and mine[0]["sender_account_id"] == TEACHER.account_id
    counts = client.get(f"{API}/feedback/counts", headers=tokens.headers(MINISTRY)).json()
    assert counts["by_category_and_aimag"] == [{"category": "workload", "aimag": UB, "count": 1}]


def test_homework_and_lesson_log_show_in_the_class_journal(client: TestClient, tokens: Tokens) -> None:
    teacher = tokens.headers(TEACHER)
    made = client.post(f"{API}/classes/6a/homework", headers=teacher, json={
        "subject_code": "math", "due_on": "2026-12-03", "text": "48-р хуудас", "content_ids": ["textbook-6:4"]})
    assert made.status_code == 201
    logged = client.put(f"{API}/classes/6a/lessons/{MONDAY.isoformat()}/2/topic", headers=teacher,
                        json={"subject_code": "math", "topic": "Бутархай"})
    assert logged.status_code == 200
    journal = client.get(f"{API}/classes/6a/journal", headers=teacher).json()
    assert [h["text"] for h in journal["homework"]] == ["48-р хуудас"]
    assert [(t["lesson"], t["topic"]) for t in journal["topics"]] == [(2, "Бутархай")]
