"""Outbox relay: publishes rows staged by ``esis_shared.outbox.stage_event`` and marks them sent.

Delivery is at-least-once: rows are marked sent only after the broker acknowledged them, in the same
transaction that claimed them. A crash between the acknowledgement and the commit republishes the batch;
consumers absorb the duplicates through their processed-event table.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, Integer, LargeBinary, Row, String, column, func, select, table, text, update
from sqlalchemy.orm import Session, sessionmaker

from esis_shared.db import make_session_factory, transaction
from esis_shared.kafka import Envelope, publish
from esis_shared.metrics import OUTBOX_BACKLOG, OUTBOX_PUBLISHED

log = logging.getLogger(__name__)
_TEXT_COLUMNS = ("event_id", "topic", "key", "event_type", "source", "subject", "aimag", "traceparent")
# Typed, so SQLite hands back datetimes and bytes rather than strings; the real table is in outbox.py.
OUTBOX = table("outbox", column("seq", Integer), *(column(name, String) for name in _TEXT_COLUMNS),
               column("occurred_at", DateTime(timezone=True)), column("payload", LargeBinary),
               column("sent_at", DateTime(timezone=True)))
_MARK_SENT_POSTGRESQL = text("UPDATE outbox SET sent_at = :now WHERE seq = ANY(CAST(:seqs AS bigint[]))")


def envelope_from_row(row: Row[Any]) -> Envelope:
    return Envelope(id=row.event_id, type=row.event_type, source=row.source, time=row.occurred_at,
                    subject=row.subject, aimag=row.aimag, traceparent=row.traceparent, key=row.key,
                    value=bytes(row.payload), topic=row.topic)


class OutboxRelay:
    """Moves outbox rows to Kafka in ``seq`` order; ``run`` is a worker for ``esis_shared.runtime.serve``.

    On PostgreSQL several replicas may run: the claim is ``SELECT … FOR UPDATE`` *without* SKIP LOCKED, so a
    second relay waits for the first one's batch instead of publishing the rows behind it. SKIP LOCKED would
    let two batches go out at once and a later event of an aggregate could overtake an earlier one, breaking
    per-key order. On SQLite (no row locks) run exactly one relay per database.
    """

    def __init__(self, engine_or_sessions: Engine | sessionmaker[Session], producer: Any, *, service: str,
                 batch_size: int = 500, idle_wait_s: float = 0.2, error_wait_s: float = 2.0,
                 flush_timeout_s: float = 30.0, backlog_every_s: float = 5.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if isinstance(engine_or_sessions, Engine):
            engine_or_sessions = make_session_factory(engine_or_sessions)
        self._sessions = engine_or_sessions
        self._producer = producer
        self.service = service
        self.batch_size = batch_size
        self.idle_wait_s = idle_wait_s
        self.error_wait_s = error_wait_s
        self.flush_timeout_s = flush_timeout_s
        self.backlog_every_s = backlog_every_s
        self._clock = clock
        self._backlog_counted_at = float("-inf")

    def run_once(self) -> int:
        """Publish one batch and mark it sent; returns how many rows went out."""
        with transaction(self._sessions) as session:
            rows = self._claim(session)
            if rows:
                self._publish(rows)
                self._mark_sent(session, [row.seq for row in rows])
        self._record_metrics(rows)
        return len(rows)

    def run(self, stop: threading.Event) -> None:
        """Relay until ``stop`` is set; broker or database outages are logged and retried."""
        while not stop.is_set():
            try:
                published = self.run_once()
            except Exception:
                log.exception("outbox relay of %s failed; retrying", self.service)
                stop.wait(self.error_wait_s)
                continue
            if published < self.batch_size:
                stop.wait(self.idle_wait_s)

    def backlog(self) -> int:
        with transaction(self._sessions) as session:
            return int(session.execute(select(func.count()).select_from(OUTBOX)
                                       .where(OUTBOX.c.sent_at.is_(None))).scalar_one())

    def _claim(self, session: Session) -> Sequence[Row[Any]]:
        query = (select(*OUTBOX.c).where(OUTBOX.c.sent_at.is_(None))
                 .order_by(OUTBOX.c.seq).limit(self.batch_size))
        if session.get_bind().dialect.name != "sqlite":
            query = query.with_for_update()
        return session.execute(query).all()

    def _publish(self, rows: Sequence[Row[Any]]) -> None:
        futures = [publish(self._producer, envelope_from_row(row)) for row in rows]
        self._producer.flush(timeout=self.flush_timeout_s)
        for future in futures:
            future.get(timeout=self.flush_timeout_s)  # raises if the broker refused one: nothing gets marked

    def _mark_sent(self, session: Session, seqs: list[int]) -> None:
        """One UPDATE for the batch (on PostgreSQL with one array parameter, however large the batch)."""
        now = datetime.now(UTC)
        if session.get_bind().dialect.name == "postgresql":
            session.execute(_MARK_SENT_POSTGRESQL, {"now": now, "seqs": seqs})
        else:
            session.execute(update(OUTBOX).where(OUTBOX.c.seq.in_(seqs)).values(sent_at=now))

    def _record_metrics(self, rows: Sequence[Row[Any]]) -> None:
        for topic, count in Counter(row.topic for row in rows).items():
            OUTBOX_PUBLISHED.labels(self.service, topic).inc(count)
        # Counting the backlog is a query of its own: a short batch means it was empty, else count now and then.
        now = self._clock()
        if len(rows) < self.batch_size:
            OUTBOX_BACKLOG.labels(self.service).set(0)
        elif now - self._backlog_counted_at >= self.backlog_every_s:
            self._backlog_counted_at = now
            OUTBOX_BACKLOG.labels(self.service).set(self.backlog())
