"""``python -m bench.pipeline relay|consume|consume-each|bare-produce|bare-consume ...`` — one role per process."""

from __future__ import annotations

import argparse
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from esis_shared.consumer import EventConsumer
from esis_shared.db import make_engine, make_session_factory, transaction
from esis_shared.kafka import make_relay_producer
from esis_shared.relay import OUTBOX, OutboxRelay, envelope_from_row
from kafka import KafkaConsumer, KafkaProducer
from sqlalchemy import select

from bench.pipeline.projection import EVENT, project, project_many
from bench.pipeline.timing import Timing

# Services' consumer-group settings (INFRA.md: Tansu holds a JoinGroup for half the session timeout).
GROUP_SETTINGS = {"session_timeout_ms": 6000, "heartbeat_interval_ms": 2000}


def relay(args: argparse.Namespace) -> None:
    """esis_shared's outbox relay until SIGTERM."""
    stop = _stop_on_sigterm()
    producer = make_relay_producer(args.bootstrap, client_id="bench-relay")
    try:
        OutboxRelay(make_engine(args.db), producer, service="bench", batch_size=500, idle_wait_s=0.05).run(stop)
    finally:
        producer.close()


def consume(args: argparse.Namespace) -> None:
    """esis_shared's idempotent consumer feeding the projection, until ``--expect`` records are done.

    ``consume`` projects with a batch handler (one upsert per run of events), ``consume-each`` with a handler
    per event (one upsert each), as most services' handlers do today.
    """
    client = _client(args)
    handlers = {} if args.role == "consume" else {EVENT.DESCRIPTOR.full_name: project}
    batch_handlers = {EVENT.DESCRIPTOR.full_name: project_many} if args.role == "consume" else {}
    consumer = EventConsumer(bootstrap=args.bootstrap, group_id=args.group, topics=[args.topic], client=client,
                             session_factory=make_session_factory(make_engine(args.db)), handlers=handlers,
                             batch_handlers=batch_handlers, max_poll_records=500)
    timing, process_batch = Timing(), consumer.processor.process_batch

    def timed(records: Any) -> Any:
        result = process_batch(records)  # a record is done when its batch's transaction has committed
        for record in records[:len(result.outcomes)]:
            timing.record(record.timestamp)
        return result

    consumer.processor.process_batch = timed  # type: ignore[method-assign]
    _drive(lambda: consumer.poll_once(500), client, timing, args)
    consumer.close()


def bare_produce(args: argparse.Namespace) -> None:
    """kafka-python alone: send the outbox's records (same key, value, headers) to another topic."""
    with transaction(make_session_factory(make_engine(args.db))) as session:
        envelopes = [envelope_from_row(row) for row in session.execute(select(*OUTBOX.c).order_by(OUTBOX.c.seq))]
    producer = KafkaProducer(bootstrap_servers=args.bootstrap, acks="all", linger_ms=5, client_id="bench-bare")
    for envelope in envelopes:
        producer.send(args.topic, key=(envelope.key or "").encode(), value=envelope.value,
                      headers=envelope.headers())
    producer.flush(timeout=120)
    producer.close()


def bare_consume(args: argparse.Namespace) -> None:
    """kafka-python alone: poll and count, committing offsets per batch like the real consumer."""
    client = _client(args)
    client.subscribe([args.topic])
    timing = Timing()

    def poll() -> None:
        batch = client.poll(timeout_ms=500, max_records=500)
        for records in batch.values():
            for record in records:
                timing.record(record.timestamp)
        if batch:
            client.commit()

    _drive(poll, client, timing, args)
    client.close()


def _client(args: argparse.Namespace) -> KafkaConsumer:
    return KafkaConsumer(bootstrap_servers=args.bootstrap, group_id=args.group, enable_auto_commit=False,
                         auto_offset_reset="earliest", max_poll_records=500, client_id=f"bench-{args.group}",
                         **GROUP_SETTINGS)


def _drive(poll: Callable[[], Any], client: KafkaConsumer, timing: Timing, args: argparse.Namespace) -> None:
    """Join the group, say so in ``--ready``, then poll until ``--expect`` records are done or time is up."""
    deadline = time.monotonic() + args.timeout
    while not client.assignment() and time.monotonic() < deadline:
        poll()
    Path(args.ready).write_text("ready")
    while timing.done < args.expect and time.monotonic() < deadline:
        poll()
    timing.write(Path(args.out))


def _stop_on_sigterm() -> threading.Event:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    return stop


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pipeline")
    parser.add_argument("role", choices=("relay", "consume", "consume-each", "bare-produce", "bare-consume"))
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--db", help="SQLAlchemy URL of the pipeline database")
    parser.add_argument("--topic")
    parser.add_argument("--group", default="bench")
    parser.add_argument("--expect", type=int, default=0)
    parser.add_argument("--ready", default="/dev/null")
    parser.add_argument("--out", default="/dev/null")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    roles = {"relay": relay, "consume": consume, "consume-each": consume, "bare-produce": bare_produce,
             "bare-consume": bare_consume}
    roles[args.role](args)


if __name__ == "__main__":
    main()
