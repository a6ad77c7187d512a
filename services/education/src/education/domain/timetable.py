"""Weekly timetable of a class, and the conflicts that stop it: a teacher or a room in two places at once,
two lessons in one slot of the class, a subject over its weekly hours."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from education.domain import events
from education.domain.base import Aggregate
from education.domain.classes import SchoolClass
from education.domain.curriculum import Subject
from education.domain.errors import Conflict, Invalid, Warning_, invalid

DAYS_MN = ("Даваа", "Мягмар", "Лхагва", "Пүрэв", "Баасан", "Бямба")
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
MAX_PERIOD = 8
MAX_ROOM = 40  # as a class's room (classes.room); other services keep rooms of this length


@dataclass(frozen=True)
class Lesson:
    day: int  # 1 = Monday … 6 = Saturday
    period: int
    subject_id: str
    teacher_id: str
    room: str = ""

    @property
    def slot(self) -> tuple[int, int]:
        return self.day, self.period


@dataclass(eq=False)
class Timetable(Aggregate):
    """The school edits ``lessons`` (the draft); ``published_week`` keeps the week as last published, which is
    what other services see while a new version is being edited. ``published`` says the draft is that week."""

    id: str  # the class id: one timetable per class
    school_id: str
    year_id: str
    shift: int
    class_name: str
    lessons: list[Lesson] = field(default_factory=list)
    published: bool = False
    published_week: list[events.PublishedLesson] = field(default_factory=list)

    @classmethod
    def for_class(cls, school_class: SchoolClass) -> Timetable:
        return cls(id=school_class.id, school_id=school_class.school_id, year_id=school_class.year_id,
                   shift=school_class.shift, class_name=school_class.name)

    def replace(self, lessons: list[Lesson], conflicts: list[Warning_]) -> None:
        """A new draft; the published week stays as it is until the draft is published."""
        if conflicts:
            raise TimetableConflicts(conflicts)
        self.lessons = sorted(lessons, key=lambda lesson: lesson.slot)
        self.published = False
        self.touch()

    def publish(self, subject_codes: Mapping[str, str]) -> None:
        """``subject_codes``: subject id → curriculum code, kept with each lesson of the published week."""
        if not self.lessons:
            raise invalid("lessons", "timetable_empty", "Хоосон хуваарийг нийтлэх боломжгүй.",
                          "An empty timetable cannot be published.")
        self.published = True
        self.published_week = [events.PublishedLesson(x.day, x.period, x.subject_id,
                                                      subject_codes.get(x.subject_id, ""), x.teacher_id, x.room)
                               for x in sorted(self.lessons, key=lambda x: x.slot)]
        self.record(events.TimetablePublished(self.id, self.school_id, self.year_id, len(self.lessons),
                                              self.published_lessons()))

    @property
    def ever_published(self) -> bool:
        return bool(self.published_week)

    @property
    def draft_pending(self) -> bool:
        """A version the school is editing differs from the one others see."""
        return self.ever_published and not self.published

    def published_lessons(self) -> tuple[events.PublishedLesson, ...]:
        """The lessons as other services see them: the last published week, also while a new draft is edited;
        none before the first publication."""
        return tuple(self.published_week)


class TimetableConflicts(Conflict):
    code = "timetable_conflicts"

    def __init__(self, conflicts: list[Warning_]) -> None:
        super().__init__(f"Хуваарьт {len(conflicts)} зөрчил байна: " + "; ".join(c.message_mn for c in conflicts),
                         f"The timetable has {len(conflicts)} conflict(s): "
                         + "; ".join(c.message_en for c in conflicts))
        self.conflicts = conflicts
        self.details = {"conflicts": [c.code for c in conflicts]}


def check_lessons(lessons: Iterable[Lesson]) -> list[Lesson]:
    """Shape checks that name the row: day 1–6, period 1–MAX_PERIOD, a subject and a teacher, a room of at most
    MAX_ROOM characters."""
    checked = list(lessons)
    for i, lesson in enumerate(checked):
        if not 1 <= lesson.day <= len(DAYS_MN):
            raise invalid(f"lessons[{i}].day", "lesson_day", "Гараг 1–6 (Даваа–Бямба) байна.",
                          "Day is 1–6 (Monday–Saturday).", value=lesson.day)
        if not 1 <= lesson.period <= MAX_PERIOD:
            raise invalid(f"lessons[{i}].period", "lesson_period", f"Цаг 1–{MAX_PERIOD} байна.",
                          f"Period is 1–{MAX_PERIOD}.", value=lesson.period)
        if not lesson.subject_id or not lesson.teacher_id:
            raise Invalid("Хичээл, багшийг заана уу.", "Subject and teacher are required.",
                          code="lesson_incomplete", field=f"lessons[{i}]")
        if len(lesson.room) > MAX_ROOM:
            raise invalid(f"lessons[{i}].room", "lesson_room_too_long",
                          f"Өрөөний дугаар {MAX_ROOM} тэмдэгтээс урт байж болохгүй.",
                          f"Room is at most {MAX_ROOM} characters.", value=lesson.room)
    return checked


def find_conflicts(school_class: SchoolClass, lessons: list[Lesson], others: Iterable[Timetable],
                   subjects: Mapping[str, Subject]) -> list[Warning_]:
    """Every conflict of ``lessons`` for ``school_class`` against the other timetables of the same year."""
    others = [t for t in others if t.id != school_class.id and t.year_id == school_class.year_id]
    return [*_class_slot_conflicts(lessons),
            *_busy_conflicts(school_class, lessons, others),
            *_hour_conflicts(school_class, lessons, subjects)]


def _slot_mn(day: int, period: int) -> str:
    return f"{DAYS_MN[day - 1]} гарагийн {period}-р цаг"


def _slot_en(day: int, period: int) -> str:
    return f"{DAYS_EN[day - 1]} period {period}"


def _class_slot_conflicts(lessons: list[Lesson]) -> list[Warning_]:
    counts = Counter(lesson.slot for lesson in lessons)
    return [Warning_("class_slot_taken", f"{_slot_mn(*slot)}-д хоёр хичээл байна.",
                     f"{_slot_en(*slot)} has two lessons.", {"day": slot[0], "period": slot[1]})
            for slot, n in sorted(counts.items()) if n > 1]


def _busy_conflicts(school_class: SchoolClass, lessons: list[Lesson], others: list[Timetable]) -> list[Warning_]:
    found = []
    for lesson in lessons:
        for other in others:
            if other.shift != school_class.shift:
                continue
            for theirs in other.lessons:
                if theirs.slot == lesson.slot:
                    found.extend(_clash(lesson, theirs, other, school_class.school_id))
    return found


def _clash(mine: Lesson, theirs: Lesson, other: Timetable, school_id: str) -> list[Warning_]:
    where = {"day": mine.day, "period": mine.period, "other_class_id": other.id}
    clashes = []
    if mine.teacher_id == theirs.teacher_id:
        clashes.append(Warning_(
            "teacher_double_booked",
            f"Багш {mine.teacher_id} {_slot_mn(*mine.slot)}-д {other.class_name} бүлэгт хичээлтэй.",
            f"Teacher {mine.teacher_id} already teaches {other.class_name} on {_slot_en(*mine.slot)}.",
            {**where, "teacher_id": mine.teacher_id}))
    if mine.room and mine.room == theirs.room and other.school_id == school_id:
        clashes.append(Warning_(
            "room_double_booked",
            f"{mine.room} өрөөнд {_slot_mn(*mine.slot)}-д {other.class_name} бүлэг хичээллэнэ.",
            f"Room {mine.room} is used by {other.class_name} on {_slot_en(*mine.slot)}.",
            {**where, "room": mine.room}))
    return clashes


def _hour_conflicts(school_class: SchoolClass, lessons: list[Lesson],
                    subjects: Mapping[str, Subject]) -> list[Warning_]:
    found = []
    for subject_id, count in sorted(Counter(lesson.subject_id for lesson in lessons).items()):
        subject = subjects.get(subject_id)
        allowed = subject.weekly_hours(school_class.year_id, school_class.level) if subject else 0
        name = subject.name_mn if subject else subject_id
        if count > allowed:
            found.append(Warning_(
                "subject_over_hours",
                f"{name}: 7 хоногт {count} цаг байна, сургалтын төлөвлөгөөнд {allowed} цаг.",
                f"{subject.name_en or name if subject else subject_id}: {count} lessons a week, "
                f"the curriculum allows {allowed}.",
                {"subject_id": subject_id, "count": count, "allowed": allowed}))
    return found
