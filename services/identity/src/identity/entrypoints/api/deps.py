"""FastAPI dependencies shared by identity's routers."""

from __future__ import annotations

from typing import Annotated

from esis_shared.auth import Principal, current_principal
from fastapi import Depends, Request

from identity.bootstrap import Container


def get_container(request: Request) -> Container:
    return request.app.state.container


ContainerDep = Annotated[Container, Depends(get_container)]
PrincipalDep = Annotated[Principal, Depends(current_principal())]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None
