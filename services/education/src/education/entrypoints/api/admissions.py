"""/api/education/v1/admissions: the admission queue and the commission's decisions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from education.domain.admission import ApplicationState
from education.entrypoints.api import schemas
from education.entrypoints.api.deps import PREFIX, ActorDep, ContainerDep
from education.service_layer import commands, views

router = APIRouter(prefix=f"{PREFIX}/admissions", tags=["admission"])


@router.post("", status_code=201)
def submit(body: schemas.ApplicationCreate, container: ContainerDep, actor: ActorDep) -> dict[str, str]:
    return {"id": container.handle(commands.SubmitApplication(**body.model_dump()), actor)}


@router.get("")
def queue(school_id: str, container: ContainerDep, actor: ActorDep,
          state: ApplicationState | None = None) -> list[dict[str, Any]]:
    return [schemas.read(a) for a in views.admission_queue(container.context(actor), school_id, state)]


@router.post("/{application_id}/approve", status_code=204)
def approve(application_id: str, body: schemas.Approve, container: ContainerDep, actor: ActorDep) -> None:
    container.handle(commands.ApproveApplication(application_id, body.overrides, body.class_id, body.on), actor)


@router.post("/{application_id}/suspend", status_code=204)
def suspend(application_id: str, body: schemas.Suspend, container: ContainerDep, actor: ActorDep) -> None:
    container.handle(commands.SuspendApplication(application_id, tuple(body.missing_documents)), actor)


@router.post("/{application_id}/reject", status_code=204)
def reject(application_id: str, body: schemas.Reason, container: ContainerDep, actor: ActorDep) -> None:
    container.handle(commands.RejectApplication(application_id, body.reason), actor)
