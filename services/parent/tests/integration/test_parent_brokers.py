"""parent against real brokers: teacher events from the Kafka-protocol broker into the read model, notification
requests out to RabbitMQ in nameko's event format, and notify's receipts back in."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from amqp.exceptions import ChannelError
from esis_shared.consumer import EventConsumer
from esis_shared.db import make_session_factory
from esis_shared.kafka import Envelope, make_producer, publish
from esis_shared.testing.kafka_tools import drain
from kombu import Connection, Exchange, Producer
from parent.adapters import amqp as relay
from parent.adapters import orm
from parent.entrypoints.consumer import build_handlers
from parent.service_layer import views
from parent.service_layer.handlers.claims import ClaimChild, claim_child
from parent.service_layer.handlers.settings import UpdateProfile, update_profile
from sqlalchemy import select

from ..unit.conftest import MOTHER, claim
from .helpers import attendance_marked, sql_container

pytestmark = pytest.mark.integration


@pytest.fixture
def container(tmp_path):
    built = sql_container(f"sqlite:///{tmp_path / 'parent.db'}")
    claim_child(ClaimChild(MOTHER.subject, claim()), built.deps)
    update_profile(UpdateProfile("Оюун", "99112233", ""), MOTHER, built.deps)
    yield built
    built.close()


def test_an_absence_on_the_broker_reaches_the_guardians_page(container, kafka_bootstrap, kafka_topic,
                                                             kafka_group) -> None:
    topic = kafka_topic()
    producer = make_producer(kafka_bootstrap)
    publish(producer, Envelope.for_message(attendance_marked(), source="teacher", topic=topic, key="cls-5b")).get(10)
    producer.close()
    consumer = EventConsumer(bootstrap=kafka_bootstrap, group_id=kafka_group, topics=[topic],
                             session_factory=make_session_factory(container.engine),
                             handlers=build_handlers(container.deps), session_timeout_ms=2000,
                             heartbeat_interval_ms=500)
    try:
        drain(consumer, lambda: views.day(MOTHER, "lrn-bat", container.deps).status == "unexcused")
    finally:
        consumer.close()


def test_requests_are_published_as_nameko_events_and_kept_until_notify_listens(container, rabbitmq_vhost) -> None:
    with container.deps.uow() as uow:
        handle = build_handlers(container.deps)["esis.teacher.v1.AttendanceMarked"]
        handle(uow.session, attendance_marked(), None)
        uow.session.commit()

    with Connection(rabbitmq_vhost) as conn:
        assert relay.NotificationRelay(container.engine, rabbitmq_vhost).publish_pending(conn) == 1
        message = relay.NOTIFY_QUEUE(conn.channel()).get(accept=["json"])

    assert message.delivery_info["exchange"] == "parent.events"
    assert message.delivery_info["routing_key"] == "notification_requested"
    assert message.payload["key"] == "absence:lrn-bat:2026-11-30:acc-mother"
    with container.engine.connect() as db:
        assert db.execute(select(orm.notification_outbox.c.sent_at)).scalar() is not None


def test_receipts_from_notify_are_stored_for_the_guardian(container, rabbitmq_vhost) -> None:
    consumer = relay.ReceiptConsumer(container.deps.uow, rabbitmq_vhost)
    stop = threading.Event()
    worker = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    worker.start()
    try:
        receipt = {"key": "absence:lrn-bat:2026-11-30:acc-mother", "account_id": "acc-mother",
                   "event_type": "absence", "learner_id": "lrn-bat", "status": "sent", "channel": "sms",
                   "attempts": 1, "updated_at": datetime(2026, 11, 30, 4, 1, tzinfo=UTC).isoformat(), "detail": ""}
        _publish_when_bound(rabbitmq_vhost, receipt)
        deadline = time.monotonic() + 10
        while not views.settings(MOTHER, container.deps)[2] and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        worker.join(5)

    [stored] = views.settings(MOTHER, container.deps)[2]
    assert (stored.status, stored.channel) == ("sent", "sms")


def _publish_when_bound(url: str, payload: dict[str, object]) -> None:
    """Wait until the consumer has declared its queue (it does so when it starts), then publish."""
    deadline = time.monotonic() + 10
    while not _queue_exists(url, relay.RECEIPTS_QUEUE.name):
        assert time.monotonic() < deadline, "the receipt consumer never declared its queue"
        time.sleep(0.1)
    exchange = Exchange("notify.events", type="topic", durable=True)
    with Connection(url) as conn:
        Producer(conn.channel(), exchange=exchange, serializer="json").publish(
            payload, routing_key="delivery_recorded", declare=[exchange])


def _queue_exists(url: str, name: str) -> bool:
    with Connection(url) as conn:
        try:
            conn.channel().queue_declare(name, passive=True)
        except ChannelError:
            return False
    return True
