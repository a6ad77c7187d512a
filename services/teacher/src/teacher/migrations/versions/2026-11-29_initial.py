"""initial: roster read models, attendance, marks and grade sheets, homework and lesson log, kindergarten
records, teacher feedback, outbox and processed events

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("class_id", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("aimag", sa.String(length=10), nullable=True),
        sa.Column("subject_code", sa.String(length=64), nullable=False),
        sa.Column("school_year", sa.String(length=9), nullable=False),
        sa.Column("term", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessments_class_subject", ["class_id", "subject_code", "school_year", "term"], unique=False
        )

    op.create_table(
        "assignments",
        sa.Column("assignment_id", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=False),
        sa.Column("class_id", sa.String(length=64), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("subject_code", sa.String(length=64), nullable=False),
        sa.Column("school_year", sa.String(length=9), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("assignment_id", name=op.f("pk_assignments")),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index("ix_assignments_class", ["class_id"], unique=False)

    op.create_table(
        "attendance_modes",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("school_id", "level", name=op.f("pk_attendance_modes")),
    )
    op.create_table(
        "attendance_sheets",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("class_id", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("aimag", sa.String(length=10), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("lesson", sa.Integer(), nullable=False),
        sa.Column("subject_code", sa.String(length=64), nullable=False),
        sa.Column("form_id", sa.String(length=64), nullable=False),
        sa.Column("marked_by", sa.String(length=64), nullable=False),
        sa.Column("marked_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_sheets")),
        sa.UniqueConstraint("class_id", "day", "lesson", name="uq_attendance_sheets_class_day_lesson"),
    )
    with op.batch_alter_table("attendance_sheets", schema=None) as batch_op:
        batch_op.create_index("ix_attendance_sheets_day", ["day", "class_id"], unique=False)

    op.create_table(
        "classes",
        sa.Column("class_id", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("aimag", sa.String(length=10), nullable=True),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("school_year", sa.String(length=9), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("class_id", name=op.f("pk_classes")),
    )
    with op.batch_alter_table("classes", schema=None) as batch_op:
        batch_op.create_index("ix_classes_aimag", ["aimag"], unique=False)
        batch_op.create_index("ix_classes_school", ["school_id"], unique=False)

    op.create_table(
        "development_observations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("learner_id", sa.String(length=64), nullable=False),
        sa.Column("class_id", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("aimag", sa.String(length=10), nullable=True),
        sa.Column("observed_on", sa.Date(), nullable=False),
        sa.Column("domain", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("observed_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_development_observations")),
    )
    with op.batch_alter_table("development_observations", schema=None) as batch_op:
        batch_op.create_index("ix_development_observations_learner", ["learner_id"], unique=False)

    op.create_table(
        "enrolments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("learner_id", sa.String(length=64), nullable=False),
        sa.Column("class_id", sa.String(length=64), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolments")),
        sa.UniqueConstraint("learner_id", "class_id", "starts_on", name="uq_enrolments_learner_class_start"),
    )
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.create_index("ix_enrolments_class", ["class_id", "starts_on"], unique=False)

    op.create_table(
        "feedback",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("sender_id", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("aimag", sa.String(length=10), nullable=True),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachment_ref", sa.String(length=200), nullable=False),
        sa.Column("anonymous_to_school", sa.Boolean(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("forwarded_to_kind", sa.String(length=16), nullable=False),
        sa.Column("forwarded_to_id", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_at", _utc(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index("ix_feedback_forwarded", ["forwarded_to_kind", "forwarded_to_id"], unique=False)
        batch_op.create_index("ix_feedback_sender", ["sender_id"], unique=False)
        batch_op.create_index("ix_feedback_status", ["status", "created_at"], unique=False)

    op.create_table(
        "grade_sheets",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("class_id", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("aimag", sa.String(length=10), nullable=True),
        sa.Column("subject_code", sa.String(length=64), nullable=False),
        sa.Column("school_year", sa.String(length=9), nullable=False),
        sa.Column("term", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", _utc(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("decided_at", _utc(), nullable=True),
        sa.Column("return_reason", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grade_sheets")),
        sa.UniqueConstraint(
            "class_id", "subject_code", "school_year", "term", name="uq_grade_sheets_class_subject_term"
        ),
    )
    with op.batch_alter_table("grade_sheets", schema=None) as batch_op:
        batch_op.create_index("ix_grade_sheets_school_status", ["school_id", "status"], unique=False)

    op.create_table(
        "growth_measurements",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("learner_id", sa.String(length=64), nullable=False),
        sa.Column("class_id", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("aimag", sa.String(length=10), nullable=True),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("height_cm", sa.Integer(), nullable=False),
        sa.Column("weight_kg", sa.Integer(), nullable=False),
        sa.Column("measured_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_growth_measurements")),
        sa.UniqueConstraint("learner_id", "measured_on", name="uq_growth_measurements_learner_day"),
    )
    op.create_table(
        "homework",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("class_id", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("aimag", sa.String(length=10), nullable=True),
        sa.Column("subject_code", sa.String(length=64), nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_ids", sa.JSON(), nullable=False),
        sa.Column("assigned_by", sa.String(length=64), nullable=False),
        sa.Column("assigned_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_homework")),
    )
    with op.batch_alter_table("homework", schema=None) as batch_op:
        batch_op.create_index("ix_homework_class_due", ["class_id", "due_on"], unique=False)

    op.create_table(
        "lesson_topics",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("class_id", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("aimag", sa.String(length=10), nullable=True),
        sa.Column("subject_code", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("lesson", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("logged_by", sa.String(length=64), nullable=False),
        sa.Column("logged_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lesson_topics")),
        sa.UniqueConstraint("class_id", "day", "lesson", name="uq_lesson_topics_class_day_lesson"),
    )
    op.create_table(
        "outbox",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("event_type", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("aimag", sa.String(length=10), nullable=True),
        sa.Column("traceparent", sa.String(length=64), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_outbox_event_id")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_unsent", ["sent_at", "seq"], unique=False)

    op.create_table(
        "processed_events",
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id", name=op.f("pk_processed_events")),
    )
    op.create_table(
        "attendance_corrections",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("sheet_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.String(length=64), nullable=False),
        sa.Column("previous_code", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("corrected_by", sa.String(length=64), nullable=False),
        sa.Column("corrected_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sheet_id"],
            ["attendance_sheets.id"],
            name=op.f("fk_attendance_corrections_sheet_id_attendance_sheets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_corrections")),
        sa.UniqueConstraint("sheet_id", "seq", name="uq_attendance_corrections_sheet_seq"),
    )
    op.create_table(
        "attendance_marks",
        sa.Column("sheet_id", sa.String(length=36), nullable=False),
        sa.Column("learner_id", sa.String(length=64), nullable=False),
        sa.Column("original_code", sa.String(length=32), nullable=False),
        sa.Column("current_code", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["sheet_id"],
            ["attendance_sheets.id"],
            name=op.f("fk_attendance_marks_sheet_id_attendance_sheets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sheet_id", "learner_id", name=op.f("pk_attendance_marks")),
    )
    with op.batch_alter_table("attendance_marks", schema=None) as batch_op:
        batch_op.create_index("ix_attendance_marks_learner", ["learner_id"], unique=False)

    op.create_table(
        "feedback_history",
        sa.Column("feedback_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("by_kind", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["feedback_id"], ["feedback.id"], name=op.f("fk_feedback_history_feedback_id_feedback"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("feedback_id", "seq", name=op.f("pk_feedback_history")),
    )
    op.create_table(
        "grade_entries",
        sa.Column("sheet_id", sa.String(length=36), nullable=False),
        sa.Column("learner_id", sa.String(length=64), nullable=False),
        sa.Column("computed", sa.Integer(), nullable=True),
        sa.Column("override", sa.Integer(), nullable=True),
        sa.Column("override_reason", sa.String(length=500), nullable=False),
        sa.Column("overridden_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["sheet_id"], ["grade_sheets.id"], name=op.f("fk_grade_entries_sheet_id_grade_sheets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("sheet_id", "learner_id", name=op.f("pk_grade_entries")),
    )
    with op.batch_alter_table("grade_entries", schema=None) as batch_op:
        batch_op.create_index("ix_grade_entries_learner", ["learner_id"], unique=False)

    op.create_table(
        "marks",
        sa.Column("assessment_id", sa.String(length=36), nullable=False),
        sa.Column("learner_id", sa.String(length=64), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name=op.f("fk_marks_assessment_id_assessments"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("assessment_id", "learner_id", name=op.f("pk_marks")),
    )


def downgrade() -> None:
    op.drop_table("marks")
    with op.batch_alter_table("grade_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_grade_entries_learner")

    op.drop_table("grade_entries")
    op.drop_table("feedback_history")
    with op.batch_alter_table("attendance_marks", schema=None) as batch_op:
        batch_op.drop_index("ix_attendance_marks_learner")

    op.drop_table("attendance_marks")
    op.drop_table("attendance_corrections")
    op.drop_table("processed_events")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_unsent")

    op.drop_table("outbox")
    op.drop_table("lesson_topics")
    with op.batch_alter_table("homework", schema=None) as batch_op:
        batch_op.drop_index("ix_homework_class_due")

    op.drop_table("homework")
    op.drop_table("growth_measurements")
    with op.batch_alter_table("grade_sheets", schema=None) as batch_op:
        batch_op.drop_index("ix_grade_sheets_school_status")

    op.drop_table("grade_sheets")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_status")
        batch_op.drop_index("ix_feedback_sender")
        batch_op.drop_index("ix_feedback_forwarded")

    op.drop_table("feedback")
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.drop_index("ix_enrolments_class")

    op.drop_table("enrolments")
    with op.batch_alter_table("development_observations", schema=None) as batch_op:
        batch_op.drop_index("ix_development_observations_learner")

    op.drop_table("development_observations")
    with op.batch_alter_table("classes", schema=None) as batch_op:
        batch_op.drop_index("ix_classes_school")
        batch_op.drop_index("ix_classes_aimag")

    op.drop_table("classes")
    with op.batch_alter_table("attendance_sheets", schema=None) as batch_op:
        batch_op.drop_index("ix_attendance_sheets_day")

    op.drop_table("attendance_sheets")
    op.drop_table("attendance_modes")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index("ix_assignments_class")

    op.drop_table("assignments")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_class_subject")

    op.drop_table("assessments")
