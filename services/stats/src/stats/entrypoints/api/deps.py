"""FastAPI dependencies shared by stats' routers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Annotated, Any

from esis_shared.auth import Principal, current_principal
from esis_shared.errors import Forbidden, NotFound
from fastapi import Depends, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
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


def kept_json(world: World, key: tuple[Any, ...], build: Callable[[], Any]) -> Response:
    """The JSON body built once per state of the projections (and whatever else ``key`` holds), then served as
    bytes: figures are read far more often than events change them. Access checks stay with the caller, per
    request; ``key`` must hold everything the body depends on (area, year, …) so two areas never share one."""
    body = world.snapshot.memo(("json", *key), lambda: JSONResponse(jsonable_encoder(build())).body)
    return Response(body, media_type="application/json")
