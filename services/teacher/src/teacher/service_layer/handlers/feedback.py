"""Teacher feedback to the ministry: sending it, and its handling by the ministry, aimag or school."""

from __future__ import annotations

from teacher.domain.access import Actor
from teacher.domain.errors import NotPermitted, invalid, not_found
from teacher.domain.feedback import Feedback, Recipient
from teacher.service_layer import commands
from teacher.service_layer.handlers.common import Context
from teacher.service_layer.unit_of_work import AbstractUnitOfWork


def _sender_school(actor: Actor, school_id: str | None) -> str:
    if not actor.is_teacher:
        raise NotPermitted("Only teachers send feedback to the ministry", "Зөвхөн багш санал илгээнэ.",
                           code="teachers_only")
    if school_id:
        if school_id not in actor.org_ids:
            raise invalid("school_id", "That is not one of your schools", "Энэ таны сургууль биш.",
                          code="not_your_school")
        return school_id
    if len(actor.org_ids) != 1:
        raise invalid("school_id", "Say which of your schools you write from", "Аль сургуулиасаа бичиж буйгаа "
                      "сонгоно уу.", code="school_required")
    return next(iter(actor.org_ids))


def send_feedback(cmd: commands.SendFeedback, uow: AbstractUnitOfWork, ctx: Context) -> Feedback:
    category = ctx.reference.feedback_categories.get(cmd.category, "category").code
    school_id = _sender_school(cmd.actor, cmd.school_id)
    with uow:
        item = Feedback.send(feedback_id=ctx.new_id(), sender_id=cmd.actor.account_id, school_id=school_id,
                             aimag=uow.rosters.school_aimag(school_id), category=category, text=cmd.text,
                             attachment_ref=cmd.attachment_ref, anonymous_to_school=cmd.anonymous_to_school,
                             at=ctx.now())
        uow.feedback.add(item)
        uow.commit()
    return item


def _load(uow: AbstractUnitOfWork, feedback_id: str, actor: Actor) -> Feedback:
    item = uow.feedback.get(feedback_id)
    if item is None or not item.may_view(actor):
        raise not_found("Feedback", "Санал", feedback_id, code="feedback_not_found")
    return item


def review_feedback(cmd: commands.ReviewFeedback, uow: AbstractUnitOfWork, ctx: Context) -> Feedback:
    with uow:
        item = _load(uow, cmd.feedback_id, cmd.actor)
        item.require_handler(cmd.actor, ministry_only=True)
        item.start_review(ctx.now())
        uow.feedback.save(item)
        uow.commit()
    return item


def forward_feedback(cmd: commands.ForwardFeedback, uow: AbstractUnitOfWork, ctx: Context) -> Feedback:
    with uow:
        item = _load(uow, cmd.feedback_id, cmd.actor)
        item.require_handler(cmd.actor, ministry_only=True)
        item.forward(cmd.to_kind, cmd.to_id, cmd.note, ctx.now())
        uow.feedback.save(item)
        uow.commit()
    return item


def answer_feedback(cmd: commands.AnswerFeedback, uow: AbstractUnitOfWork, ctx: Context) -> Feedback:
    with uow:
        item = _load(uow, cmd.feedback_id, cmd.actor)
        recipient = item.require_handler(cmd.actor)
        item.reply(cmd.answer, str(Recipient(recipient)), ctx.now())
        uow.feedback.save(item)
        uow.commit()
    return item
