"""Scenario 3: outbox → Kafka → consumer projection with esis_shared's relay and idempotent consumer, vs a bare
kafka-python produce → consume loop of the same records, on a Tansu broker the runner starts.

N LearnerEnrolled events (from the synthetic learners) are staged in an outbox with ``stage_event``; the consumer
process joins its group, then the relay process publishes them and the consumer projects them into per-school
counts, one transaction per polled batch (one claim of the batch's event ids in processed_events, the projection,
one commit). The main figure projects with a batch handler (one upsert statement per run of events); the same
pipeline is measured again, on its own database and topic, with a handler per event (one upsert each, as most
services' handlers are written today). Throughput is counted from the first record's CreateTime to the last record
done (its batch committed); lag is done time − CreateTime per record.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from esis_shared.db import make_engine, make_session_factory, transaction
from esis_shared.kafka import ensure_topics
from esis_shared.outbox import stage_event
from sqlalchemy import func, select

from bench import procs
from bench.context import RunContext
from bench.pipeline.projection import COUNTS, PARTITIONS, TOPIC, enrolments, metadata
from bench.results import Figure, ScenarioResult

TITLE = "Event pipeline"
BARE_TOPIC = "bench.bare.v1"
EACH_TOPIC = "bench.enrolments-each.v1"
STAGE_BATCH = 1000


def run(ctx: RunContext) -> ScenarioResult:
    count, data = ctx.options.events, ctx.dataset()
    bootstrap = ctx.stack.kafka()
    ensure_topics(bootstrap, [(TOPIC, PARTITIONS), (EACH_TOPIC, PARTITIONS)])
    ensure_topics(bootstrap, [(BARE_TOPIC, PARTITIONS)], with_dlq=False)
    db, each_db = ctx.stack.database("bench_pipeline"), ctx.stack.database("bench_pipeline_each")
    engines = {db: make_engine(db), each_db: make_engine(each_db)}
    for engine in engines.values():
        metadata.create_all(engine)
    result = ScenarioResult(3, TITLE, notes=[
        f"{count:,} LearnerEnrolled events, topic {TOPIC} ({PARTITIONS} partitions), Tansu in memory",
        "the consumer handles each polled batch (≤ 500 records) in one transaction: one claim of the batch's "
        "event ids in processed_events (INSERT … ON CONFLICT DO NOTHING RETURNING), the projection, one commit; "
        "a savepoint per record only when a handler fails"])
    staged_s = _stage(engines[db], data, count, TOPIC)
    _stage(engines[each_db], data, count, EACH_TOPIC)
    result.add(Figure("outbox staging (stage_event, 1,000 per transaction)", count / staged_s, "events/s"))
    with tempfile.TemporaryDirectory(prefix="esis-bench-pipeline-") as tmp:
        real = _measure(Path(tmp), "pipeline", bootstrap, db, count, TOPIC, ("consume", "relay"))
        each = _measure(Path(tmp), "each", bootstrap, each_db, count, EACH_TOPIC, ("consume-each", "relay"))
        bare = _measure(Path(tmp), "bare", bootstrap, db, count, BARE_TOPIC, ("bare-consume", "bare-produce"))
    projected = {name: _projected(engine) for name, engine in engines.items()}
    for engine in engines.values():
        engine.dispose()
    _report(result, real, each, bare, (projected[db], projected[each_db]), count)
    return result


def _stage(engine: Any, data: Path, count: int, topic: str) -> float:
    sessions = make_session_factory(engine)
    events = list(enrolments(data, count))
    started = time.perf_counter()
    for start in range(0, count, STAGE_BATCH):
        with transaction(sessions) as session:
            for key, aimag, message in events[start:start + STAGE_BATCH]:
                stage_event(session, topic=topic, key=key, message=message, source="education", aimag=aimag)
    return time.perf_counter() - started


def _measure(tmp: Path, name: str, bootstrap: str, db: str, count: int, topic: str,
             roles: tuple[str, str]) -> dict[str, Any]:
    """Start the consumer, wait until it has joined its group, then start the producer; wait for the count."""
    ready, out = tmp / f"{name}.ready", tmp / f"{name}.json"
    common = ("--bootstrap", bootstrap, "--db", db, "--topic", topic, "--group", f"bench-{name}")
    consumer = procs.python_module(f"{name}-consumer", "bench.pipeline", roles[0], *common, "--expect", str(count),
                                   "--ready", str(ready), "--out", str(out), "--timeout", "900")
    producer = None
    try:
        _wait_file(ready, consumer, 120)
        producer = procs.python_module(f"{name}-producer", "bench.pipeline", roles[1], *common)
        consumer.process.wait(timeout=960)
        if not out.exists():
            raise RuntimeError(f"{name} consumer wrote no result:\n{consumer.log_tail()}")
        return json.loads(out.read_text())
    finally:
        for proc in (producer, consumer):
            if proc is not None:
                proc.stop()


def _wait_file(path: Path, proc: procs.Proc, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{proc.name} did not join its group:\n{proc.log_tail()}")
        time.sleep(0.1)


def _projected(engine: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.sum(COUNTS.c.learners), 0))).scalar_one())


def _report(result: ScenarioResult, real: dict[str, Any], each: dict[str, Any], bare: dict[str, Any],
            projected: tuple[int, int], count: int) -> None:
    for name, measured, total in (("pipeline", real, projected[0]), ("per-event pipeline", each, projected[1])):
        if measured["done"] < count or total != count:
            result.status = "failed"
            result.notes.append(f"{name} finished {measured['done']:,} of {count:,} records; projection holds "
                                f"{total:,}")
    result.add(Figure("outbox → Kafka → projection", real["events_per_s"], "events/s", bare["events_per_s"],
                      "bare kafka-python loop", "≥ 10,000 events/s and ≥ 50 % of bare",
                      note=f"{real['done']:,} events in {real['seconds']:.1f} s; batch handler"))
    result.add(Figure("pipeline lag p50", real["lag_p50_ms"] / 1000, "s", bare["lag_p50_ms"] / 1000, "bare loop"))
    result.add(Figure("pipeline lag p99", real["lag_p99_ms"] / 1000, "s", bare["lag_p99_ms"] / 1000, "bare loop",
                      "≤ 2 s"))
    result.add(Figure("outbox → Kafka → projection, handler per event", each["events_per_s"], "events/s",
                      bare["events_per_s"], "bare kafka-python loop",
                      note=f"{each['done']:,} events in {each['seconds']:.1f} s; one upsert round trip per event"))
    result.add(Figure("pipeline lag p99, handler per event", each["lag_p99_ms"] / 1000, "s",
                      bare["lag_p99_ms"] / 1000, "bare loop"))
    result.add(Figure("bare kafka-python produce → consume", bare["events_per_s"], "events/s",
                      note=f"{bare['done']:,} events in {bare['seconds']:.1f} s"))
