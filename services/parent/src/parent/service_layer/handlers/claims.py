"""Claiming a child: checked by the education service, throttled, and revealing nothing on a miss."""

from __future__ import annotations

from dataclasses import dataclass

from parent.domain import events
from parent.domain.errors import Forbidden, NotFound, no_such_child
from parent.domain.guardians import ChildLink, Claim, Guardian, check_phone
from parent.domain.school import Child
from parent.service_layer.ports import ClaimMatch, Deps
from parent.service_layer.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ClaimChild:
    account_id: str
    claim: Claim


@dataclass(frozen=True)
class RemoveChild:
    account_id: str
    learner_id: str
    role: str = "parent"


def claim_refused() -> NotFound:
    """The same answer whether the child is unknown, the name is wrong, or the phone is wrong."""
    return NotFound("We could not confirm this claim. Check that the details are exactly as the school recorded "
                    "them, or ask the school to add you as the child's guardian.",
                    "Таны хүсэлтийг баталгаажуулж чадсангүй. Мэдээллээ сургуульд бүртгүүлсэнтэй яг адил эсэхийг "
                    "шалгах эсвэл сургуульдаа хандаж асран хамгаалагчаар бүртгүүлнэ үү.", code="claim_not_confirmed")


def claim_child(cmd: ClaimChild, deps: Deps) -> tuple[ChildLink, Child]:
    with deps.uow() as uow:
        uow.claims.get(cmd.account_id).check_allowed(deps.clock())
    match = deps.education.verify_claim(cmd.claim, cmd.account_id)
    if match is None:
        _record_failure(cmd.account_id, deps)
        raise claim_refused()
    child = deps.education.learner(match.learner_id, on_behalf_of=cmd.account_id)
    return _link(cmd.account_id, match, child, deps, confirmed_phone=cmd.claim.guardian_phone)


def _record_failure(account_id: str, deps: Deps) -> None:
    with deps.uow() as uow:
        history = uow.claims.get(account_id)
        history.record_failure(deps.clock(), deps.throttle)
        uow.claims.save(history)
        uow.commit()


def _link(account_id: str, match: ClaimMatch, child: Child, deps: Deps,
          confirmed_phone: str = "") -> tuple[ChildLink, Child]:
    now = deps.clock()
    with deps.uow() as uow:
        _default_phone(uow, account_id, confirmed_phone)
        history = uow.claims.get(account_id)
        history.record_success()
        uow.claims.save(history)
        existing = uow.links.get(account_id, match.learner_id)
        link = existing or ChildLink(account_id, match.learner_id, match.guardian_id, match.relationship, now)
        if existing is None:
            uow.links.add(link)
            uow.publish(events.ChildLinked(account_id, link.learner_id, link.guardian_id, link.relationship, now))
        uow.children.save(_merge(uow.children.get(child.learner_id), child))
        uow.commit()
    return link, child


def _default_phone(uow: UnitOfWork, account_id: str, phone: str) -> None:
    """The phone the school confirmed becomes the SMS number, unless the guardian already chose one."""
    guardian = uow.guardians.get(account_id) or Guardian(account_id)
    if phone and not guardian.phone:
        guardian.phone = check_phone(phone)
        uow.guardians.save(guardian)


def _merge(known: Child | None, fresh: Child) -> Child:
    """The card from education wins, except a class the enrolment events already moved on from."""
    if known is not None and not fresh.class_id:
        fresh.class_id, fresh.level, fresh.school_id = known.class_id, known.level, known.school_id
    return fresh


def remove_child(cmd: RemoveChild, deps: Deps) -> None:
    if cmd.role != "parent":
        raise Forbidden("Only the guardian can remove a child from their account",
                        "Зөвхөн асран хамгаалагч хүүхдээ бүртгэлээсээ хасах боломжтой.", code="parents_only")
    with deps.uow() as uow:
        if uow.links.get(cmd.account_id, cmd.learner_id) is None:
            raise no_such_child()
        uow.links.remove(cmd.account_id, cmd.learner_id)
        uow.publish(events.ChildUnlinked(cmd.account_id, cmd.learner_id, "removed_by_guardian", deps.clock()))
        uow.commit()
