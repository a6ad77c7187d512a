"""Process entry for a service: ``python -m <service> [serve|migrate|...]``.

One process hosts the HTTP API (uvicorn), the gRPC server and background workers (outbox relay, Kafka
consumer) as threads; Kubernetes runs one such process per pod and scales them horizontally.
"""

from __future__ import annotations

import argparse
import logging
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import uvicorn

from esis_shared import clock
from esis_shared.config import ServiceSettings
from esis_shared.logging import configure_logging

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)
Worker = Callable[[threading.Event], None]


def serve(settings: ServiceSettings, app: Any, *, grpc_server: Any | None = None,
          workers: Sequence[Worker] = ()) -> None:
    """Run HTTP in the foreground and the rest in threads until SIGINT/SIGTERM."""
    stop = threading.Event()
    threads = [threading.Thread(target=_guarded(w, stop), name=getattr(w, "__name__", "worker"), daemon=True)
               for w in workers]
    if grpc_server is not None:
        grpc_server.start()
        log.info("gRPC listening on port %s", settings.grpc_port)
    for thread in threads:
        thread.start()
    try:
        uvicorn.run(app, host=settings.http_host, port=settings.http_port, log_config=None,
                    access_log=False, timeout_graceful_shutdown=5)
    finally:
        stop.set()
        if grpc_server is not None:
            grpc_server.stop(grace=3).wait(5)
        for thread in threads:
            thread.join(timeout=10)


def relay_worker(settings: ServiceSettings, engine_or_sessions: Engine | sessionmaker[Session], *,
                 client_id: str | None = None, name: str = "outbox-relay") -> Worker:
    """The outbox relay as a worker: a producer (client id ``<service>-relay`` unless given) per run, closed after."""
    client = client_id or f"{settings.service_name}-relay"

    def relay(stop: threading.Event) -> None:
        from esis_shared.kafka import make_producer
        from esis_shared.relay import OutboxRelay

        producer = make_producer(settings.kafka_bootstrap, client_id=client)
        try:
            OutboxRelay(engine_or_sessions, producer, service=settings.service_name).run(stop)
        finally:
            producer.close()

    relay.__name__ = name
    return relay


def consumer_worker(settings: ServiceSettings, *, group_id: str, topics: Sequence[str],
                    session_factory: sessionmaker[Session], handlers: dict[str, Any],
                    name: str = "event-consumer", **consumer_kwargs: Any) -> Worker:
    """A Kafka consumer as a worker: a new ``EventConsumer`` per run, which closes itself when stopped."""

    def consume(stop: threading.Event) -> None:
        from esis_shared.consumer import EventConsumer

        EventConsumer(bootstrap=settings.kafka_bootstrap, group_id=group_id, topics=topics,
                      session_factory=session_factory, handlers=handlers, **consumer_kwargs).run(stop)

    consume.__name__ = name
    return consume


def _guarded(worker: Worker, stop: threading.Event) -> Callable[[], None]:
    def run() -> None:
        while not stop.is_set():
            try:
                worker(stop)
                return
            except Exception:
                log.exception("background worker %s crashed; restarting in 2 s", worker)
                stop.wait(2)
    return run


def main(settings: ServiceSettings, commands: dict[str, Callable[[], None]], argv: Sequence[str] | None = None) -> None:
    """Dispatch ``serve`` (default), ``migrate`` and any service-specific command."""
    configure_logging(settings.service_name, settings.log_level, settings.log_json)
    clock.guard(settings.service_name, production=settings.is_production)  # ESIS_TODAY: dev only, warned
    parser = argparse.ArgumentParser(prog=settings.service_name)
    parser.add_argument("command", nargs="?", default="serve", choices=sorted(commands))
    args = parser.parse_args(argv)
    commands[args.command]()
