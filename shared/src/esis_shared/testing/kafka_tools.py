"""Helpers for tests that drive a consumer or read a topic on a real broker."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from kafka import KafkaConsumer
from kafka.structs import TopicPartition


def drain(consumer: Any, until: Callable[[], bool], timeout_s: float = 20.0, poll_ms: int = 200) -> int:
    """Call ``consumer.poll_once`` until ``until()`` holds; returns records handled. Fails on timeout."""
    handled = 0
    deadline = time.monotonic() + timeout_s
    while not until():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not reached within {timeout_s}s ({handled} records handled)")
        handled += consumer.poll_once(poll_ms)
    return handled


def read_topic(bootstrap: str, topic: str, expected: int, timeout_s: float = 15.0) -> list[Any]:
    """All records of ``topic`` from the beginning (no group, nothing committed), in partition order."""
    client = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest")
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(client.partitions_for_topic(topic) or ())]
        client.assign(partitions)
        client.seek_to_beginning()
        return _collect(client, expected, timeout_s)
    finally:
        client.close()


def _collect(client: KafkaConsumer, expected: int, timeout_s: float) -> list[Any]:
    by_partition: dict[int, list[Any]] = {}
    deadline = time.monotonic() + timeout_s
    while sum(map(len, by_partition.values())) < expected and time.monotonic() < deadline:
        for tp, records in client.poll(timeout_ms=200).items():
            by_partition.setdefault(tp.partition, []).extend(records)
    return [record for partition in sorted(by_partition) for record in by_partition[partition]]
