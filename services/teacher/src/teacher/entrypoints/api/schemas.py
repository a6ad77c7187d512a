"""Request and response bodies of the JSON API (``XIn`` for input, ``XRead`` for output)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from teacher.domain.attendance import AttendanceSheet
from teacher.domain.gradebook import GradeSheet
from teacher.domain.grading import Assessment
from teacher.domain.journal import Homework, LessonTopic
from teacher.domain.reference import GradeScale
from teacher.domain.rosters import ClassInfo

Id = Field(min_length=1, max_length=64)
MAX_CLASS = 80  # a row per learner; the largest UB classes have about 40


class ClassRead(BaseModel):
    class_id: str
    label: str
    school_id: str
    aimag: str | None
    level: str
    school_year: str

    @classmethod
    def of(cls, info: ClassInfo) -> ClassRead:
        return cls(class_id=info.class_id, label=info.name, school_id=info.school_id, aimag=info.aimag,
                   level=info.level, school_year=info.school_year)


# ---------------------------------------------------------------- attendance

class MarkIn(BaseModel):
    learner_id: str = Id
    code: str = Field(min_length=1, max_length=32)


class AttendanceIn(BaseModel):
    form_id: str = Field(min_length=1, max_length=64, description="a new id per form; re-sending it is a no-op")
    day: date
    lesson: int = Field(0, ge=0, le=10, description="0 for daily attendance")
    subject_code: str = Field("", max_length=64)
    marks: list[MarkIn] = Field(max_length=MAX_CLASS)


class CorrectionIn(BaseModel):
    changes: list[MarkIn] = Field(min_length=1, max_length=MAX_CLASS)
    reason: str = Field("", max_length=500)


class CorrectionRead(BaseModel):
    learner_id: str
    previous_code: str
    code: str
    reason: str
    corrected_by: str
    corrected_at: datetime


class SheetMarkRead(BaseModel):
    learner_id: str
    code: str
    original_code: str


class SheetRead(BaseModel):
    id: str
    class_id: str
    school_id: str
    day: date
    lesson: int
    subject_code: str
    marked_by: str
    marked_at: datetime
    marks: list[SheetMarkRead]
    corrections: list[CorrectionRead]

    @classmethod
    def of(cls, sheet: AttendanceSheet) -> SheetRead:
        current = sheet.current
        return cls(id=sheet.id, class_id=sheet.class_id, school_id=sheet.where.school_id, day=sheet.day,
                   lesson=sheet.lesson, subject_code=sheet.subject_code, marked_by=sheet.marked_by,
                   marked_at=sheet.marked_at,
                   marks=[SheetMarkRead(learner_id=learner, code=current[learner], original_code=code)
                          for learner, code in sorted(sheet.original.items())],
                   corrections=[CorrectionRead(learner_id=c.learner_id, previous_code=c.previous_code, code=c.code,
                                               reason=c.reason, corrected_by=c.corrected_by,
                                               corrected_at=c.corrected_at) for c in sheet.corrections])


class ModeIn(BaseModel):
    mode: Literal["daily", "per_lesson"] | None = Field(description="null: back to the school year's default")


# ---------------------------------------------------------------- marks and grades

class AssessmentIn(BaseModel):
    subject_code: str = Id
    term: int = Field(ge=1, le=4)
    name: str = Field(min_length=1, max_length=120)
    held_on: date
    weight: Decimal = Field(Decimal(1), gt=0, le=100)


class AssessmentRead(BaseModel):
    id: str
    class_id: str
    subject_code: str
    school_year: str
    term: int
    name: str
    held_on: date
    weight: Decimal

    @classmethod
    def of(cls, a: Assessment) -> AssessmentRead:
        return cls(id=a.id, class_id=a.class_id, subject_code=a.subject_code, school_year=a.school_year, term=a.term,
                   name=a.name, held_on=a.held_on, weight=a.weight)


class CellIn(BaseModel):
    assessment_id: str = Id
    learner_id: str = Id
    percent: str = Field(min_length=1, max_length=8, description="0–100, at most two decimals")


class MarksIn(BaseModel):
    subject_code: str = Id
    marks: list[CellIn] = Field(max_length=MAX_CLASS * 20)


class MarksSaved(BaseModel):
    changed: int


class OverrideIn(BaseModel):
    percent: str | None = Field(None, max_length=8, description="null removes the override")
    reason: str = Field("", max_length=500)


class ReturnIn(BaseModel):
    reason: str = Field(max_length=500)


class GradeEntryRead(BaseModel):
    learner_id: str
    computed: Decimal | None
    override: Decimal | None
    override_reason: str
    percent: Decimal | None
    grade: str | None
    grade_label_mn: str | None
    grade_label_en: str | None


class GradeSheetRead(BaseModel):
    id: str
    class_id: str
    school_id: str
    subject_code: str
    school_year: str
    term: int = Field(description="0: the annual grades")
    status: str
    scale: str
    submitted_by: str
    submitted_at: datetime | None
    decided_by: str
    decided_at: datetime | None
    return_reason: str
    entries: list[GradeEntryRead]

    @classmethod
    def of(cls, sheet: GradeSheet, scale: GradeScale) -> GradeSheetRead:
        entries = []
        for learner, e in sorted(sheet.entries.items()):
            band = scale.band_for(e.effective) if e.effective is not None else None
            entries.append(GradeEntryRead(learner_id=learner, computed=e.computed, override=e.override,
                                          override_reason=e.override_reason, percent=e.effective,
                                          grade=band.code if band else None,
                                          grade_label_mn=band.label_mn if band else None,
                                          grade_label_en=band.label_en if band else None))
        return cls(id=sheet.id, class_id=sheet.where.class_id, school_id=sheet.where.school_id,
                   subject_code=sheet.subject_code, school_year=sheet.school_year, term=sheet.term,
                   status=sheet.status.value, scale=scale.code, submitted_by=sheet.submitted_by,
                   submitted_at=sheet.submitted_at, decided_by=sheet.decided_by, decided_at=sheet.decided_at,
                   return_reason=sheet.return_reason, entries=entries)


# ---------------------------------------------------------------- homework, lesson log

class HomeworkIn(BaseModel):
    subject_code: str = Id
    due_on: date
    text: str = Field(min_length=1, max_length=4000)
    content_ids: list[str] = Field(default_factory=list, max_length=20)
    assigned_on: date | None = None


class HomeworkRead(BaseModel):
    id: str
    class_id: str
    subject_code: str
    assigned_on: date
    due_on: date
    text: str
    content_ids: list[str]
    assigned_by: str

    @classmethod
    def of(cls, h: Homework) -> HomeworkRead:
        return cls(id=h.id, class_id=h.where.class_id, subject_code=h.subject_code, assigned_on=h.assigned_on,
                   due_on=h.due_on, text=h.text, content_ids=list(h.content_ids), assigned_by=h.assigned_by)


class TopicIn(BaseModel):
    subject_code: str = Id
    topic: str = Field(min_length=1, max_length=300)
    notes: str = Field("", max_length=2000)


class TopicRead(BaseModel):
    id: str
    class_id: str
    subject_code: str
    day: date
    lesson: int
    topic: str
    notes: str
    logged_by: str

    @classmethod
    def of(cls, t: LessonTopic) -> TopicRead:
        return cls(id=t.id, class_id=t.where.class_id, subject_code=t.subject_code, day=t.day, lesson=t.lesson,
                   topic=t.topic, notes=t.notes, logged_by=t.logged_by)
