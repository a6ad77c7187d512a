"""stats' tables: analytic projections of other services' events, population reference, approvals, outbox.

Projection tables hold only what events carry (ids, dates, codes; never names or register numbers) and no
arrival times, so replaying the same events into empty tables yields the same rows (``checksum``).
"""

from __future__ import annotations

from esis_shared.outbox import BigIntId, outbox_tables
from sqlalchemy import JSON, Column, Date, DateTime, Float, Index, Integer, MetaData, String, Table

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s", "pk": "pk_%(table_name)s",
})

org_units = Table(
    "org_units", metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("code", String(40), nullable=False),  # education accepts 40 (migration 0003)
    Column("name", String(200), nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("closed_on", Date, nullable=True),
)
org_links = Table(
    "org_links", metadata,
    Column("unit_id", String(64), primary_key=True),
    Column("valid_from", Date, primary_key=True),
    Column("parent_id", String(64), nullable=False),
    Column("valid_to", Date, nullable=True),
)
learners = Table(
    "learners", metadata,
    Column("id", String(64), primary_key=True),
    Column("sex", String(8), nullable=False),
    Column("birth_year", Integer, nullable=False),
)
classes = Table(
    "classes", metadata,
    Column("id", String(64), primary_key=True),
    Column("school_id", String(64), nullable=False),
    Column("year_id", String(16), nullable=False),
    Column("level", String(16), nullable=False),
    Column("capacity", Integer, nullable=False),
    Index("ix_classes_school", "school_id", "year_id"),
)
spells = Table(
    "spells", metadata,
    Column("learner_id", String(64), primary_key=True),
    Column("start", Date, primary_key=True),
    Column("class_id", String(64), primary_key=True),
    Column("org_id", String(64), nullable=False),
    Column("grade", String(16), nullable=False),
    Column("end", Date, nullable=True),
    Index("ix_spells_org", "org_id"),
)
withdrawals = Table(
    "withdrawals", metadata,
    Column("learner_id", String(64), primary_key=True),
    Column("on", Date, primary_key=True),
    Column("org_id", String(64), nullable=False),
    Column("reason", String(32), nullable=False),
    Index("ix_withdrawals_org", "org_id", "on"),
)
transfers = Table(
    "transfers", metadata,
    Column("id", String(64), primary_key=True),
    Column("learner_id", String(64), nullable=False),
    Column("from_org_id", String(64), nullable=False),
    Column("to_org_id", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("on", Date, nullable=True),
)
attendance = Table(
    "attendance", metadata,
    Column("learner_id", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("lesson", Integer, primary_key=True),
    Column("class_id", String(64), nullable=False),
    Column("org_id", String(64), nullable=False),
    Column("category", String(32), nullable=False),
    Index("ix_attendance_org_day", "org_id", "day"),
)
grades = Table(
    "grades", metadata,
    Column("learner_id", String(64), primary_key=True),
    Column("subject_code", String(40), primary_key=True),
    Column("school_year", String(16), primary_key=True),
    Column("term", Integer, primary_key=True),  # 0: the annual grade
    Column("org_id", String(64), nullable=False),
    Column("class_id", String(64), nullable=False),
    Column("grade", String(32), nullable=False),
    Column("percent", Float, nullable=False),
    Index("ix_grades_org_year", "org_id", "school_year", "term"),
)
appointments = Table(
    "appointments", metadata,
    Column("id", String(64), primary_key=True),
    Column("staff_id", String(64), nullable=False),
    Column("org_id", String(64), nullable=False),
    Column("position_kind", String(32), nullable=False),
    Column("fte_percent", Integer, nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=True),
    Column("sex", String(8), nullable=False),
    Index("ix_appointments_staff", "staff_id"),
)
qualifications = Table(
    "qualifications", metadata,
    Column("staff_id", String(64), primary_key=True),
    Column("rank_code", String(32), nullable=False),
    Column("licence_valid_until", Date, nullable=True),
)
teaching = Table(
    "teaching", metadata,
    Column("id", String(64), primary_key=True),
    Column("staff_id", String(64), nullable=False),
    Column("class_id", String(64), nullable=False),
    Column("org_id", String(64), nullable=False),
    Column("subject_code", String(40), nullable=False),
    Column("weekly_hours", Integer, nullable=False),
    Column("start", Date, nullable=False),
    Column("last_day", Date, nullable=True),
    Index("ix_teaching_org", "org_id"),
)
# The next offset read per topic partition: the lineage of every figure names it.
offsets = Table(
    "offsets", metadata,
    Column("topic", String(200), primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("next_offset", BigIntId, nullable=False),
)
PROJECTIONS = (org_units, org_links, learners, classes, spells, withdrawals, transfers, attendance, grades,
               appointments, qualifications, teaching, offsets)

population = Table(
    "population", metadata,
    Column("area_code", String(16), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("age", Integer, primary_key=True),
    Column("sex", String(8), primary_key=True),
    Column("people", Integer, nullable=False),
)
report_revisions = Table(
    "report_revisions", metadata,
    Column("census_id", String(16), primary_key=True),
    Column("org_id", String(64), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("figures", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("reason", String(2000), nullable=False),
    Column("changes", JSON, nullable=False),
    Column("approved_by", String(64), nullable=True),
    Column("approved_at", DateTime(timezone=True), nullable=True),
)

outbox, processed_events = outbox_tables(metadata)
