"""Real servers for the gateway's integration tests: a tiny upstream (uvicorn in a thread) and the gateway
itself as a separate ``python -m gateway`` process configured only through ``GATEWAY_*`` variables."""

# No ``from __future__ import annotations``: FastAPI must resolve the closure's Annotated dependency.
import hashlib
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Annotated, Any

import anyio
import httpx
import pytest
import uvicorn
from esis_shared.api import create_app
from esis_shared.auth import Principal, StaticKeyVerifier, current_principal
from esis_shared.config import ServiceSettings
from esis_shared.testing.processes import ServerProcess, free_port, start_server
from fastapi import APIRouter, Depends, FastAPI, Request

ISSUER = "esis-identity"
AUDIENCE = "esis"
SLOW_SECONDS = 6.0
# Generous enough for a loaded 2-core CI machine; the slow endpoint sleeps well past it.
GATEWAY_READ_TIMEOUT = 3.0


def upstream_app(jwks: dict) -> FastAPI:
    """Plays identity: serves the JWKS, a protected endpoint that verifies tokens itself, and a slow one."""
    verifier = StaticKeyVerifier(jwks, issuer=ISSUER, audience=AUDIENCE)
    router = APIRouter()
    CurrentPrincipal = Annotated[Principal, Depends(current_principal(verifier))]

    @router.get("/api/identity/v1/jwks")
    def get_jwks() -> dict:
        return jwks

    @router.get("/api/identity/v1/me")
    def me(principal: CurrentPrincipal, request: Request) -> dict[str, Any]:
        seen = {name: request.headers.get(name) for name in ("x-request-id", "traceparent", "x-forwarded-for")}
        return {"subject": principal.subject, "role": principal.role, "headers": seen}

    @router.get("/api/identity/v1/accounts")
    def accounts(principal: CurrentPrincipal) -> list[dict[str, str]]:
        return [{"id": principal.subject}]

    @router.post("/api/identity/v1/uploads")
    async def upload(principal: CurrentPrincipal, request: Request) -> dict[str, Any]:
        digest, size = hashlib.sha256(), 0
        async for chunk in request.stream():
            digest.update(chunk)
            size += len(chunk)
        return {"sha256": digest.hexdigest(), "size": size}

    @router.get("/api/identity/v1/slow")
    async def slow(principal: CurrentPrincipal) -> dict[str, str]:
        await anyio.sleep(SLOW_SECONDS)
        return {"status": "late"}

    @router.get("/identity/login")
    def login_page() -> dict[str, str]:
        return {"page": "login"}

    return create_app(ServiceSettings(service_name="fake-identity"), title="fake identity", routers=[router])


class ThreadServer:
    """uvicorn serving an app on a free loopback port, in a thread of the test process."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_config=None, access_log=False,
                                lifespan="off", timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="upstream", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "ThreadServer":
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the upstream test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def gateway_env(port: int, services: dict[str, str], jwks_url: str, **extra: str) -> dict[str, str]:
    return {"GATEWAY_HTTP_PORT": str(port), "GATEWAY_SERVICE_URLS": json.dumps(services),
            "GATEWAY_JWKS_URL": jwks_url, "GATEWAY_READ_TIMEOUT": str(GATEWAY_READ_TIMEOUT),
            "GATEWAY_LOG_JSON": "false", **extra}


def start_gateway(env: dict[str, str]) -> ServerProcess:
    """``python -m gateway`` as its own process; returns once /readyz answers."""
    port = int(env["GATEWAY_HTTP_PORT"])
    with pytest.MonkeyPatch.context() as patch:  # start_server hands this process's environment on
        for key in [k for k in os.environ if k.startswith("GATEWAY_")]:
            patch.delenv(key)
        for key, value in env.items():
            patch.setenv(key, value)
        server = start_server("gateway", [sys.executable, "-m", "gateway"], port, ready_timeout=30)
    _wait_ready(f"http://127.0.0.1:{port}/readyz", server)
    return server


def _wait_ready(url: str, server: ServerProcess) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"gateway not ready:\n{server.log_tail()}")


@pytest.fixture(scope="session")
def upstream(jwks: dict) -> Iterator[ThreadServer]:
    with ThreadServer(upstream_app(jwks)) as server:
        yield server


@pytest.fixture(scope="session")
def dead_url() -> str:
    """A loopback address where nothing listens (port taken from the OS, then released)."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture(scope="session")
def gateway_factory(upstream: ThreadServer, dead_url: str) -> Iterator[Callable[..., str]]:
    started: list[ServerProcess] = []

    def launch(**extra: str) -> str:
        port = free_port()
        services = {"identity": upstream.url, "education": dead_url}
        started.append(start_gateway(gateway_env(port, services, f"{upstream.url}/api/identity/v1/jwks", **extra)))
        return f"http://127.0.0.1:{port}"

    yield launch
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def gateway_url(gateway_factory: Callable[..., str]) -> str:
    return gateway_factory(GATEWAY_RATE_LIMIT_PER_SECOND="50", GATEWAY_RATE_LIMIT_BURST="200")
