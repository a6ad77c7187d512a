"""initial: staff and qualifications, positions, appointments, leaves, vacancies, teaching assignments,
copies of education's orgs and classes, the personal-data read audit, outbox and processed events

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


def upgrade() -> None:
    op.create_table(
        "class_teaching",
        sa.Column("class_id", sa.String(length=36), nullable=False),
        sa.Column("school_year", sa.String(length=9), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("class_id", "school_year", name=op.f("pk_class_teaching")),
    )
    op.create_table(
        "classes",
        sa.Column("class_id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("school_year", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("class_id", name=op.f("pk_classes")),
    )
    op.create_index("ix_classes_org_year", "classes", ["org_id", "school_year"], unique=False)
    op.create_table(
        "orgs",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("aimag_code", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.PrimaryKeyConstraint("org_id", name=op.f("pk_orgs")),
    )
    op.create_index("ix_orgs_aimag", "orgs", ["aimag_code"], unique=False)
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
    op.create_index("ix_outbox_unsent", "outbox", ["sent_at", "seq"], unique=False)
    op.create_table(
        "positions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("fte_centi", sa.Integer(), nullable=False),
        sa.Column("subject_code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_positions")),
    )
    op.create_index("ix_positions_org", "positions", ["org_id"], unique=False)
    op.create_table(
        "processed_events",
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id", name=op.f("pk_processed_events")),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("register_number", sa.String(length=10), nullable=False),
        sa.Column("patronymic", sa.String(length=100), nullable=False),
        sa.Column("given_name", sa.String(length=100), nullable=False),
        sa.Column("clan_name", sa.String(length=100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(length=6), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("rank_code", sa.String(length=40), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("account_id", name=op.f("uq_staff_account_id")),
        sa.UniqueConstraint("register_number", name=op.f("uq_staff_register_number")),
    )
    op.create_table(
        "appointments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("staff_id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("position_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("fte_centi", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=20), nullable=True),
        sa.Column("exit_reason", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(["position_id"], ["positions.id"], name=op.f("fk_appointments_position_id_positions")),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_appointments_staff_id_staff"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
    )
    op.create_index("ix_appointments_org_dates", "appointments", ["org_id", "start_date", "end_date"], unique=False)
    op.create_index("ix_appointments_position", "appointments", ["position_id"], unique=False)
    op.create_index("ix_appointments_staff", "appointments", ["staff_id"], unique=False)
    op.create_table(
        "class_subjects",
        sa.Column("class_id", sa.String(length=36), nullable=False),
        sa.Column("subject_code", sa.String(length=40), nullable=False),
        sa.Column("weekly_hours", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["class_id"], ["classes.class_id"], name=op.f("fk_class_subjects_class_id_classes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("class_id", "subject_code", name=op.f("pk_class_subjects")),
    )
    op.create_table(
        "leaves",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("staff_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("expected_last_day", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_leaves_staff_id_staff"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leaves")),
    )
    op.create_index("ix_leaves_staff", "leaves", ["staff_id"], unique=False)
    op.create_table(
        "personal_data_reads",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("staff_id", sa.String(length=36), nullable=False),
        sa.Column("reader_account_id", sa.String(length=100), nullable=False),
        sa.Column("reader_role", sa.String(length=32), nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_personal_data_reads_staff_id_staff"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_data_reads")),
    )
    op.create_index("ix_personal_data_reads_staff_at", "personal_data_reads", ["staff_id", "read_at"], unique=False)
    op.create_table(
        "staff_education",
        sa.Column("staff_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("degree", sa.String(length=60), nullable=False),
        sa.Column("institution", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("speciality", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_staff_education_staff_id_staff"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("staff_id", "seq", name=op.f("pk_staff_education")),
    )
    op.create_table(
        "staff_licences",
        sa.Column("staff_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_staff_licences_staff_id_staff"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("staff_id", "seq", name=op.f("pk_staff_licences")),
    )
    op.create_table(
        "staff_subjects",
        sa.Column("staff_id", sa.String(length=36), nullable=False),
        sa.Column("subject_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_staff_subjects_staff_id_staff"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("staff_id", "subject_code", name=op.f("pk_staff_subjects")),
    )
    op.create_table(
        "teaching_assignments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("class_id", sa.String(length=36), nullable=False),
        sa.Column("school_year", sa.String(length=9), nullable=False),
        sa.Column("staff_id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("subject_code", sa.String(length=40), nullable=False),
        sa.Column("weekly_hours", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=20), nullable=True),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_teaching_assignments_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teaching_assignments")),
    )
    op.create_index("ix_teaching_assignments_class", "teaching_assignments", ["class_id", "school_year"], unique=False)
    op.create_index("ix_teaching_assignments_org", "teaching_assignments", ["org_id", "start_date"], unique=False)
    op.create_index("ix_teaching_assignments_staff", "teaching_assignments", ["staff_id", "start_date"], unique=False)
    op.create_table(
        "vacancies",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("position_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("subject_code", sa.String(length=40), nullable=False),
        sa.Column("fte_centi", sa.Integer(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("filled_by", sa.String(length=36), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["position_id"], ["positions.id"], name=op.f("fk_vacancies_position_id_positions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vacancies")),
    )
    op.create_index("ix_vacancies_org_status", "vacancies", ["org_id", "status"], unique=False)
    op.create_index("ix_vacancies_position_status", "vacancies", ["position_id", "status"], unique=False)


TABLES = (
    "vacancies",
    "teaching_assignments",
    "staff_subjects",
    "staff_licences",
    "staff_education",
    "personal_data_reads",
    "leaves",
    "class_subjects",
    "appointments",
    "staff",
    "processed_events",
    "positions",
    "outbox",
    "orgs",
    "classes",
    "class_teaching",
)


def downgrade() -> None:
    for table in TABLES:  # dependants first; dropping a table drops its indexes
        op.drop_table(table)
