"""hr's tables (SQLAlchemy Core). FTE is stored in hundredths (100 = full time) to stay exact everywhere."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from esis_shared.outbox import outbox_tables
from sqlalchemy import (
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
    TypeDecorator,
)

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})
ID = String(36)
CODE = String(40)


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


staff = Table(
    "staff", metadata,
    Column("id", ID, primary_key=True),
    Column("register_number", String(10), nullable=False, unique=True),
    Column("patronymic", String(100), nullable=False),
    Column("given_name", String(100), nullable=False),
    Column("clan_name", String(100), nullable=False, default=""),
    Column("birth_date", Date, nullable=False),
    Column("sex", String(6), nullable=False),
    Column("phone", String(20), nullable=False, default=""),
    Column("email", String(200), nullable=False, default=""),
    Column("address", String(300), nullable=False, default=""),
    Column("rank_code", CODE, nullable=False, default=""),
    Column("account_id", ID, nullable=True, unique=True),
    Column("version", Integer, nullable=False, default=0),
)

staff_education = Table(
    "staff_education", metadata,
    Column("staff_id", ID, ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("degree", String(60), nullable=False),
    Column("institution", String(200), nullable=False),
    Column("year", Integer, nullable=False),
    Column("speciality", String(200), nullable=False, default=""),
)

staff_licences = Table(
    "staff_licences", metadata,
    Column("staff_id", ID, ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("kind", String(60), nullable=False),
    Column("number", String(60), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("expires_on", Date, nullable=True),
)

staff_subjects = Table(
    "staff_subjects", metadata,
    Column("staff_id", ID, ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True),
    Column("subject_code", CODE, primary_key=True),
)

positions = Table(
    "positions", metadata,
    Column("id", ID, primary_key=True),
    Column("org_id", ID, nullable=False),
    Column("kind", String(30), nullable=False),
    Column("fte_centi", Integer, nullable=False),
    Column("subject_code", CODE, nullable=False, default=""),
    Column("title", String(200), nullable=False, default=""),
    Index("ix_positions_org", "org_id"),
)

appointments = Table(
    "appointments", metadata,
    Column("id", ID, primary_key=True),
    Column("staff_id", ID, ForeignKey("staff.id", ondelete="CASCADE"), nullable=False),
    Column("org_id", ID, nullable=False),
    Column("position_id", ID, ForeignKey("positions.id"), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("fte_centi", Integer, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=True),  # exclusive: the first day no longer in the position
    Column("end_reason", String(20), nullable=True),
    Column("exit_reason", String(20), nullable=True),
    Index("ix_appointments_org_dates", "org_id", "start_date", "end_date"),
    Index("ix_appointments_staff", "staff_id"),
    Index("ix_appointments_position", "position_id"),
)

leaves = Table(
    "leaves", metadata,
    Column("id", ID, primary_key=True),
    Column("staff_id", ID, ForeignKey("staff.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=True),  # exclusive
    Column("expected_last_day", Date, nullable=True),
    Index("ix_leaves_staff", "staff_id"),
)

vacancies = Table(
    "vacancies", metadata,
    Column("id", ID, primary_key=True),
    Column("org_id", ID, nullable=False),
    Column("position_id", ID, ForeignKey("positions.id"), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("subject_code", CODE, nullable=False, default=""),
    Column("fte_centi", Integer, nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("status", String(10), nullable=False),
    Column("filled_by", ID, nullable=True),
    Column("closed_on", Date, nullable=True),
    Index("ix_vacancies_org_status", "org_id", "status"),
    Index("ix_vacancies_position_status", "position_id", "status"),
)

class_teaching = Table(
    "class_teaching", metadata,
    Column("class_id", ID, primary_key=True),
    Column("school_year", String(9), primary_key=True),
    Column("org_id", ID, nullable=False),
    Column("version", Integer, nullable=False),
)

teaching_assignments = Table(
    "teaching_assignments", metadata,
    Column("id", ID, primary_key=True),
    Column("class_id", ID, nullable=False),
    Column("school_year", String(9), nullable=False),
    Column("staff_id", ID, ForeignKey("staff.id"), nullable=False),
    Column("org_id", ID, nullable=False),
    Column("subject_code", CODE, nullable=False),
    Column("weekly_hours", Integer, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=True),  # exclusive
    Column("end_reason", String(20), nullable=True),
    Column("cancelled", Boolean, nullable=False, default=False),
    Index("ix_teaching_assignments_class", "class_id", "school_year"),
    Index("ix_teaching_assignments_staff", "staff_id", "start_date"),
    Index("ix_teaching_assignments_org", "org_id", "start_date"),
)

# Copies of the education service's organisations and classes (its events keep them up to date).
# An org's aimag is its own ``aimag_code`` when set, else its parent's (resolved when read: education's events for
# different units may arrive in any order).
orgs = Table(
    "orgs", metadata,
    Column("org_id", ID, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("aimag_code", String(10), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("code", CODE, nullable=False, server_default=""),  # education accepts 40 (migration 0003)
    Column("parent_id", ID, nullable=True),
    Column("closed_on", Date, nullable=True),
    Index("ix_orgs_aimag", "aimag_code"),
    Index("ix_orgs_parent", "parent_id"),
)

classes = Table(
    "classes", metadata,
    Column("class_id", ID, primary_key=True),
    Column("org_id", ID, nullable=False),
    Column("school_year", String(9), nullable=False),
    Column("name", String(50), nullable=False),
    Column("grade", Integer, nullable=False),
    Column("level", String(10), nullable=False, server_default=""),
    Index("ix_classes_org_year", "org_id", "school_year"),
)

# education's curriculum: subject ids and codes, weekly hours per school year and level ("1" … "12", "beltgel" …).
subjects = Table(
    "subjects", metadata,
    Column("subject_id", ID, primary_key=True),
    Column("code", CODE, nullable=False),
)

curriculum_hours = Table(
    "curriculum_hours", metadata,
    Column("subject_id", ID, primary_key=True),
    Column("school_year", String(9), primary_key=True),
    Column("level", String(10), primary_key=True),
    Column("hours", Integer, nullable=False),
    Index("ix_curriculum_hours_year_level", "school_year", "level"),
)

class_subjects = Table(
    "class_subjects", metadata,
    Column("class_id", ID, ForeignKey("classes.class_id", ondelete="CASCADE"), primary_key=True),
    Column("subject_code", CODE, primary_key=True),
    Column("weekly_hours", Integer, nullable=False),
)

# Who read a staff member's personal data, when and why (Law on Protection of Personal Information).
personal_data_reads = Table(
    "personal_data_reads", metadata,
    Column("id", ID, primary_key=True),
    Column("staff_id", ID, ForeignKey("staff.id", ondelete="CASCADE"), nullable=False),
    Column("reader_account_id", String(100), nullable=False),
    Column("reader_role", String(32), nullable=False),
    Column("purpose", String(200), nullable=False),
    Column("read_at", UtcDateTime, nullable=False),
    Index("ix_personal_data_reads_staff_at", "staff_id", "read_at"),
)

outbox, processed_events = outbox_tables(metadata)
