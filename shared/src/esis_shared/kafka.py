"""Kafka plumbing with kafka-python: topics, producer, CloudEvents binary-mode envelope."""

from __future__ import annotations

from collections.abc import Iterable

from kafka import errors as kafka_errors
from kafka.admin import KafkaAdminClient

DLQ_SUFFIX = ".dlq"


def dlq_topic(topic: str) -> str:
    return topic + DLQ_SUFFIX


def ensure_topics(bootstrap: str, topics: Iterable[tuple[str, int]], *, with_dlq: bool = True,
                  timeout_ms: int = 10_000) -> None:
    """Create topics explicitly (brokers auto-create with a default partition count); existing ones are kept."""
    wanted = {name: partitions for name, partitions in topics}
    if with_dlq:
        wanted.update({dlq_topic(name): 1 for name in list(wanted) if not name.endswith(DLQ_SUFFIX)})
    spec = {name: {"num_partitions": n, "replication_factor": 1} for name, n in wanted.items()}
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="esis-admin")
    try:
        result = admin.create_topics(spec, timeout_ms=timeout_ms, raise_errors=False)
    finally:
        admin.close()
    _raise_unexpected_errors(result)


def _raise_unexpected_errors(result: dict) -> None:
    for topic in result.get("topics", []):
        error = kafka_errors.for_code(topic["error_code"])
        if error is not kafka_errors.NoError and error is not kafka_errors.TopicAlreadyExistsError:
            raise error(f"creating topic {topic['name']}: {topic.get('error_message')}")
