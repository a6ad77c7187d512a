"""The consuming side of scenario 3: a statistics-like projection (learners per school and level) fed by
LearnerEnrolled events, in the same database schema shape every service has (outbox + processed_events)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from itertools import cycle, islice
from pathlib import Path

from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2
from esis_shared.kafka import Envelope
from esis_shared.outbox import outbox_tables
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import Column, Integer, MetaData, String, Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from bench.synthetic.writer import read_rows

TOPIC = "education.enrolments.v1"
PARTITIONS = 6  # as in proto/topics/education.enrolments.v1.yaml
EVENT = education_events_pb2.LearnerEnrolled
metadata = MetaData()
outbox_tables(metadata)
COUNTS = Table("enrolment_counts", metadata,
               Column("school_id", String(36), primary_key=True), Column("level", String(10), primary_key=True),
               Column("aimag_code", String(10), nullable=False), Column("learners", Integer, nullable=False))


def project(session: Session, message: Message, envelope: Envelope) -> None:
    """One more learner in a school and level (an upsert, as a statistics projection would do)."""
    assert isinstance(message, EVENT)
    statement = insert(COUNTS).values(school_id=message.school.org_id, level=message.level,
                                      aimag_code=message.school.aimag_code, learners=1)
    session.execute(statement.on_conflict_do_update(index_elements=[COUNTS.c.school_id, COUNTS.c.level],
                                                    set_={"learners": COUNTS.c.learners + 1}))


def project_many(session: Session, pairs: Sequence[tuple[Message, Envelope]]) -> None:
    """The same projection for a run of events (``esis_shared.consumer`` batch handler): one upsert statement."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for message, _ in pairs:
        assert isinstance(message, EVENT)
        counts[(message.school.org_id, message.level, message.school.aimag_code)] += 1
    rows = [{"school_id": school, "level": level, "aimag_code": aimag, "learners": n}
            for (school, level, aimag), n in counts.items()]
    statement = insert(COUNTS).values(rows)
    session.execute(statement.on_conflict_do_update(index_elements=[COUNTS.c.school_id, COUNTS.c.level],
                                                    set_={"learners": COUNTS.c.learners + statement.excluded.learners}))


def enrolments(data: Path, count: int) -> Iterator[tuple[str, str, Message]]:
    """``count`` LearnerEnrolled events (key, aimag, message) from the dataset's learners, cycling if needed."""
    learners = [(r["id"], r["institution_id"], r["class_id"], r["level"], r["aimag_code"])
                for r in islice(read_rows(data, "learners"), count)]
    now = Timestamp()
    now.FromDatetime(datetime.now(UTC))
    for learner, school, class_id, level, aimag in islice(cycle(learners), count):
        message = EVENT(learner_id=learner, school=common_pb2.OrgRef(org_id=school, aimag_code=aimag),
                        class_id=class_id, level=level, on=common_pb2.Date(year=2023, month=9, day=1),
                        occurred_at=now)
        yield learner, aimag, message
