"""GetAccount over gRPC (servicer called directly) and the mapping of every domain event to protobuf."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import grpc
import pytest
from esis.identity.v1 import identity_events_pb2 as events_pb
from esis.identity.v1 import identity_service_pb2 as pb
from identity.adapters.messages import ROLES, to_message
from identity.bootstrap import Container
from identity.domain import events
from identity.domain.model import LockReason, Role, Scopes
from identity.entrypoints.grpc_server import IdentityServicer
from identity.service_layer.commands import LockAccount

Seeder = Callable[..., Any]
NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)


class Aborted(Exception):
    pass


class FakeContext:
    code: grpc.StatusCode | None = None

    def abort(self, code: grpc.StatusCode, details: str) -> None:
        self.code = code
        raise Aborted(details)


def test_get_account_returns_current_role_scopes_and_status(container: Container, seed: Seeder) -> None:
    ministry = seed("minister", "ministry")
    teacher = seed("teach", "teacher", orgs=("school-1",), classes=("5a",))
    container.handle(LockAccount(ministry.id, teacher.id))
    reply = IdentityServicer(container).GetAccount(pb.GetAccountRequest(account_id=teacher.id), FakeContext())
    assert (reply.account_id, reply.username, reply.role) == (teacher.id, "teach", events_pb.ROLE_TEACHER)
    assert list(reply.org_ids) == ["school-1"] and list(reply.class_ids) == ["5a"]
    assert reply.status == pb.ACCOUNT_STATUS_LOCKED


def test_get_account_of_an_unknown_id_is_not_found(container: Container) -> None:
    context = FakeContext()
    with pytest.raises(Aborted):
        IdentityServicer(container).GetAccount(pb.GetAccountRequest(account_id="missing"), context)
    assert context.code is grpc.StatusCode.NOT_FOUND


def test_every_role_has_its_own_protobuf_value() -> None:
    assert set(ROLES) == set(Role)
    assert len(set(ROLES.values())) == len(Role) and events_pb.ROLE_UNSPECIFIED not in ROLES.values()


@pytest.mark.parametrize("event, expected", [
    (events.AccountCreated("a1", "bold", Role.PARENT, Scopes.of(["s1"], child_ids=["l1"]), NOW),
     events_pb.AccountCreated(account_id="a1", username="bold", role=events_pb.ROLE_PARENT, org_ids=["s1"],
                              child_ids=["l1"])),
    (events.AccountScopesChanged("a1", Role.TEACHER, Scopes.of(["s1"], ["5a"]), "adm", NOW),
     events_pb.AccountScopesChanged(account_id="a1", role=events_pb.ROLE_TEACHER, org_ids=["s1"], class_ids=["5a"],
                                    actor_account_id="adm")),
    (events.AccountLocked("a1", LockReason.ADMINISTRATOR, None, NOW),
     events_pb.AccountLocked(account_id="a1", reason=events_pb.LOCK_REASON_ADMINISTRATOR)),
    (events.AccountUnlocked("a1", None, NOW), events_pb.AccountUnlocked(account_id="a1")),
    (events.AccountDisabled("a1", "adm", NOW), events_pb.AccountDisabled(account_id="a1", actor_account_id="adm")),
    (events.PasswordChanged("a1", "a1", NOW), events_pb.PasswordChanged(account_id="a1", actor_account_id="a1")),
])
def test_domain_events_map_to_their_protobuf_messages(event: object, expected: Any) -> None:
    message = to_message(event)
    expected.occurred_at.FromDatetime(NOW)
    assert message == expected
    assert not (isinstance(message, events_pb.AccountLocked) and message.HasField("locked_until"))
