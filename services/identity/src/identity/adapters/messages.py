"""Domain events → protobuf messages of ``esis.identity.v1`` (topic ``identity.accounts.v1``)."""

from __future__ import annotations

from datetime import datetime
from functools import singledispatch

from esis.identity.v1 import identity_events_pb2 as pb
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from identity.domain import events
from identity.domain.model import LockReason, Role

TOPIC = "identity.accounts.v1"
ROLES: dict[Role, int] = {
    Role.MINISTRY: pb.ROLE_MINISTRY,
    Role.AIMAG_OFFICER: pb.ROLE_AIMAG_OFFICER,
    Role.DISTRICT_OFFICER: pb.ROLE_DISTRICT_OFFICER,
    Role.SCHOOL_ADMIN: pb.ROLE_SCHOOL_ADMIN,
    Role.TEACHER: pb.ROLE_TEACHER,
    Role.PARENT: pb.ROLE_PARENT,
    Role.SERVICE: pb.ROLE_SERVICE,
}
LOCK_REASONS: dict[LockReason, int] = {
    LockReason.FAILED_SIGN_INS: pb.LOCK_REASON_FAILED_SIGN_INS,
    LockReason.ADMINISTRATOR: pb.LOCK_REASON_ADMINISTRATOR,
}


def timestamp(value: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


@singledispatch
def to_message(event: object) -> Message:
    raise TypeError(f"no protobuf message for {type(event).__name__}")


@to_message.register
def _(event: events.AccountCreated) -> Message:
    return pb.AccountCreated(
        account_id=event.account_id, username=event.username, role=ROLES[event.role],
        org_ids=sorted(event.scopes.org_ids), class_ids=sorted(event.scopes.class_ids),
        child_ids=sorted(event.scopes.child_ids), occurred_at=timestamp(event.occurred_at))


@to_message.register
def _(event: events.AccountScopesChanged) -> Message:
    return pb.AccountScopesChanged(
        account_id=event.account_id, role=ROLES[event.role], org_ids=sorted(event.scopes.org_ids),
        class_ids=sorted(event.scopes.class_ids), child_ids=sorted(event.scopes.child_ids),
        actor_account_id=event.actor_id or "", occurred_at=timestamp(event.occurred_at))


@to_message.register
def _(event: events.AccountLocked) -> Message:
    message = pb.AccountLocked(account_id=event.account_id, reason=LOCK_REASONS[event.reason],
                               occurred_at=timestamp(event.occurred_at))
    if event.locked_until is not None:
        message.locked_until.CopyFrom(timestamp(event.locked_until))
    return message


@to_message.register
def _(event: events.AccountUnlocked) -> Message:
    return pb.AccountUnlocked(account_id=event.account_id, actor_account_id=event.actor_id or "",
                              occurred_at=timestamp(event.occurred_at))


@to_message.register
def _(event: events.AccountDisabled) -> Message:
    return pb.AccountDisabled(account_id=event.account_id, actor_account_id=event.actor_id,
                              occurred_at=timestamp(event.occurred_at))


@to_message.register
def _(event: events.PasswordChanged) -> Message:
    return pb.PasswordChanged(account_id=event.account_id, actor_account_id=event.actor_id,
                              occurred_at=timestamp(event.occurred_at))
