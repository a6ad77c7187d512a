"""FastAPI dependencies shared by the routers: the container, the caller as a domain Actor, the language."""

from __future__ import annotations

from typing import Annotated

from esis_shared.auth import Principal, current_principal
from fastapi import Depends, Query, Request

from education.bootstrap import Container
from education.domain.access import Actor, Role
from education.domain.errors import Forbidden
from education.service_layer.handlers.common import Context

PREFIX = "/api/education/v1"


def get_container(request: Request) -> Container:
    return request.app.state.container


def get_actor(principal: Annotated[Principal, Depends(current_principal())]) -> Actor:
    try:
        role = Role(principal.role)
    except ValueError:
        raise Forbidden(f"'{principal.role}' эрхээр боловсролын мэдээлэлд хандах боломжгүй.",
                        f"The role '{principal.role}' has no access to education data.") from None
    return Actor(principal.subject, role, principal.org_ids, principal.class_ids, principal.child_ids)


def get_lang(request: Request, lang: Annotated[str | None, Query(include_in_schema=False)] = None) -> str:
    chosen = lang or request.cookies.get("lang") or "mn"
    return "en" if chosen == "en" else "mn"


ContainerDep = Annotated[Container, Depends(get_container)]
ActorDep = Annotated[Actor, Depends(get_actor)]
LangDep = Annotated[str, Depends(get_lang)]


def context(container: Container, actor: Actor) -> Context:
    return container.context(actor)
