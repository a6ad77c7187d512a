"""Unit of work: one database transaction, whose commit also stages the accounts' new events in the outbox."""

from __future__ import annotations

from types import TracebackType

from esis_shared.outbox import stage_event
from sqlalchemy.orm import Session, sessionmaker

from identity.adapters.messages import TOPIC, to_message
from identity.adapters.repository import SqlAccountRepository, SqlLoginAttemptLog, SqlRefreshSessionRepository

SOURCE = "identity"


class UnitOfWork:
    """``with uow: ...; uow.commit()`` — leaving the block without commit rolls everything back."""

    accounts: SqlAccountRepository
    sessions: SqlRefreshSessionRepository
    attempts: SqlLoginAttemptLog
    session: Session

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.accounts = SqlAccountRepository(self.session)
        self.sessions = SqlRefreshSessionRepository(self.session)
        self.attempts = SqlLoginAttemptLog(self.session)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.session.rollback()
        self.session.close()

    def stage_events(self) -> list[str]:
        """Write the accounts' new events to the outbox in this transaction; returns the event ids."""
        self.accounts.flush()
        staged = []
        for account in self.accounts.seen:
            while account.events:
                event = account.events.pop(0)
                staged.append(stage_event(self.session, topic=TOPIC, key=account.id, message=to_message(event),
                                          source=SOURCE))
        return staged

    def commit(self) -> None:
        self.stage_events()
        self.session.commit()
