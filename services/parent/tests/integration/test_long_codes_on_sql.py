"""Values at the producers' maximum length arrive whole in parent's read models (SQLite and PostgreSQL): a school
code of 40 characters (education accepts 40), a class room of 40 and a subject code of 40 (education's subjects,
carried on by hr and teacher). They were 32 here, so PostgreSQL refused them and the events were dead-lettered."""

from __future__ import annotations

import pytest
from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2 as edu
from esis.teacher.v1 import teacher_events_pb2 as teacher
from parent.adapters import orm
from parent.entrypoints.consumer import build_handlers
from sqlalchemy import select

from .helpers import attendance_marked, sql_container

pytestmark = pytest.mark.integration

CODE_40 = "MN-11-UB-SUKHBAATAR-DISTRICT-SCHOOL-0141"
ROOM_40 = "Лаборатори 3-р давхар, баруун жигүүр 301"
SUBJECT_40 = "SCIENCE-AND-TECHNOLOGY-ELECTIVE-GRADE-12"
SCHOOL = common_pb2.OrgRef(org_id="sch-1", aimag_code="11")


@pytest.fixture
def container(sql_url):
    built = sql_container(sql_url)
    yield built
    built.close()


def deliver(container, event_type: str, message) -> None:
    with container.deps.uow() as uow:
        build_handlers(container.deps)[event_type](uow.session, message, None)
        uow.session.commit()


def test_the_maximum_lengths_fit() -> None:
    assert (len(CODE_40), len(ROOM_40), len(SUBJECT_40)) == (40, 40, 40)


def test_a_40_character_school_code_arrives_whole(container) -> None:
    deliver(container, "esis.education.v1.OrgUnitCreated",
            edu.OrgUnitCreated(unit_id="sch-1", kind=edu.ORG_KIND_SCHOOL, code=CODE_40, name_mn="141-р сургууль"))

    with container.engine.connect() as conn:
        assert conn.execute(select(orm.schools.c.code)).scalars().all() == [CODE_40]


def test_a_40_character_room_arrives_whole(container) -> None:
    deliver(container, "esis.education.v1.ClassOpened",
            edu.ClassOpened(class_id="cls-5b", school=SCHOOL, year_id="2026-2027", level="5", letter="Б", shift=1,
                            capacity=30))
    deliver(container, "esis.education.v1.ClassChanged",
            edu.ClassChanged(class_id="cls-5b", school=SCHOOL, room=ROOM_40, capacity=30))

    with container.engine.connect() as conn:
        assert conn.execute(select(orm.classes.c.room)).scalars().all() == [ROOM_40]


def test_a_40_character_subject_code_arrives_whole_in_attendance_and_homework(container) -> None:
    marked = attendance_marked()
    marked.lesson, marked.subject_code = 2, SUBJECT_40
    deliver(container, "esis.teacher.v1.AttendanceMarked", marked)
    deliver(container, "esis.teacher.v1.HomeworkAssigned",
            teacher.HomeworkAssigned(homework_id="hw-1", class_id="cls-5b", school=SCHOOL, subject_code=SUBJECT_40,
                                     assigned_on=common_pb2.Date(year=2026, month=11, day=30),
                                     due_on=common_pb2.Date(year=2026, month=12, day=1), text="Дасгал 5"))

    with container.engine.connect() as conn:
        assert conn.execute(select(orm.attendance.c.subject_code)).scalars().all() == [SUBJECT_40]
        assert conn.execute(select(orm.homework.c.subject_code)).scalars().all() == [SUBJECT_40]
