"""FastAPI dependencies of hr's routers: the container, the caller as a domain ``Actor``, the language."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from esis_shared.auth import Principal, current_principal
from esis_shared.web.i18n import request_language
from fastapi import Depends, Query, Request

from hr.bootstrap import Container
from hr.domain.access import Actor
from hr.service_layer.views import actor_context


def get_container(request: Request) -> Container:
    return request.app.state.container


ContainerDep = Annotated[Container, Depends(get_container)]
PrincipalDep = Annotated[Principal, Depends(current_principal())]


def actor_of(principal: Principal, container: Container) -> Actor:
    """The caller with what the token does not say: the aimags of their orgs, their own staff record."""
    staff_id, aimags = actor_context(container.uow(), principal.subject, sorted(principal.org_ids))
    return Actor(principal.subject, principal.role, principal.org_ids, aimags, staff_id, principal.class_ids)


def get_actor(principal: PrincipalDep, container: ContainerDep) -> Actor:
    return actor_of(principal, container)


def get_lang(request: Request) -> str:
    return request_language(request)


def get_as_of(container: ContainerDep,
              as_of: Annotated[date | None, Query(description="The day asked about; today when left out")] = None,
              ) -> date:
    return as_of or container.context.today()


ActorDep = Annotated[Actor, Depends(get_actor)]
LangDep = Annotated[str, Depends(get_lang)]
AsOfDep = Annotated[date, Depends(get_as_of)]
