"""``python -m notify [serve|migrate]``: nameko's runner in this process (eventlet is patched in __main__)."""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from esis_shared import clock
from esis_shared.db import migrate
from esis_shared.logging import configure_logging

from notify.config import InsecureConfiguration, Settings, ensure_safe_for_profile

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"


def serve(settings: Settings) -> None:
    from nameko.runners import ServiceRunner

    from notify.entrypoints.service import NotifyService

    ensure_safe_for_profile(settings)
    if settings.migrate_on_start:
        migrate(settings.database_url, MIGRATIONS_DIR)
    runner = ServiceRunner(settings.nameko_config())
    runner.add_service(NotifyService)
    signal.signal(signal.SIGTERM, lambda *_: runner.stop())
    runner.start()
    log.info("notify listening on AMQP, health on %s:%s", settings.http_host, settings.http_port)
    try:
        runner.wait()
    except KeyboardInterrupt:
        runner.stop()


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    settings = Settings()
    configure_logging(settings.service_name, settings.log_level, settings.log_json)
    # Parent decides whether an absence is today's; notify only keeps quiet hours and digests on real time, but
    # refuses the development date override under the production profile like every service.
    clock.guard(settings.service_name, production=settings.is_production)
    command = args[0] if args else "serve"
    try:
        if command == "serve":
            serve(settings)
        elif command == "migrate":
            migrate(settings.database_url, MIGRATIONS_DIR)
        else:
            raise SystemExit(f"✗ unknown command {command!r}: use serve or migrate")
    except InsecureConfiguration as exc:
        raise SystemExit(f"✗ {exc}") from None
