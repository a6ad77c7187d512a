"""A gRPC server built by create_grpc_server answers health and reflection, and is observed."""

from __future__ import annotations

import time

import grpc
import pytest
from esis_shared.grpc import create_grpc_server, downstream_timeout, grpc_channel
from esis_shared.metrics import GRPC_LATENCY
from esis_shared.testing.processes import free_port
from esis_shared.tracing import configure_tracing
from google.protobuf.wrappers_pb2 import StringValue
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from opentelemetry import trace

pytestmark = pytest.mark.integration
ECHO = "esis.test.v1.Echo"


class EchoServicer:
    def __init__(self) -> None:
        self.seen_trace_ids: list[int] = []
        self.seen_timeouts: list[float] = []

    def say(self, request: StringValue, context: grpc.ServicerContext) -> StringValue:
        self.seen_trace_ids.append(trace.get_current_span().get_span_context().trace_id)
        self.seen_timeouts.append(downstream_timeout(context, ceiling_s=60))
        if request.value == "missing":
            context.abort(grpc.StatusCode.NOT_FOUND, "no such pupil")
        if request.value == "slow":
            time.sleep(0.5)
        return StringValue(value=f"hello {request.value}")

    def register(self, server: grpc.Server) -> None:
        handler = grpc.unary_unary_rpc_method_handler(self.say, request_deserializer=StringValue.FromString,
                                                      response_serializer=StringValue.SerializeToString)
        server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(ECHO, {"Say": handler}),))


@pytest.fixture
def echo():
    servicer = EchoServicer()
    port = free_port()
    server = create_grpc_server(port, service="grpc-test", register=servicer.register, service_names=[ECHO])
    server.start()
    channel = grpc_channel(f"127.0.0.1:{port}", default_timeout_s=0.3)
    say = channel.unary_unary(f"/{ECHO}/Say", request_serializer=StringValue.SerializeToString,
                              response_deserializer=StringValue.FromString)
    yield servicer, channel, say
    channel.close()
    server.stop(grace=None)


def _count(method: str, code: str) -> float:
    for metric in GRPC_LATENCY.collect():
        for sample in metric.samples:
            if sample.name.endswith("_count") and sample.labels == {"service": "grpc-test", "method": method,
                                                                    "code": code}:
                return sample.value
    return 0.0


def test_health_reports_serving_for_each_service_and_the_server(echo):
    _, channel, _ = echo
    stub = health_pb2_grpc.HealthStub(channel)
    for name in ("", ECHO):
        assert stub.Check(health_pb2.HealthCheckRequest(service=name)).status == \
            health_pb2.HealthCheckResponse.SERVING
    with pytest.raises(grpc.RpcError) as unknown:
        stub.Check(health_pb2.HealthCheckRequest(service="esis.nobody.v1.Nothing"))
    assert unknown.value.code() is grpc.StatusCode.NOT_FOUND


def test_reflection_lists_the_services(echo):
    _, channel, _ = echo
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    [reply] = list(stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")])))
    names = {service.name for service in reply.list_services_response.service}
    assert names == {ECHO, "grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection"}


def test_latency_is_recorded_per_method_and_status_code(echo):
    _, _, say = echo
    method = f"/{ECHO}/Say"
    ok_before, missing_before = _count(method, "OK"), _count(method, "NOT_FOUND")
    assert say(StringValue(value="Болд")).value == "hello Болд"
    with pytest.raises(grpc.RpcError):
        say(StringValue(value="missing"))
    assert (_count(method, "OK"), _count(method, "NOT_FOUND")) == (ok_before + 1, missing_before + 1)


def test_server_continues_the_callers_trace(echo):
    configure_tracing("shared-tests", "memory")
    servicer, _, say = echo
    with trace.get_tracer("test").start_as_current_span("caller") as span:
        say(StringValue(value="x"))
    assert servicer.seen_trace_ids == [span.get_span_context().trace_id]


def test_calls_without_a_timeout_get_the_channel_default_deadline(echo):
    servicer, _, say = echo
    with pytest.raises(grpc.RpcError) as slow:
        say(StringValue(value="slow"))
    assert slow.value.code() is grpc.StatusCode.DEADLINE_EXCEEDED
    assert 0 < servicer.seen_timeouts[0] <= 0.3
