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
    """The client's address: with ``IDENTITY_TRUSTED_PROXIES`` = N (1: the gateway) the N-th X-Forwarded-For entry
    from the right, else the peer. Behind the gateway the peer is the gateway, whose address would make every
    guardian one client for the sign-up throttle and the sign-in audit."""
    peer = request.client.host if request.client else None
    trusted = request.app.state.container.settings.trusted_proxies
    forwarded = request.headers.get("x-forwarded-for")
    if trusted <= 0 or not forwarded:
        return peer
    chain = [entry.strip() for entry in forwarded.split(",") if entry.strip()] + [peer or "unknown"]
    return chain[max(0, len(chain) - 1 - trusted)][:45]
