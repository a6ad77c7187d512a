"""Small upstream answers are read whole before the gateway answers; big or unsized ones stream; lanes rotate."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from gateway.adapters.upstream import OutgoingRequest, Timeouts, Upstreams, make_client
from gateway.bootstrap import build_app
from gateway.config import Settings

pytestmark = pytest.mark.anyio
URLS = {"identity": "http://identity.test"}


class Breaking(httpx.AsyncByteStream):
    """A body that fails after its first chunk, as a service dying mid-answer does."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"partial": '
        raise self.error


async def answer(error: Exception, headers: list[tuple[str, str]]):
    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=headers, stream=Breaking(error))
    app = build_app(Settings(service_urls=URLS, rate_limit_per_second=0, public_prefixes=["/api/identity/"]),
                    transport=httpx.MockTransport(handler))
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app), base_url="http://esis.test") as client:
        return await client.get("/api/identity/v1/jwks")


@pytest.mark.parametrize(("error", "status", "code"), [
    (httpx.ReadError("connection reset"), 502, "service_unavailable"),
    (httpx.ReadTimeout("timed out"), 504, "upstream_timeout"),
])
async def test_a_small_answer_broken_midway_is_a_clean_error(error, status, code) -> None:
    response = await answer(error, [("content-type", "application/json"), ("content-length", "40")])
    assert response.status_code == status and response.json()["error"]["code"] == code


async def test_an_answer_of_unknown_length_still_streams() -> None:
    with pytest.raises(httpx.HTTPError):  # headers were sent already: the client sees a broken body, not an error
        await answer(httpx.ReadError("connection reset"), [("content-type", "application/json")])


async def test_requests_take_the_lanes_in_turn() -> None:
    used: list[str] = []

    def lane(name: str) -> httpx.AsyncClient:
        def handler(request: httpx.Request) -> httpx.Response:
            used.append(name)
            return httpx.Response(200, json={})
        return make_client(Timeouts(), transport=httpx.MockTransport(handler))

    clients = [lane("a"), lane("b"), lane("c")]
    upstreams = Upstreams(URLS, clients[0], lanes=clients[1:])
    for _ in range(4):
        response = await upstreams.send("identity", OutgoingRequest("GET", b"/x", b"", []))
        await response.aclose()
    assert used == ["a", "b", "c", "a"]
    for client in clients:
        await client.aclose()
