"""Today's classes, the attendance form, and the "not yet marked" lists for schools and aimags."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from teacher.domain.access import Actor, require_area, require_reads_class
from teacher.domain.attendance import AttendanceSheet
from teacher.domain.errors import NotPermitted, not_found
from teacher.domain.reference import AttendanceMode
from teacher.domain.rosters import ClassInfo, ClassRoster
from teacher.service_layer.handlers.attendance import attendance_mode
from teacher.service_layer.handlers.common import Context, load_roster
from teacher.service_layer.unit_of_work import AbstractUnitOfWork


@dataclass(frozen=True)
class ClassDay:
    """One of the teacher's classes on a day: what is taught and what is already marked."""

    info: ClassInfo
    subjects: list[str]
    mode: AttendanceMode
    learners: int
    marked_lessons: list[int]
    closed_reason: tuple[str, str] | None  # why the day is no school day for this class (English, Mongolian)

    @property
    def is_marked(self) -> bool:
        return bool(self.marked_lessons)


def today(actor: Actor, uow: AbstractUnitOfWork, ctx: Context, day: date | None = None) -> list[ClassDay]:
    day = day or ctx.today()
    with uow:
        rosters = [r for r in uow.rosters.rosters(sorted(actor.class_ids)) if r.taught_on(day)]
        return [_class_day(uow, ctx, roster, day) for roster in sorted(rosters, key=lambda r: r.info.name)]


def _class_day(uow: AbstractUnitOfWork, ctx: Context, roster: ClassRoster, day: date) -> ClassDay:
    year = ctx.reference.calendar.years.get(roster.info.school_year)
    closed = year.non_school_reason(day, roster.info.level) if year and year.covers(day) else (
        "it is outside the school year", "хичээлийн жилээс гадуур")
    lessons = uow.attendance.lessons_marked(roster.class_id, day)
    return ClassDay(roster.info, roster.subjects_on(day), attendance_mode(uow, ctx, roster),
                    len(roster.learners_on(day)), lessons, closed)


@dataclass
class AttendanceForm:
    info: ClassInfo
    day: date
    lesson: int
    mode: AttendanceMode
    learners: list[str]
    marks: dict[str, str]
    subjects: list[str]
    sheet: AttendanceSheet | None = None
    lessons_marked: list[int] = field(default_factory=list)


def attendance_form(actor: Actor, uow: AbstractUnitOfWork, ctx: Context, class_id: str, day: date,
                    lesson: int = 0) -> AttendanceForm:
    """The class list with the marks already given, or everyone present by default."""
    with uow:
        roster = load_roster(uow, class_id)
        require_reads_class(actor, roster)
        sheet = uow.attendance.find(class_id, day, lesson)
        learners = roster.learners_on(day) if sheet is None else sorted(sheet.current)
        marks = sheet.current if sheet else dict.fromkeys(learners, ctx.reference.attendance.default)
        return AttendanceForm(roster.info, day, lesson, attendance_mode(uow, ctx, roster), learners, marks,
                              roster.subjects_on(day), sheet, uow.attendance.lessons_marked(class_id, day))


@dataclass(frozen=True)
class UnmarkedClass:
    info: ClassInfo
    learners: int


@dataclass(frozen=True)
class SchoolProgress:
    school_id: str
    expected: int
    unmarked: int


def _expected(ctx: Context, classes: list[tuple[ClassInfo, int]], day: date) -> list[tuple[ClassInfo, int]]:
    """Classes that should be marked on ``day``: their school year's school day for their level."""
    calendar = ctx.reference.calendar
    return [(info, n) for info, n in classes if (year := calendar.years.get(info.school_year)) is not None
            and year.covers(day) and year.non_school_reason(day, info.level) is None]


def not_marked_in_school(actor: Actor, uow: AbstractUnitOfWork, ctx: Context, school_id: str,
                         day: date | None = None) -> list[UnmarkedClass]:
    day = day or ctx.today()
    with uow:
        if not actor.manages_school(school_id) and not actor.covers_aimag(uow.rosters.school_aimag(school_id)):
            raise NotPermitted("You may not see this school's attendance progress",
                               "Та энэ сургуулийн ирцийн явцыг харах эрхгүй.", code="forbidden")
        classes = _expected(ctx, uow.rosters.classes_with_learners(day, school_id=school_id), day)
        marked = uow.attendance.marked_classes(day, [info.class_id for info, _ in classes])
    return sorted((UnmarkedClass(info, n) for info, n in classes if info.class_id not in marked),
                  key=lambda u: u.info.name)


def not_marked_in_aimag(actor: Actor, uow: AbstractUnitOfWork, ctx: Context, aimag: str,
                        day: date | None = None) -> list[SchoolProgress]:
    require_area(actor, aimag)
    day = day or ctx.today()
    with uow:
        classes = _expected(ctx, uow.rosters.classes_with_learners(day, aimag=aimag), day)
        marked = uow.attendance.marked_classes(day, [info.class_id for info, _ in classes])
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for info, _ in classes:
        totals[info.school_id][0] += 1
        totals[info.school_id][1] += info.class_id not in marked
    return [SchoolProgress(school, expected, unmarked) for school, (expected, unmarked) in sorted(totals.items())
            if unmarked]


def sheet(actor: Actor, uow: AbstractUnitOfWork, sheet_id: str) -> AttendanceSheet:
    with uow:
        found = uow.attendance.get(sheet_id)
        if found is None:
            raise not_found("Attendance sheet", "Ирцийн хуудас", sheet_id, code="sheet_not_found")
        require_reads_class(actor, load_roster(uow, found.class_id))
        return found
