"""Aggregate root: a version for optimistic concurrency and the events its changes recorded."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass(eq=False, kw_only=True)
class Aggregate:
    # A unit of work bumps ``version`` when it saves a changed aggregate and refuses if the stored version moved.
    version: int = 1
    events: list[Any] = field(default_factory=list, repr=False, compare=False)
    changed: bool = field(default=False, repr=False, compare=False)

    def record(self, event: Any) -> None:
        self.events.append(event)
        self.changed = True

    def touch(self) -> None:
        """Mark as changed without an event, so concurrent writers of this aggregate conflict."""
        self.changed = True
