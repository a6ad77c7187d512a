"""Kafka event handlers of identity. None yet.

Later identity consumes education (guardian links → parents' child_ids, classes → teachers' class_ids) and
hr (staff → teachers' org_ids) to keep scopes in step; handlers go into ``HANDLERS`` keyed by the protobuf
full name, each taking ``(session, message, envelope)`` as ``esis_shared.consumer`` expects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HANDLERS: dict[str, Callable[..., Any]] = {}
TOPICS: tuple[str, ...] = ()
