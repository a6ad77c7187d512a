"""The teacher portal on real databases: migrations on SQLite and PostgreSQL, concurrency and storage on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from esis_shared.db import alembic_config, make_engine, migrate
from sqlalchemy import func, inspect, select
from teacher.adapters.orm import attendance_sheets, metadata, outbox
from teacher.bootstrap import MIGRATIONS_DIR, Container
from teacher.domain.errors import Conflict, Refused, TeacherError
from teacher.service_layer import commands
from teacher.service_layer.views import attendance as attendance_views
from teacher.service_layer.views import feedback as feedback_views

from ..conftest import LEAVER, MANAGER, MINISTRY, MONDAY, SCHOOL, SIXTH, TEACHER, YEAR, Clock, Tokens, sql_container

pytestmark = pytest.mark.integration


@pytest.fixture
def pg(postgres_url: str, tokens: Tokens, clock: Clock) -> Iterator[Container]:
    container = sql_container(postgres_url, tokens, clock)
    yield container
    container.close()


def mark(form: str, **codes: str) -> commands.MarkAttendance:
    rows = tuple((x, codes.get(x, "present")) for x in SIXTH)
    return commands.MarkAttendance(TEACHER, form, "6a", MONDAY, rows, 1, "math")


def count(container: Container, table: object, *where: object) -> int:
    with container.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()  # type: ignore[arg-type]


def test_migrations_build_the_schema_the_code_expects(sql_url: str) -> None:
    migrate(sql_url, MIGRATIONS_DIR)
    engine = make_engine(sql_url)
    try:
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata) == []
        command.downgrade(alembic_config(sql_url, MIGRATIONS_DIR), "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate(sql_url, MIGRATIONS_DIR)
        assert {"attendance_sheets", "grade_sheets", "feedback", "outbox", "processed_events"} <= set(
            inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_the_same_form_sent_twice_at_once_makes_one_sheet(pg: Container) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        sheets = list(pool.map(lambda _: pg.handle(mark("form-once", L1="sick")), range(2)))
    assert sheets[0].id == sheets[1].id
    assert count(pg, attendance_sheets) == 1
    assert count(pg, outbox, outbox.c.event_type == "esis.teacher.v1.AttendanceMarked") == 1


def test_two_different_forms_at_once_one_is_told_the_class_is_already_marked(pg: Container) -> None:
    def submit(form: str) -> str:
        try:
            return pg.handle(mark(form)).id
        except Conflict as exc:
            return exc.code

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(submit, ("form-a", "form-b")))
    assert sorted(outcome == "already_marked" for outcome in outcomes) == [False, True]
    assert count(pg, attendance_sheets) == 1


def test_a_refused_form_leaves_neither_sheet_nor_event(pg: Container) -> None:
    rows = tuple((x, "present") for x in (*SIXTH, LEAVER))
    with pytest.raises(Refused):
        pg.handle(commands.MarkAttendance(TEACHER, "f", "6a", MONDAY, rows, 1, "math"))
    assert count(pg, attendance_sheets) == 0 and count(pg, outbox) == 0


def test_the_class_form_lists_the_lessons_already_marked_that_day(pg: Container) -> None:
    for lesson in (3, 1):
        pg.handle(commands.MarkAttendance(TEACHER, f"form-{lesson}", "6a", MONDAY,
                                          tuple((x, "present") for x in SIXTH), lesson, "math"))
    form = attendance_views.attendance_form(TEACHER, pg.uow(), pg.context, "6a", MONDAY, 2)
    assert form.lessons_marked == [1, 3]
    assert form.sheet is None and set(form.marks.values()) == {"present"}


def test_corrections_are_kept_in_order_with_the_original(pg: Container, clock: Clock) -> None:
    sheet = pg.handle(mark("f", L2="unexcused"))
    for code in ("excused", "sick"):
        clock.advance(minutes=5)
        pg.handle(commands.CorrectAttendance(TEACHER, sheet.id, (("L2", code),), f"засвар {code}"))
    stored = attendance_views.sheet(TEACHER, pg.uow(), sheet.id)
    assert stored.original["L2"] == "unexcused" and stored.current["L2"] == "sick"
    assert [(c.previous_code, c.code, c.reason) for c in stored.corrections] == [
        ("unexcused", "excused", "засвар excused"), ("excused", "sick", "засвар sick")]
    with pg.uow() as uow:
        assert uow.attendance.codes_of_learner("L2") == [("6a", MONDAY, 1, "sick")]


def test_marks_and_grades_keep_their_exact_decimals(pg: Container) -> None:
    exam = pg.handle(commands.CreateAssessment(TEACHER, "6a", "math", 2, "Сорил", date(2026, 11, 16), "1.5"))
    cells = tuple(commands.MarkInput(exam.id, x, p) for x, p in zip(SIXTH, ("59.99", "89.9", "60", "100"),
                                                                     strict=True))
    pg.handle(commands.RecordMarks(TEACHER, "6a", "math", cells))
    pg.handle(commands.OverrideGrade(TEACHER, "6a", "math", YEAR, 2, "L5", "70", "Шилжиж ирсэн"))
    sheet = pg.handle(commands.SubmitGrades(TEACHER, "6a", "math", YEAR, 2))
    pg.handle(commands.ApproveGrades(MANAGER, sheet.id))
    with pg.uow() as uow:
        stored = uow.grades.get_sheet(sheet.id)
        assert uow.grades.assessment(exam.id).weight == Decimal("1.5")
    assert {x: e.effective for x, e in stored.entries.items()} == {
        "L1": Decimal("59.99"), "L2": Decimal("89.90"), "L3": Decimal("60.00"), "L4": Decimal("100.00"),
        "L5": Decimal("70.00")}
    published = count(pg, outbox, outbox.c.event_type == "esis.teacher.v1.TermGradePublished")
    assert published == 5


def test_feedback_history_survives_a_reload(pg: Container) -> None:
    item = pg.handle(commands.SendFeedback(TEACHER, "facilities", "Анги тасалгааны цонх хагарсан, хүйтэн байна.",
                                           anonymous_to_school=True))
    pg.handle(commands.ReviewFeedback(MINISTRY, item.id))
    pg.handle(commands.ForwardFeedback(MINISTRY, item.id, "school", SCHOOL, "Засвар хийнэ үү"))
    seen = feedback_views.inbox(MANAGER, pg.uow())
    assert [(i.feedback.id, i.sender_id) for i in seen] == [(item.id, None)]
    assert [h.status.value for h in seen[0].feedback.history] == ["received", "in_review", "forwarded"]
    assert seen[0].feedback.history[-1].note == "Засвар хийнэ үү"


def test_domain_errors_roll_the_whole_grid_back(pg: Container) -> None:
    exam = pg.handle(commands.CreateAssessment(TEACHER, "6a", "math", 2, "Сорил", date(2026, 11, 16)))
    cells = (commands.MarkInput(exam.id, "L1", "80"), commands.MarkInput(exam.id, "L2", "800"))
    with pytest.raises(TeacherError):
        pg.handle(commands.RecordMarks(TEACHER, "6a", "math", cells))
    with pg.uow() as uow:
        assert uow.grades.marks([exam.id]) == []
