"""gRPC: ``esis.identity.v1.IdentityService`` for services that need an account's current state."""

from __future__ import annotations

import logging
from concurrent import futures

import grpc
from esis.identity.v1 import identity_service_pb2 as pb
from esis.identity.v1 import identity_service_pb2_grpc as pb_grpc

from identity.adapters.messages import ROLES, timestamp
from identity.bootstrap import Container
from identity.domain.model import Account, AccountStatus

log = logging.getLogger(__name__)
STATUSES = {AccountStatus.ACTIVE: pb.ACCOUNT_STATUS_ACTIVE, AccountStatus.LOCKED: pb.ACCOUNT_STATUS_LOCKED,
            AccountStatus.DISABLED: pb.ACCOUNT_STATUS_DISABLED}
SERVICE_NAME = pb.DESCRIPTOR.services_by_name["IdentityService"].full_name


def account_message(account: Account, status: AccountStatus) -> pb.Account:
    return pb.Account(account_id=account.id, username=account.username, role=ROLES[account.role],  # type: ignore[arg-type]
                      org_ids=sorted(account.scopes.org_ids), class_ids=sorted(account.scopes.class_ids),
                      child_ids=sorted(account.scopes.child_ids), status=STATUSES[status],
                      created_at=timestamp(account.created_at))


class IdentityServicer(pb_grpc.IdentityServiceServicer):
    def __init__(self, container: Container) -> None:
        self.container = container

    def GetAccount(self, request: pb.GetAccountRequest, context: grpc.ServicerContext) -> pb.Account:  # noqa: N802
        deps = self.container.deps
        with deps.uow() as uow:
            account = uow.accounts.get(request.account_id) if request.account_id else None
        if account is None:
            context.abort(grpc.StatusCode.NOT_FOUND, f"no account {request.account_id!r}")
        return account_message(account, account.status(deps.clock()))  # type: ignore[union-attr]


def build_grpc_server(container: Container) -> grpc.Server:
    """The gRPC server on ``IDENTITY_GRPC_PORT``, with health and reflection (not started)."""
    return _plain_server(container, IdentityServicer(container))


def _plain_server(container: Container, servicer: IdentityServicer) -> grpc.Server:
    """TODO(esis_shared.grpc): switch to create_grpc_server for its interceptors (metrics, tracing)."""
    from grpc_health.v1 import health, health_pb2, health_pb2_grpc
    from grpc_reflection.v1alpha import reflection

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    pb_grpc.add_IdentityServiceServicer_to_server(servicer, server)
    checker = health.HealthServicer()
    checker.set(SERVICE_NAME, health_pb2.HealthCheckResponse.SERVING)
    checker.set("", health_pb2.HealthCheckResponse.SERVING)
    health_pb2_grpc.add_HealthServicer_to_server(checker, server)
    reflection.enable_server_reflection([SERVICE_NAME, health.SERVICE_NAME, reflection.SERVICE_NAME], server)
    server.add_insecure_port(f"{container.settings.http_host}:{container.settings.grpc_port}")
    return server
