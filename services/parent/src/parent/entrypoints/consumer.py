"""Kafka handlers of parent: education and teacher facts → the portal's read models (and notifications).

Handlers are keyed by protobuf full name and read fields by name, so a consumer keeps running on messages with
fields it does not know yet. Each runs in the consumer's transaction (``esis_shared.consumer``).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from parent.adapters.clients import lessons_of
from parent.adapters.unit_of_work import SqlUnitOfWork
from parent.domain.growth import Measurement
from parent.domain.school import (
    AttendanceEntry,
    ClassInfo,
    DevelopmentNote,
    Grade,
    Homework,
    Lesson,
    Mark,
    SchoolInfo,
)
from parent.service_layer.handlers import projections as p
from parent.service_layer.ports import Deps

log = logging.getLogger(__name__)
TOPICS = ("education.org.v1", "education.classes.v1", "education.learners.v1", "education.enrolments.v1",
          "teacher.attendance.v1", "teacher.grades.v1", "teacher.homework.v1", "teacher.kindergarten.v1")
GENERATED = ("esis.education.v1.education_events_pb2", "esis.teacher.v1.teacher_events_pb2")
Handler = Callable[[Session, Any, Any], None]


def import_generated() -> None:
    """Load the message classes the handlers decode (a publisher's protos may land after this service)."""
    for name in GENERATED:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:
            log.warning("%s is not generated: its events are dead-lettered until it is", name)


def day(value: Any) -> date:
    return date(value.year, value.month, value.day)


def _decimal(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def attendance(m: Any) -> list[AttendanceEntry]:
    marks = getattr(m, "marks", None)
    if marks is None:  # AttendanceCorrected
        marks = m.changes
    return [AttendanceEntry(x.learner_id, day(m.day), m.lesson, x.code, x.category, m.subject_code) for x in marks]


def mark(m: Any) -> Mark:
    return Mark(m.assessment_id, m.learner_id, m.subject_code, m.school_year, m.term, m.assessment_name,
                day(m.held_on), _decimal(m.percent), _decimal(m.weight))


def grade(m: Any, term: int | None = None) -> Grade:
    return Grade(m.learner_id, m.subject_code, m.school_year, m.term if term is None else term,
                 _decimal(m.percent), m.scale, m.grade)


def published_lessons(m: Any) -> list[Lesson] | None:
    """None for a TimetablePublished from before the event carried its lessons (only their count)."""
    carried = list(getattr(m, "weekly_lessons", ()))
    return lessons_of(carried) if carried or not m.lessons else None


def build_handlers(deps: Deps) -> dict[str, Handler]:
    def on(step: Callable[[SqlUnitOfWork, Any], None]) -> Handler:
        def handle(session: Session, message: Any, envelope: Any) -> None:
            with SqlUnitOfWork(session=session) as uow:
                step(uow, message)
        return handle

    return {f"esis.{name}": on(step) for name, step in {
        "teacher.v1.AttendanceMarked": lambda u, m: p.attendance_marked(u, attendance(m), deps),
        "teacher.v1.AttendanceCorrected": lambda u, m: p.attendance_marked(u, attendance(m), deps),
        "teacher.v1.MarkRecorded": lambda u, m: p.mark_recorded(u, mark(m)),
        "teacher.v1.TermGradePublished": lambda u, m: p.grade_published(u, grade(m)),
        "teacher.v1.AnnualGradeFinalized": lambda u, m: p.grade_published(u, grade(m, term=0)),
        "teacher.v1.HomeworkAssigned": lambda u, m: p.homework_assigned(u, Homework(
            m.homework_id, m.class_id, m.subject_code, day(m.assigned_on), day(m.due_on), m.text), deps),
        "teacher.v1.GrowthMeasured": lambda u, m: p.growth_measured(u, Measurement(
            m.measurement_id, m.learner_id, day(m.measured_on), _decimal(m.height_cm), _decimal(m.weight_kg))),
        "teacher.v1.DevelopmentObserved": lambda u, m: p.development_observed(u, DevelopmentNote(
            m.observation_id, m.learner_id, day(m.observed_on), m.domain, m.level, m.note)),
        "education.v1.LearnerEnrolled": lambda u, m: p.learner_placed(
            u, m.learner_id, school_id=m.school.org_id, class_id=m.class_id, level=m.level),
        "education.v1.LearnerMovedClass": lambda u, m: p.learner_placed(
            u, m.learner_id, school_id=m.school.org_id, class_id=m.to_class_id, level=""),
        "education.v1.LearnerWithdrawn": lambda u, m: p.learner_placed(
            u, m.learner_id, school_id=m.school.org_id, class_id="", level="", status="withdrawn"),
        "education.v1.GuardianLinkRevoked": lambda u, m: p.guardian_link_revoked(u, m.learner_id, m.guardian_id,
                                                                                 deps),
        "education.v1.ClassOpened": lambda u, m: p.class_opened(u, ClassInfo(
            m.class_id, m.school.org_id, m.year_id, m.level, m.letter, m.shift or 1)),
        "education.v1.ClassChanged": lambda u, m: p.class_changed(
            u, m.class_id, school_id=m.school.org_id, room=m.room, class_teacher_id=m.class_teacher_id),
        "education.v1.TimetablePublished": lambda u, m: p.timetable_published(u, m.class_id, published_lessons(m)),
        "education.v1.OrgUnitCreated": lambda u, m: _org_unit(u, m),
    }.items()}


SCHOOL_KINDS = {6: "school", 7: "kindergarten"}  # esis.education.v1.OrgKind SCHOOL, KINDERGARTEN


def _org_unit(uow: SqlUnitOfWork, m: Any) -> None:
    if m.kind in SCHOOL_KINDS:
        p.school_created(uow, SchoolInfo(m.unit_id, m.name_mn, m.code, SCHOOL_KINDS[m.kind]))
