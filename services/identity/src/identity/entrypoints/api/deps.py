"""FastAPI dependencies shared by identity's routers."""

from __future__ import annotations

from typing import Annotated

from esis_shared.auth import Principal, current_principal
from fastapi import Depends, Request

from identity.bootstrap import Container


async def get_container(request: Request) -> Container:
    """Async, so FastAPI resolves it on the event loop instead of a thread-pool round trip per request."""
    return request.app.state.container


ContainerDep = Annotated[Container, Depends(get_container)]
PrincipalDep = Annotated[Principal, Depends(current_principal())]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None
