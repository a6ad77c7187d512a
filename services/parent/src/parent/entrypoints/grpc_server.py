"""gRPC: ``esis.parent.v1.ParentService`` — which portal accounts are linked to a learner."""

from __future__ import annotations

import grpc
from esis.parent.v1 import parent_service_pb2 as pb
from esis.parent.v1 import parent_service_pb2_grpc as pb_grpc
from esis_shared.grpc import create_grpc_server

from parent.adapters.messages import timestamp
from parent.bootstrap import Container

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["ParentService"].full_name


class ParentServicer(pb_grpc.ParentServiceServicer):
    def __init__(self, container: Container) -> None:
        self.container = container

    def ListLinkedGuardians(self, request: pb.ListLinkedGuardiansRequest,  # noqa: N802
                            context: grpc.ServicerContext) -> pb.ListLinkedGuardiansResponse:
        if not request.learner_id:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "learner_id is required")
        with self.container.deps.uow() as uow:
            links = uow.links.for_learner(request.learner_id)
        return pb.ListLinkedGuardiansResponse(learner_id=request.learner_id, guardians=[
            pb.LinkedGuardian(account_id=x.account_id, relationship=x.relationship, linked_at=timestamp(x.linked_at))
            for x in links])


def build_grpc_server(container: Container, port: int | None = None) -> grpc.Server:
    servicer = ParentServicer(container)
    settings = container.settings
    return create_grpc_server(port or settings.grpc_port or 9005, service=settings.service_name,
                              host=settings.http_host,
                              register=lambda server: pb_grpc.add_ParentServiceServicer_to_server(servicer, server),
                              service_names=[SERVICE_NAME])
