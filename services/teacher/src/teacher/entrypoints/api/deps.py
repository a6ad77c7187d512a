"""FastAPI dependencies shared by the teacher portal's routers."""

from __future__ import annotations

from typing import Annotated

from esis_shared.auth import Principal, current_principal
from fastapi import Depends, Request

from teacher.bootstrap import Container
from teacher.domain.access import Actor


def get_container(request: Request) -> Container:
    return request.app.state.container


def actor_of(principal: Principal) -> Actor:
    return Actor(principal.subject, principal.role, principal.org_ids, principal.class_ids, principal.name)


def get_actor(principal: Annotated[Principal, Depends(current_principal())]) -> Actor:
    return actor_of(principal)


ContainerDep = Annotated[Container, Depends(get_container)]
ActorDep = Annotated[Actor, Depends(get_actor)]
