"""``runtime.relay_worker`` and ``runtime.consumer_worker`` wrap the relay and the consumer as workers."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from esis_shared import consumer, kafka, relay, runtime
from esis_shared.config import ServiceSettings


class FakeProducer:
    def __init__(self, bootstrap: str, **config: Any) -> None:
        self.bootstrap, self.config, self.closed = bootstrap, config, False

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def settings() -> ServiceSettings:
    return ServiceSettings(service_name="things", kafka_bootstrap="broker:9092")


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    calls: dict[str, Any] = {}

    def make_producer(bootstrap: str, **config: Any) -> FakeProducer:
        calls["producer"] = FakeProducer(bootstrap, **config)
        return calls["producer"]

    class FakeRelay:
        def __init__(self, engine_or_sessions: Any, producer: Any, *, service: str) -> None:
            calls["relay"] = (engine_or_sessions, producer, service)

        def run(self, stop: threading.Event) -> None:
            calls["relay_stop"] = stop
            if calls.get("relay_fails"):
                raise RuntimeError("relay crashed")

    class FakeConsumer:
        def __init__(self, **kwargs: Any) -> None:
            calls["consumer"] = kwargs

        def run(self, stop: threading.Event) -> None:
            calls["consumer_stop"] = stop

    monkeypatch.setattr(kafka, "make_producer", make_producer)
    monkeypatch.setattr(relay, "OutboxRelay", FakeRelay)
    monkeypatch.setattr(consumer, "EventConsumer", FakeConsumer)
    return calls


def test_the_relay_worker_runs_the_outbox_relay_and_closes_its_producer(settings, seen) -> None:
    engine, stop = object(), threading.Event()
    worker = runtime.relay_worker(settings, engine)
    assert worker.__name__ == "outbox-relay"
    worker(stop)
    producer = seen["producer"]
    assert (producer.bootstrap, producer.config) == ("broker:9092", {"client_id": "things-relay"})
    assert seen["relay"] == (engine, producer, "things")
    assert seen["relay_stop"] is stop and producer.closed


def test_the_relay_worker_closes_its_producer_when_the_relay_crashes(settings, seen) -> None:
    seen["relay_fails"] = True
    worker = runtime.relay_worker(settings, object(), client_id="things-republisher", name="republisher")
    assert worker.__name__ == "republisher"
    with pytest.raises(RuntimeError):
        worker(threading.Event())
    assert seen["producer"].config == {"client_id": "things-republisher"} and seen["producer"].closed


def test_the_consumer_worker_runs_an_event_consumer(settings, seen) -> None:
    sessions, handlers, stop = object(), {"esis.x.v1.Thing": print}, threading.Event()
    worker = runtime.consumer_worker(settings, group_id="things", topics=("a.b.v1",), session_factory=sessions,
                                     handlers=handlers, name="things-consumer", max_retries=1)
    assert worker.__name__ == "things-consumer"
    assert "consumer" not in seen  # nothing connects before the worker runs
    worker(stop)
    assert seen["consumer"] == {"bootstrap": "broker:9092", "group_id": "things", "topics": ("a.b.v1",),
                                "session_factory": sessions, "handlers": handlers, "max_retries": 1}
    assert seen["consumer_stop"] is stop
    assert runtime.consumer_worker(settings, group_id="g", topics=(), session_factory=sessions,
                                   handlers={}).__name__ == "event-consumer"
