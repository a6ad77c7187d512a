"""Shared test helpers: a database with the outbox tables and an ``effects`` table a handler writes to."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from esis_shared.db import make_engine, make_session_factory, transaction
from esis_shared.outbox import outbox_tables, stage_event
from google.protobuf.message import Message
from google.protobuf.wrappers_pb2 import StringValue
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, select
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:  # kafka-python must load after the plugin has installed its warning filters
    from esis_shared.kafka import Envelope

EVENT_TYPE = StringValue.DESCRIPTOR.full_name


@dataclass
class EventDb:
    """A service-like database: outbox + processed_events + one table of handler effects."""

    engine: Engine
    sessions: sessionmaker[Session]
    outbox: Table
    effects: Table

    def stage(self, topic: str, key: str, text: str, *, aimag: str | None = None) -> str:
        with transaction(self.sessions) as session:
            return stage_event(session, topic=topic, key=key, message=StringValue(value=text), source="test",
                               aimag=aimag)

    def record_effect(self, session: Session, message: Message, envelope: Envelope) -> None:
        """The handler under test: one effects row per handled event."""
        session.execute(self.effects.insert().values(event_id=envelope.id, key=envelope.key, text=message.value))

    def effect_texts(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(self.effects.c.text).order_by(self.effects.c.id)).scalars())

    def unsent(self) -> int:
        with self.engine.connect() as conn:
            return len(conn.execute(select(self.outbox.c.seq).where(self.outbox.c.sent_at.is_(None))).all())


def build_event_db(url: str) -> EventDb:
    metadata = MetaData()
    outbox, _processed = outbox_tables(metadata)
    effects = Table("effects", metadata, Column("id", Integer, primary_key=True, autoincrement=True),
                    Column("event_id", String(64), nullable=False), Column("key", String(200)),
                    Column("text", String(200)))
    engine = make_engine(url)
    metadata.create_all(engine)
    return EventDb(engine, make_session_factory(engine), outbox, effects)


@pytest.fixture
def event_db() -> Iterator[Callable[[str], EventDb]]:
    """Factory ``event_db(url)``; engines are disposed after the test so its database can be dropped."""
    made: list[EventDb] = []

    def make(url: str) -> EventDb:
        made.append(build_event_db(url))
        return made[-1]

    yield make
    for db in made:
        db.engine.dispose()


@pytest.fixture
def sqlite_db(event_db: Callable[[str], EventDb], tmp_path) -> EventDb:
    return event_db(f"sqlite:///{tmp_path / 'events.db'}")
