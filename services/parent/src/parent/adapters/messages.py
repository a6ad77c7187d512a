"""Domain events → esis.parent.v1 protobuf messages, with their topic and key."""

from __future__ import annotations

from datetime import datetime

from esis.parent.v1 import parent_events_pb2 as pb
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from parent.domain import events

GUARDIANS_TOPIC = "parent.guardians.v1"
MESSAGES_TOPIC = "parent.messages.v1"
REASONS = {"revoked_by_school": pb.UNLINK_REASON_REVOKED_BY_SCHOOL,
           "removed_by_guardian": pb.UNLINK_REASON_REMOVED_BY_GUARDIAN}
AUTHORS = {"guardian": pb.AUTHOR_ROLE_GUARDIAN, "teacher": pb.AUTHOR_ROLE_TEACHER}


def timestamp(at: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(at)
    return stamp


def to_message(event: events.Event) -> tuple[str, str, Message]:
    """(topic, key, message) of a domain event."""
    e = event
    if isinstance(e, events.ChildLinked):
        return GUARDIANS_TOPIC, e.account_id, pb.ChildLinked(
            account_id=e.account_id, learner_id=e.learner_id, guardian_id=e.guardian_id,
            relationship=e.relationship, occurred_at=timestamp(e.occurred_at))
    if isinstance(e, events.ChildUnlinked):
        return GUARDIANS_TOPIC, e.account_id, pb.ChildUnlinked(
            account_id=e.account_id, learner_id=e.learner_id, reason=REASONS[e.reason],
            occurred_at=timestamp(e.occurred_at))
    if isinstance(e, events.MessagePosted):
        return MESSAGES_TOPIC, e.thread_id, pb.MessagePosted(
            thread_id=e.thread_id, message_id=e.message_id, learner_id=e.learner_id,
            guardian_account_id=e.guardian_account_id, teacher_account_id=e.teacher_account_id,
            author_role=AUTHORS[e.author_role], occurred_at=timestamp(e.occurred_at))
    if isinstance(e, events.ConsultationRequested):
        return MESSAGES_TOPIC, e.consultation_id, pb.ConsultationRequested(
            consultation_id=e.consultation_id, learner_id=e.learner_id, guardian_account_id=e.guardian_account_id,
            teacher_account_id=e.teacher_account_id, occurred_at=timestamp(e.occurred_at))
    return MESSAGES_TOPIC, e.consultation_id, pb.ConsultationAnswered(
        consultation_id=e.consultation_id, learner_id=e.learner_id, accepted=e.accepted,
        scheduled_for=timestamp(e.scheduled_for) if e.scheduled_for else None,
        occurred_at=timestamp(e.occurred_at))
