"""AMQP with kombu (no nameko, no eventlet in this process): notification requests out, delivery receipts in.

Requests are nameko events of ``parent`` (exchange ``parent.events``, routing key ``notification_requested``,
JSON), so notify's ``@event_handler("parent", "notification_requested")`` receives them. The relay also declares
notify's durable queue, so requests made while notify is down wait for it instead of being dropped.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import Any

from esis_shared.amqp_outbox import AmqpOutboxRelay
from kombu import Connection, Exchange, Queue
from sqlalchemy import Engine

from parent.adapters import orm
from parent.adapters.unit_of_work import SqlUnitOfWork
from parent.domain.receipts import Receipt
from parent.service_layer.handlers.settings import record_receipt

log = logging.getLogger(__name__)
REQUESTS = Exchange("parent.events", type="topic", durable=True)
REQUEST_KEY = "notification_requested"
NOTIFY_QUEUE = Queue("evt-parent-notification_requested--notify.on_request", REQUESTS, routing_key=REQUEST_KEY,
                     durable=True)
RECEIPTS = Exchange("notify.events", type="topic", durable=True)
RECEIPTS_QUEUE = Queue("parent-delivery-receipts", RECEIPTS, routing_key="delivery_recorded", durable=True)


class NotificationRelay(AmqpOutboxRelay):
    """Publishes unsent rows of ``notification_outbox`` in order and marks them sent (``esis_shared.amqp_outbox``)."""

    def __init__(self, engine: Engine, amqp_url: str, batch: int = 100) -> None:
        super().__init__(engine, orm.notification_outbox, amqp_url, exchange=REQUESTS, routing_key=REQUEST_KEY,
                         declare=[NOTIFY_QUEUE], batch=batch)


def receipt_from(payload: dict[str, Any]) -> Receipt:
    at = datetime.fromisoformat(payload["updated_at"])
    return Receipt(str(payload["key"]), str(payload["account_id"]), str(payload.get("event_type", "")),
                   str(payload.get("learner_id", "")), str(payload.get("channel", "")), str(payload["status"]),
                   int(payload.get("attempts", 0)), at if at.tzinfo else at.replace(tzinfo=UTC),
                   str(payload.get("detail", ""))[:500])


class ReceiptConsumer:
    """Stores notify's ``delivery_recorded`` events as the guardian's receipts (ack after commit)."""

    def __init__(self, uow_factory: Any, amqp_url: str) -> None:
        self.uow_factory, self.amqp_url = uow_factory, amqp_url

    def handle(self, payload: dict[str, Any], message: Any) -> None:
        try:
            receipt = receipt_from(payload)
        except (KeyError, ValueError, TypeError):
            log.warning("dropping a malformed delivery receipt")
            message.ack()
            return
        with self.uow_factory() as uow:
            record_receipt(uow, receipt)
            uow.commit()
        message.ack()

    def run(self, stop: threading.Event) -> None:
        with Connection(self.amqp_url, connect_timeout=5) as conn, \
                conn.Consumer([RECEIPTS_QUEUE], callbacks=[self.handle], accept=["json"]):
            while not stop.is_set():
                try:
                    conn.drain_events(timeout=0.5)
                except TimeoutError:
                    continue


def sql_uow_factory(session_factory: Any) -> Any:
    return lambda: SqlUnitOfWork(session_factory)
