"""Process entry for a service: ``python -m <service> [serve|migrate|...]``.

One process hosts the HTTP API (uvicorn), the gRPC server and background workers (outbox relay, Kafka
consumer) as threads; Kubernetes runs one such process per pod and scales them horizontally.
"""

from __future__ import annotations

import argparse
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

import uvicorn

from esis_shared.config import ServiceSettings
from esis_shared.logging import configure_logging

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
    parser = argparse.ArgumentParser(prog=settings.service_name)
    parser.add_argument("command", nargs="?", default="serve", choices=sorted(commands))
    args = parser.parse_args(argv)
    commands[args.command]()
