"""HTTP entry points: the catch-all proxy, aggregated health, and the merged API docs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request

if TYPE_CHECKING:
    from gateway.bootstrap import Gateway


def gateway_of(request: Request) -> Gateway:
    return request.app.state.gateway
