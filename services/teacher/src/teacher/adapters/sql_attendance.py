"""Attendance sheets on SQL: the submitted marks, their current codes and the corrections, append-only."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from esis_shared.db import insert_rows
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from teacher.adapters.orm import attendance_corrections, attendance_marks, attendance_modes, attendance_sheets
from teacher.adapters.repository import AttendanceRepository
from teacher.domain.attendance import AttendanceSheet, Correction
from teacher.domain.events import Where
from teacher.domain.reference import AttendanceMode

CHUNK = 500


def where_values(where: Where) -> dict[str, Any]:
    return {"class_id": where.class_id, "school_id": where.school_id, "aimag": where.aimag}


def where_of(row: Any) -> Where:
    return Where(row.class_id, row.school_id, row.aimag)


class SqlAttendanceRepository(AttendanceRepository):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._stored: dict[str, int] = {}  # sheet id -> corrections already in the database

    def get(self, sheet_id: str) -> AttendanceSheet | None:
        return self._first(select(attendance_sheets).where(attendance_sheets.c.id == sheet_id))

    def find(self, class_id: str, day: date, lesson: int) -> AttendanceSheet | None:
        return self._first(select(attendance_sheets).where(
            attendance_sheets.c.class_id == class_id, attendance_sheets.c.day == day,
            attendance_sheets.c.lesson == lesson))

    def add(self, sheet: AttendanceSheet) -> None:
        self.session.execute(insert(attendance_sheets).values(
            id=sheet.id, **where_values(sheet.where), day=sheet.day, lesson=sheet.lesson,
            subject_code=sheet.subject_code, form_id=sheet.form_id, marked_by=sheet.marked_by,
            marked_at=sheet.marked_at))
        rows = [{"sheet_id": sheet.id, "learner_id": learner, "original_code": code, "current_code": code}
                for learner, code in sheet.original.items()]
        insert_rows(self.session, attendance_marks, rows)  # one COPY on PostgreSQL: a class is ≈ 25-40 rows
        self._stored[sheet.id] = 0
        self.save(sheet)

    def save(self, sheet: AttendanceSheet) -> None:
        self.track(sheet)
        stored = self._stored.get(sheet.id, len(sheet.corrections))
        new = sheet.corrections[stored:]
        if new:
            self.session.execute(insert(attendance_corrections), [
                {"id": c.id, "sheet_id": sheet.id, "seq": stored + n, "learner_id": c.learner_id,
                 "previous_code": c.previous_code, "code": c.code, "reason": c.reason,
                 "corrected_by": c.corrected_by, "corrected_at": c.corrected_at} for n, c in enumerate(new)])
            for c in new:
                self.session.execute(update(attendance_marks).where(
                    attendance_marks.c.sheet_id == sheet.id, attendance_marks.c.learner_id == c.learner_id)
                    .values(current_code=c.code))
        self._stored[sheet.id] = len(sheet.corrections)

    def of_class(self, class_id: str, first: date, last: date) -> list[AttendanceSheet]:
        rows = self.session.execute(select(attendance_sheets).where(
            attendance_sheets.c.class_id == class_id, attendance_sheets.c.day.between(first, last))
            .order_by(attendance_sheets.c.day, attendance_sheets.c.lesson)).all()
        return [self._load(row) for row in rows]

    def lessons_marked(self, class_id: str, day: date) -> list[int]:
        """One query for the numbers only (the class form needs no marks or corrections of the other sheets)."""
        return list(self.session.execute(select(attendance_sheets.c.lesson).where(
            attendance_sheets.c.class_id == class_id, attendance_sheets.c.day == day)
            .order_by(attendance_sheets.c.lesson)).scalars())

    def marked_classes(self, day: date, class_ids: Iterable[str]) -> set[str]:
        wanted, found = sorted(set(class_ids)), set()
        for start in range(0, len(wanted), CHUNK):
            found |= set(self.session.execute(select(attendance_sheets.c.class_id).distinct().where(
                attendance_sheets.c.day == day, attendance_sheets.c.class_id.in_(wanted[start:start + CHUNK])))
                .scalars())
        return found

    def codes_of_learner(self, learner_id: str) -> list[tuple[str, date, int, str]]:
        rows = self.session.execute(
            select(attendance_sheets.c.class_id, attendance_sheets.c.day, attendance_sheets.c.lesson,
                   attendance_marks.c.current_code)
            .join(attendance_sheets, attendance_sheets.c.id == attendance_marks.c.sheet_id)
            .where(attendance_marks.c.learner_id == learner_id).order_by(attendance_sheets.c.day))
        return [(row.class_id, row.day, row.lesson, row.current_code) for row in rows]

    def mode_override(self, school_id: str, level: str) -> AttendanceMode | None:
        value = self.session.execute(select(attendance_modes.c.mode).where(
            attendance_modes.c.school_id == school_id, attendance_modes.c.level == level)).scalar()
        return AttendanceMode(value) if value else None

    def set_mode(self, school_id: str, level: str, mode: AttendanceMode | None) -> None:
        self.session.execute(delete(attendance_modes).where(attendance_modes.c.school_id == school_id,
                                                            attendance_modes.c.level == level))
        if mode is not None:
            self.session.execute(insert(attendance_modes).values(school_id=school_id, level=level, mode=mode.value))

    def _first(self, query: Any) -> AttendanceSheet | None:
        row = self.session.execute(query).first()
        return self.track(self._load(row)) if row else None

    def _load(self, row: Any) -> AttendanceSheet:
        marks = self.session.execute(select(attendance_marks.c.learner_id, attendance_marks.c.original_code)
                                     .where(attendance_marks.c.sheet_id == row.id)).all()
        corrections = [Correction(c.id, c.learner_id, c.previous_code, c.code, c.reason, c.corrected_by,
                                  c.corrected_at) for c in self.session.execute(
            select(attendance_corrections).where(attendance_corrections.c.sheet_id == row.id)
            .order_by(attendance_corrections.c.seq))]
        self._stored[row.id] = len(corrections)
        return AttendanceSheet(row.id, where_of(row), row.day, row.lesson, row.subject_code, row.form_id,
                               row.marked_by, row.marked_at, {m.learner_id: m.original_code for m in marks},
                               corrections)
