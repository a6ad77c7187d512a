"""Read models from other services' events, and the notifications some of them trigger.

Each function runs inside the consumer's transaction (``uow`` is open; the consumer commits together with its
processed-event row), so a redelivered event changes nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from esis_shared import clock

from parent.domain import events, notifications
from parent.domain.growth import Measurement
from parent.domain.guardians import Guardian
from parent.domain.notifications import UB, Contacts, NotificationRequest
from parent.domain.school import (
    AttendanceEntry,
    Child,
    ClassInfo,
    DevelopmentNote,
    Grade,
    Homework,
    Lesson,
    Mark,
    SchoolInfo,
)
from parent.service_layer.ports import Deps
from parent.service_layer.unit_of_work import UnitOfWork


def notify_guardians(uow: UnitOfWork, learner_id: str, kind: str, key: str, *, not_before: datetime | None = None,
                     text_kind: str | None = None, only: Iterable[str] | None = None, **values: Any) -> int:
    """One request per linked guardian (or the accounts in ``only``) who wants this kind; returns how many."""
    child = uow.children.get(learner_id)
    sent = 0
    for link in uow.links.for_learner(learner_id):
        if only is not None and link.account_id not in only:
            continue
        guardian = uow.guardians.get(link.account_id) or Guardian(link.account_id)
        contacts = Contacts(guardian.phone, guardian.email, guardian.push_token, guardian.lang)
        words = notifications.text(text_kind or kind, guardian.lang, child=child.display_name if child else "",
                                   **values)
        base = NotificationRequest(f"{key}:{link.account_id}", link.account_id, kind, learner_id, words, not_before)
        request = notifications.request_for(base, uow.preferences.get(link.account_id), contacts)
        if request is not None:
            uow.notify(request)
            sent += 1
    return sent


def attendance_marked(uow: UnitOfWork, entries: Iterable[AttendanceEntry], deps: Deps) -> None:
    today = clock.today(UB, deps.clock())  # ESIS_TODAY moves it in development
    for entry in entries:
        uow.journal.save_attendance(entry)
        if entry.day != today or not (entry.is_absence or entry.is_late):
            continue
        kind = "absence" if entry.is_absence else "late"
        notify_guardians(uow, entry.learner_id, kind, f"{kind}:{entry.learner_id}:{entry.day.isoformat()}",
                         code=entry.code)


def mark_recorded(uow: UnitOfWork, mark: Mark) -> None:
    if uow.journal.save_mark(mark):
        notify_guardians(uow, mark.learner_id, "mark", f"mark:{mark.assessment_id}:{mark.learner_id}",
                         subject=mark.subject_code, percent=_number(mark.percent))


def grade_published(uow: UnitOfWork, grade: Grade) -> None:
    uow.journal.save_grade(grade)
    if not grade.is_annual:
        notify_guardians(uow, grade.learner_id, "grade",
                         f"grade:{grade.learner_id}:{grade.subject_code}:{grade.school_year}:{grade.term}",
                         subject=grade.subject_code, term=grade.term, band=grade.band,
                         percent=_number(grade.percent))


def homework_assigned(uow: UnitOfWork, homework: Homework, deps: Deps) -> None:
    uow.journal.save_homework(homework)
    remind_at = notifications.homework_reminder_time(homework.due_on, deps.clock())
    if remind_at is None:
        return
    for child in _children_in_class(uow, homework.class_id):
        notify_guardians(uow, child.learner_id, "homework", f"homework:{homework.homework_id}:{child.learner_id}",
                         not_before=remind_at, subject=homework.subject_code)


def _children_in_class(uow: UnitOfWork, class_id: str) -> list[Child]:
    """Only children someone has linked are in the portal's copy, so this stays small by construction."""
    return [c for c in uow.children.in_class(class_id) if uow.links.for_learner(c.learner_id)]


def growth_measured(uow: UnitOfWork, measurement: Measurement) -> None:
    uow.journal.save_measurement(measurement)


def development_observed(uow: UnitOfWork, note: DevelopmentNote) -> None:
    uow.journal.save_note(note)


def learner_placed(uow: UnitOfWork, learner_id: str, *, school_id: str, class_id: str, level: str,
                   status: str = "enrolled") -> None:
    """Enrolment, class move or withdrawal: where the child is now."""
    child = uow.children.get(learner_id) or Child(learner_id)
    child.school_id, child.class_id, child.status = school_id, class_id, status
    child.level = level or child.level
    uow.children.save(child)


def class_opened(uow: UnitOfWork, info: ClassInfo) -> None:
    known = uow.schools.class_info(info.class_id)
    if known is not None:
        info.room, info.class_teacher_id = known.room, known.class_teacher_id
    uow.schools.save_class(info)


def class_changed(uow: UnitOfWork, class_id: str, *, school_id: str, room: str, class_teacher_id: str) -> None:
    info = uow.schools.class_info(class_id) or ClassInfo(class_id, school_id)
    info.room, info.class_teacher_id = room, class_teacher_id
    uow.schools.save_class(info)


def school_created(uow: UnitOfWork, info: SchoolInfo) -> None:
    uow.schools.save_school(info)


def timetable_published(uow: UnitOfWork, class_id: str, lessons: list[Lesson] | None) -> None:
    """The event carries the whole published week, which replaces the copy. ``None``: an event from before
    events carried lessons; the copy is dropped so the next read asks education (``timetable_fetched``)."""
    uow.schools.save_timetable(class_id, lessons or [])


def timetable_fetched(class_id: str, deps: Deps) -> list[Lesson]:
    """For a class without a copy (published before parent kept timetables, or by an older education): the week
    read from education over gRPC, kept as if an event had carried it. Education not answering: no lessons."""
    fetched = deps.timetable.lessons(class_id)
    if not fetched:
        return []
    with deps.uow() as uow:
        if not uow.schools.timetable(class_id):  # an event landed meanwhile: it is at least as new
            uow.schools.save_timetable(class_id, fetched)
            uow.commit()
    return fetched


def guardian_link_revoked(uow: UnitOfWork, learner_id: str, guardian_id: str, deps: Deps) -> None:
    for link in uow.links.for_learner(learner_id):
        if link.guardian_id == guardian_id:
            uow.links.remove(link.account_id, learner_id)
            uow.publish(events.ChildUnlinked(link.account_id, learner_id, "revoked_by_school", deps.clock()))


def _number(value: Any) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
