"""Assessments, marks and grade sheets on SQL."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from teacher.adapters.orm import assessments, grade_entries, grade_sheets, marks
from teacher.adapters.repository import GradeRepository
from teacher.adapters.sql_attendance import CHUNK, where_of, where_values
from teacher.domain.gradebook import GradeEntry, GradeSheet, SheetStatus
from teacher.domain.grading import Assessment, Mark

_SHEET_STATE = ("status", "submitted_by", "submitted_at", "decided_by", "decided_at", "return_reason")


def _assessment(row: Any) -> Assessment:
    return Assessment(row.id, where_of(row), row.subject_code, row.school_year, row.term, row.name, row.held_on,
                      row.weight, row.created_by)


def _sheet_state(sheet: GradeSheet) -> dict[str, Any]:
    state = {name: getattr(sheet, name) for name in _SHEET_STATE}
    state["status"] = sheet.status.value
    return state


class SqlGradeRepository(GradeRepository):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def add_assessment(self, assessment: Assessment) -> None:
        self.session.execute(insert(assessments).values(
            id=assessment.id, **where_values(assessment.where), subject_code=assessment.subject_code,
            school_year=assessment.school_year, term=assessment.term, name=assessment.name,
            held_on=assessment.held_on, weight=assessment.weight, created_by=assessment.created_by))

    def assessment(self, assessment_id: str) -> Assessment | None:
        row = self.session.execute(select(assessments).where(assessments.c.id == assessment_id)).first()
        return _assessment(row) if row else None

    def assessments(self, class_id: str, subject_code: str, school_year: str,
                    term: int | None = None) -> list[Assessment]:
        query = select(assessments).where(assessments.c.class_id == class_id,
                                          assessments.c.subject_code == subject_code,
                                          assessments.c.school_year == school_year)
        if term is not None:
            query = query.where(assessments.c.term == term)
        return [_assessment(row) for row in self.session.execute(query.order_by(assessments.c.held_on))]

    def marks(self, assessment_ids: Iterable[str]) -> list[Mark]:
        wanted, found = sorted(set(assessment_ids)), []
        for start in range(0, len(wanted), CHUNK):
            rows = self.session.execute(select(marks).where(marks.c.assessment_id.in_(wanted[start:start + CHUNK])))
            found += [Mark(r.assessment_id, r.learner_id, r.percent, r.recorded_by, r.recorded_at) for r in rows]
        return found

    def save_mark(self, mark: Mark) -> None:
        values = {"percent": mark.percent, "recorded_by": mark.recorded_by, "recorded_at": mark.recorded_at}
        done = self.session.execute(update(marks).where(marks.c.assessment_id == mark.assessment_id,
                                                        marks.c.learner_id == mark.learner_id).values(**values))
        if done.rowcount == 0:  # type: ignore[attr-defined]
            self.session.execute(insert(marks).values(assessment_id=mark.assessment_id, learner_id=mark.learner_id,
                                                      **values))

    def sheet(self, class_id: str, subject_code: str, school_year: str, term: int) -> GradeSheet | None:
        found = self._sheets(grade_sheets.c.class_id == class_id, grade_sheets.c.subject_code == subject_code,
                             grade_sheets.c.school_year == school_year, grade_sheets.c.term == term)
        return self.track(found[0]) if found else None

    def get_sheet(self, sheet_id: str) -> GradeSheet | None:
        found = self._sheets(grade_sheets.c.id == sheet_id)
        return self.track(found[0]) if found else None

    def add_sheet(self, sheet: GradeSheet) -> None:
        self.session.execute(insert(grade_sheets).values(
            id=sheet.id, **where_values(sheet.where), subject_code=sheet.subject_code,
            school_year=sheet.school_year, term=sheet.term, **_sheet_state(sheet)))
        self.save_sheet(sheet)

    def save_sheet(self, sheet: GradeSheet) -> None:
        self.track(sheet)
        self.session.execute(update(grade_sheets).where(grade_sheets.c.id == sheet.id).values(**_sheet_state(sheet)))
        self.session.execute(delete(grade_entries).where(grade_entries.c.sheet_id == sheet.id))
        rows = [{"sheet_id": sheet.id, "learner_id": e.learner_id, "computed": e.computed, "override": e.override,
                 "override_reason": e.override_reason, "overridden_by": e.overridden_by}
                for e in sheet.entries.values()]
        if rows:
            self.session.execute(insert(grade_entries), rows)

    def sheets_of_school(self, school_id: str, status: SheetStatus) -> list[GradeSheet]:
        return self._sheets(grade_sheets.c.school_id == school_id, grade_sheets.c.status == status.value)

    def sheets_of_class(self, class_id: str, school_year: str) -> list[GradeSheet]:
        return self._sheets(grade_sheets.c.class_id == class_id, grade_sheets.c.school_year == school_year)

    def approved_of_learner(self, learner_id: str) -> list[tuple[GradeSheet, GradeEntry]]:
        ids = select(grade_entries.c.sheet_id).where(grade_entries.c.learner_id == learner_id)
        sheets = self._sheets(grade_sheets.c.id.in_(ids), grade_sheets.c.status == SheetStatus.APPROVED.value)
        return [(sheet, sheet.entries[learner_id]) for sheet in sheets]

    def _sheets(self, *conditions: Any) -> list[GradeSheet]:
        rows = self.session.execute(select(grade_sheets).where(*conditions).order_by(grade_sheets.c.id)).all()
        entries: dict[str, dict[str, GradeEntry]] = {row.id: {} for row in rows}
        if rows:
            for e in self.session.execute(select(grade_entries).where(grade_entries.c.sheet_id.in_(list(entries)))):
                entries[e.sheet_id][e.learner_id] = GradeEntry(e.learner_id, e.computed, e.override,
                                                               e.override_reason, e.overridden_by)
        return [GradeSheet(row.id, where_of(row), row.subject_code, row.school_year, row.term,
                           SheetStatus(row.status), entries[row.id], row.submitted_by, row.submitted_at,
                           row.decided_by, row.decided_at, row.return_reason) for row in rows]
