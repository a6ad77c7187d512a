"""gRPC: ``esis.identity.v1.IdentityService`` for services that need an account's current state."""

from __future__ import annotations

import logging

import grpc
from esis.identity.v1 import identity_service_pb2 as pb
from esis.identity.v1 import identity_service_pb2_grpc as pb_grpc
from esis_shared.grpc import create_grpc_server

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
    """The gRPC server on ``IDENTITY_GRPC_PORT`` with health and reflection (not started)."""
    settings = container.settings
    servicer = IdentityServicer(container)
    return create_grpc_server(
        settings.grpc_port or 9001, service=settings.service_name, host=settings.http_host,
        register=lambda server: pb_grpc.add_IdentityServiceServicer_to_server(servicer, server),
        service_names=[SERVICE_NAME])
