"""Teacher feedback on SQL: the item and its status history."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from teacher.adapters.orm import feedback, feedback_history
from teacher.adapters.repository import FeedbackCount, FeedbackRepository
from teacher.domain.feedback import Feedback, FeedbackStatus, StatusChange

_STATE = ("status", "forwarded_to_kind", "forwarded_to_id", "answer", "answered_at")


class SqlFeedbackRepository(FeedbackRepository):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._stored: dict[str, int] = {}  # feedback id -> history rows in the database

    def add(self, item: Feedback) -> None:
        self.session.execute(insert(feedback).values(
            id=item.id, sender_id=item.sender_id, school_id=item.school_id, aimag=item.aimag, category=item.category,
            text=item.text, attachment_ref=item.attachment_ref, anonymous_to_school=item.anonymous_to_school,
            created_at=item.created_at, **self._state(item)))
        self._stored[item.id] = 0
        self.save(item)

    def get(self, feedback_id: str) -> Feedback | None:
        found = self._load(feedback.c.id == feedback_id)
        return self.track(found[0]) if found else None

    def save(self, item: Feedback) -> None:
        self.track(item)
        self.session.execute(update(feedback).where(feedback.c.id == item.id).values(**self._state(item)))
        stored = self._stored.get(item.id, len(item.history))
        new = [{"feedback_id": item.id, "seq": stored + n, "status": h.status.value, "at": h.at,
                "by_kind": h.by_kind, "note": h.note} for n, h in enumerate(item.history[stored:])]
        if new:
            self.session.execute(insert(feedback_history), new)
        self._stored[item.id] = len(item.history)

    def of_sender(self, account_id: str) -> list[Feedback]:
        return self._load(feedback.c.sender_id == account_id)

    def inbox(self, status: FeedbackStatus | None = None) -> list[Feedback]:
        return self._load(*([feedback.c.status == status.value] if status else []))

    def forwarded_to(self, kind: str, ids: Iterable[str]) -> list[Feedback]:
        return self._load(feedback.c.forwarded_to_kind == kind, feedback.c.forwarded_to_id.in_(sorted(set(ids))))

    def counts(self) -> list[FeedbackCount]:
        rows = self.session.execute(select(feedback.c.category, feedback.c.aimag, feedback.c.status,
                                           func.count().label("n"))
                                    .group_by(feedback.c.category, feedback.c.aimag, feedback.c.status))
        return [FeedbackCount(r.category, r.aimag, FeedbackStatus(r.status), int(r.n)) for r in rows]

    @staticmethod
    def _state(item: Feedback) -> dict[str, Any]:
        state = {name: getattr(item, name) for name in _STATE}
        state["status"] = item.status.value
        return state

    def _load(self, *conditions: Any) -> list[Feedback]:
        rows = self.session.execute(select(feedback).where(*conditions)
                                    .order_by(feedback.c.created_at.desc(), feedback.c.id)).all()
        history: dict[str, list[StatusChange]] = {row.id: [] for row in rows}
        if rows:
            for h in self.session.execute(select(feedback_history).where(
                    feedback_history.c.feedback_id.in_(list(history))).order_by(feedback_history.c.seq)):
                history[h.feedback_id].append(StatusChange(FeedbackStatus(h.status), h.at, h.by_kind, h.note))
        for row in rows:
            self._stored[row.id] = len(history[row.id])
        return [Feedback(r.id, r.sender_id, r.school_id, r.aimag, r.category, r.text, r.attachment_ref,
                         r.anonymous_to_school, r.created_at, FeedbackStatus(r.status), r.forwarded_to_kind,
                         r.forwarded_to_id, r.answer, r.answered_at, history[r.id]) for r in rows]
