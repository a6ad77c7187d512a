"""gRPC: ``esis.feeds.v1.FeedsService`` — the head (snapshot id) of an aimag's feed."""

from __future__ import annotations

import grpc
from esis.feeds.v1 import feeds_service_pb2 as pb
from esis.feeds.v1 import feeds_service_pb2_grpc as pb_grpc
from esis_shared.grpc import create_grpc_server

from feeds.adapters.repository import FeedRepository
from feeds.bootstrap import Container
from feeds.domain.feed import codes, topic_for

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["FeedsService"].full_name


class FeedsServicer(pb_grpc.FeedsServiceServicer):
    def __init__(self, container: Container) -> None:
        self.container = container

    def GetFeedHead(self, request: pb.GetFeedHeadRequest, context: grpc.ServicerContext) -> pb.FeedHead:  # noqa: N802
        if request.aimag_code not in codes():
            context.abort(grpc.StatusCode.NOT_FOUND, f"no aimag {request.aimag_code!r}")
        with self.container.transaction() as session:
            version = FeedRepository(session).head(request.aimag_code)
        return pb.FeedHead(aimag_code=request.aimag_code, version=version, topic=topic_for(request.aimag_code))


def build_grpc_server(container: Container) -> grpc.Server:
    settings = container.settings
    servicer = FeedsServicer(container)
    return create_grpc_server(
        settings.grpc_port or 9007, service=settings.service_name, host=settings.http_host,
        register=lambda server: pb_grpc.add_FeedsServiceServicer_to_server(servicer, server),
        service_names=[SERVICE_NAME])
