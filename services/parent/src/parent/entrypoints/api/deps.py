"""FastAPI dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from esis_shared.auth import Principal, bearer_token, current_principal
from fastapi import Depends, Request

from parent.bootstrap import Container
from parent.service_layer.ports import Deps

PREFIX = "/api/parent/v1"


def get_container(request: Request) -> Container:
    return request.app.state.container


def get_deps(request: Request) -> Deps:
    return request.app.state.container.deps


def get_token(request: Request) -> str:
    return bearer_token(request) or ""


ContainerDep = Annotated[Container, Depends(get_container)]
DepsDep = Annotated[Deps, Depends(get_deps)]
PrincipalDep = Annotated[Principal, Depends(current_principal())]
TokenDep = Annotated[str, Depends(get_token)]
