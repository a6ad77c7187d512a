"""/api/education/v1/transfers: request, release, approve / reject, cancel; the inbox per school."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from education.entrypoints.api import schemas
from education.entrypoints.api.deps import PREFIX, ActorDep, ContainerDep
from education.service_layer import commands, views

router = APIRouter(prefix=f"{PREFIX}/transfers", tags=["transfers"])


@router.post("", status_code=201)
def request_transfer(body: schemas.TransferCreate, container: ContainerDep, actor: ActorDep) -> dict[str, str]:
    """From the sending school with ``learner_id``; from the receiving school with the ``register_number``."""
    return {"id": container.handle(commands.RequestTransfer(**body.model_dump()), actor)}


@router.get("")
def inbox(school_id: str, container: ContainerDep, actor: ActorDep) -> dict[str, list[dict[str, Any]]]:
    found = views.transfer_inbox(container.context(actor), school_id)
    return {box: [schemas.read_transfer(t) for t in items] for box, items in found.items()}


@router.get("/escalated")
def escalated(container: ContainerDep, actor: ActorDep) -> list[dict[str, Any]]:
    return [schemas.read_transfer(t) for t in views.escalated_transfers(container.context(actor))]


@router.post("/{transfer_id}/release", status_code=204)
def release(transfer_id: str, container: ContainerDep, actor: ActorDep) -> None:
    container.handle(commands.ReleaseTransfer(transfer_id), actor)


@router.post("/{transfer_id}/approve", status_code=204)
def approve(transfer_id: str, body: schemas.TransferApprove, container: ContainerDep, actor: ActorDep) -> None:
    container.handle(commands.ApproveTransfer(transfer_id, body.class_id, body.on), actor)


@router.post("/{transfer_id}/reject", status_code=204)
def reject(transfer_id: str, body: schemas.Reason, container: ContainerDep, actor: ActorDep) -> None:
    container.handle(commands.RejectTransfer(transfer_id, body.reason), actor)


@router.post("/{transfer_id}/cancel", status_code=204)
def cancel(transfer_id: str, container: ContainerDep, actor: ActorDep) -> None:
    container.handle(commands.CancelTransfer(transfer_id), actor)
