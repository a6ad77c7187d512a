"""``GET /healthz``: the gateway is up; ``status`` says whether every service answers its own /healthz."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from gateway.domain.health import summarize
from gateway.entrypoints.api import gateway_of

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
async def healthz(request: Request) -> dict[str, Any]:
    gateway = gateway_of(request)
    upstreams, _ = gateway.running()
    return summarize(gateway.settings.service_name, await upstreams.health_all())
