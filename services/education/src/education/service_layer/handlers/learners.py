"""Learners: registration with duplicate checks, guardians, enrolment, class moves, withdrawal."""

from __future__ import annotations

from datetime import date

from education.domain import access
from education.domain.base import new_id
from education.domain.classes import SchoolClass
from education.domain.errors import Conflict, NeedsConfirmation
from education.domain.guardians import Guardian
from education.domain.learners import Learner, possible_duplicate
from education.domain.people import check_register_number
from education.service_layer import commands
from education.service_layer.handlers.common import (
    Context,
    current_school_id,
    fetch,
    learner,
    school,
    school_class,
    seats_taken,
    today_or,
)


def _require_school_admin(ctx: Context, school_id: str) -> None:
    access.require(access.manages_school(ctx.actor, school_id), "энэ сургуулийн суралцагчийг өөрчлөх",
                   "change this school's learners")


def _own_learner(ctx: Context, learner_id: str) -> Learner:
    found = learner(ctx, learner_id)
    _require_school_admin(ctx, current_school_id(found))
    return found


def register_learner(cmd: commands.RegisterLearner, ctx: Context) -> str:
    _require_school_admin(ctx, cmd.school_id)
    with ctx.uow:
        school(ctx, cmd.school_id)
        new = Learner.register(id=new_id(), register_number=cmd.register_number, family_name=cmd.family_name,
                               given_name=cmd.given_name, birth_date=cmd.birth_date, sex=cmd.sex,
                               school_id=cmd.school_id, today=ctx.clock.today(), address=cmd.address,
                               area_code=cmd.area_code, special_needs=cmd.special_needs)
        _refuse_duplicates(ctx, new, cmd.duplicate_confirmation)
        ctx.uow.learners.add(new)
        ctx.uow.commit()
        return new.id


def _refuse_duplicates(ctx: Context, new: Learner, confirmation: str) -> None:
    same_number = ctx.uow.learners.by_register_number(new.register_number)
    if same_number is not None:
        raise Conflict("Энэ регистрийн дугаартай суралцагч бүртгэлтэй байна; шинээр бүртгэхгүй, шилжүүлгийн "
                       "хүсэлт гаргана уу.", "A learner with this register number is already registered; request a "
                       "transfer instead of registering again.", code="learner_register_number_taken",
                       field="register_number", details={"learner_id": same_number.id})
    twins = ctx.uow.learners.by_names(new.family_name, new.given_name, new.birth_date)
    if twins and not confirmation.strip():
        raise NeedsConfirmation([possible_duplicate(t) for t in twins])


def add_guardian(cmd: commands.AddGuardian, ctx: Context) -> str:
    with ctx.uow:
        child = _own_learner(ctx, cmd.learner_id)
        school_id = current_school_id(child)
        guardian = Guardian.create(id=new_id(), family_name=cmd.family_name, given_name=cmd.given_name,
                                   phone=cmd.phone, school_id=school_id, email=cmd.email,
                                   register_number=cmd.register_number)
        ctx.uow.guardians.add(guardian)
        child.link_guardian(guardian, cmd.relationship, school_id)
        ctx.uow.commit()
        return guardian.id


def verify_guardian_link(cmd: commands.VerifyGuardianLink, ctx: Context) -> None:
    with ctx.uow:
        _own_learner(ctx, cmd.learner_id).verify_guardian(cmd.guardian_id, by="school")
        ctx.uow.commit()


def revoke_guardian_link(cmd: commands.RevokeGuardianLink, ctx: Context) -> None:
    with ctx.uow:
        _own_learner(ctx, cmd.learner_id).revoke_guardian(cmd.guardian_id)
        ctx.uow.commit()


def enrol_learner(cmd: commands.EnrolLearner, ctx: Context) -> None:
    with ctx.uow:
        target = school_class(ctx, cmd.class_id)
        _require_school_admin(ctx, target.school_id)
        enrol(ctx, learner(ctx, cmd.learner_id), target, cmd.on)
        ctx.uow.commit()


def enrol(ctx: Context, found: Learner, target: SchoolClass, on: date | None = None) -> None:
    """Seat check + enrolment, inside the caller's transaction (used by admission approval too)."""
    day = today_or(ctx, on)
    school(ctx, target.school_id, day)
    target.take_seat(seats_taken(ctx, target, day))
    found.enrol(target, day)


def move_learner_to_class(cmd: commands.MoveLearnerToClass, ctx: Context) -> None:
    with ctx.uow:
        found = _own_learner(ctx, cmd.learner_id)
        target = school_class(ctx, cmd.class_id)
        day = today_or(ctx, cmd.on)
        target.take_seat(seats_taken(ctx, target, day))
        found.move_class(target, day)
        ctx.uow.commit()


def withdraw_learner(cmd: commands.WithdrawLearner, ctx: Context) -> None:
    with ctx.uow:
        found = _own_learner(ctx, cmd.learner_id)
        found.withdraw(cmd.reason, today_or(ctx, cmd.on), cmd.note)
        ctx.uow.commit()


def verify_guardian_claim(cmd: commands.VerifyGuardianClaim, ctx: Context) -> dict[str, str] | None:
    """The parent portal asks: does this person match a guardian the school recorded for this child?

    A miss says nothing about which part failed, so the claim cannot be used to probe who is registered.
    """
    access.require(ctx.actor.role is access.Role.SERVICE, "асран хамгаалагчийн эрхийг шалгах",
                   "verify guardian claims")
    number = check_register_number("learner_register_number", cmd.learner_register_number).value
    with ctx.uow:
        child = ctx.uow.learners.by_register_number(number)
        for link in child.live_links() if child else []:
            guardian = fetch(ctx.uow.guardians, link.guardian_id, "Асран хамгаалагч", "Guardian")
            if guardian.matches_claim(given_name=cmd.guardian_given_name, phone=cmd.guardian_phone,
                                      register_number=cmd.guardian_register_number):
                child.verify_guardian(guardian.id, by="claim", account_id=cmd.account_id or None)
                ctx.uow.commit()
                return {"learner_id": child.id, "guardian_id": guardian.id, "relationship": link.relationship.value}
        return None
