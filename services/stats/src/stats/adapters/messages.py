"""Approval events → protobuf messages of ``esis.stats.v1`` on ``stats.approvals.v1``."""

from __future__ import annotations

from datetime import datetime

from esis.stats.v1 import stats_events_pb2 as pb
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from stats.domain.approval import ApprovalEvent, Revision

TOPIC = "stats.approvals.v1"
LEVELS = {"school": pb.REPORT_LEVEL_SCHOOL, "soum": pb.REPORT_LEVEL_SOUM, "aimag": pb.REPORT_LEVEL_AIMAG,
          "national": pb.REPORT_LEVEL_NATIONAL}


def _stamp(value: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def to_message(event: ApprovalEvent, revision: Revision, level: str, aimag: str | None) -> Message:
    common = {"census_id": event.census_id, "org": {"org_id": event.org_id, "aimag_code": aimag or ""},
              "level": LEVELS[level], "revision": event.revision, "occurred_at": _stamp(event.at)}
    if event.kind == "submitted":
        return pb.FiguresSubmitted(**common, fingerprint=revision.fingerprint, actor_account_id=event.actor)
    if event.kind == "approved":
        return pb.FiguresApproved(**common, fingerprint=revision.fingerprint, actor_account_id=event.actor)
    if event.kind == "corrected":
        changes = [pb.FigureChange(key=c.key, before=c.before or 0, after=c.after or 0) for c in revision.changes]
        return pb.FiguresCorrected(**common, reason=event.reason, changes=changes, actor_account_id=event.actor)
    return pb.ReportReopened(**common, reason=event.reason)
