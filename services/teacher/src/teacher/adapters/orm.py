"""The teacher portal's tables. Read models of other services' facts (classes, enrolments, assignments) live
beside the journal's own tables; nothing here is read by another service.

Percents and weights are stored as integer hundredths and body measures as integer tenths, so SQLite and
PostgreSQL hold exactly the same values (no binary floats, no driver-specific decimals).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from esis_shared.outbox import BigIntId, outbox_tables
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})
ID = 64  # ids of other services are opaque strings; ours are UUIDs


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out, also on SQLite (which stores no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Scaled(TypeDecorator[Decimal]):
    """A Decimal with a fixed number of decimals, stored as an integer (87.25 -> 8725 with 2 places)."""

    impl = Integer
    cache_ok = True

    def __init__(self, places: int) -> None:
        super().__init__()
        self.places = places

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> int | None:
        return None if value is None else int(value.scaleb(self.places).to_integral_value())

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value).scaleb(-self.places)


def _where() -> list[Column[Any]]:
    return [Column("class_id", String(ID), nullable=False), Column("school_id", String(ID), nullable=False),
            Column("aimag", String(10), nullable=True)]


# ---------------------------------------------------------------- read models (education, hr)

classes = Table(
    "classes", metadata,
    Column("class_id", String(ID), primary_key=True),
    Column("school_id", String(ID), nullable=False),
    Column("aimag", String(10), nullable=True),
    Column("level", String(16), nullable=False),
    Column("school_year", String(9), nullable=False),
    Column("label", String(40), nullable=False, default=""),
    Index("ix_classes_school", "school_id"),
    Index("ix_classes_aimag", "aimag"),
)

enrolments = Table(
    "enrolments", metadata,
    Column("id", BigIntId, primary_key=True, autoincrement=True),
    Column("learner_id", String(ID), nullable=False),
    Column("class_id", String(ID), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=True),
    UniqueConstraint("learner_id", "class_id", "starts_on", name="uq_enrolments_learner_class_start"),
    Index("ix_enrolments_class", "class_id", "starts_on"),
)

assignments = Table(
    "assignments", metadata,
    Column("assignment_id", String(ID), primary_key=True),
    Column("staff_id", String(ID), nullable=False),
    Column("class_id", String(ID), nullable=False),
    Column("org_id", String(ID), nullable=False),
    Column("subject_code", String(64), nullable=False),
    Column("school_year", String(9), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("last_day", Date, nullable=True),
    Index("ix_assignments_class", "class_id"),
)

# ---------------------------------------------------------------- attendance

attendance_modes = Table(
    "attendance_modes", metadata,
    Column("school_id", String(ID), primary_key=True),
    Column("level", String(16), primary_key=True),
    Column("mode", String(16), nullable=False),
)

attendance_sheets = Table(
    "attendance_sheets", metadata,
    Column("id", String(36), primary_key=True),
    *_where(),
    Column("day", Date, nullable=False),
    Column("lesson", Integer, nullable=False),
    Column("subject_code", String(64), nullable=False),
    Column("form_id", String(64), nullable=False),
    Column("marked_by", String(ID), nullable=False),
    Column("marked_at", UtcDateTime, nullable=False),
    UniqueConstraint("class_id", "day", "lesson", name="uq_attendance_sheets_class_day_lesson"),
    Index("ix_attendance_sheets_day", "day", "class_id"),
)

attendance_marks = Table(
    "attendance_marks", metadata,
    Column("sheet_id", String(36), ForeignKey("attendance_sheets.id", ondelete="CASCADE"), primary_key=True),
    Column("learner_id", String(ID), primary_key=True),
    Column("original_code", String(32), nullable=False),
    Column("current_code", String(32), nullable=False),
    Index("ix_attendance_marks_learner", "learner_id"),
)

attendance_corrections = Table(
    "attendance_corrections", metadata,
    Column("id", String(36), primary_key=True),
    Column("sheet_id", String(36), ForeignKey("attendance_sheets.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("learner_id", String(ID), nullable=False),
    Column("previous_code", String(32), nullable=False),
    Column("code", String(32), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("corrected_by", String(ID), nullable=False),
    Column("corrected_at", UtcDateTime, nullable=False),
    UniqueConstraint("sheet_id", "seq", name="uq_attendance_corrections_sheet_seq"),
)

# ---------------------------------------------------------------- marks and grades

assessments = Table(
    "assessments", metadata,
    Column("id", String(36), primary_key=True),
    *_where(),
    Column("subject_code", String(64), nullable=False),
    Column("school_year", String(9), nullable=False),
    Column("term", Integer, nullable=False),
    Column("name", String(120), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("weight", Scaled(2), nullable=False),
    Column("created_by", String(ID), nullable=False),
    Index("ix_assessments_class_subject", "class_id", "subject_code", "school_year", "term"),
)

marks = Table(
    "marks", metadata,
    Column("assessment_id", String(36), ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("learner_id", String(ID), primary_key=True),
    Column("percent", Scaled(2), nullable=False),
    Column("recorded_by", String(ID), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
)

grade_sheets = Table(
    "grade_sheets", metadata,
    Column("id", String(36), primary_key=True),
    *_where(),
    Column("subject_code", String(64), nullable=False),
    Column("school_year", String(9), nullable=False),
    Column("term", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("submitted_by", String(ID), nullable=False, default=""),
    Column("submitted_at", UtcDateTime, nullable=True),
    Column("decided_by", String(ID), nullable=False, default=""),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("return_reason", String(500), nullable=False, default=""),
    UniqueConstraint("class_id", "subject_code", "school_year", "term", name="uq_grade_sheets_class_subject_term"),
    Index("ix_grade_sheets_school_status", "school_id", "status"),
)

grade_entries = Table(
    "grade_entries", metadata,
    Column("sheet_id", String(36), ForeignKey("grade_sheets.id", ondelete="CASCADE"), primary_key=True),
    Column("learner_id", String(ID), primary_key=True),
    Column("computed", Scaled(2), nullable=True),
    Column("override", Scaled(2), nullable=True),
    Column("override_reason", String(500), nullable=False, default=""),
    Column("overridden_by", String(ID), nullable=False, default=""),
    Index("ix_grade_entries_learner", "learner_id"),
)

# ---------------------------------------------------------------- homework and lesson log

homework = Table(
    "homework", metadata,
    Column("id", String(36), primary_key=True),
    *_where(),
    Column("subject_code", String(64), nullable=False),
    Column("assigned_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("text", Text, nullable=False),
    Column("content_ids", JSON, nullable=False),
    Column("assigned_by", String(ID), nullable=False),
    Column("assigned_at", UtcDateTime, nullable=False),
    Index("ix_homework_class_due", "class_id", "due_on"),
)

lesson_topics = Table(
    "lesson_topics", metadata,
    Column("id", String(36), primary_key=True),
    *_where(),
    Column("subject_code", String(64), nullable=False),
    Column("day", Date, nullable=False),
    Column("lesson", Integer, nullable=False),
    Column("topic", String(300), nullable=False),
    Column("notes", Text, nullable=False, default=""),
    Column("logged_by", String(ID), nullable=False),
    Column("logged_at", UtcDateTime, nullable=False),
    UniqueConstraint("class_id", "day", "lesson", name="uq_lesson_topics_class_day_lesson"),
)

# ---------------------------------------------------------------- kindergarten

growth_measurements = Table(
    "growth_measurements", metadata,
    Column("id", String(36), primary_key=True),
    Column("learner_id", String(ID), nullable=False),
    *_where(),
    Column("measured_on", Date, nullable=False),
    Column("height_cm", Scaled(1), nullable=False),
    Column("weight_kg", Scaled(1), nullable=False),
    Column("measured_by", String(ID), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    UniqueConstraint("learner_id", "measured_on", name="uq_growth_measurements_learner_day"),
)

development_observations = Table(
    "development_observations", metadata,
    Column("id", String(36), primary_key=True),
    Column("learner_id", String(ID), nullable=False),
    *_where(),
    Column("observed_on", Date, nullable=False),
    Column("domain", String(32), nullable=False),
    Column("level", String(32), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("observed_by", String(ID), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Index("ix_development_observations_learner", "learner_id"),
)

# ---------------------------------------------------------------- feedback to the ministry

feedback = Table(
    "feedback", metadata,
    Column("id", String(36), primary_key=True),
    Column("sender_id", String(ID), nullable=False),
    Column("school_id", String(ID), nullable=False),
    Column("aimag", String(10), nullable=True),
    Column("category", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("attachment_ref", String(200), nullable=False, default=""),
    Column("anonymous_to_school", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("forwarded_to_kind", String(16), nullable=False, default=""),
    Column("forwarded_to_id", String(ID), nullable=False, default=""),
    Column("answer", Text, nullable=False, default=""),
    Column("answered_at", UtcDateTime, nullable=True),
    Index("ix_feedback_sender", "sender_id"),
    Index("ix_feedback_status", "status", "created_at"),
    Index("ix_feedback_forwarded", "forwarded_to_kind", "forwarded_to_id"),
)

feedback_history = Table(
    "feedback_history", metadata,
    Column("feedback_id", String(36), ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("by_kind", String(16), nullable=False),
    Column("note", Text, nullable=False, default=""),
)

outbox, processed_events = outbox_tables(metadata)
