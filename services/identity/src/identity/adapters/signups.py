"""Pending sign-ups, the log the sign-up throttles count, and SMS requests staged in the AMQP outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from esis_shared.amqp_outbox import stage_message
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from identity.adapters.orm import amqp_outbox, signup_requests, signups
from identity.domain.signup import PendingSignup


class SqlSignups:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, phone: str, *, for_update: bool = False) -> PendingSignup | None:
        stmt = select(signups).where(signups.c.phone == phone)
        row = self.session.execute(stmt.with_for_update() if for_update else stmt).mappings().first()
        return PendingSignup(**row) if row else None

    def save(self, pending: PendingSignup) -> None:
        self.remove(pending.phone)
        self.session.execute(insert(signups).values(**vars(pending)))

    def remove(self, phone: str) -> None:
        self.session.execute(delete(signups).where(signups.c.phone == phone))

    def record_request(self, phone: str, client_ip: str | None, at: datetime) -> None:
        self.session.execute(insert(signup_requests).values(phone=phone, client_ip=client_ip, requested_at=at))

    def request_times(self, *, since: datetime, phone: str | None = None, client_ip: str | None = None) -> list[
            datetime]:
        t = signup_requests
        stmt = select(t.c.requested_at).where(t.c.requested_at >= since)
        stmt = stmt.where(t.c.phone == phone) if phone is not None else stmt.where(t.c.client_ip == client_ip)
        return list(self.session.execute(stmt).scalars())


class SqlSmsOutbox:
    """SMS requests to notify (``notify.send_direct``'s payload), written in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def send(self, *, key: str, address: str, text: str, lang: str, account_id: str = "") -> None:
        payload: dict[str, Any] = {"key": key, "channel": "sms", "address": address, "text": text, "lang": lang,
                                   "account_id": account_id}
        stage_message(self.session, amqp_outbox, key, payload)
