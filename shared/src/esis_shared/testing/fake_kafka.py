"""In-memory stand-ins for kafka-python's producer and consumer, for unit tests without sockets.

They implement only what ``esis_shared`` uses. ``shared/tests/integration/test_consumer_contract.py`` runs
the same assertions against this fake and a real broker, so the fake cannot drift silently.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from kafka.errors import UnknownTopicOrPartitionError
from kafka.partitioner.default import murmur2
from kafka.structs import OffsetAndMetadata, TopicPartition


@dataclass(frozen=True)
class FakeRecord:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]] = field(default_factory=list)


@dataclass(frozen=True)
class FakeMetadata:
    topic: str
    partition: int
    offset: int


class FakeFuture:
    def __init__(self, value: FakeMetadata | None = None, error: BaseException | None = None) -> None:
        self._value, self._error = value, error

    def get(self, timeout: float | None = None) -> FakeMetadata:
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value


class FakeBroker:
    """Topics as lists of partitions, plus committed offsets per (group, partition)."""

    def __init__(self) -> None:
        self.topics: dict[str, list[list[FakeRecord]]] = {}
        self.committed: dict[tuple[str, TopicPartition], int] = {}

    def create_topic(self, name: str, partitions: int = 1, *, dlq: bool = True) -> str:
        self.topics.setdefault(name, [[] for _ in range(partitions)])
        if dlq:
            self.topics.setdefault(name + ".dlq", [[]])
        return name

    def append(self, topic: str, key: bytes | None, value: bytes | None, headers: Sequence[tuple[str, bytes]],
               partition: int | None = None) -> FakeRecord:
        if topic not in self.topics:
            raise UnknownTopicOrPartitionError(topic)
        logs = self.topics[topic]
        index = partition if partition is not None else _partition_for(key, len(logs))
        record = FakeRecord(topic, index, len(logs[index]), key, value, list(headers or []))
        logs[index].append(record)
        return record

    def records(self, topic: str) -> list[FakeRecord]:
        return [record for log in self.topics[topic] for record in log]

    def producer(self) -> FakeProducer:
        return FakeProducer(self)

    def consumer(self, group_id: str) -> FakeConsumer:
        return FakeConsumer(self, group_id)


_round_robin = itertools.count()


def _partition_for(key: bytes | None, partitions: int) -> int:
    # Same hash as kafka-python's default partitioner, so keys land where they would on a real broker.
    if key is None:
        return next(_round_robin) % partitions
    return (murmur2(key) & 0x7FFFFFFF) % partitions


class FakeProducer:
    """``send`` appends at once; set ``fail_with`` to make every send's future raise (a refusing broker)."""

    def __init__(self, broker: FakeBroker) -> None:
        self.broker = broker
        self.fail_with: BaseException | None = None
        self.sent: list[FakeRecord] = []
        self.closed = False

    def send(self, topic: str, value: bytes | None = None, key: bytes | None = None,
             headers: Sequence[tuple[str, bytes]] | None = None, partition: int | None = None) -> FakeFuture:
        if self.fail_with is not None:
            return FakeFuture(error=self.fail_with)
        record = self.broker.append(topic, key, value, headers or [], partition)
        self.sent.append(record)
        return FakeFuture(FakeMetadata(record.topic, record.partition, record.offset))

    def flush(self, timeout: float | None = None) -> None:
        return None

    def close(self, timeout: float | None = None) -> None:
        self.closed = True


class FakeConsumer:
    """A one-member consumer group: owns every partition of its subscribed topics."""

    def __init__(self, broker: FakeBroker, group_id: str) -> None:
        self.broker = broker
        self.group_id = group_id
        self.positions: dict[TopicPartition, int] = {}
        self.closed = False

    def subscribe(self, topics: Sequence[str]) -> None:
        for topic in topics:
            for index in range(len(self.broker.topics[topic])):
                tp = TopicPartition(topic, index)
                self.positions[tp] = self.broker.committed.get((self.group_id, tp), 0)

    def assignment(self) -> set[TopicPartition]:
        return set(self.positions)

    def poll(self, timeout_ms: int = 0, max_records: int | None = None) -> dict[TopicPartition, list[FakeRecord]]:
        batch: dict[TopicPartition, list[FakeRecord]] = {}
        for tp, position in self.positions.items():
            records = self.broker.topics[tp.topic][tp.partition][position:]
            if records:
                batch[tp] = records
                self.positions[tp] = position + len(records)
        return batch

    def seek(self, partition: TopicPartition, offset: int) -> None:
        self.positions[partition] = offset

    def commit(self, offsets: dict[TopicPartition, OffsetAndMetadata] | None = None) -> None:
        for tp, meta in (offsets or {}).items():
            self.broker.committed[(self.group_id, tp)] = meta.offset

    def committed(self, partition: TopicPartition) -> int | None:
        return self.broker.committed.get((self.group_id, partition))

    def highwater(self, partition: TopicPartition) -> int:
        return len(self.broker.topics[partition.topic][partition.partition])

    def close(self, autocommit: bool = True, timeout_ms: int | None = None) -> None:
        self.closed = True
