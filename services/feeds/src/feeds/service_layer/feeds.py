"""Handling one consumed event (index + republish, one transaction) and reading a page of a feed."""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from typing import Any

from esis_shared.kafka import Envelope, rfc3339
from google.protobuf import json_format
from google.protobuf.message import Message
from prometheus_client import Counter
from sqlalchemy.orm import Session

from feeds.adapters.repository import Entry, FeedRepository
from feeds.domain.feed import PageRequest, route

log = logging.getLogger(__name__)
ROUTED = Counter("feeds_events_routed_total", "Events indexed and republished per aimag feed", ["aimag"])
UNROUTED = Counter("feeds_events_unrouted_total", "Events without a known aimag header (not in any feed)",
                   ["topic"])


def republish(session: Session, _: Message | None, envelope: Envelope) -> None:
    """Consumer handler: index the event in its aimag's HTTP feed and stage it for ``feeds.aimag.<code>.v1``."""
    aimag = route(envelope.aimag)
    if aimag is None:
        UNROUTED.labels(envelope.topic or "").inc()
        return
    repository = FeedRepository(session)
    repository.append(aimag, envelope)
    repository.stage_republish(aimag, envelope)
    ROUTED.labels(aimag).inc()


@dataclass(frozen=True)
class Page:
    aimag: str
    snapshot: int
    entries: list[Entry]
    next_since: int
    has_more: bool


def read_page(session: Session, aimag: str, request: PageRequest) -> Page:
    repository = FeedRepository(session)
    after, until = request.bounded(repository.head(aimag))
    entries = repository.page(aimag, after, until, request.limit + 1)
    has_more = len(entries) > request.limit
    entries = entries[: request.limit]
    next_since = entries[-1].version if entries else after
    return Page(aimag, until, entries, next_since, has_more)


def entry_json(entry: Entry, message_class: type[Message] | None) -> dict[str, Any]:
    """One change for integrators: CloudEvents attributes, the payload as protobuf JSON and as bytes (base64)."""
    data = None
    if message_class is not None:
        data = json_format.MessageToDict(message_class.FromString(entry.payload))
    return {"version": entry.version, "kind": entry.kind, "id": entry.event_id, "type": entry.event_type,
            "source": entry.source, "topic": entry.source_topic, "key": entry.key, "subject": entry.subject,
            "time": rfc3339(entry.time), "data": data, "data_base64": base64.b64encode(entry.payload).decode()}
