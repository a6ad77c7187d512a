"""The nameko service in a container on a real RabbitMQ vhost (one per test), with its SQL store migrated and
the file provider as the development output: what a guardian would get is a line in that file."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from esis_shared.amqp_outbox import AmqpOutboxRelay, nameko_event_route
from esis_shared.db import migrate
from esis_shared.testing.processes import free_port
from identity.adapters.orm import amqp_outbox
from identity.adapters.passwords import Argon2Hasher
from identity.bootstrap import bootstrap
from identity.config import Settings
from identity.service_layer.commands import StartSignup, VerifySignup
from joserfc.jwk import RSAKey
from kombu import Connection, Exchange, Queue
from nameko.containers import ServiceContainer
from nameko.standalone.events import event_dispatcher
from nameko.testing.services import entrypoint_waiter
from notify.entrypoints.main import MIGRATIONS_DIR
from notify.entrypoints.service import NotifyService
from sqlalchemy import update

pytestmark = pytest.mark.integration
KEY = "absence:lrn-bat:2026-11-30:acc-mother"
SIGNUP_PHONE = "99887766"
NOTIFY_DIRECT_QUEUE = "evt-identity-direct_message_requested--notify.on_direct"


def request(**changes: Any) -> dict[str, Any]:
    return {"key": KEY, "account_id": "acc-mother", "event_type": "absence", "learner_id": "lrn-bat",
            "text": "Д.Бат: өнөөдөр ирээгүй.", "quiet_hours": None, "digest": False,
            "channels": [{"channel": "sms", "address": "99112233"}], "timezone": "Asia/Ulaanbaatar", **changes}


@pytest.fixture
def config(rabbitmq_vhost: str, tmp_path: Path) -> dict[str, Any]:
    database = f"sqlite:///{tmp_path / 'notify.db'}"
    migrate(database, MIGRATIONS_DIR)
    return {"AMQP_URI": rabbitmq_vhost, "WEB_SERVER_ADDRESS": f"127.0.0.1:{free_port('127.0.0.1')}",
            "NOTIFY_DATABASE_URL": database, "NOTIFY_PROVIDER_MODE": "file",
            "NOTIFY_OUTBOX_FILE": str(tmp_path / "outbox.jsonl")}


@pytest.fixture
def container(config: dict[str, Any]) -> Iterator[ServiceContainer]:
    running = ServiceContainer(NotifyService, config)
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def receipts(config: dict[str, Any]) -> Iterator[Queue]:
    with Connection(config["AMQP_URI"]) as conn:
        queue = Queue("test-receipts", Exchange("notify.events", type="topic", durable=True),
                      routing_key="delivery_recorded", auto_delete=True)
        queue(conn.channel()).declare()
        yield queue


def drain(config: dict[str, Any], queue: Queue) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = []
    with Connection(config["AMQP_URI"]) as conn:
        bound = queue(conn.channel())
        while (message := bound.get(accept=["json"])) is not None:
            got.append(message.payload)
            message.ack()
    return got


def sent_lines(config: dict[str, Any]) -> list[dict[str, Any]]:
    out = Path(config["NOTIFY_OUTBOX_FILE"])
    return [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []


def publish(config: dict[str, Any], payload: dict[str, Any]) -> None:
    event_dispatcher(config)("parent", "notification_requested", payload)


def test_an_absence_delivered_twice_is_written_once_with_receipts(container, config, receipts) -> None:
    with entrypoint_waiter(container, "on_request"):
        publish(config, request())
    with entrypoint_waiter(container, "on_request"):
        publish(config, request())

    assert [(x["channel"], x["to"], x["key"]) for x in sent_lines(config)] == [("sms", "99112233", KEY)]
    assert [r["status"] for r in drain(config, receipts)] == ["queued", "sent"]


def test_a_request_in_quiet_hours_is_only_queued(container, config, receipts) -> None:
    always_quiet = ["00:00", "23:59"]
    with entrypoint_waiter(container, "on_request"):
        publish(config, request(quiet_hours=always_quiet))

    assert sent_lines(config) == []
    assert [r["status"] for r in drain(config, receipts)] == ["queued"]


def test_health_is_served_over_http(container, config) -> None:
    base = f"http://{config['WEB_SERVER_ADDRESS']}"
    with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
        assert json.loads(response.read())["status"] == "up"
    with urllib.request.urlopen(f"{base}/readyz", timeout=5) as response:
        assert json.loads(response.read())["checks"] == {"database": "up"}


def direct(**changes: Any) -> dict[str, Any]:
    return {"key": "signup-code:99112233:1", "channel": "sms", "address": "99112233",
            "text": "ESIS: таны баталгаажуулах код 123456", "lang": "mn", **changes}


def test_a_direct_message_delivered_twice_is_one_sms_even_in_quiet_hours(container, config, receipts) -> None:
    for _ in range(2):
        with entrypoint_waiter(container, "on_direct"):
            event_dispatcher(config)("identity", "direct_message_requested", direct())

    lines = sent_lines(config)
    assert [(x["channel"], x["to"], x["key"]) for x in lines] == [("sms", "99112233", "signup-code:99112233:1")]
    assert "123456" in lines[0]["text"]
    assert drain(config, receipts) == []  # a security code's receipt is not a guardian's notification


def test_send_direct_over_rpc_answers_with_the_receipt(container, config) -> None:
    from nameko.standalone.rpc import ServiceRpcProxy

    with ServiceRpcProxy("notify", config) as notify:
        first = notify.send_direct(direct(key="signup-code:88112233:1", address="88112233"))
        again = notify.send_direct(direct(key="signup-code:88112233:1", address="88112233"))

    assert (first["status"], first["channel"]) == ("sent", "sms")
    assert again == first
    assert [x["to"] for x in sent_lines(config)] == ["88112233"]


# identity and notify together: a guardian's sign-up code goes out as one SMS, even when identity's relay
# publishes it twice (it died after publishing and before marking the row sent).
def test_a_sign_up_code_published_twice_arrives_once_and_signs_up(container, config, tmp_path: Path) -> None:
    key = tmp_path / "identity-key.pem"
    key.write_bytes(RSAKey.generate_key(2048, private=True).as_pem(private=True))
    identity = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'identity.db'}", signing_key_file=str(key),
                                  kafka_enabled=False, amqp_url=config["AMQP_URI"]),
                         hasher=Argon2Hasher.fast_for_tests(), run_migrations=True)
    try:
        identity.handle(StartSignup("Б. Туяа", SIGNUP_PHONE, "Tuyaa-river-2026"))
        exchange, routing_key, queues = nameko_event_route("identity", "direct_message_requested", NOTIFY_DIRECT_QUEUE)
        relay = AmqpOutboxRelay(identity.engine, amqp_outbox, config["AMQP_URI"], exchange=exchange,
                                routing_key=routing_key, declare=queues)
        with Connection(config["AMQP_URI"]) as conn:
            for _ in range(2):
                with entrypoint_waiter(container, "on_direct"):
                    assert relay.publish_pending(conn) == 1
                with identity.engine.begin() as db:  # as if the relay died before recording the send
                    db.execute(update(amqp_outbox).values(sent_at=None))

        [sms] = sent_lines(config)
        assert (sms["channel"], sms["to"]) == ("sms", SIGNUP_PHONE)
        code = re.search(r"\d{6}", sms["text"]).group(0)  # type: ignore[union-attr]
        pair = identity.handle(VerifySignup(SIGNUP_PHONE, code))
        assert pair.access_token
    finally:
        identity.close()
