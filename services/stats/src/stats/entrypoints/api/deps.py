"""FastAPI dependencies shared by stats' routers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated

from esis_shared.auth import Principal, current_principal
from esis_shared.errors import Forbidden, NotFound
from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session

from stats.bootstrap import Container
from stats.domain import access
from stats.domain.hierarchy import NATIONAL
from stats.service_layer.figures import World, load_world


def get_container(request: Request) -> Container:
    return request.app.state.container


ContainerDep = Annotated[Container, Depends(get_container)]
PrincipalDep = Annotated[Principal, Depends(current_principal())]


def get_session(container: ContainerDep) -> Iterator[Session]:
    with container.transaction() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
AreaQuery = Annotated[str, Query(description="An org id of education's hierarchy, or 'national'")]
YearQuery = Annotated[int, Query(ge=2000, le=2100, description="First calendar year of the school year")]


def default_year(today: date) -> int:
    return today.year if today.month >= 9 else today.year - 1


def world_for(session: Session, area_id: str) -> World:
    world = load_world(session)
    if area_id != NATIONAL and world.hierarchy.get(area_id) is None:
        raise NotFound(f"No organisation {area_id!r} in the hierarchy", details={"area_id": area_id})
    return world


def visible_world(session: Session, principal: Principal, area_id: str, year: int) -> World:
    """The snapshot, once the caller is allowed to see ``area_id`` (403 otherwise)."""
    world = world_for(session, area_id)
    if not access.may_view(principal, world.hierarchy, area_id, world.census_day(year)):
        raise Forbidden(f"Your role or scope does not cover {area_id}", details={"area_id": area_id})
    return world
