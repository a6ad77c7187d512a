"""Guardian sign-up on PostgreSQL, and its SMS relayed to notify's queue on a real RabbitMQ."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from esis_shared.amqp_outbox import nameko_event_route
from fastapi.testclient import TestClient
from identity.adapters.orm import accounts, amqp_outbox, outbox
from identity.adapters.passwords import Argon2Hasher
from identity.bootstrap import Container, bootstrap
from identity.config import Settings
from identity.domain.errors import IdentityError
from identity.entrypoints.api.app import build_app
from identity.entrypoints.main import sms_relay
from identity.service_layer.commands import StartSignup, VerifySignup
from kombu import Connection
from sqlalchemy import func, select

pytestmark = pytest.mark.integration
PHONE = "95112233"
NOTIFY_QUEUE = "evt-identity-direct_message_requested--notify.on_direct"


@pytest.fixture
def pg_container(postgres_url: str, key_file: Path, fast_hasher: Argon2Hasher) -> Iterator[Container]:
    settings = Settings(database_url=postgres_url, signing_key_file=str(key_file), kafka_enabled=False)
    container = bootstrap(settings, hasher=fast_hasher, run_migrations=True)
    yield container
    container.close()


def outbox_payloads(container: Container) -> list[dict[str, Any]]:
    with container.engine.connect() as conn:
        return [r.payload for r in conn.execute(select(amqp_outbox).order_by(amqp_outbox.c.seq))]


def code_of(payload: dict[str, Any]) -> str:
    return re.search(r"\d{6}", payload["text"]).group(0)  # type: ignore[union-attr]


def test_sign_up_and_verify_on_postgresql(pg_container: Container) -> None:
    with TestClient(build_app(pg_container)) as client:
        assert client.post("/api/identity/v1/signup", json={"display_name": "Б. Туяа", "phone": PHONE,
                                                            "password": "Tuyaa-river-2026"}).status_code == 202
        code = code_of(outbox_payloads(pg_container)[0])
        answer = client.post("/api/identity/v1/signup/verify", json={"phone": PHONE, "code": code})
        assert answer.status_code == 200, answer.text
    with pg_container.engine.connect() as conn:
        assert conn.execute(select(accounts.c.role).where(accounts.c.username == PHONE)).scalar_one() == "parent"
        assert conn.execute(select(outbox.c.event_type)).scalars().all() == ["esis.identity.v1.AccountCreated"]


def test_the_same_code_sent_twice_at_once_makes_one_account(pg_container: Container) -> None:
    pg_container.handle(StartSignup("Б. Туяа", PHONE, "Tuyaa-river-2026"))
    code = code_of(outbox_payloads(pg_container)[0])

    def verify() -> str:
        try:
            pg_container.handle(VerifySignup(PHONE, code))
            return "ok"
        except IdentityError as exc:
            return exc.code

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(lambda _: verify(), range(2)))

    assert outcomes == ["invalid_signup_code", "ok"]
    with pg_container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(accounts)).scalar_one() == 1


def test_the_code_sms_reaches_notifys_queue_and_leaves_no_code_behind(pg_container: Container,
                                                                      rabbitmq_vhost: str) -> None:
    pg_container.settings.amqp_url = rabbitmq_vhost
    pg_container.handle(StartSignup("Б. Туяа", PHONE, "Tuyaa-river-2026"))
    code = code_of(outbox_payloads(pg_container)[0])

    with Connection(rabbitmq_vhost) as conn:
        assert sms_relay(pg_container).publish_pending(conn) == 1
        _, _, [queue] = nameko_event_route("identity", "direct_message_requested", NOTIFY_QUEUE)
        message = queue(conn.channel()).get(accept=["json"])
        assert message is not None
        message.ack()

    assert (message.payload["channel"], message.payload["address"], code_of(message.payload)) == ("sms", PHONE, code)
    assert outbox_payloads(pg_container) == [{}]  # published, and the code is gone from identity's database
