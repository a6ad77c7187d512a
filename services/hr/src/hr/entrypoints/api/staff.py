"""Staff records: hire, list a school's staff on a date, the audited profile, qualifications and contact."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from hr.domain.errors import not_found
from hr.entrypoints.api.deps import ActorDep, AsOfDep, ContainerDep, LangDep
from hr.entrypoints.api.responses import (
    AssignmentOut,
    HiredOut,
    Items,
    ReadOut,
    StaffProfileOut,
    StaffRowOut,
    WorkloadOut,
)
from hr.entrypoints.api.schemas import AccountLinkIn, ContactIn, HireIn, QualificationsIn
from hr.service_layer import commands, views

BASE = "/api/hr/v1/staff"
router = APIRouter(prefix=BASE, tags=["staff"])
Purpose = Annotated[str, Query(min_length=0, max_length=200,
                               description="Why the record is read; kept in the person's audit trail")]


@router.post("", response_model=HiredOut, status_code=201)
def hire(body: HireIn, actor: ActorDep, container: ContainerDep, response: Response) -> HiredOut:
    """Appoint a person to a position; a person already on record (same register number) keeps one history."""
    hired = container.bus.handle(commands.HireStaff(actor, body.person.details(), body.position_id, body.fte,
                                                    body.start_date))
    response.headers["Location"] = f"{BASE}/{hired.staff_id}"
    return HiredOut(staff_id=hired.staff_id, appointment_id=hired.appointment_id, new_record=hired.new_record)


@router.get("", response_model=Items[StaffRowOut])
def list_staff(org_id: str, as_of: AsOfDep, actor: ActorDep, container: ContainerDep,
               lang: LangDep) -> Items[StaffRowOut]:
    """Who worked at ``org_id`` on ``as_of``: one row per position held."""
    rows = views.staff_at(container.uow(), actor, org_id, as_of)
    return Items[StaffRowOut](items=[StaffRowOut.of(r, lang) for r in rows])


@router.get("/me", response_model=StaffProfileOut)
def my_record(actor: ActorDep, container: ContainerDep, lang: LangDep) -> StaffProfileOut:
    """The caller's own staff record (linked to their account); reading it is not audited."""
    if actor.staff_id is None:
        raise not_found("Таны ажилтны бүртгэл", "Your staff record", actor.account_id, code="own_record_not_linked")
    member = container.bus.handle(commands.ViewStaff(actor, actor.staff_id))
    return StaffProfileOut.of(member, container.context.ranks, container.context.today(), lang)


@router.get("/{staff_id}", response_model=StaffProfileOut)
def profile(staff_id: str, actor: ActorDep, container: ContainerDep, lang: LangDep,
            purpose: Purpose = "") -> StaffProfileOut:
    """The full record. Anyone but the person themselves must give a ``purpose``; the read is audited."""
    member = container.bus.handle(commands.ViewStaff(actor, staff_id, purpose))
    return StaffProfileOut.of(member, container.context.ranks, container.context.today(), lang)


@router.put("/{staff_id}/qualifications", status_code=204)
def set_qualifications(staff_id: str, body: QualificationsIn, actor: ActorDep, container: ContainerDep) -> None:
    container.bus.handle(commands.UpdateQualifications(
        actor, staff_id, tuple(commands.EducationEntry(**e.model_dump()) for e in body.education), body.rank_code,
        tuple(commands.LicenceEntry(**lc.model_dump()) for lc in body.licences), frozenset(body.subject_codes)))


@router.put("/{staff_id}/contact", status_code=204)
def set_contact(staff_id: str, body: ContactIn, actor: ActorDep, container: ContainerDep) -> None:
    container.bus.handle(commands.UpdateContact(actor, staff_id, body.phone, body.email, body.address))


@router.put("/{staff_id}/account", status_code=204)
def link_account(staff_id: str, body: AccountLinkIn, actor: ActorDep, container: ContainerDep) -> None:
    """Link the person's identity account, so they can read their own record."""
    container.bus.handle(commands.LinkAccount(actor, staff_id, body.account_id))


@router.get("/{staff_id}/reads", response_model=Items[ReadOut])
def reads(staff_id: str, actor: ActorDep, container: ContainerDep) -> Items[ReadOut]:
    """Who read this person's personal data, when and why (newest first)."""
    trail = views.audit_trail(container.uow(), actor, staff_id, container.context.today())
    return Items[ReadOut](items=[ReadOut.of(r) for r in trail])


@router.get("/{staff_id}/assignments", response_model=Items[AssignmentOut])
def assignments(staff_id: str, actor: ActorDep, container: ContainerDep,
                as_of: Annotated[date | None, Query(description="Every assignment when left out")] = None,
                ) -> Items[AssignmentOut]:
    rows = views.assignments_of_staff(container.uow(), actor, staff_id, as_of, container.context.today())
    return Items[AssignmentOut](items=[AssignmentOut.of_row(r) for r in rows])


@router.get("/{staff_id}/workload", response_model=WorkloadOut)
def workload(staff_id: str, as_of: AsOfDep, actor: ActorDep, container: ContainerDep) -> WorkloadOut:
    """Weekly teaching hours on ``as_of`` against the norm (scaled by the teacher's FTE)."""
    load = views.workload(container.uow(), actor, staff_id, as_of, container.context)
    return WorkloadOut.of(load, as_of)
