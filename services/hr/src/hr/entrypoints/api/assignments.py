"""Teaching assignments: assign and end, who taught where on a date, a class's teachers and gaps."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from hr.entrypoints.api.deps import ActorDep, AsOfDep, ContainerDep, LangDep
from hr.entrypoints.api.responses import AssignedOut, AssignmentOut, GapOut, Items, NoticeOut
from hr.entrypoints.api.schemas import AssignmentIn, UnassignIn
from hr.service_layer import commands, views

router = APIRouter(prefix="/api/hr/v1", tags=["assignments"])


@router.post("/assignments", response_model=AssignedOut, status_code=201)
def assign(body: AssignmentIn, actor: ActorDep, container: ContainerDep, lang: LangDep) -> AssignedOut:
    """Refused when the class already has a teacher for the subject on those days; overload is a notice."""
    result = container.bus.handle(commands.AssignTeaching(
        actor, body.staff_id, body.class_id, body.subject_code, body.school_year, body.weekly_hours,
        body.start_date, body.last_day))
    names = views.names(container.uow(), [body.staff_id])
    return AssignedOut(assignment=AssignmentOut.of(result.assignment, names.get(body.staff_id, "")),
                       notices=[NoticeOut.of(n, lang) for n in result.notices])


@router.post("/assignments/{assignment_id}/end", response_model=AssignmentOut)
def unassign(assignment_id: str, body: UnassignIn, actor: ActorDep, container: ContainerDep) -> AssignmentOut:
    ended = container.bus.handle(commands.UnassignTeaching(actor, assignment_id, body.last_day, body.reason))
    return AssignmentOut.of(ended)


@router.get("/assignments", response_model=Items[AssignmentOut])
def taught_at(org_id: str, as_of: AsOfDep, actor: ActorDep, container: ContainerDep) -> Items[AssignmentOut]:
    """Who taught which class and subject at ``org_id`` on ``as_of``."""
    rows = views.teaching_at(container.uow(), actor, org_id, as_of)
    return Items[AssignmentOut](items=[AssignmentOut.of_row(r) for r in rows])


@router.get("/classes/{class_id}/assignments", response_model=Items[AssignmentOut])
def class_assignments(class_id: str, actor: ActorDep, container: ContainerDep,
                      as_of: Annotated[date | None, Query(description="Every assignment when left out")] = None,
                      ) -> Items[AssignmentOut]:
    rows = views.assignments_of_class(container.uow(), actor, class_id, as_of)
    return Items[AssignmentOut](items=[AssignmentOut.of_row(r) for r in rows])


@router.get("/classes/{class_id}/gaps", response_model=Items[GapOut])
def class_gaps(class_id: str, as_of: AsOfDep, actor: ActorDep, container: ContainerDep) -> Items[GapOut]:
    """Subjects of the class's curriculum nobody teaches on ``as_of``."""
    gaps = views.class_gaps(container.uow(), actor, class_id, as_of)
    return Items[GapOut](items=[GapOut.of(g) for g in gaps])
