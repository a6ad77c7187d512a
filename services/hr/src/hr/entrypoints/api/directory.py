"""hr's copy of education's organisations and classes, for the ministry or a service account to keep in step.

Education's events will keep it up to date (``entrypoints/consumer.py``); until they exist this is the way in.
"""

from __future__ import annotations

from fastapi import APIRouter

from hr.entrypoints.api.deps import ActorDep, ContainerDep
from hr.entrypoints.api.schemas import ClassIn, OrgIn
from hr.service_layer import commands

router = APIRouter(prefix="/api/hr/v1/directory", tags=["directory"])


@router.put("/orgs/{org_id}", status_code=204)
def save_org(org_id: str, body: OrgIn, actor: ActorDep, container: ContainerDep) -> None:
    container.bus.handle(commands.SaveOrg(actor, org_id, body.name, body.aimag_code, body.kind))


@router.put("/classes/{class_id}", status_code=204)
def save_class(class_id: str, body: ClassIn, actor: ActorDep, container: ContainerDep) -> None:
    container.bus.handle(commands.SaveClass(actor, class_id, body.org_id, body.school_year, body.name, body.grade,
                                            tuple(sorted(body.subject_hours.items()))))
