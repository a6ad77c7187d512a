"""pytest plugin: real servers for integration tests.

Enable with ``pytest_plugins = ["esis_shared.testing.fixtures"]``. Every fixture fails the test with
:class:`ServerUnavailable` (an error, never a skip) when its server cannot be reached, so a green run
means the integration tests really ran.

Scopes: the Kafka broker and the Mongo-wire server live for the session (one per xdist worker) and
every test gets fresh names on them; PostgreSQL databases and RabbitMQ vhosts are created per test
because tests change schemas and bind queues.

Environment overrides: ``ESIS_TEST_KAFKA_BOOTSTRAP`` (use a running broker, e.g. one shared by a
whole ``make test``), ``ESIS_TEST_PG_URL`` (admin URL of a role that may create databases),
``ESIS_TEST_AMQP_URL`` (+ ``ESIS_TEST_RABBITMQ_API``), ``ESIS_TEST_MONGO_URI``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from esis_shared.testing.admin import (
    RabbitAdmin,
    create_database,
    drop_database,
    postgres_admin_url,
    unique_name,
)
from esis_shared.testing.processes import ServerUnavailable, port_open, start_secantus, start_tansu

__all__ = ["ServerUnavailable"]
TopicFactory = Callable[..., str]


def _check_reachable(address: str, what: str, variable: str) -> None:
    host, _, port = address.rpartition(":")
    if not port_open(host or "127.0.0.1", int(port)):
        raise ServerUnavailable(f"{what} at {address} (from {variable}) is not reachable")


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """``host:port`` of a Kafka-protocol broker: ``ESIS_TEST_KAFKA_BOOTSTRAP`` or a private Tansu."""
    configured = os.environ.get("ESIS_TEST_KAFKA_BOOTSTRAP")
    if configured:
        _check_reachable(configured.split(",")[0], "Kafka broker", "ESIS_TEST_KAFKA_BOOTSTRAP")
        yield configured
        return
    server = start_tansu()
    try:
        yield f"{server.host}:{server.port}"
    finally:
        server.stop()


@pytest.fixture
def kafka_topic(kafka_bootstrap: str) -> TopicFactory:
    """Factory ``kafka_topic(partitions=1, prefix="test", dlq=True) -> name``: a new topic (+ ``.dlq``)."""

    # Imported here so kafka-python loads after pytest_configure has installed its warning filters.
    from esis_shared.kafka import ensure_topics

    def create(partitions: int = 1, prefix: str = "test", dlq: bool = True) -> str:
        name = f"{prefix}.{uuid.uuid4().hex[:12]}.v1"
        ensure_topics(kafka_bootstrap, [(name, partitions)], with_dlq=dlq)
        return name

    return create


@pytest.fixture
def kafka_group() -> str:
    return unique_name("test-group")


@pytest.fixture(scope="session")
def postgres_admin() -> str:
    return postgres_admin_url()


@pytest.fixture
def postgres_url(postgres_admin: str) -> Iterator[str]:
    """SQLAlchemy URL of a fresh, empty PostgreSQL database, dropped after the test."""
    name = unique_name("esis_test")
    url = create_database(postgres_admin, name)
    try:
        yield url
    finally:
        drop_database(postgres_admin, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Runs the test twice: on a SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="session")
def rabbitmq_admin() -> RabbitAdmin:
    admin = RabbitAdmin()
    admin.check()
    return admin


@pytest.fixture
def rabbitmq_vhost(rabbitmq_admin: RabbitAdmin) -> Iterator[str]:
    """AMQP URI of a fresh vhost (so no running worker steals the test's messages); deleted afterwards."""
    vhost = unique_name("esis-test")
    rabbitmq_admin.add_vhost(vhost)
    try:
        yield rabbitmq_admin.vhost_url(vhost)
    finally:
        rabbitmq_admin.delete_vhost(vhost)


@pytest.fixture(scope="session")
def mongo_server_uri() -> Iterator[str]:
    """Base URI of a Mongo-wire server: ``ESIS_TEST_MONGO_URI`` or a private in-memory SecantusDB."""
    configured = os.environ.get("ESIS_TEST_MONGO_URI")
    if configured:
        yield configured
        return
    server = start_secantus()
    try:
        yield f"mongodb://{server.host}:{server.port}/?directConnection=true"
    finally:
        server.stop()


@pytest.fixture
def mongo_uri(mongo_server_uri: str) -> Iterator[str]:
    """URI naming a unique database (``MongoClient(uri).get_default_database()``), dropped afterwards."""
    database = unique_name("esis_test")
    uri = _with_database(mongo_server_uri, database)
    yield uri
    _drop_mongo_database(uri, database)


def _with_database(uri: str, database: str) -> str:
    base, _, query = uri.partition("?")
    scheme, _, rest = base.partition("://")
    hosts = rest.split("/", 1)[0]
    return f"{scheme}://{hosts}/{database}" + (f"?{query}" if query else "")


def _drop_mongo_database(uri: str, database: str) -> None:
    from pymongo import MongoClient

    client: MongoClient = MongoClient(uri, serverSelectionTimeoutMS=5000)
    try:
        client.drop_database(database)
    finally:
        client.close()


def pytest_configure(config: pytest.Config) -> None:
    # kafka-python 3.0 loads its protocol schemas with deprecated importlib.resources calls: ~200
    # warnings per run that we cannot fix and that would hide our own.
    for message in ("read_text is deprecated", "open_text is deprecated"):
        config.addinivalue_line("filterwarnings", f"ignore:{message}:DeprecationWarning")
