"""Scenario 2: load the synthetic country through each service's own path, vs raw COPY of the same rows.

The baseline COPYs every generated file into plain typed tables of a fresh database. Each load step (see
``bench.loaders``) is compared with the COPY rate of the files it loads. Steps of services that have no bulk path
yet are reported as not available; a step that is time-boxed also reports the projected time for everything.

"Statistics reflect the country": education and hr relay their events to a broker of this scenario (the run's
broker carries scenario 5's country), a stats of its own projects them, and the time runs from the first load
request (every process started before) until stats has consumed every event the loads put in the two outboxes
on the topics it reads.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from sqlalchemy import column, create_engine, func, select, table
from stats.adapters.orm import processed_events
from stats.entrypoints.consumer import TOPICS

from bench.context import RunContext
from bench.loaders import PENDING, STEPS, LoadStep
from bench.loaders.copy_baseline import Copied, copy_all, rate_of
from bench.results import Figure, ScenarioResult
from bench.stack import EDUCATION, HR, NATIONAL_STATS, Stack
from bench.synthetic.writer import read_manifest

TITLE = "National load"
outbox_table = table("outbox", column("topic"), column("event_id"), column("event_type"), column("sent_at"))
STALL_S = 90.0  # stats not consuming anything for this long: stop waiting and report what is missing


def run(ctx: RunContext) -> ScenarioResult:
    data = ctx.dataset()
    manifest = read_manifest(data)
    result = ScenarioResult(2, TITLE, notes=[f"synthetic country at scale {manifest['scale']:g} "
                                             f"({sum(f['rows'] for f in manifest['files'].values()):,} rows)"])
    copied = copy_all(ctx.stack.database("bench_copy"), data)
    rows, seconds = sum(c.rows for c in copied.values()), sum(c.seconds for c in copied.values())
    result.add(Figure("raw COPY of all generated rows", rows / seconds, "rows/s",
                      note=f"{rows:,} rows in {seconds:.2f} s"))
    for start in (ctx.stack.identity, ctx.stack.education, ctx.stack.hr, ctx.stack.national_stats):
        start()  # every process up (stats projecting from scenario 2's broker) before the clock starts
    started = time.perf_counter()
    for step in STEPS:
        _step(ctx, result, step, data, copied)
    loaded_s = time.perf_counter() - started
    expected = _projected_events(ctx.stack)
    stats_db = ctx.stack.database_urls[NATIONAL_STATS]
    seen = _wait_applied(stats_db, expected, timeout_s=900 if ctx.options.quick else 3600)
    reflect_s = time.perf_counter() - started
    note = (f"{expected:,} events on the topics stats reads, relayed from education's and hr's outboxes to a broker "
            f"of this scenario; the loads took {loaded_s:.1f} s, stats finished {reflect_s - loaded_s:.1f} s after "
            "the last load request")
    if seen < expected:
        missing = _missing(ctx.stack, stats_db)
        note = (f"NOT ALL: stats consumed {seen:,} of {expected:,} events and made no progress for "
                f"{STALL_S:.0f} s; not consumed: {', '.join(f'{n:,} {kind}' for kind, n in missing.most_common())}")
        result.status = "failed"
    result.add(Figure("statistics reflect the loaded country (load start → stats consumed every event)", reflect_s,
                      "s", target="≤ 5 min at scale 1", note=note))
    for service, (entities, reason) in PENDING.items():
        result.notes.append(f"{service} step ({', '.join(entities)}): {reason}")
    return result


def _projected_events(stack: Stack) -> int:
    """Events in education's and hr's outboxes on the topics stats reads. stats records each one it consumes in
    its processed-event table, the types it projects and those it skips (a dead-lettered one would be missing)."""
    total = 0
    for service in (EDUCATION, HR):
        if service not in stack.database_urls:
            continue
        engine = create_engine(stack.database_urls[service])
        try:
            with engine.connect() as connection:
                total += connection.execute(select(func.count()).select_from(outbox_table).where(
                    outbox_table.c.topic.in_(TOPICS))).scalar_one()
        finally:
            engine.dispose()
    return total


def _wait_applied(database_url: str, expected: int, timeout_s: float) -> int:
    """Until stats' processed-event table holds every event of its topics (each one exactly once), or it stops
    growing for ``STALL_S`` (an event dead-lettered, say); returns how many it holds."""
    engine = create_engine(database_url)
    deadline, seen, last, progressed = time.monotonic() + timeout_s, 0, -1, time.monotonic()
    try:
        while time.monotonic() < deadline and time.monotonic() - progressed < STALL_S:
            with engine.connect() as connection:
                seen = connection.execute(select(func.count()).select_from(processed_events)).scalar_one()
            if seen >= expected:
                return seen
            if seen != last:
                last, progressed = seen, time.monotonic()
            time.sleep(0.25)
    finally:
        engine.dispose()
    return seen


def _missing(stack: Stack, stats_url: str) -> Counter[str]:
    """Event types (and whether relayed) of the outbox events on stats' topics that stats has no record of."""
    engine = create_engine(stats_url)
    try:
        with engine.connect() as connection:
            consumed = set(connection.execute(select(processed_events.c.event_id)).scalars())
    finally:
        engine.dispose()
    missing: Counter[str] = Counter()
    for service in (EDUCATION, HR):
        engine = create_engine(stack.database_urls[service])
        try:
            with engine.connect() as connection:
                for event_id, kind, sent_at in connection.execute(
                        select(outbox_table.c.event_id, outbox_table.c.event_type, outbox_table.c.sent_at)
                        .where(outbox_table.c.topic.in_(TOPICS))):
                    if event_id not in consumed:
                        missing[kind.rsplit(".", 1)[-1] + ("" if sent_at else " (not relayed)")] += 1
        finally:
            engine.dispose()
    return missing


def _step(ctx: RunContext, result: ScenarioResult, step: LoadStep, data: Path, copied: dict[str, Copied]) -> None:
    outcome = step.run(ctx, data)
    baseline = rate_of(copied, step.entities)
    result.add(Figure(f"{step.name} rows/s", outcome.rows_per_s, "rows/s", baseline,
                      f"COPY of {'+'.join(step.entities)}", "≥ 10 % of raw COPY",
                      note=f"{outcome.rows:,} of {outcome.total_rows:,} in {outcome.seconds:.1f} s; "
                           + "; ".join(outcome.notes)))
    if outcome.rows < outcome.total_rows and outcome.rows_per_s:
        scale = read_manifest(data)["scale"]
        hours = outcome.total_rows / scale / outcome.rows_per_s / 3600
        result.add(Figure(f"{step.name}: projected time at scale 1", hours, "h", target="≤ 5 min (0.083 h)",
                          note="projection from the measured rate, not a measurement"))
