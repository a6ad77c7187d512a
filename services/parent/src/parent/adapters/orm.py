"""parent's tables (SQLAlchemy Core): guardians and links, read models, messages, preferences, receipts, and the
two outboxes (Kafka events via esis_shared.outbox, notification requests for AMQP)."""

from __future__ import annotations

from esis_shared.outbox import BigIntId, outbox_tables
from sqlalchemy import JSON, Column, Date, DateTime, Index, Integer, MetaData, Numeric, String, Table, Text

metadata = MetaData()
outbox, processed_events = outbox_tables(metadata)


def _utc(name: str, nullable: bool = False) -> Column:
    return Column(name, DateTime(timezone=True), nullable=nullable)


def _id(name: str, primary_key: bool = False, **kw: object) -> Column:
    return Column(name, String(64), primary_key=primary_key, nullable=False, **kw)


guardians = Table("guardians", metadata, _id("account_id", True), Column("display_name", String(120), nullable=False),
                  Column("phone", String(20), nullable=False), Column("email", String(200), nullable=False),
                  Column("lang", String(2), nullable=False), Column("push_token", String(300), nullable=False))
child_links = Table("child_links", metadata, _id("account_id", True), _id("learner_id", True, index=True),
                    _id("guardian_id"), Column("relationship", String(20), nullable=False), _utc("linked_at"))
claim_history = Table("claim_history", metadata, _id("account_id", True), Column("failures", JSON, nullable=False),
                      _utc("locked_until", True))
children = Table("children", metadata, _id("learner_id", True), Column("given_name", String(100), nullable=False),
                 Column("family_name", String(100), nullable=False), Column("birth_date", Date, nullable=True),
                 Column("sex", String(8), nullable=False), Column("school_id", String(64), nullable=False),
                 Column("class_id", String(64), nullable=False, index=True),
                 Column("level", String(16), nullable=False), Column("status", String(16), nullable=False))
attendance = Table("attendance", metadata, _id("learner_id", True), Column("day", Date, primary_key=True),
                   Column("lesson", Integer, primary_key=True), Column("code", String(32), nullable=False),
                   Column("category", String(32), nullable=False), Column("subject_code", String(40), nullable=False))
marks = Table("marks", metadata, _id("assessment_id", True), _id("learner_id", True, index=True),
              Column("subject_code", String(40), nullable=False), Column("school_year", String(9), nullable=False),
              Column("term", Integer, nullable=False), Column("name", String(200), nullable=False),
              Column("held_on", Date, nullable=False), Column("percent", Numeric(5, 2), nullable=False),
              Column("weight", Numeric(6, 3), nullable=False))
grades = Table("grades", metadata, _id("learner_id", True), Column("subject_code", String(40), primary_key=True),
               Column("school_year", String(9), primary_key=True), Column("term", Integer, primary_key=True),
               Column("percent", Numeric(5, 2), nullable=False), Column("scale", String(16), nullable=False),
               Column("band", String(16), nullable=False))
homework = Table("homework", metadata, _id("homework_id", True), _id("class_id", index=True),
                 Column("subject_code", String(40), nullable=False), Column("assigned_on", Date, nullable=False),
                 Column("due_on", Date, nullable=False), Column("text", Text, nullable=False))
growth = Table("growth", metadata, _id("measurement_id", True), _id("learner_id", index=True),
               Column("measured_on", Date, nullable=False), Column("height_cm", Numeric(5, 1), nullable=False),
               Column("weight_kg", Numeric(5, 1), nullable=False))
development_notes = Table("development_notes", metadata, _id("observation_id", True), _id("learner_id", index=True),
                          Column("observed_on", Date, nullable=False), Column("domain", String(32), nullable=False),
                          Column("level", String(32), nullable=False), Column("note", Text, nullable=False))
classes = Table("classes", metadata, _id("class_id", True), Column("school_id", String(64), nullable=False),
                Column("year_id", String(9), nullable=False), Column("level", String(16), nullable=False),
                Column("letter", String(4), nullable=False), Column("shift", Integer, nullable=False),
                Column("room", String(40), nullable=False), Column("class_teacher_id", String(64), nullable=False))
schools = Table("schools", metadata, _id("school_id", True), Column("name", String(300), nullable=False),
                Column("code", String(40), nullable=False), Column("kind", String(16), nullable=False),
                Column("aimag_code", String(8), nullable=False))
timetable_lessons = Table("timetable_lessons", metadata, _id("class_id", True),
                          Column("weekday", Integer, primary_key=True), Column("period", Integer, primary_key=True),
                          Column("subject_code", String(40), nullable=False),  # education's limits (0002)
                          Column("room", String(40), nullable=False))
threads = Table("threads", metadata, _id("thread_id", True), _id("learner_id"), _id("guardian_account_id"),
                _id("teacher_account_id", index=True), Column("teacher_name", String(120), nullable=False),
                Column("subject", String(120), nullable=False), _utc("started_at"), _utc("last_message_at"),
                Index("ix_threads_guardian", "guardian_account_id", "learner_id"))
messages = Table("messages", metadata, _id("message_id", True), _id("thread_id", index=True),
                 Column("author_role", String(10), nullable=False), _id("author_account_id"),
                 Column("text", Text, nullable=False), _utc("posted_at"))
consultations = Table("consultations", metadata, _id("consultation_id", True), _id("learner_id"),
                      _id("guardian_account_id", index=True), _id("teacher_account_id", index=True),
                      Column("topic", String(500), nullable=False),
                      Column("preferred_times", String(200), nullable=False), _utc("requested_at"),
                      Column("state", String(10), nullable=False), _utc("scheduled_for", True),
                      Column("teacher_note", String(500), nullable=False))
preferences = Table("preferences", metadata, _id("account_id", True), Column("channels", JSON, nullable=False),
                    Column("quiet_start", String(5), nullable=True), Column("quiet_end", String(5), nullable=True),
                    Column("digest_at", String(5), nullable=False), Column("types", JSON, nullable=False))
receipts = Table("receipts", metadata, Column("key", String(300), primary_key=True), _id("account_id", index=True),
                 Column("event_type", String(16), nullable=False), Column("learner_id", String(64), nullable=False),
                 Column("channel", String(8), nullable=False), Column("status", String(12), nullable=False),
                 Column("attempts", Integer, nullable=False), _utc("updated_at"),
                 Column("detail", String(500), nullable=False))
notification_outbox = Table("notification_outbox", metadata, Column("seq", BigIntId, primary_key=True,
                                                                    autoincrement=True),
                            Column("key", String(300), nullable=False), Column("payload", JSON, nullable=False),
                            _utc("created_at"), _utc("sent_at", True), Index("ix_notification_outbox_unsent",
                                                                              "sent_at", "seq"))
