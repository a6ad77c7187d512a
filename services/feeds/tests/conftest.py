"""Fixtures of feeds' tests: a fake broker with the registry's topics, the feeds container on in-memory SQLite,
the consumer and the republishing relay driven by hand, and signed tokens."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest
from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2 as edu
from esis_shared.auth import Principal, StaticKeyVerifier, jwks_document, sign_access_token
from esis_shared.consumer import EventConsumer
from esis_shared.db import make_engine
from esis_shared.kafka import Envelope, publish
from esis_shared.relay import OutboxRelay
from esis_shared.testing.fake_kafka import FakeBroker
from fastapi.testclient import TestClient
from feeds.adapters.orm import metadata
from feeds.bootstrap import Container, bootstrap
from feeds.config import Settings
from feeds.entrypoints.api.app import build_app
from feeds.entrypoints.consumer import handlers, registry, topics
from joserfc.jwk import RSAKey
from sqlalchemy.pool import StaticPool

REGISTRY = registry()


@dataclass
class Platform:
    """The broker, feeds' consumer and relay; ``emit`` publishes a source event, ``run`` moves everything on."""

    container: Container
    broker: FakeBroker = field(default_factory=FakeBroker)

    def __post_init__(self) -> None:
        for spec in REGISTRY.topics:  # the per-aimag feeds too: they are the registry's family instances
            self.broker.create_topic(spec.name, partitions=spec.partitions)
        self.consumer = EventConsumer(bootstrap="fake", group_id="feeds", topics=topics(REGISTRY),
                                      session_factory=self.container.sessions, handlers=handlers(REGISTRY),
                                      client=self.broker.consumer("feeds"), dlq_producer=self.broker.producer())
        self.relay = OutboxRelay(self.container.sessions, self.broker.producer(), service="feeds")

    def emit(self, topic: str, key: str, message: Any, aimag: str | None) -> Envelope:
        envelope = Envelope.for_message(message, source=topic.split(".")[0], topic=topic, key=key, aimag=aimag)
        publish(self.broker.producer(), envelope)
        return envelope

    def run(self) -> None:
        while self.consumer.poll_once(0):
            pass
        while self.relay.run_once():
            pass


def day(value: date) -> common_pb2.Date:
    return common_pb2.Date(year=value.year, month=value.month, day=value.day)


def enrolled(learner: str, school: str, aimag: str, on: date = date(2024, 9, 1)) -> edu.LearnerEnrolled:
    return edu.LearnerEnrolled(learner_id=learner, school=common_pb2.OrgRef(org_id=school, aimag_code=aimag),
                               class_id=f"c-{school}", level="1", on=day(on), via=edu.ENROLMENT_VIA_ADMISSION)


def withdrawn(learner: str, school: str, aimag: str) -> edu.LearnerWithdrawn:
    return edu.LearnerWithdrawn(learner_id=learner, school=common_pb2.OrgRef(org_id=school, aimag_code=aimag),
                                class_id=f"c-{school}", reason=edu.WITHDRAWAL_REASON_FAMILY,
                                on=day(date(2024, 10, 1)))


@dataclass
class Tokens:
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, private=True))

    @property
    def verifier(self) -> StaticKeyVerifier:
        return StaticKeyVerifier(jwks_document([self.key]), issuer="esis-identity", audience="esis")

    def headers(self, role: str, *orgs: str) -> dict[str, str]:
        token = sign_access_token(Principal("acc-1", role, frozenset(orgs)), self.key, issuer="esis-identity",
                                  audience="esis", ttl_s=3600)
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def tokens() -> Tokens:
    return Tokens()


@pytest.fixture
def container(tokens: Tokens) -> Iterator[Container]:
    engine = make_engine("sqlite://", poolclass=StaticPool)
    metadata.create_all(engine)
    built = bootstrap(Settings(database_url="sqlite://", kafka_enabled=False, grpc_port=None), engine=engine,
                      verifier=tokens.verifier)
    yield built
    built.close()


@pytest.fixture
def platform(container: Container) -> Platform:
    return Platform(container)


@pytest.fixture
def client(container: Container) -> TestClient:
    return TestClient(build_app(container))


@pytest.fixture
def samples() -> Any:
    from types import SimpleNamespace

    return SimpleNamespace(enrolled=enrolled, withdrawn=withdrawn, now=datetime(2024, 10, 1, tzinfo=UTC))
