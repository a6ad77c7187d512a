"""Kafka event handlers: every domain event stats counts → the analytic projections.

Each handler takes ``(session, message, envelope)`` as ``esis_shared.consumer`` expects and runs in the same
transaction as the processed-event row; ``tracked`` also records the partition offset (lineage of figures)
and the lag / throughput metrics.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2 as edu
from esis.hr.v1 import hr_events_pb2 as hr
from esis.teacher.v1 import teacher_events_pb2 as teacher
from esis_shared.kafka import Envelope
from prometheus_client import Counter, Histogram
from sqlalchemy.orm import Session

from stats.adapters.projections import ProjectionStore

Handler = Callable[[Session, Any, Envelope], None]
BatchHandler = Callable[[Session, Sequence[tuple[Any, Envelope]]], None]
TOPICS: tuple[str, ...] = (
    "education.org.v1", "education.classes.v1", "education.learners.v1", "education.enrolments.v1",
    "education.transfers.v1", "hr.staff.v1", "hr.assignments.v1", "teacher.attendance.v1", "teacher.grades.v1",
)
EVENT_LAG = Histogram("stats_event_lag_seconds", "From an event's ce_time to its effect in the analytic tables",
                      ["topic"], buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600))
CLASS_OPENED = "esis.education.v1.ClassOpened"
PROJECTED = Counter("stats_events_projected_total", "Events applied to the analytic tables (rate() = events/s)",
                    ["topic"])


def as_date(value: common_pb2.Date) -> date:
    return date(value.year, value.month, value.day)


def maybe_date(message: Any, field: str) -> date | None:
    return as_date(getattr(message, field)) if message.HasField(field) else None


def enum_name(message: Any, field: str, prefix: str) -> str:
    """``SEX_FEMALE`` -> ``female``: the enum value's name without its prefix, lower case."""
    descriptor = message.DESCRIPTOR.fields_by_name[field].enum_type
    name = descriptor.values_by_number[getattr(message, field)].name
    return name.removeprefix(prefix).lower()


def _track(session: Session, envelopes: Sequence[Envelope]) -> None:
    """The offsets read (the highest per partition), the throughput and lag metrics of records just applied."""
    highest: dict[tuple[str, int], int] = {}
    applied: dict[str, int] = {}
    now = time.time()
    for envelope in envelopes:
        if envelope.topic is not None and envelope.partition is not None and envelope.offset is not None:
            key = (envelope.topic, envelope.partition)
            highest[key] = max(highest.get(key, -1), envelope.offset)
            applied[envelope.topic] = applied.get(envelope.topic, 0) + 1
            EVENT_LAG.labels(envelope.topic).observe(max(now - envelope.time.timestamp(), 0.0))
    ProjectionStore(session).record_offsets(highest)
    for topic, n in applied.items():
        PROJECTED.labels(topic).inc(n)


def tracked_many(handler: BatchHandler) -> BatchHandler:
    def run(session: Session, pairs: Sequence[tuple[Any, Envelope]]) -> None:
        handler(session, pairs)
        _track(session, [envelope for _, envelope in pairs])

    run.__name__ = handler.__name__
    return run


def tracked(handler: Handler) -> Handler:
    def run(session: Session, message: Any, envelope: Envelope) -> None:
        handler(session, message, envelope)
        if envelope.topic is not None and envelope.partition is not None and envelope.offset is not None:
            ProjectionStore(session).record_offset(envelope.topic, envelope.partition, envelope.offset)
            PROJECTED.labels(envelope.topic).inc()
            EVENT_LAG.labels(envelope.topic).observe(max(time.time() - envelope.time.timestamp(), 0.0))

    run.__name__ = handler.__name__
    return run


# ---------------------------------------------------------------- education
def org_created(session: Session, m: edu.OrgUnitCreated, _: Envelope) -> None:
    ProjectionStore(session).org_created(m.unit_id, enum_name(m, "kind", "ORG_KIND_"), m.code, m.name_mn,
                                         m.parent_id, as_date(m.valid_from))


def org_moved(session: Session, m: edu.OrgUnitMoved, _: Envelope) -> None:
    ProjectionStore(session).org_moved(m.unit_id, m.to_parent_id, as_date(m.on))


def org_closed(session: Session, m: edu.OrgUnitClosed, _: Envelope) -> None:
    ProjectionStore(session).org_closed(m.unit_id, as_date(m.on))


def class_opened(session: Session, m: edu.ClassOpened, _: Envelope) -> None:
    ProjectionStore(session).class_opened(m.class_id, m.school.org_id, m.year_id, m.level, m.capacity)


def class_changed(session: Session, m: edu.ClassChanged, _: Envelope) -> None:
    ProjectionStore(session).class_capacity(m.class_id, m.capacity)


def learner_registered(session: Session, m: edu.LearnerRegistered, _: Envelope) -> None:
    ProjectionStore(session).learner(m.learner_id, enum_name(m, "sex", "SEX_"), m.birth_year)


def learner_enrolled(session: Session, m: edu.LearnerEnrolled, _: Envelope) -> None:
    ProjectionStore(session).enrol(m.learner_id, m.school.org_id, m.class_id, m.level, as_date(m.on))


def learner_moved(session: Session, m: edu.LearnerMovedClass, _: Envelope) -> None:
    ProjectionStore(session).move_class(m.learner_id, m.school.org_id, m.to_class_id, as_date(m.on))


def learner_withdrawn(session: Session, m: edu.LearnerWithdrawn, _: Envelope) -> None:
    ProjectionStore(session).withdraw(m.learner_id, m.school.org_id, enum_name(m, "reason", "WITHDRAWAL_REASON_"),
                                      as_date(m.on))


def transfer(status: str) -> Handler:
    def handle(session: Session, m: Any, _: Envelope) -> None:
        on = maybe_date(m, "on") if "on" in m.DESCRIPTOR.fields_by_name else None
        ProjectionStore(session).transfer(m.transfer_id, m.learner_id, m.from_school.org_id, m.to_school.org_id,
                                          status, on)

    handle.__name__ = f"transfer_{status}"
    return handle


def orgs_created(session: Session, pairs: Sequence[tuple[edu.OrgUnitCreated, Envelope]]) -> None:
    ProjectionStore(session).orgs_created([
        {"unit_id": m.unit_id, "kind": enum_name(m, "kind", "ORG_KIND_"), "code": m.code, "name": m.name_mn,
         "parent_id": m.parent_id, "on": as_date(m.valid_from)} for m, _ in pairs])


def classes(session: Session, pairs: Sequence[tuple[Any, Envelope]]) -> None:
    """``ClassOpened`` and ``ClassChanged`` (education publishes them in pairs): a class's change that follows its
    opening in the run is folded into the opened row; a change of a class not opened in the run is an update,
    applied before the class is opened again, if it is."""
    store = ProjectionStore(session)
    opened: dict[str, dict[str, Any]] = {}
    changed: dict[str, int] = {}

    def flush() -> None:
        store.classes_opened(list(opened.values()))
        store.class_capacities([{"class_id": k, "capacity": v} for k, v in changed.items()])
        opened.clear()
        changed.clear()

    for m, envelope in pairs:
        if envelope.type == CLASS_OPENED:
            if m.class_id in changed:
                flush()
            opened[m.class_id] = {"id": m.class_id, "school_id": m.school.org_id, "year_id": m.year_id,
                                  "level": m.level, "capacity": m.capacity}
        elif m.class_id in opened:
            opened[m.class_id]["capacity"] = m.capacity
        else:
            changed[m.class_id] = m.capacity
    flush()


def learners_registered(session: Session, pairs: Sequence[tuple[edu.LearnerRegistered, Envelope]]) -> None:
    ProjectionStore(session).learners([{"id": m.learner_id, "sex": enum_name(m, "sex", "SEX_"),
                                        "birth_year": m.birth_year} for m, _ in pairs])


def learners_enrolled(session: Session, pairs: Sequence[tuple[edu.LearnerEnrolled, Envelope]]) -> None:
    ProjectionStore(session).enrol_many([{"learner_id": m.learner_id, "org_id": m.school.org_id,
                                          "class_id": m.class_id, "grade": m.level, "on": as_date(m.on)}
                                         for m, _ in pairs])


# ---------------------------------------------------------------- hr
def staff_hired(session: Session, m: hr.StaffHired, _: Envelope) -> None:
    ProjectionStore(session).appointment(m.appointment_id, m.staff_id, m.org_id,
                                         enum_name(m, "position_kind", "POSITION_KIND_"), m.fte_percent,
                                         as_date(m.start_date), enum_name(m, "sex", "SEX_"))


def staff_hires(session: Session, pairs: Sequence[tuple[hr.StaffHired, Envelope]]) -> None:
    ProjectionStore(session).hires([
        {"id": m.appointment_id, "staff_id": m.staff_id, "org_id": m.org_id,
         "position_kind": enum_name(m, "position_kind", "POSITION_KIND_"), "fte_percent": m.fte_percent,
         "start": as_date(m.start_date), "sex": enum_name(m, "sex", "SEX_")} for m, _ in pairs])


def staff_moved(session: Session, m: hr.StaffMoved, _: Envelope) -> None:
    store, on = ProjectionStore(session), as_date(m.effective_date)
    store.end_appointments(m.staff_id, on, ids=[m.from_appointment_id])
    store.appointment(m.to_appointment_id, m.staff_id, m.to_org_id,
                      enum_name(m, "to_position_kind", "POSITION_KIND_"), m.fte_percent, on)


def staff_exited(session: Session, m: hr.StaffExited, _: Envelope) -> None:
    last_day = as_date(m.last_day)
    ProjectionStore(session).end_appointments(m.staff_id, date.fromordinal(last_day.toordinal() + 1),
                                              ids=list(m.appointment_ids), org_id=m.org_id)


def qualifications_changed(session: Session, m: hr.StaffQualificationsChanged, _: Envelope) -> None:
    ProjectionStore(session).qualification(m.staff_id, m.rank_code, maybe_date(m, "licence_valid_until"))


def teaching_assigned(session: Session, m: hr.TeachingAssigned, _: Envelope) -> None:
    ProjectionStore(session).teach(m.assignment_id, m.staff_id, m.class_id, m.org_id, m.subject_code,
                                   m.weekly_hours, as_date(m.start_date), maybe_date(m, "last_day"))


def teaching_assignments(session: Session, pairs: Sequence[tuple[hr.TeachingAssigned, Envelope]]) -> None:
    ProjectionStore(session).teach_many([
        {"id": m.assignment_id, "staff_id": m.staff_id, "class_id": m.class_id, "org_id": m.org_id,
         "subject_code": m.subject_code, "weekly_hours": m.weekly_hours, "start": as_date(m.start_date),
         "last_day": maybe_date(m, "last_day")} for m, _ in pairs])


def teaching_unassigned(session: Session, m: hr.TeachingUnassigned, _: Envelope) -> None:
    ProjectionStore(session).unteach(m.assignment_id, as_date(m.last_day))


# ---------------------------------------------------------------- teacher
def attendance_marked(session: Session, m: teacher.AttendanceMarked, _: Envelope) -> None:
    store, day = ProjectionStore(session), as_date(m.day)
    for mark in m.marks:
        store.attendance(mark.learner_id, day, m.lesson, m.class_id, m.school.org_id, mark.category)


def attendance_corrected(session: Session, m: teacher.AttendanceCorrected, _: Envelope) -> None:
    store, day = ProjectionStore(session), as_date(m.day)
    for change in m.changes:
        store.attendance(change.learner_id, day, m.lesson, m.class_id, m.school.org_id, change.category)


def attendance_sheets(session: Session, pairs: Sequence[tuple[teacher.AttendanceMarked, Envelope]]) -> None:
    ProjectionStore(session).attendance_many([
        {"learner_id": mark.learner_id, "day": as_date(m.day), "lesson": m.lesson, "class_id": m.class_id,
         "org_id": m.school.org_id, "category": mark.category} for m, _ in pairs for mark in m.marks])


def term_grades(session: Session, pairs: Sequence[tuple[teacher.TermGradePublished, Envelope]]) -> None:
    ProjectionStore(session).grades_many([
        {"learner_id": m.learner_id, "subject_code": m.subject_code, "school_year": m.school_year, "term": m.term,
         "org_id": m.school.org_id, "class_id": m.class_id, "grade": m.grade, "percent": m.percent} for m, _ in pairs])


def annual_grades(session: Session, pairs: Sequence[tuple[teacher.AnnualGradeFinalized, Envelope]]) -> None:
    ProjectionStore(session).grades_many([
        {"learner_id": m.learner_id, "subject_code": m.subject_code, "school_year": m.school_year, "term": 0,
         "org_id": m.school.org_id, "class_id": m.class_id, "grade": m.grade, "percent": m.percent} for m, _ in pairs])


def term_grade(session: Session, m: teacher.TermGradePublished, _: Envelope) -> None:
    ProjectionStore(session).grade(m.learner_id, m.subject_code, m.school_year, m.term, m.school.org_id,
                                   m.class_id, m.grade, m.percent)


def annual_grade(session: Session, m: teacher.AnnualGradeFinalized, _: Envelope) -> None:
    ProjectionStore(session).grade(m.learner_id, m.subject_code, m.school_year, 0, m.school.org_id, m.class_id,
                                   m.grade, m.percent)


_HANDLERS: dict[str, Handler] = {
    "esis.education.v1.OrgUnitCreated": org_created,
    "esis.education.v1.OrgUnitMoved": org_moved,
    "esis.education.v1.OrgUnitClosed": org_closed,
    "esis.education.v1.ClassOpened": class_opened,
    "esis.education.v1.ClassChanged": class_changed,
    "esis.education.v1.LearnerRegistered": learner_registered,
    "esis.education.v1.LearnerEnrolled": learner_enrolled,
    "esis.education.v1.LearnerMovedClass": learner_moved,
    "esis.education.v1.LearnerWithdrawn": learner_withdrawn,
    "esis.education.v1.TransferRequested": transfer("requested"),
    "esis.education.v1.TransferApproved": transfer("approved"),
    "esis.education.v1.TransferRejected": transfer("rejected"),
    "esis.education.v1.TransferCancelled": transfer("cancelled"),
    "esis.hr.v1.StaffHired": staff_hired,
    "esis.hr.v1.StaffMoved": staff_moved,
    "esis.hr.v1.StaffExited": staff_exited,
    "esis.hr.v1.StaffQualificationsChanged": qualifications_changed,
    "esis.hr.v1.TeachingAssigned": teaching_assigned,
    "esis.hr.v1.TeachingUnassigned": teaching_unassigned,
    "esis.teacher.v1.AttendanceMarked": attendance_marked,
    "esis.teacher.v1.AttendanceCorrected": attendance_corrected,
    "esis.teacher.v1.TermGradePublished": term_grade,
    "esis.teacher.v1.AnnualGradeFinalized": annual_grade,
}
# The high-volume facts are written a polled batch at a time (one executemany per run of records of a type);
# they have the same effect as the one-by-one handlers above, which the consumer uses when a batch must be redone
# record by record.
_BATCH_HANDLERS: dict[str, BatchHandler] = {
    "esis.education.v1.OrgUnitCreated": orgs_created,
    CLASS_OPENED: classes,  # the same handler: a run of both types is one call
    "esis.education.v1.ClassChanged": classes,
    "esis.hr.v1.StaffHired": staff_hires,
    "esis.hr.v1.TeachingAssigned": teaching_assignments,
    "esis.education.v1.LearnerRegistered": learners_registered,
    "esis.education.v1.LearnerEnrolled": learners_enrolled,
    "esis.teacher.v1.AttendanceMarked": attendance_sheets,
    "esis.teacher.v1.TermGradePublished": term_grades,
    "esis.teacher.v1.AnnualGradeFinalized": annual_grades,
}
_TRACKED = {handler: tracked_many(handler) for handler in set(_BATCH_HANDLERS.values())}
BATCH_HANDLERS: dict[str, BatchHandler] = {name: _TRACKED[handler] for name, handler in _BATCH_HANDLERS.items()}
HANDLERS: dict[str, Handler] = {name: tracked(handler) for name, handler in _HANDLERS.items()}


def split(handlers: dict[str, Handler], batch_handlers: dict[str, BatchHandler]) -> dict[str, Handler]:
    """The one-by-one handlers of the types without a batch handler (the consumer takes each type once)."""
    return {name: handler for name, handler in handlers.items() if name not in batch_handlers}
