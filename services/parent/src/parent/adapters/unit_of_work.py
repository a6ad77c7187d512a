"""The SQL unit of work: one transaction; ``commit`` also writes the staged events to the Kafka outbox and the
staged notification requests to the AMQP outbox (``notification_outbox``), so neither is sent for a change
that was rolled back."""

from __future__ import annotations

from datetime import UTC, datetime

from esis_shared.outbox import stage_event
from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from parent.adapters import orm
from parent.adapters.journal_repository import SqlConsultations, SqlJournal, SqlThreads
from parent.adapters.messages import to_message
from parent.adapters.repository import (
    SqlChildren,
    SqlClaims,
    SqlGuardians,
    SqlLinks,
    SqlPreferences,
    SqlReceipts,
    SqlSchools,
)
from parent.domain.events import Event
from parent.domain.notifications import NotificationRequest

SOURCE = "parent"


class SqlUnitOfWork:
    def __init__(self, session_factory: sessionmaker[Session] | None = None, *,
                 session: Session | None = None) -> None:
        """Either owns sessions from ``session_factory``, or works inside a caller's ``session`` (consumers)."""
        self._factory = session_factory
        self._outer = session

    def __enter__(self) -> SqlUnitOfWork:
        self.session = self._outer or self._factory()  # type: ignore[misc]
        s = self.session
        self.guardians, self.links, self.claims = SqlGuardians(s), SqlLinks(s), SqlClaims(s)
        self.children, self.journal, self.schools = SqlChildren(s), SqlJournal(s), SqlSchools(s)
        self.threads, self.consultations = SqlThreads(s), SqlConsultations(s)
        self.preferences, self.receipts = SqlPreferences(s), SqlReceipts(s)
        return self

    def __exit__(self, *args: object) -> None:
        if self._outer is None:
            self.session.rollback()
            self.session.close()

    def publish(self, event: Event) -> None:
        topic, key, message = to_message(event)
        stage_event(self.session, topic=topic, key=key, message=message, source=SOURCE)

    def notify(self, request: NotificationRequest) -> None:
        self.session.execute(insert(orm.notification_outbox).values(
            key=request.key, payload=request.payload(), created_at=datetime.now(UTC)))

    def commit(self) -> None:
        if self._outer is None:
            self.session.commit()
        else:
            self.session.flush()
