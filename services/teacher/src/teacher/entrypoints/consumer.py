"""Kafka event handlers: education's classes and enrolments, hr's teaching assignments → local read models.

Each handler takes ``(session, message, envelope)`` as ``esis_shared.consumer`` expects and runs in the same
transaction as the processed-event row, so a redelivered event changes nothing.

The frequent events (classes opened, learners enrolled, teachers assigned: a whole country at the start of a
school year) also have batch handlers (``BATCH_HANDLERS``): a run of them is applied with the same roster rules to
state read once for the run (``BatchRosterRepository``) and written with a few statements, instead of two or
three round trips per event. ``CONSUMER_HANDLERS`` are the per-event handlers of the other types.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2 as education
from esis.hr.v1 import hr_events_pb2 as hr
from esis_shared.kafka import Envelope
from google.protobuf.message import Message
from sqlalchemy.orm import Session

from teacher.adapters.repository import RosterRepository
from teacher.adapters.sql_rosters import BatchRosterRepository, SqlRosterRepository
from teacher.domain.rosters import Assignment, ClassInfo
from teacher.service_layer.handlers import rosters

TOPICS: tuple[str, ...] = ("education.classes.v1", "education.enrolments.v1", "hr.assignments.v1")
KINDERGARTEN_GROUPS = {"baga": "Бага", "dund": "Дунд", "akhlakh": "Ахлах", "beltgel": "Бэлтгэл"}


def as_date(value: common_pb2.Date) -> date:
    return date(value.year, value.month, value.day)


def class_label(level: str, letter: str) -> str:
    """"6А" for a school class, "Бэлтгэл Б" for a kindergarten group."""
    group = KINDERGARTEN_GROUPS.get(level)
    return f"{group} {letter}".strip() if group else f"{level}{letter}"


def _record_class(repo: RosterRepository, message: education.ClassOpened, envelope: Envelope) -> None:
    aimag = message.school.aimag_code or envelope.aimag or None
    rosters.record_class(repo, ClassInfo(message.class_id, message.school.org_id, message.level, message.year_id,
                                         aimag, class_label(message.level, message.letter)))


def class_opened(session: Session, message: education.ClassOpened, envelope: Envelope) -> None:
    _record_class(SqlRosterRepository(session), message, envelope)


def classes_opened(session: Session, pairs: Sequence[tuple[Message, Envelope]]) -> None:
    """Batch handler of the classes topic's ClassOpened *and* ClassChanged (which the portal does not keep).

    Both types share this one function so that a run of consecutive records is not cut at every ClassChanged
    (education publishes a class's ClassChanged right after its ClassOpened when it sets the class teacher).
    """
    opened = [(m, e) for m, e in pairs if isinstance(m, education.ClassOpened)]
    if not opened:
        return
    repo = BatchRosterRepository(session)
    repo.load_classes(message.class_id for message, _ in opened)
    for message, envelope in opened:
        _record_class(repo, message, envelope)
    repo.flush()


def _enrol(repo: RosterRepository, message: education.LearnerEnrolled) -> None:
    rosters.enrol(repo, rosters.LearnerEnrolled(message.learner_id, message.class_id, as_date(message.on)))


def learner_enrolled(session: Session, message: education.LearnerEnrolled, envelope: Envelope) -> None:
    _enrol(SqlRosterRepository(session), message)


def learners_enrolled(session: Session, pairs: Sequence[tuple[education.LearnerEnrolled, Envelope]]) -> None:
    repo = BatchRosterRepository(session)
    repo.load_enrolments(message.learner_id for message, _ in pairs)
    for message, _ in pairs:
        _enrol(repo, message)
    repo.flush()


def learner_moved(session: Session, message: education.LearnerMovedClass, envelope: Envelope) -> None:
    repo, on = SqlRosterRepository(session), as_date(message.on)
    rosters.leave(repo, rosters.LearnerLeftClass(message.learner_id, message.from_class_id, on))
    rosters.enrol(repo, rosters.LearnerEnrolled(message.learner_id, message.to_class_id, on))


def learner_withdrawn(session: Session, message: education.LearnerWithdrawn, envelope: Envelope) -> None:
    rosters.leave(SqlRosterRepository(session),
                  rosters.LearnerLeftClass(message.learner_id, message.class_id, as_date(message.on)))


def _assignment(message: Any, starts_on: date, last_day: date | None) -> Assignment:
    return Assignment(message.assignment_id, message.staff_id, message.class_id, message.org_id,
                      message.subject_code, message.school_year, starts_on, last_day)


def _assign(repo: RosterRepository, message: hr.TeachingAssigned) -> None:
    last_day = as_date(message.last_day) if message.HasField("last_day") else None
    rosters.assign(repo, _assignment(message, as_date(message.start_date), last_day))


def teaching_assigned(session: Session, message: hr.TeachingAssigned, envelope: Envelope) -> None:
    _assign(SqlRosterRepository(session), message)


def teachings_assigned(session: Session, pairs: Sequence[tuple[hr.TeachingAssigned, Envelope]]) -> None:
    repo = BatchRosterRepository(session)
    for message, _ in pairs:
        _assign(repo, message)
    repo.flush()


def teaching_unassigned(session: Session, message: hr.TeachingUnassigned, envelope: Envelope) -> None:
    last_day = as_date(message.last_day)
    never_started = _assignment(message, last_day + timedelta(days=1), last_day)
    rosters.unassign(SqlRosterRepository(session), message.assignment_id, last_day, never_started)


HANDLERS: dict[str, Callable[[Session, Any, Envelope], None]] = {
    "esis.education.v1.ClassOpened": class_opened,
    "esis.education.v1.LearnerEnrolled": learner_enrolled,
    "esis.education.v1.LearnerMovedClass": learner_moved,
    "esis.education.v1.LearnerWithdrawn": learner_withdrawn,
    "esis.hr.v1.TeachingAssigned": teaching_assigned,
    "esis.hr.v1.TeachingUnassigned": teaching_unassigned,
}
BATCH_HANDLERS: dict[str, Callable[[Session, Sequence[tuple[Any, Envelope]]], None]] = {
    "esis.education.v1.ClassOpened": classes_opened,
    "esis.education.v1.ClassChanged": classes_opened,  # ignored, see classes_opened
    "esis.education.v1.LearnerEnrolled": learners_enrolled,
    "esis.hr.v1.TeachingAssigned": teachings_assigned,
}
CONSUMER_HANDLERS = {name: handler for name, handler in HANDLERS.items() if name not in BATCH_HANDLERS}
