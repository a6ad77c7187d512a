"""Attendance sheets: one per class and day (daily mode) or per class, day and lesson (per-lesson mode).

A sheet is created by one submission that marks the whole class. Re-sending the same form (same ``form_id``)
changes nothing. Later changes are corrections: the submitted marks stay as they were, and each correction
records the previous code, the new one, who made it, when and why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from teacher.domain import events
from teacher.domain.errors import Invalid, Refused, invalid
from teacher.domain.reference import AttendanceCodes, AttendanceMode

MAX_LESSON = 10


@dataclass(frozen=True)
class Correction:
    id: str
    learner_id: str
    previous_code: str
    code: str
    reason: str
    corrected_by: str
    corrected_at: datetime


@dataclass(eq=False)
class AttendanceSheet:
    id: str
    where: events.Where
    day: date
    lesson: int  # 0: the whole day
    subject_code: str
    form_id: str
    marked_by: str
    marked_at: datetime
    original: dict[str, str]
    corrections: list[Correction] = field(default_factory=list)
    events: list[events.Event] = field(default_factory=list, repr=False)

    @property
    def class_id(self) -> str:
        return self.where.class_id

    @property
    def current(self) -> dict[str, str]:
        marks = dict(self.original)
        for correction in self.corrections:
            marks[correction.learner_id] = correction.code
        return marks

    @classmethod
    def submit(cls, *, sheet_id: str, where: events.Where, day: date, lesson: int, subject_code: str, form_id: str,
               marks: dict[str, str], by: str, at: datetime, codes: AttendanceCodes) -> AttendanceSheet:
        sheet = cls(sheet_id, where, day, lesson, subject_code, form_id, by, at, dict(marks))
        entries = tuple(events.AttendanceEntry(learner, code, codes.code(code).category)
                        for learner, code in sorted(marks.items()))
        sheet.events.append(events.AttendanceMarked(at, sheet_id, where, day, lesson, subject_code, entries, by))
        return sheet

    def correct(self, changes: Mapping[str, str], *, reason: str, by: str, at: datetime, codes: AttendanceCodes,
                new_id: Callable[[], str]) -> list[Correction]:
        """Apply the changes that differ from the current marks; returns the corrections made."""
        current = self.current
        strangers = sorted(set(changes) - set(current))
        if strangers:
            raise Refused(f"Learners {', '.join(strangers)} are not on this attendance sheet",
                          f"Эдгээр сурагч энэ ирцийн хуудсанд байхгүй: {', '.join(strangers)}.",
                          code="learner_not_on_sheet", learner_ids=strangers)
        made = [Correction(new_id(), learner, current[learner], codes.code(code, f"changes.{learner}").code,
                           reason.strip(), by, at)
                for learner, code in sorted(changes.items()) if current[learner] != code]
        if made:
            self.corrections.extend(made)
            self._record_corrections(made, codes, at)
        return made

    def _record_corrections(self, made: Sequence[Correction], codes: AttendanceCodes, at: datetime) -> None:
        changes = tuple(events.AttendanceChange(c.learner_id, c.previous_code, c.code, codes.code(c.code).category)
                        for c in made)
        self.events.append(events.AttendanceCorrected(at, self.id, self.where, self.day, self.lesson,
                                                      self.subject_code, changes, made[0].reason,
                                                      made[0].corrected_by))


def check_lesson(mode: AttendanceMode, lesson: int, subject_code: str, level: str) -> None:
    """Daily classes are marked once a day (lesson 0); per-lesson classes per numbered lesson with a subject."""
    if mode is AttendanceMode.DAILY and lesson != 0:
        raise invalid("lesson", f"Grade {level} takes attendance once a day at this school: leave the lesson out",
                      f"Энэ сургуульд {level}-р ангийн ирцийг өдөрт нэг удаа бүртгэнэ: хичээлийн цаг сонгохгүй.",
                      code="daily_attendance_only")
    if mode is AttendanceMode.PER_LESSON and not 1 <= lesson <= MAX_LESSON:
        raise invalid("lesson", f"Grade {level} takes attendance per lesson: give the lesson number 1–{MAX_LESSON}",
                      f"{level}-р анги ирцийг цаг бүрээр бүртгэнэ: хичээлийн цагийн дугаар (1–{MAX_LESSON}) "
                      "оруулна уу.", code="lesson_required")
    if mode is AttendanceMode.PER_LESSON and not subject_code:
        raise invalid("subject_code", "Per-lesson attendance needs the lesson's subject",
                      "Цагийн ирцэд хичээлийн нэрийг заавал оруулна.", code="subject_required")


def check_marks(entries: Sequence[tuple[str, str]], enrolled: Sequence[str], codes: AttendanceCodes,
                day: date) -> dict[str, str]:
    """The submitted rows as ``{learner: code}``, or an error naming every bad row."""
    _check_rows(entries, codes)
    marks = dict(entries)
    strangers = [(row, learner) for row, (learner, _) in enumerate(entries) if learner not in set(enrolled)]
    if strangers:
        ids = [learner for _, learner in strangers]
        raise Refused(f"Not enrolled in this class on {day.isoformat()}: {', '.join(ids)}",
                      f"{day.isoformat()}-нд энэ ангид бүртгэлгүй сурагч: {', '.join(ids)}.",
                      code="learner_not_enrolled", learner_ids=ids,
                      fields=[{"field": f"marks[{row}].learner_id", "message": "not enrolled on that date",
                               "message_mn": "тухайн өдөр ангид бүртгэлгүй"} for row, _ in strangers])
    missing = [learner for learner in enrolled if learner not in marks]
    if missing:
        raise Invalid(f"The whole class is marked at once; {len(missing)} enrolled learners have no mark: "
                      f"{', '.join(missing)}", f"Ангийн бүх сурагчийг нэг дор бүртгэнэ; {len(missing)} сурагчийн "
                      f"ирц дутуу: {', '.join(missing)}.", code="marks_missing", learner_ids=missing)
    return marks


def _check_rows(entries: Sequence[tuple[str, str]], codes: AttendanceCodes) -> None:
    problems: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row, (learner, code) in enumerate(entries):
        if learner in seen:
            problems.append({"field": f"marks[{row}].learner_id", "message": f"{learner} is listed twice",
                             "message_mn": f"{learner} давхардсан"})
        seen.add(learner)
        if code not in codes:
            problems.append({"field": f"marks[{row}].code", "message": f"unknown attendance code '{code}'",
                             "message_mn": f"'{code}' гэсэн ирцийн код байхгүй"})
    if problems:
        first = problems[0]
        raise Invalid(f"{first['field']}: {first['message']}", f"{first['field']}: {first['message_mn']}",
                      code="validation_error", fields=problems)
