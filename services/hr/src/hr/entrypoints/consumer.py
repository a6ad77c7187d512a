"""Kafka event handlers of hr: keep the copy of education's organisations, classes and curriculum.

Each handler takes ``(session, message, envelope)`` as ``esis_shared.consumer`` expects and writes in the
consumer's transaction (with its processed-event row), so a redelivered event changes nothing twice. Every
write is an upsert of the latest state, so events of different units may arrive in any order.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from esis.education.v1 import education_events_pb2 as edu
from sqlalchemy.orm import Session

from hr.adapters.directory_repository import SqlDirectoryRepository

GROUP_ID = "hr"
TOPICS: tuple[str, ...] = ("education.org.v1", "education.classes.v1")
ORG_KINDS = {edu.ORG_KIND_MINISTRY: "ministry", edu.ORG_KIND_CAPITAL: "capital", edu.ORG_KIND_AIMAG: "aimag",
             edu.ORG_KIND_DISTRICT: "district", edu.ORG_KIND_SOUM: "soum", edu.ORG_KIND_SCHOOL: "school",
             edu.ORG_KIND_KINDERGARTEN: "kindergarten"}


def _date(value: Any) -> date:
    return date(value.year, value.month, value.day)


def org_unit_created(session: Session, message: edu.OrgUnitCreated, _: Any) -> None:
    SqlDirectoryRepository(session).save_unit(message.unit_id, name=message.name_mn, code=message.code,
                                              kind=ORG_KINDS.get(message.kind, "other"), parent_id=message.parent_id)


def org_unit_moved(session: Session, message: edu.OrgUnitMoved, _: Any) -> None:
    SqlDirectoryRepository(session).move_unit(message.unit_id, message.to_parent_id)


def org_unit_closed(session: Session, message: edu.OrgUnitClosed, _: Any) -> None:
    SqlDirectoryRepository(session).close_unit(message.unit_id, _date(message.on))


def subject_defined(session: Session, message: edu.SubjectDefined, _: Any) -> None:
    SqlDirectoryRepository(session).save_subject(message.subject_id, message.code)


def weekly_hours_set(session: Session, message: edu.WeeklyHoursSet, _: Any) -> None:
    SqlDirectoryRepository(session).set_hours(message.subject_id, message.year_id, message.level, message.hours)


def class_opened(session: Session, message: edu.ClassOpened, _: Any) -> None:
    directory = SqlDirectoryRepository(session)
    directory.note_school(message.school.org_id, message.school.aimag_code)
    directory.open_class(message.class_id, org_id=message.school.org_id, school_year=message.year_id,
                         level=message.level, letter=message.letter)


HANDLERS: dict[str, Callable[..., Any]] = {
    edu.OrgUnitCreated.DESCRIPTOR.full_name: org_unit_created,
    edu.OrgUnitMoved.DESCRIPTOR.full_name: org_unit_moved,
    edu.OrgUnitClosed.DESCRIPTOR.full_name: org_unit_closed,
    edu.SubjectDefined.DESCRIPTOR.full_name: subject_defined,
    edu.WeeklyHoursSet.DESCRIPTOR.full_name: weekly_hours_set,
    edu.ClassOpened.DESCRIPTOR.full_name: class_opened,
}
