"""What the portal shows; every function checks that the caller may see the child first."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from esis_shared import clock
from esis_shared.auth import Principal

from parent.domain import growth
from parent.domain.attendance import MonthCalendar, day_status, month_calendar
from parent.domain.guardians import ChildLink, Guardian
from parent.domain.messaging import Consultation, Thread
from parent.domain.notifications import UB, Preferences
from parent.domain.receipts import AccessEntry, Receipt
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
    StaffContact,
)
from parent.service_layer import access, teacher_views
from parent.service_layer.handlers import projections
from parent.service_layer.handlers.messaging import participant_thread
from parent.service_layer.ports import Deps
from parent.service_layer.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ChildSummary:
    link: ChildLink
    child: Child
    class_info: ClassInfo | None
    school: SchoolInfo | None


@dataclass
class Today:
    child: ChildSummary
    day: date
    status: str | None
    entries: list[AttendanceEntry]
    homework_due: list[Homework]
    recent_marks: list[Mark]


@dataclass
class YearRecord:
    school_year: str
    grades: dict[str, dict[int, Grade]] = field(default_factory=dict)  # subject -> term (0 annual) -> grade
    marks: dict[str, list[Mark]] = field(default_factory=dict)


def today(deps: Deps) -> date:
    return clock.today(UB, deps.clock())  # ESIS_TODAY moves it in development


def children(principal: Principal, deps: Deps) -> list[ChildSummary]:
    access.require_parent(principal)
    with deps.uow() as uow:
        found = []
        for link in uow.links.for_account(principal.subject):
            child = uow.children.get(link.learner_id)
            if child is not None:
                info = uow.schools.class_info(child.class_id) if child.class_id else None
                found.append(ChildSummary(link, child, info, uow.schools.school(child.school_id)))
        return found


def child(principal: Principal, learner_id: str, deps: Deps) -> ChildSummary:
    with deps.uow() as uow:
        return _summary(uow, principal, learner_id)


def _summary(uow: UnitOfWork, principal: Principal, learner_id: str) -> ChildSummary:
    link, found = access.linked_child(uow, principal, learner_id)
    info = uow.schools.class_info(found.class_id) if found.class_id else None
    return ChildSummary(link, found, info, uow.schools.school(found.school_id))


def day(principal: Principal, learner_id: str, deps: Deps) -> Today:
    now = today(deps)
    with deps.uow() as uow:  # one transaction for the card and the day (each one costs two round trips)
        summary = _summary(uow, principal, learner_id)
        entries = uow.journal.attendance(learner_id, now, now)
        homework = uow.journal.homework(summary.child.class_id, now)[:5] if summary.child.class_id else []
        marks = sorted(uow.journal.marks(learner_id), key=lambda m: m.held_on, reverse=True)[:5]
    return Today(summary, now, day_status(entries), entries, homework, marks)


def attendance(principal: Principal, learner_id: str, year: int, month: int, deps: Deps) -> MonthCalendar:
    first = date(year, month, 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    with deps.uow() as uow:
        access.linked_child(uow, principal, learner_id)
        return month_calendar(uow.journal.attendance(learner_id, first, last), year, month)


def school_years(principal: Principal, learner_id: str, deps: Deps) -> list[YearRecord]:
    """Marks and grades by school year, newest first (this year, then the previous years' history)."""
    with deps.uow() as uow:
        access.linked_child(uow, principal, learner_id)
        grades, marks = uow.journal.grades(learner_id), uow.journal.marks(learner_id)
    years: dict[str, YearRecord] = {}
    for grade in grades:
        record = years.setdefault(grade.school_year, YearRecord(grade.school_year))
        record.grades.setdefault(grade.subject_code, {})[grade.term] = grade
    for mark in marks:
        record = years.setdefault(mark.school_year, YearRecord(mark.school_year))
        record.marks.setdefault(mark.subject_code, []).append(mark)
    return sorted(years.values(), key=lambda r: r.school_year, reverse=True)


def homework(principal: Principal, learner_id: str, deps: Deps) -> list[Homework]:
    with deps.uow() as uow:
        _, found = access.linked_child(uow, principal, learner_id)
        return uow.journal.homework(found.class_id, today(deps)) if found.class_id else []


def timetable(principal: Principal, learner_id: str, deps: Deps) -> dict[int, list[Lesson]]:
    with deps.uow() as uow:
        _, found = access.linked_child(uow, principal, learner_id)
        lessons = uow.schools.timetable(found.class_id) if found.class_id else []
    if found.class_id and not lessons:
        lessons = projections.timetable_fetched(found.class_id, deps)
    week: dict[int, list[Lesson]] = defaultdict(list)
    for lesson in lessons:
        week[lesson.weekday].append(lesson)
    return dict(week)


def teachers(principal: Principal, learner_id: str, deps: Deps) -> tuple[StaffContact | None, list[StaffContact]]:
    """The class teacher (with contact details) and every teacher of the child's class."""
    summary = child(principal, learner_id, deps)
    subject_teachers = deps.staff.teachers_of_class(summary.child.class_id) if summary.child.class_id else []
    wanted = summary.class_info.class_teacher_id if summary.class_info else ""
    if not wanted:
        return None, subject_teachers
    # The class teacher is an hr staff id; a school that recorded the teacher's account id is matched too.
    found = deps.staff.staff(wanted) or next((t for t in subject_teachers if wanted in (t.staff_id, t.account_id)),
                                             None)
    return found, subject_teachers


def growth_chart(principal: Principal, learner_id: str,
                 deps: Deps) -> tuple[Child, list[growth.GrowthPoint], list[DevelopmentNote]]:
    with deps.uow() as uow:
        _, found = access.linked_child(uow, principal, learner_id)
        measurements, notes = uow.journal.measurements(learner_id), uow.journal.notes(learner_id)
    if found.birth_date is None or found.sex not in ("male", "female"):
        return found, [], notes
    points = [growth.assess(m, birth_date=found.birth_date, sex=found.sex, standard=deps.growth)
              for m in measurements if m.measured_on >= found.birth_date]
    return found, points, notes


def threads(principal: Principal, learner_id: str, deps: Deps) -> tuple[list[Thread], list[Consultation]]:
    with deps.uow() as uow:
        access.linked_child(uow, principal, learner_id)
        return (uow.threads.for_guardian(principal.subject, learner_id),
                uow.consultations.for_guardian(principal.subject, learner_id))


def teacher_inbox(principal: Principal, deps: Deps) -> tuple[list[Thread], list[Consultation]]:
    """The API's inbox: what the teacher's pages show (only children of the classes in the token), unlimited."""
    box = teacher_views.inbox(principal, deps, answered_limit=None)
    return [row.thread for row in box.threads], [row.consultation for row in (*box.requests, *box.answered)]


def thread(principal: Principal, thread_id: str, deps: Deps) -> Thread:
    with deps.uow() as uow:
        return participant_thread(uow, thread_id, principal)


def access_log(principal: Principal, learner_id: str, token: str, deps: Deps) -> list[AccessEntry]:
    with deps.uow() as uow:
        access.linked_child(uow, principal, learner_id)
    return deps.access_log.entries(learner_id, token)


def settings(principal: Principal, deps: Deps) -> tuple[Guardian, Preferences, list[Receipt]]:
    access.require_parent(principal)
    with deps.uow() as uow:
        guardian = uow.guardians.get(principal.subject) or Guardian(principal.subject, principal.name)
        return guardian, uow.preferences.get(principal.subject), uow.receipts.for_account(principal.subject)
