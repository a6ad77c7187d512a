"""Each server fixture hands out a working, isolated resource."""

from __future__ import annotations

import socket
import struct

import pytest
from kafka import KafkaConsumer
from pymongo import MongoClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

pytestmark = pytest.mark.integration


def test_kafka_topic_has_requested_partitions_and_a_dead_letter_topic(kafka_bootstrap, kafka_topic):
    topic = kafka_topic(partitions=3)
    consumer = KafkaConsumer(bootstrap_servers=kafka_bootstrap)
    try:
        assert consumer.partitions_for_topic(topic) == {0, 1, 2}
        assert consumer.partitions_for_topic(topic + ".dlq") == {0}
    finally:
        consumer.close()


def test_postgres_url_is_a_fresh_database_per_test(postgres_url):
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        tables = conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar()
        conn.execute(text("CREATE TABLE probe (id int)"))
    engine.dispose()
    assert tables == 0
    assert make_url(postgres_url).database.startswith("esis_test_")


def test_sql_url_runs_on_both_backends(sql_url):
    engine = create_engine(sql_url)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT 1 + 1")).scalar() == 2
    engine.dispose()


def test_mongo_uri_names_a_private_database(mongo_uri):
    client: MongoClient = MongoClient(mongo_uri, serverSelectionTimeoutMS=5000)
    try:
        docs = client.get_default_database()["probe"]
        docs.insert_one({"_id": 1, "name": "Дорж"})
        assert docs.find_one({"_id": 1})["name"] == "Дорж"
        assert client.get_default_database().name.startswith("esis_test_")
    finally:
        client.close()


def test_rabbitmq_vhost_accepts_an_amqp_connection(rabbitmq_vhost):
    assert amqp_open_vhost(rabbitmq_vhost) == "open"


def test_rabbitmq_refuses_a_vhost_that_was_never_created(rabbitmq_vhost):
    assert amqp_open_vhost(rabbitmq_vhost + "-missing") == "refused"


# No AMQP client library is installed in the venv (kombu arrives with nameko, in its own venv), so this
# speaks the AMQP 0-9-1 connection handshake directly: enough to prove the vhost and credentials work.
def amqp_open_vhost(uri: str) -> str:
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(uri)
    with socket.create_connection((parts.hostname, parts.port or 5672), timeout=10) as sock:
        sock.sendall(b"AMQP\x00\x00\x09\x01")
        _expect(sock, (10, 10))
        auth = f"\0{parts.username}\0{parts.password}".encode()
        _send(sock, 10, 11, struct.pack(">I", 0) + _short("PLAIN") + _long(auth) + _short("en_US"))
        tune = _expect(sock, (10, 30))
        _send(sock, 10, 31, tune[:6] + b"\x00\x00")  # accept the server's limits, no heartbeats
        _send(sock, 10, 40, _short(unquote(parts.path[1:])) + _short("") + b"\x00")
        reply = _read_method(sock)
        if reply == (10, 41):
            _send(sock, 10, 50, struct.pack(">H", 200) + _short("bye") + struct.pack(">HH", 0, 0))
            _expect(sock, (10, 51))
            return "open"
        return "refused" if reply == (10, 50) else f"unexpected {reply}"


def _short(value: str) -> bytes:
    raw = value.encode()
    return bytes([len(raw)]) + raw


def _long(raw: bytes) -> bytes:
    return struct.pack(">I", len(raw)) + raw


def _send(sock: socket.socket, class_id: int, method_id: int, args: bytes) -> None:
    payload = struct.pack(">HH", class_id, method_id) + args
    sock.sendall(struct.pack(">BHI", 1, 0, len(payload)) + payload + b"\xce")


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("AMQP server closed the connection")
        data += chunk
    return data


def _read_frame(sock: socket.socket) -> tuple[tuple[int, int], bytes]:
    frame_type, _channel, size = struct.unpack(">BHI", _recv_exact(sock, 7))
    payload = _recv_exact(sock, size + 1)[:-1]
    if frame_type != 1:
        return _read_frame(sock)
    return struct.unpack(">HH", payload[:4]), payload[4:]


def _read_method(sock: socket.socket) -> tuple[int, int]:
    return _read_frame(sock)[0]


def _expect(sock: socket.socket, method: tuple[int, int]) -> bytes:
    got, args = _read_frame(sock)
    assert got == method, f"expected AMQP method {method}, got {got}"
    return args
