"""``python -m identity [serve|migrate|create-account ...]``."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence

from esis_shared import runtime
from esis_shared.amqp_outbox import AmqpOutboxRelay, nameko_event_route
from esis_shared.db import migrate

from identity.bootstrap import MIGRATIONS_DIR, Container, bootstrap
from identity.config import InsecureConfiguration, Settings
from identity.domain.errors import IdentityError
from identity.service_layer.commands import CreateAccount


def serve(settings: Settings) -> None:
    container = bootstrap(settings, run_migrations=settings.migrate_on_start)
    container.ensure_bootstrap_admin()
    from identity.entrypoints.api.app import build_app
    from identity.entrypoints.grpc_server import build_grpc_server

    grpc_server = build_grpc_server(container) if settings.grpc_port else None
    runtime.serve(settings, build_app(container), grpc_server=grpc_server, workers=background_workers(container))


def background_workers(container: Container) -> list[runtime.Worker]:
    """The outbox relay and the consumer of hr's and parent's events (none without a broker), and the relay of
    SMS requests to notify over RabbitMQ (none with ``IDENTITY_AMQP_ENABLED=false``)."""
    workers = [relay_worker(container), consumer_worker(container)] if container.settings.kafka_enabled else []
    return workers + ([sms_relay_worker(container)] if container.settings.amqp_enabled else [])


def sms_relay(container: Container) -> AmqpOutboxRelay:
    """Sign-up SMS to notify's ``on_direct`` handler; payloads (they carry codes) are blanked once published."""
    from identity.adapters.orm import amqp_outbox

    exchange, routing_key, queues = nameko_event_route("identity", "direct_message_requested",
                                                       "evt-identity-direct_message_requested--notify.on_direct")
    return AmqpOutboxRelay(container.engine, amqp_outbox, container.settings.amqp_url, exchange=exchange,
                           routing_key=routing_key, declare=queues, scrub_after_send=True)


def sms_relay_worker(container: Container) -> runtime.Worker:
    def sms_relay_run(stop: threading.Event) -> None:
        sms_relay(container).run(stop)

    sms_relay_run.__name__ = "sms-relay"
    return sms_relay_run


def relay_worker(container: Container) -> runtime.Worker:
    return runtime.relay_worker(container.settings, container.engine, client_id="identity-relay")


def consumer_worker(container: Container, *, topics: Sequence[str] | None = None,
                    group_id: str | None = None) -> runtime.Worker:
    """Consumes hr.staff.v1, hr.assignments.v1 and parent.guardians.v1 (tests pass their own topics and group)."""
    from identity.entrypoints import consumer as events

    return runtime.consumer_worker(container.settings, group_id=group_id or events.GROUP_ID,
                                   topics=topics or events.TOPICS, session_factory=container.sessions,
                                   handlers={}, batch_handlers=events.build_batch_handlers(container.deps.clock))


def create_account(settings: Settings, argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="identity create-account",
                                     description="Create an account as the platform (no acting administrator).")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--role", required=True)
    parser.add_argument("--name", default="")
    parser.add_argument("--org", action="append", default=[], help="org id (repeatable)")
    parser.add_argument("--class", dest="classes", action="append", default=[], help="class id (repeatable)")
    parser.add_argument("--child", action="append", default=[], help="child (learner) id (repeatable)")
    args = parser.parse_args(argv)
    container = bootstrap(settings)
    try:
        account = container.handle(CreateAccount(
            actor_id=None, username=args.username, password=args.password, role=args.role, display_name=args.name,
            org_ids=args.org, class_ids=args.classes, child_ids=args.child))
    except IdentityError as exc:
        raise SystemExit(f"✗ {exc.message}") from None
    finally:
        container.close()
    print(account.id)


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    settings = Settings()
    commands = {
        "serve": lambda: serve(settings),
        "migrate": lambda: migrate(settings.database_url, MIGRATIONS_DIR),
        "create-account": lambda: create_account(settings, args[1:]),
    }
    try:
        runtime.main(settings, commands, args[:1])
    except InsecureConfiguration as exc:
        raise SystemExit(f"✗ {exc}") from None
