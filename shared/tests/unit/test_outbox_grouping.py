"""grouped_by_type: a bulk request's events in runs of one type, never reordering one key's events."""

from __future__ import annotations

from esis_shared.outbox import OutgoingEvent, grouped_by_type
from google.protobuf import duration_pb2, empty_pb2, timestamp_pb2


def event(key: str, kind: str) -> OutgoingEvent:
    message = {"A": timestamp_pb2.Timestamp, "B": duration_pb2.Duration, "C": empty_pb2.Empty}[kind]()
    return OutgoingEvent("topic", key, message, subject=f"{key}{kind}")


def labels(events: list[OutgoingEvent]) -> list[str | None]:
    return [e.subject for e in events]


def test_events_of_many_keys_are_grouped_by_type_keeping_each_keys_order():
    events = [event("1", "A"), event("1", "B"), event("1", "C"), event("1", "C"), event("2", "A"), event("2", "C"),
              event("3", "A"), event("3", "B")]
    assert labels(grouped_by_type(events)) == ["1A", "2A", "3A", "1B", "3B", "1C", "1C", "2C"]


def test_events_are_left_in_order_when_a_key_has_the_types_the_other_way_round():
    events = [event("1", "A"), event("1", "B"), event("2", "B"), event("2", "A")]
    assert labels(grouped_by_type(events)) == ["1A", "1B", "2B", "2A"]
    assert grouped_by_type([]) == []
