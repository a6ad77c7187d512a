"""/api/education/v1/org-units: the effective-dated hierarchy (reads are public reference data)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter

from education.entrypoints.api import schemas
from education.entrypoints.api.deps import PREFIX, ActorDep, ContainerDep
from education.service_layer import commands, views

router = APIRouter(prefix=f"{PREFIX}/org-units", tags=["organisation hierarchy"])


@router.post("", status_code=201)
def create_org_unit(body: schemas.OrgUnitCreate, container: ContainerDep, actor: ActorDep) -> dict[str, str]:
    unit_id = container.handle(commands.CreateOrgUnit(**body.model_dump()), actor)  # type: ignore[arg-type]
    return {"id": unit_id}


@router.get("/{unit_id}/children")
def children(unit_id: str, container: ContainerDep, actor: ActorDep, as_of: date | None = None) -> dict[str, Any]:
    unit, found = views.org_children(container.context(actor), unit_id, as_of)
    return {"unit": _unit(unit, as_of), "as_of": (as_of or container.clock.today()).isoformat(),
            "children": [_unit(u, as_of) for u in found]}


@router.post("/{unit_id}/move", status_code=204)
def move(unit_id: str, body: schemas.Move, container: ContainerDep, actor: ActorDep) -> None:
    container.handle(commands.MoveOrgUnit(unit_id, body.parent_id, body.on), actor)


@router.post("/{unit_id}/merge", status_code=204)
def merge(unit_id: str, body: schemas.Merge, container: ContainerDep, actor: ActorDep) -> None:
    container.handle(commands.MergeOrgUnits(unit_id, body.target_id, body.on), actor)


@router.post("/{unit_id}/close", status_code=204)
def close(unit_id: str, body: schemas.OnDate, container: ContainerDep, actor: ActorDep) -> None:
    container.handle(commands.CloseOrgUnit(unit_id, body.on or container.clock.today()), actor)


@router.put("/{unit_id}/catchment", status_code=204)
def catchment(unit_id: str, body: schemas.Catchment, container: ContainerDep, actor: ActorDep) -> None:
    container.handle(commands.SetCatchment(unit_id, tuple(body.area_codes)), actor)


@router.get("/{unit_id}/census")
def census(unit_id: str, container: ContainerDep, actor: ActorDep, on: date | None = None) -> dict[str, Any]:
    found = views.enrolment_census(container.context(actor), unit_id, on)
    return {"org_id": found.org_id, "on": found.on.isoformat(), "total": found.total, "by_level": found.by_level,
            "by_sex": found.by_sex}


def _unit(unit: Any, as_of: date | None) -> dict[str, Any]:
    data = schemas.read(unit)
    data.pop("links", None)
    data["parent_id"] = unit.parent_id(as_of or date.today())
    return data
