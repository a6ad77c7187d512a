"""Feedback as its sender, the ministry, or the aimag / school it was forwarded to sees it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from teacher.domain.access import AREA_ROLES, Actor, Role
from teacher.domain.errors import NotPermitted, not_found
from teacher.domain.feedback import Feedback, FeedbackStatus, Recipient
from teacher.service_layer.unit_of_work import AbstractUnitOfWork


@dataclass(frozen=True)
class FeedbackItem:
    """One item with the sender shown only to those allowed to know it."""

    feedback: Feedback
    sender_id: str | None
    handled_as: str | None  # how the viewer may act on it: ministry, aimag, school, or None


def _item(item: Feedback, actor: Actor) -> FeedbackItem:
    return FeedbackItem(item, item.sender_seen_by(actor), item.recipient_of(actor))


def my_feedback(actor: Actor, uow: AbstractUnitOfWork) -> list[FeedbackItem]:
    with uow:
        return [_item(item, actor) for item in uow.feedback.of_sender(actor.account_id)]


def inbox(actor: Actor, uow: AbstractUnitOfWork, status: FeedbackStatus | None = None) -> list[FeedbackItem]:
    """The ministry's inbox, or what was forwarded to the caller's aimag or school."""
    with uow:
        if actor.is_ministry:
            items = uow.feedback.inbox(status)
        elif actor.role == Role.SCHOOL_ADMIN:
            items = uow.feedback.forwarded_to(Recipient.SCHOOL, actor.org_ids)
        elif actor.role in AREA_ROLES:
            items = uow.feedback.forwarded_to(Recipient.AIMAG, actor.org_ids)
        else:
            raise NotPermitted("Your role has no feedback inbox", "Танд саналын хайрцаг байхгүй.", code="forbidden")
    return [_item(i, actor) for i in items if status is None or i.status is status]


def feedback_detail(actor: Actor, uow: AbstractUnitOfWork, feedback_id: str) -> FeedbackItem:
    with uow:
        item = uow.feedback.get(feedback_id)
    if item is None or not item.may_view(actor):
        raise not_found("Feedback", "Санал", feedback_id, code="feedback_not_found")
    return _item(item, actor)


@dataclass(frozen=True)
class FeedbackCounts:
    by_category: dict[str, int]
    by_aimag: dict[str, int]
    by_category_and_aimag: dict[tuple[str, str], int]
    by_status: dict[str, int]
    total: int


def counts(actor: Actor, uow: AbstractUnitOfWork) -> FeedbackCounts:
    """How many items by category, by aimag ("" when unknown) and by status: the ministry's overview."""
    if not actor.is_ministry:
        raise NotPermitted("Only the ministry sees feedback counts", "Саналын тоог зөвхөн яам харна.",
                           code="forbidden")
    with uow:
        rows = uow.feedback.counts()
    category, aimag, both, status = Counter[str](), Counter[str](), Counter[tuple[str, str]](), Counter[str]()
    for row in rows:
        category[row.category] += row.count
        aimag[row.aimag or ""] += row.count
        both[(row.category, row.aimag or "")] += row.count
        status[str(row.status)] += row.count
    return FeedbackCounts(dict(category), dict(aimag), dict(both), dict(status), sum(status.values()))
