"""Unit of work: one database transaction, whose commit also stages the accounts' new events in the outbox."""

from __future__ import annotations

from types import TracebackType

from esis_shared.outbox import OutgoingEvent, stage_events
from sqlalchemy.orm import Session, sessionmaker

from identity.adapters.messages import TOPIC, to_message
from identity.adapters.repository import (
    SqlAccountRepository,
    SqlActivations,
    SqlLoginAttemptLog,
    SqlRefreshSessionRepository,
)
from identity.adapters.signups import SqlSignups, SqlSmsOutbox
from identity.adapters.staff_facts import SqlStaffFacts

SOURCE = "identity"


class UnitOfWork:
    """``with uow: ...; uow.commit()`` — leaving the block without commit rolls everything back."""

    accounts: SqlAccountRepository
    sessions: SqlRefreshSessionRepository
    attempts: SqlLoginAttemptLog
    activations: SqlActivations
    staff: SqlStaffFacts
    signups: SqlSignups
    sms: SqlSmsOutbox
    session: Session

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> UnitOfWork:
        self._open(self._session_factory())
        return self

    def _open(self, session: Session) -> None:
        self.session = session
        self.accounts = SqlAccountRepository(session)
        self.sessions = SqlRefreshSessionRepository(session)
        self.attempts = SqlLoginAttemptLog(session)
        self.activations = SqlActivations(session)
        self.staff = SqlStaffFacts(session)
        self.signups = SqlSignups(session)
        self.sms = SqlSmsOutbox(session)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.session.rollback()
        self.session.close()

    def stage_events(self) -> list[str]:
        """Write the accounts' new events to the outbox in this transaction (one statement for all of them, in
        order); returns the event ids."""
        self.accounts.flush()
        outgoing = []
        for account in self.accounts.seen:
            while account.events:
                outgoing.append(OutgoingEvent(TOPIC, account.id, to_message(account.events.pop(0))))
        return stage_events(self.session, outgoing, source=SOURCE)

    def commit(self) -> None:
        self.stage_events()
        self.session.commit()


class EventUnitOfWork(UnitOfWork):
    """The unit of work of an event handler, inside the consumer's transaction (``esis_shared.consumer``).

    The consumer commits the handler's changes together with the processed-event row, or rolls both back;
    ``commit`` here only writes the accounts and stages their events in that transaction.
    """

    def __init__(self, session: Session) -> None:
        self._open(session)

    def __enter__(self) -> EventUnitOfWork:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        """The consumer's transaction decides; nothing to undo here."""

    def commit(self) -> None:
        self.stage_events()
        self.session.flush()
