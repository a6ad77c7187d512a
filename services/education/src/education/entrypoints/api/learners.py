"""/api/education/v1/learners: registration, profile (audited), guardians, enrolment, moves, withdrawal."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from education.entrypoints.api import schemas
from education.entrypoints.api.deps import PREFIX, ActorDep, ContainerDep
from education.service_layer import commands, views

router = APIRouter(prefix=f"{PREFIX}/learners", tags=["learners and guardians"])


@router.post("", status_code=201)
def register(body: schemas.LearnerCreate, container: ContainerDep, actor: ActorDep) -> dict[str, str]:
    return {"id": container.handle(commands.RegisterLearner(**body.model_dump()), actor)}  # type: ignore[arg-type]


@router.get("/{learner_id}")
def profile(learner_id: str, purpose: str, container: ContainerDep, actor: ActorDep) -> dict[str, Any]:
    """The learner's record with history; ``purpose`` is written to the learner's access log."""
    record = views.learner_record(container.context(actor), learner_id, purpose=purpose)
    return {"learner": schemas.read_learner(record.learner),
            "guardians": [schemas.read(g) for g in record.guardians],
            "transfers": [schemas.read_transfer(t) for t in record.transfers]}


@router.get("/{learner_id}/access-log")
def access_log(learner_id: str, container: ContainerDep, actor: ActorDep) -> list[dict[str, Any]]:
    return [schemas.read(e) for e in views.access_log(container.context(actor), learner_id)]


@router.post("/{learner_id}/guardians", status_code=201)
def add_guardian(learner_id: str, body: schemas.GuardianCreate, container: ContainerDep,
                 actor: ActorDep) -> dict[str, str]:
    command = commands.AddGuardian(learner_id, **body.model_dump())  # type: ignore[arg-type]
    return {"id": container.handle(command, actor)}


@router.post("/{learner_id}/guardians/{guardian_id}/verify", status_code=204)
def verify_guardian(learner_id: str, guardian_id: str, container: ContainerDep, actor: ActorDep) -> None:
    container.handle(commands.VerifyGuardianLink(learner_id, guardian_id), actor)


@router.post("/{learner_id}/guardians/{guardian_id}/revoke", status_code=204)
def revoke_guardian(learner_id: str, guardian_id: str, container: ContainerDep, actor: ActorDep) -> None:
    container.handle(commands.RevokeGuardianLink(learner_id, guardian_id), actor)


@router.post("/{learner_id}/enrolment", status_code=204)
def enrol(learner_id: str, body: schemas.Enrol, container: ContainerDep, actor: ActorDep) -> None:
    container.handle(commands.EnrolLearner(learner_id, body.class_id, body.on), actor)


@router.post("/{learner_id}/class-move", status_code=204)
def move_class(learner_id: str, body: schemas.Enrol, container: ContainerDep, actor: ActorDep) -> None:
    container.handle(commands.MoveLearnerToClass(learner_id, body.class_id, body.on), actor)


@router.post("/{learner_id}/withdrawal", status_code=204)
def withdraw(learner_id: str, body: schemas.Withdraw, container: ContainerDep, actor: ActorDep) -> None:
    command = commands.WithdrawLearner(learner_id, body.reason, body.on, body.note)  # type: ignore[arg-type]
    container.handle(command, actor)
