"""Builders shared by parent's integration tests: a container on a real database, and teacher events."""

from __future__ import annotations

from datetime import date

from esis.common.v1 import common_pb2
from esis.teacher.v1 import teacher_events_pb2 as teacher
from esis_shared.db import migrate
from parent.bootstrap import MIGRATIONS_DIR, Container, bootstrap
from parent.config import Settings
from parent.domain.school import StaffContact

from ..unit.fakes import (
    BAT,
    NOON_UB,
    OTHER,
    Clock,
    FakeAccessLog,
    FakeEducation,
    FakeStaff,
    FakeTimetable,
    RecordedGuardian,
)

TODAY = date(2026, 11, 30)


def sql_container(url: str, clock: Clock | None = None, **settings: object) -> Container:
    migrate(url, MIGRATIONS_DIR)
    education = FakeEducation()
    education.add("УБ14230211", BAT, RecordedGuardian("grd-1", "Оюун", "99112233"))
    education.add("УБ14270101", OTHER, RecordedGuardian("grd-9", "Болд", "88001122", "father"))
    staff = FakeStaff()
    staff.add(StaffContact("stf-1", "Б.Сараа", "99001100", "", "acc-teacher", ("math",)), "cls-5b")
    config = Settings(database_url=url, grpc_port=None, **{"kafka_enabled": False, "amqp_enabled": False,
                                                           **settings})
    return bootstrap(config, education=education, access_log=FakeAccessLog(), staff=staff, timetable=FakeTimetable(),
                     clock=clock or Clock(NOON_UB))


def attendance_marked(learner_id: str = "lrn-bat", code: str = "unexcused",
                      category: str = "unexcused_absence", day: date = TODAY) -> teacher.AttendanceMarked:
    return teacher.AttendanceMarked(
        sheet_id="sht-1", class_id="cls-5b", school=common_pb2.OrgRef(org_id="sch-1", aimag_code="11"),
        day=common_pb2.Date(year=day.year, month=day.month, day=day.day), lesson=0,
        marks=[teacher.AttendanceMark(learner_id=learner_id, code=code, category=category)],
        marked_by_account_id="acc-teacher")
