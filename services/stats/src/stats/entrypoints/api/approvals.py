"""Approval of census figures: ``/api/stats/v1/approvals/{census_id}/{org_id}[/submit|/approve|/correct]``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from stats.domain.approval import Revision
from stats.entrypoints.api.deps import ContainerDep, PrincipalDep, SessionDep
from stats.service_layer import approvals
from stats.service_layer.approvals import Census

router = APIRouter(prefix="/api/stats/v1/approvals", tags=["approvals"])
CENSUS = r"^\d{4}-\d{4}$"


class CorrectionCreate(BaseModel):
    figures: dict[str, int]
    reason: str = Field(min_length=1, max_length=2000)


def revision_read(revision: Revision) -> dict[str, Any]:
    return {"number": revision.number, "status": revision.status.value, "figures": revision.figures,
            "fingerprint": revision.fingerprint, "reason": revision.reason,
            "changes": [vars(c) for c in revision.changes], "created_by": revision.created_by,
            "approved_by": revision.approved_by,
            "approved_at": revision.approved_at.isoformat() if revision.approved_at else None}


@router.get("/{census_id}/{org_id}")
def history(census_id: str, org_id: str, session: SessionDep, _: PrincipalDep) -> dict[str, Any]:
    revisions = approvals.status(session, Census(census_id), org_id)
    return {"census_id": census_id, "org_id": org_id, "revisions": [revision_read(r) for r in revisions]}


@router.post("/{census_id}/{org_id}/submit")
def submit(census_id: str, org_id: str, session: SessionDep, principal: PrincipalDep,
           container: ContainerDep) -> dict[str, Any]:
    """A school reports its census-day figures, computed from the events; a draft can be replaced."""
    return revision_read(approvals.submit(session, principal, Census(census_id), org_id, container.clock()))


@router.post("/{census_id}/{org_id}/approve")
def approve(census_id: str, org_id: str, session: SessionDep, principal: PrincipalDep,
            container: ContainerDep) -> dict[str, Any]:
    return revision_read(approvals.approve(session, principal, Census(census_id), org_id, container.clock()))


@router.post("/{census_id}/{org_id}/correct")
def correct(census_id: str, org_id: str, body: CorrectionCreate, session: SessionDep, principal: PrincipalDep,
            container: ContainerDep) -> dict[str, Any]:
    revision = approvals.correct(session, principal, Census(census_id), org_id, body.figures, body.reason,
                                 container.clock())
    return revision_read(revision)
