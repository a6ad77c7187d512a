"""The population reference (ministry only): ``POST /api/stats/v1/population`` with a CSV body."""

from __future__ import annotations

from typing import Annotated, Any

from esis_shared.auth import Principal, require_roles
from fastapi import APIRouter, Depends, Request

from stats.entrypoints.api.deps import SessionDep
from stats.service_layer import population

router = APIRouter(prefix="/api/stats/v1", tags=["population"])
MinistryDep = Annotated[Principal, Depends(require_roles("ministry"))]


@router.post("/population", status_code=201)
async def upload(request: Request, session: SessionDep, _: MinistryDep) -> dict[str, Any]:
    """Replace the population of every (area_code, year) in the file: ``area_code,year,age,sex,population``."""
    rows = population.parse((await request.body()).decode("utf-8"))
    return {"rows": population.replace(session, rows)}
