"""``python -m education [serve|migrate|escalate-transfers]``."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Sequence

from esis_shared import runtime
from esis_shared.auth import CachedVerifier, JwksVerifier
from esis_shared.db import migrate

from education.bootstrap import MIGRATIONS_DIR, Container, bootstrap
from education.config import Settings

log = logging.getLogger(__name__)


def serve(settings: Settings) -> None:
    container = bootstrap(settings, run_migrations=settings.migrate_on_start)
    from education.entrypoints.api.app import build_app
    from education.entrypoints.grpc_server import build_grpc_server

    app = build_app(container)
    app.state.token_verifier = CachedVerifier(JwksVerifier.of(settings))
    grpc_server = build_grpc_server(container) if settings.grpc_port else None
    runtime.serve(settings, app, grpc_server=grpc_server, workers=background_workers(container))


def background_workers(container: Container) -> list[runtime.Worker]:
    workers: list[runtime.Worker] = [escalation_worker(container)]
    settings = container.settings
    if settings.kafka_enabled:
        workers.append(relay_worker(container))
    return workers


def escalation_worker(container: Container) -> runtime.Worker:
    def escalate(stop: threading.Event) -> None:
        while not stop.wait(container.settings.escalation_check_s):
            escalated = container.escalate_stale_transfers()
            if escalated:
                log.info("escalated %d stale transfers", len(escalated))

    escalate.__name__ = "transfer-escalation"
    return escalate


def relay_worker(container: Container) -> runtime.Worker:
    return runtime.relay_worker(container.settings, container.engine, client_id="education-relay")


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    settings = Settings()
    commands = {
        "serve": lambda: serve(settings),
        "migrate": lambda: migrate(settings.database_url, MIGRATIONS_DIR),
        "escalate-transfers": lambda: print(len(bootstrap(settings).escalate_stale_transfers())),
    }
    runtime.main(settings, commands, args[:1])
