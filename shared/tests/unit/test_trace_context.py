"""Without an exporter, services propagate the trace without building spans."""

from __future__ import annotations

from esis_shared.tracing import TraceContextMiddleware, current_traceparent
from fastapi import FastAPI
from fastapi.testclient import TestClient

TRACE_ID = "0af7651916cd43dd8448eb211c80319c"


def app() -> TestClient:
    api = FastAPI()
    api.add_middleware(TraceContextMiddleware)

    @api.get("/seen")
    async def seen() -> dict[str, str | None]:
        return {"traceparent": current_traceparent()}

    return TestClient(api)


def test_a_request_runs_in_the_callers_trace():
    incoming = f"00-{TRACE_ID}-b7ad6b7169203331-01"
    seen = app().get("/seen", headers={"traceparent": incoming}).json()["traceparent"]
    assert seen.split("-")[1] == TRACE_ID


def test_a_request_without_a_trace_gets_a_new_one_each_time():
    client = app()
    first, second = (client.get("/seen").json()["traceparent"] for _ in range(2))
    assert first and second and first.split("-")[1] != second.split("-")[1]
    assert first.endswith("-01")


def test_a_malformed_traceparent_starts_a_new_trace():
    seen = app().get("/seen", headers={"traceparent": "00-nonsense"}).json()["traceparent"]
    assert seen and len(seen.split("-")[1]) == 32
