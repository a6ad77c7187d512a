"""A transactional outbox for AMQP messages (nameko events), published by a kombu relay.

A service stages a message in the same transaction as the change that causes it (``stage_message``); the relay
(``AmqpOutboxRelay``) publishes unsent rows in order and marks them sent. A message is therefore never sent for a
change that was rolled back, and is sent at least once: the receiver (notify) is idempotent by the payload's key.

Messages are nameko events: exchange ``<source>.events`` (topic, durable), routing key = the event type, JSON.
The relay also declares the receiver's durable queue, so messages published while the receiver is down wait for it.

``scrub_after_send`` blanks a row's payload once it is published (e.g. a message carrying a one-time code), so the
secret does not stay in the sender's database.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import Any

from kombu import Connection, Exchange, Queue
from sqlalchemy import JSON, Column, DateTime, Engine, Index, MetaData, String, Table, insert, select, update
from sqlalchemy.orm import Session

from esis_shared.outbox import BigIntId

log = logging.getLogger(__name__)


def amqp_outbox_table(metadata: MetaData, name: str = "amqp_outbox") -> Table:
    """``seq`` (publishing order), ``key`` (the message's idempotency key), ``payload`` (JSON), ``created_at``,
    ``sent_at`` (null until published)."""
    return Table(name, metadata,
                 Column("seq", BigIntId, primary_key=True, autoincrement=True),
                 Column("key", String(300), nullable=False),
                 Column("payload", JSON, nullable=False),
                 Column("created_at", DateTime(timezone=True), nullable=False),
                 Column("sent_at", DateTime(timezone=True), nullable=True),
                 Index(f"ix_{name}_unsent", "sent_at", "seq"))


def stage_message(session: Session, table: Table, key: str, payload: dict[str, Any]) -> None:
    """Write one message to the outbox in the session's transaction."""
    session.execute(insert(table).values(key=key, payload=payload, created_at=datetime.now(UTC)))


def nameko_event_route(source: str, event_type: str, receiver_queue: str | None = None) -> tuple[Exchange, str,
                                                                                                   list[Queue]]:
    """Exchange, routing key and queues to declare for a nameko event ``source.event_type``; ``receiver_queue`` is
    the durable queue of the nameko handler (``evt-<source>-<event_type>--<service>.<method>``)."""
    exchange = Exchange(f"{source}.events", type="topic", durable=True)
    queues = [Queue(receiver_queue, exchange, routing_key=event_type, durable=True)] if receiver_queue else []
    return exchange, event_type, queues


class AmqpOutboxRelay:
    """Publishes unsent rows of an AMQP outbox table in order and marks them sent."""

    def __init__(self, engine: Engine, table: Table, amqp_url: str, *, exchange: Exchange, routing_key: str,
                 declare: list[Queue] | None = None, batch: int = 100, scrub_after_send: bool = False) -> None:
        self.engine, self.table, self.amqp_url, self.batch = engine, table, amqp_url, batch
        self.exchange, self.routing_key, self.declare = exchange, routing_key, list(declare or [])
        self.scrub_after_send = scrub_after_send

    def publish_pending(self, conn: Connection) -> int:
        t = self.table
        with self.engine.begin() as db:
            rows = db.execute(select(t.c.seq, t.c.payload).where(t.c.sent_at.is_(None)).order_by(t.c.seq)
                              .limit(self.batch)).all()
            producer = conn.Producer(serializer="json")
            for seq, payload in rows:
                producer.publish(payload, exchange=self.exchange, routing_key=self.routing_key, delivery_mode=2,
                                 declare=self.declare, retry=True)
                values: dict[str, Any] = {"sent_at": datetime.now(UTC)}
                if self.scrub_after_send:
                    values["payload"] = {}
                db.execute(update(t).where(t.c.seq == seq).values(**values))
        return len(rows)

    def run(self, stop: threading.Event, idle_s: float = 0.5) -> None:
        with Connection(self.amqp_url, connect_timeout=5) as conn:
            conn.ensure_connection(max_retries=3)
            while not stop.is_set():
                if self.publish_pending(conn) == 0:
                    stop.wait(idle_s)
