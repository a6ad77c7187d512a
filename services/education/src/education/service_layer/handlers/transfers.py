"""The transfer saga: request (by sender or receiver), release, approve / reject, cancel, escalate."""

from __future__ import annotations

from education.domain import access
from education.domain.base import new_id
from education.domain.errors import Conflict, Forbidden, invalid, not_found
from education.domain.learners import Learner
from education.domain.people import check_register_number
from education.domain.transfer import Side, Transfer
from education.service_layer import commands
from education.service_layer.handlers.common import (
    Context,
    current_school_id,
    learner,
    school,
    school_class,
    seats_taken,
    today_or,
    transfer,
)


def request_transfer(cmd: commands.RequestTransfer, ctx: Context) -> str:
    with ctx.uow:
        school(ctx, cmd.to_school_id)
        found = _learner_for_request(ctx, cmd)
        side = _requesting_side(ctx, current_school_id(found), cmd.to_school_id)
        if ctx.uow.transfers.open_for_learner(found.id) is not None:
            raise Conflict("Энэ суралцагчийн шийдвэрлэгдээгүй шилжүүлэг байна.",
                           "The learner already has a pending transfer.", code="transfer_already_pending")
        new = Transfer.request(id=new_id(), learner=found, to_school_id=cmd.to_school_id, initiated_by=side,
                               at=ctx.clock.now(), reason=cmd.reason)
        ctx.uow.transfers.add(new)
        ctx.uow.commit()
        return new.id


def _learner_for_request(ctx: Context, cmd: commands.RequestTransfer) -> Learner:
    if cmd.learner_id:
        return learner(ctx, cmd.learner_id)
    if not cmd.register_number:
        raise invalid("register_number", "transfer_learner_required", "Суралцагчийн регистрийн дугаарыг оруулна уу.",
                      "Give the learner's register number.")
    number = check_register_number("register_number", cmd.register_number).value
    found = ctx.uow.learners.by_register_number(number)
    if found is None:
        raise not_found("Ийм регистрийн дугаартай суралцагч", "Learner with this register number", "")
    return found


def _requesting_side(ctx: Context, from_school_id: str, to_school_id: str) -> Side:
    if access.manages_school(ctx.actor, from_school_id):
        return Side.SENDER
    if access.manages_school(ctx.actor, to_school_id):
        return Side.RECEIVER
    raise Forbidden("Зөвхөн илгээх эсвэл хүлээн авах сургууль шилжүүлэг хүсэх эрхтэй.",
                           "Only the sending or the receiving school can request a transfer.")


def _acting(ctx: Context, transfer_id: str) -> Transfer:
    found = transfer(ctx, transfer_id)
    if not found.is_open and access.sees_transfer(ctx.actor, found, ctx.hierarchy(), ctx.clock.today()):
        raise Conflict(f"Шилжүүлэг аль хэдийн хаагдсан ({found.state}).", f"The transfer is already closed "
                       f"({found.state}).", code="transfer_closed", details={"state": found.state.value})
    access.require(access.acts_on_transfer(ctx.actor, found, ctx.hierarchy(), ctx.clock.today()),
                   "энэ шилжүүлгийг шийдвэрлэх", "decide this transfer")
    return found


def release_transfer(cmd: commands.ReleaseTransfer, ctx: Context) -> None:
    with ctx.uow:
        _acting(ctx, cmd.transfer_id).release(by=ctx.actor.id, at=ctx.clock.now())
        ctx.uow.commit()


def approve_transfer(cmd: commands.ApproveTransfer, ctx: Context) -> None:
    """One transaction: the transfer, the sender's enrolment end and the receiver's enrolment start."""
    with ctx.uow:
        found = _acting(ctx, cmd.transfer_id)
        target = school_class(ctx, cmd.class_id)
        day = today_or(ctx, cmd.on)
        target.take_seat(seats_taken(ctx, target, day))
        found.approve(learner(ctx, found.learner_id), target, on=day, by=ctx.actor.id, at=ctx.clock.now())
        ctx.uow.commit()


def reject_transfer(cmd: commands.RejectTransfer, ctx: Context) -> None:
    with ctx.uow:
        _acting(ctx, cmd.transfer_id).reject(cmd.reason, by=ctx.actor.id, at=ctx.clock.now())
        ctx.uow.commit()


def cancel_transfer(cmd: commands.CancelTransfer, ctx: Context) -> None:
    with ctx.uow:
        found = transfer(ctx, cmd.transfer_id)
        access.require(access.manages_school(ctx.actor, found.initiator_school_id()),
                       "энэ шилжүүлгийг цуцлах", "cancel this transfer")
        found.cancel(by=ctx.actor.id, at=ctx.clock.now())
        ctx.uow.commit()


def escalate_stale_transfers(cmd: commands.EscalateStaleTransfers, ctx: Context) -> list[str]:
    """Hand pending transfers nobody acted on to the department of the school that has to act."""
    access.require(ctx.actor.role in (access.Role.SERVICE, access.Role.MINISTRY), "шилжүүлэг дээшлүүлэх",
                   "escalate transfers")
    with ctx.uow:
        hierarchy, now, today = ctx.hierarchy(), ctx.clock.now(), ctx.clock.today()
        escalated = []
        for stale in (t for t in ctx.uow.transfers.open() if t.is_stale(now, cmd.after)):
            department = hierarchy.first_level(stale.acting_school_id or stale.to_school_id, today)
            if department is not None:
                stale.escalate(department.id, now)
                escalated.append(stale.id)
        ctx.uow.commit()
        return escalated
