"""The consumer of every domain topic in the registry: each event with an aimag header goes to that aimag's feed.

Handlers are keyed by protobuf full name as ``esis_shared.consumer`` expects; every message of every consumed
topic gets the same handler, so a message type added to the registry is fed without a code change here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import esis
from esis_shared.kafka import Envelope
from esis_shared.registry import TopicRegistry, default_proto_dir, import_generated
from sqlalchemy.orm import Session

from feeds.service_layer.feeds import republish

Handler = Callable[[Session, Any, Envelope], None]
OWN_TOPIC_OWNER = "feeds"


def registry() -> TopicRegistry:
    import_generated(Path(esis.__file__).resolve().parent.parent)
    return TopicRegistry.load(default_proto_dir() / "topics")


def topics(reg: TopicRegistry) -> tuple[str, ...]:
    return tuple(spec.name for spec in reg.topics if spec.owner != OWN_TOPIC_OWNER)


def handlers(reg: TopicRegistry) -> dict[str, Handler]:
    return {name: republish for spec in reg.topics if spec.owner != OWN_TOPIC_OWNER for name in spec.messages}
