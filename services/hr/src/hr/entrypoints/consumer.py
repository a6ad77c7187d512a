"""Kafka event handlers of hr. None yet.

hr keeps a copy of education's organisations (with their aimag) and classes (with their curriculum). When
education publishes them, their handlers go into ``HANDLERS`` keyed by the protobuf full name, each taking
``(session, message, envelope)`` as ``esis_shared.consumer`` expects and issuing ``commands.SaveOrg`` /
``commands.SaveClass`` as ``hr.domain.access.SYSTEM``. Until then ``PUT /api/hr/v1/directory/...`` feeds it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HANDLERS: dict[str, Callable[..., Any]] = {}
TOPICS: tuple[str, ...] = ()
