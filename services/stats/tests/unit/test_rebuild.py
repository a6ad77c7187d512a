"""Replaying the event log into empty tables gives identical projections (the rebuild checksum)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from esis_shared.db import transaction
from stats.adapters.readers import checksum
from stats.bootstrap import Container

Fresh = Callable[[], Container]


def digest(container: Container) -> str:
    with transaction(container.sessions) as session:
        return checksum(session)


def test_replay_into_empty_tables_gives_the_same_checksum(event_log: Any, fresh_container: Fresh,
                                                          container: Container) -> None:
    rebuilt = fresh_container()
    assert event_log.apply(rebuilt, group="rebuild") == 141
    assert digest(rebuilt) == digest(container)


def test_redelivered_events_change_nothing(event_log: Any, container: Container) -> None:
    before = digest(container)
    event_log.apply(container, group="stats-again")  # every event delivered a second time
    assert digest(container) == before


def test_one_more_event_changes_the_checksum(event_log: Any, fresh_container: Fresh, container: Container,
                                             world_tools: Any) -> None:
    changed = world_tools.EventLog()
    world_tools.build_world(changed)
    world_tools.enrol(changed, "lrn-K9-00", "K9", "2", 2024)
    rebuilt = fresh_container()
    changed.apply(rebuilt, group="changed")
    assert digest(rebuilt) != digest(container)
