"""education's tables. One row per aggregate with its queryable fields as columns; value-object collections in
JSON columns; enrolments and parent links in their own tables because rosters, census and the hierarchy are
queried through them. ``version`` columns back the optimistic concurrency check."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from esis_shared.outbox import outbox_tables
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


def _id(name: str = "id", *args: Any, **kwargs: Any) -> Column[Any]:
    return Column(name, String(36), *args, **kwargs)


def _version() -> Column[Any]:
    return Column("version", Integer, nullable=False, default=1)


org_units = Table(
    "org_units", metadata,
    _id(primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("code", String(40), nullable=False, unique=True),
    Column("name_mn", String(200), nullable=False),
    Column("name_en", String(200), nullable=False, default=""),
    Column("opened_on", Date, nullable=False),
    Column("closed_on", Date, nullable=True),
    _id("merged_into_id", nullable=True),
    Column("ownership", String(10), nullable=True),
    Column("address", Text, nullable=False, default=""),
    Column("catchment", JSON, nullable=False, default=list),
    _version(),
)

org_links = Table(
    "org_links", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    _id("unit_id", ForeignKey("org_units.id", ondelete="CASCADE"), nullable=False),
    _id("parent_id", ForeignKey("org_units.id"), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date, nullable=True),
    Index("ix_org_links_unit", "unit_id"),
    Index("ix_org_links_parent", "parent_id", "valid_from"),
)

school_years = Table(
    "school_years", metadata,
    Column("id", String(9), primary_key=True),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("terms", JSON, nullable=False),
    Column("holidays", JSON, nullable=False),
    _version(),
)

subjects = Table(
    "subjects", metadata,
    _id(primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name_mn", String(200), nullable=False),
    Column("name_en", String(200), nullable=False, default=""),
    Column("kind", String(20), nullable=False),
    Column("hours", JSON, nullable=False),
    _version(),
)

classes = Table(
    "classes", metadata,
    _id(primary_key=True),
    _id("school_id", ForeignKey("org_units.id"), nullable=False),
    Column("year_id", String(9), ForeignKey("school_years.id"), nullable=False),
    Column("level_code", String(10), nullable=False),
    Column("letter", String(2), nullable=False),
    Column("shift", Integer, nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("room", String(40), nullable=False, default=""),
    _id("class_teacher_id", nullable=True),
    _version(),
    UniqueConstraint("school_id", "year_id", "level_code", "letter", name="uq_classes_school_year_level_letter"),
)

timetables = Table(
    "timetables", metadata,
    _id("id", ForeignKey("classes.id"), primary_key=True),
    _id("school_id", nullable=False),
    Column("year_id", String(9), nullable=False, index=True),
    Column("shift", Integer, nullable=False),
    Column("class_name", String(40), nullable=False),
    Column("lessons", JSON, nullable=False),
    Column("published", Boolean, nullable=False, default=False),
    Column("published_week", JSON, nullable=False, default=list),  # the week as last published (migration 0003)
    _version(),
)

learners = Table(
    "learners", metadata,
    _id(primary_key=True),
    Column("register_number", String(10), nullable=False, unique=True),
    Column("family_name", String(80), nullable=False),
    Column("given_name", String(80), nullable=False),
    Column("birth_date", Date, nullable=False),
    Column("sex", String(6), nullable=False),
    _id("school_id", nullable=False),
    Column("address", Text, nullable=False, default=""),
    Column("area_code", String(20), nullable=False, default=""),
    Column("special_needs", Boolean, nullable=False, default=False),
    Column("guardian_links", JSON, nullable=False),
    Column("withdrawals", JSON, nullable=False),
    _version(),
    Index("ix_learners_names", "family_name", "given_name", "birth_date"),
)

enrolments = Table(
    "enrolments", metadata,
    _id(primary_key=True),
    _id("learner_id", ForeignKey("learners.id", ondelete="CASCADE"), nullable=False, index=True),
    _id("school_id", nullable=False),
    _id("class_id", ForeignKey("classes.id"), nullable=False),
    Column("level_code", String(10), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=True),
    Column("end_reason", String(20), nullable=True),
    Column("via", String(20), nullable=False),
    Index("ix_enrolments_class", "class_id", "starts_on"),
    Index("ix_enrolments_school", "school_id", "starts_on"),
)

guardians = Table(
    "guardians", metadata,
    _id(primary_key=True),
    Column("family_name", String(80), nullable=False),
    Column("given_name", String(80), nullable=False),
    Column("phone", String(20), nullable=False),
    _id("school_id", nullable=False),
    Column("email", String(200), nullable=False, default=""),
    Column("register_number", String(10), nullable=True),
    _version(),
)

applications = Table(
    "applications", metadata,
    _id(primary_key=True),
    _id("school_id", nullable=False, index=True),
    _id("learner_id", ForeignKey("learners.id"), nullable=False),
    Column("year_id", String(9), nullable=False),
    Column("entry_year", Integer, nullable=False),
    Column("level_code", String(10), nullable=False),
    Column("submitted_on", Date, nullable=False),
    Column("state", String(20), nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("missing_documents", JSON, nullable=False),
    Column("overrides", JSON, nullable=False),
    _id("decided_by", nullable=True),
    Column("decided_on", Date, nullable=True),
    _version(),
)

transfers = Table(
    "transfers", metadata,
    _id(primary_key=True),
    _id("learner_id", ForeignKey("learners.id"), nullable=False, index=True),
    _id("from_school_id", nullable=False, index=True),
    _id("to_school_id", nullable=False, index=True),
    Column("initiated_by", String(10), nullable=False),
    Column("state", String(20), nullable=False),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("last_change_at", UtcDateTime, nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("decided_by", String(100), nullable=True),
    _id("to_class_id", nullable=True),
    Column("effective_on", Date, nullable=True),
    _id("escalated_to_id", nullable=True),
    Column("escalated_at", UtcDateTime, nullable=True),
    _version(),
)

access_log = Table(
    "access_log", metadata,
    _id(primary_key=True),
    _id("learner_id", nullable=False),
    Column("actor_id", String(100), nullable=False),
    Column("actor_role", String(32), nullable=False),
    Column("what", String(40), nullable=False),
    Column("purpose", String(200), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Index("ix_access_log_learner", "learner_id", "at"),
)

import_jobs = Table(
    "import_jobs", metadata,
    _id(primary_key=True),
    _id("school_id", nullable=False),
    Column("year_id", String(9), nullable=False),
    Column("filename", String(200), nullable=False),
    Column("dry_run", Boolean, nullable=False),
    Column("enrol_on", Date, nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("total_rows", Integer, nullable=False),
    Column("state", String(10), nullable=False),
    Column("processed_rows", Integer, nullable=False),
    Column("headers", JSON, nullable=False),
    Column("rows", JSON, nullable=False),
    Column("errors", JSON, nullable=False),
    Column("summary", JSON, nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
    _id("confirmed_by_job_id", nullable=True),
    _version(),
    Index("ix_import_jobs_school", "school_id", "created_at"),
)

outbox, processed_events = outbox_tables(metadata)
