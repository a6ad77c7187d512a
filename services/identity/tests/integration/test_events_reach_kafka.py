"""identity's process wiring publishes staged account events to the Kafka-protocol broker."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from esis.identity.v1 import identity_events_pb2 as pb
from esis_shared.kafka import Envelope, ensure_topics
from identity.adapters.messages import TOPIC
from identity.adapters.passwords import Argon2Hasher
from identity.bootstrap import Container, bootstrap
from identity.config import Settings
from identity.entrypoints.main import relay_worker
from identity.service_layer.commands import CreateAccount
from kafka import KafkaConsumer
from kafka.structs import TopicPartition

pytestmark = pytest.mark.integration


@pytest.fixture
def container(postgres_url: str, kafka_bootstrap: str, key_file: Path,
              fast_hasher: Argon2Hasher) -> Iterator[Container]:
    ensure_topics(kafka_bootstrap, [(TOPIC, 3)])
    settings = Settings(database_url=postgres_url, signing_key_file=str(key_file), kafka_bootstrap=kafka_bootstrap)
    built = bootstrap(settings, hasher=fast_hasher, run_migrations=True)
    yield built
    built.close()


def records_keyed(bootstrap_servers: str, key: str, timeout_s: float = 20.0) -> list[Any]:
    """Records of identity.accounts.v1 with this key (the topic may be shared with other tests)."""
    client = KafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False)
    try:
        client.assign([TopicPartition(TOPIC, p) for p in sorted(client.partitions_for_topic(TOPIC) or ())])
        client.seek_to_beginning()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            found = [r for batch in client.poll(timeout_ms=200).values() for r in batch if r.key == key.encode()]
            if found:
                return found
        return []
    finally:
        client.close()


def test_created_account_is_published_with_cloudevents_headers(container: Container, kafka_bootstrap: str) -> None:
    account = container.handle(CreateAccount(None, "b.saruul", "Correct-horse-42", "teacher", org_ids=["school-1"]))
    relay = relay_worker(container)
    stop = threading.Event()
    thread = threading.Thread(target=relay, args=(stop,), daemon=True)
    thread.start()
    try:
        (record,) = records_keyed(kafka_bootstrap, account.id)
    finally:
        stop.set()
        thread.join(timeout=10)
    envelope = Envelope.from_record(record)
    assert (envelope.type, envelope.source, envelope.subject) == ("esis.identity.v1.AccountCreated", "identity",
                                                                  account.id)
    message = pb.AccountCreated.FromString(envelope.value)
    assert (message.account_id, message.username, message.role) == (account.id, "b.saruul", pb.ROLE_TEACHER)
