"""The nameko service: requests arrive as ``parent.notification_requested`` events, a timer sends what has
become due (quiet hours ended, digest time, retry back-off), and every change of a delivery is published as
``notify.delivery_recorded`` for the parent portal to show the guardian.

Runs under eventlet in its own process (``python -m notify``): nothing here imports FastAPI or a gRPC server.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from esis_shared.db import make_engine, ping
from nameko.events import SERVICE_POOL, EventDispatcher, event_handler
from nameko.extensions import DependencyProvider
from nameko.rpc import rpc
from nameko.timer import timer
from nameko.web.handlers import http

from notify.adapters.providers import build_providers
from notify.adapters.store import SqlStore
from notify.domain.model import DIRECT, Delivery, InvalidRequest, RetryPolicy, receipt
from notify.service_layer.delivery import Providers, accept, deliver_due

log = logging.getLogger(__name__)
FLUSH_INTERVAL_S = float(os.environ.get("NOTIFY_FLUSH_INTERVAL_S", "5"))
REQUEST_SOURCE, REQUEST_EVENT = "parent", "notification_requested"
# One-off messages (security codes) from identity's outbox relay (esis_shared.amqp_outbox).
DIRECT_SOURCE, DIRECT_EVENT = "identity", "direct_message_requested"
RECEIPT_EVENT = "delivery_recorded"


class DeliveryStore(DependencyProvider):
    def setup(self) -> None:
        self.engine = make_engine(self.container.config["NOTIFY_DATABASE_URL"])
        self.store = SqlStore(self.engine)

    def stop(self) -> None:
        self.engine.dispose()

    def get_dependency(self, worker_ctx: Any) -> SqlStore:
        return self.store


class DeliveryProviders(DependencyProvider):
    def setup(self) -> None:
        c = self.container.config
        self.providers = build_providers(mode=c.get("NOTIFY_PROVIDER_MODE", "file"),
                                         outbox_file=c.get("NOTIFY_OUTBOX_FILE", ".run/notify-outbox.jsonl"),
                                         sms_url=c.get("NOTIFY_SMS_GATEWAY_URL", ""),
                                         push_url=c.get("NOTIFY_PUSH_GATEWAY_URL", ""),
                                         smtp_url=c.get("NOTIFY_SMTP_URL", ""))

    def get_dependency(self, worker_ctx: Any) -> Providers:
        return self.providers


class Retries(DependencyProvider):
    def get_dependency(self, worker_ctx: Any) -> RetryPolicy:
        attempts, first, longest = self.container.config.get("NOTIFY_RETRY", (4, 30.0, 3600.0))
        return RetryPolicy(int(attempts), timedelta(seconds=first), timedelta(seconds=longest))


class Clock(DependencyProvider):
    def get_dependency(self, worker_ctx: Any) -> Callable[[], datetime]:
        return lambda: datetime.now(UTC)


class NotifyService:
    name = "notify"

    store = DeliveryStore()
    providers = DeliveryProviders()
    retries = Retries()
    clock = Clock()
    dispatch = EventDispatcher()

    @event_handler(REQUEST_SOURCE, REQUEST_EVENT, handler_type=SERVICE_POOL, reliable_delivery=True)
    def on_request(self, payload: dict[str, Any]) -> None:
        now = self.clock()
        try:
            delivery = accept(payload, self.store, now)
        except InvalidRequest as exc:
            log.warning("dropping a notification request: %s", exc)
            return
        if delivery is None:
            return
        self._recorded([delivery])
        if delivery.is_due(now):
            self._recorded(deliver_due(self.store, self.providers, now, self.retries))

    @event_handler(DIRECT_SOURCE, DIRECT_EVENT, handler_type=SERVICE_POOL, reliable_delivery=True)
    def on_direct(self, payload: dict[str, Any]) -> None:
        """A one-off message from identity (sign-up codes): idempotent by key, sent at once."""
        self.send_direct(payload)

    @rpc
    def send_direct(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        """``{key, channel, address, text, account_id?, lang?}``: send one message now, whatever the guardian's
        preferences and quiet hours (security codes). A repeated key sends nothing again. Returns the receipt, or
        None for a malformed request."""
        now = self.clock()
        try:
            delivery = accept(payload, self.store, now, direct=True)
        except InvalidRequest as exc:
            log.warning("dropping a direct message: %s", exc)
            return None
        if delivery is not None:
            self._recorded(deliver_due(self.store, self.providers, now, self.retries))
        stored = self.store.get(str(payload.get("key")).strip())
        return receipt(stored) if stored is not None else None

    @timer(interval=FLUSH_INTERVAL_S)
    def flush(self) -> None:
        self._recorded(deliver_due(self.store, self.providers, self.clock(), self.retries))

    @rpc
    def receipts(self, account_id: str) -> list[dict[str, Any]]:
        return [receipt(d) for d in self.store.for_account(account_id)]

    @http("GET", "/healthz")
    def healthz(self, request: Any) -> tuple[int, dict[str, str], str]:
        return 200, {"Content-Type": "application/json"}, json.dumps({"status": "up", "service": "notify"})

    @http("GET", "/readyz")
    def readyz(self, request: Any) -> tuple[int, dict[str, str], str]:
        try:
            ready = ping(self.store.engine)
        except Exception:  # a failing database makes the service not ready, not broken
            ready = False
        body = {"status": "up" if ready else "down", "service": "notify",
                "checks": {"database": "up" if ready else "down"}}
        return 200 if ready else 503, {"Content-Type": "application/json"}, json.dumps(body)

    def _recorded(self, deliveries: list[Delivery]) -> None:
        """Publish the receipts of guardians' notifications; a direct message's receipt stays in notify's store
        (``receipts``): it carries a security code's delivery, not something the portal lists."""
        for delivery in deliveries:
            if delivery.event_type != DIRECT:
                self.dispatch(RECEIPT_EVENT, receipt(delivery))
