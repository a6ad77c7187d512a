"""Scenario 5: national dashboard queries (p50/p99) and a full statistics rebuild from the log (time).

1. stats starts on a fresh PostgreSQL database with its projections consumer on a broker of this scenario's own
   (other scenarios publish copies of the country, moved to other school years, on the run's broker); the synthetic
   country is published as the events education and hr publish (``bench.loaders.events``: org units, classes,
   learners, enrolments, staff, teaching assignments) and the time until stats has applied every one of them is
   "statistics reflect the country" (baseline: a bare consumer reading the same records without applying them).
2. The ministry's population reference (derived from the dataset's learners) is uploaded so the indicators are
   computed, not reported missing.
3. Dashboard reads, public (no token), each first once cold (what the first visitor after new events waits), then
   under wrk load, vs the bare uvicorn endpoint: the national open-data page, the national indicators, an aimag's
   enrolment table and a school's profile.
4. ``python -m stats rebuild`` replays every topic from the beginning into an empty PostgreSQL database (time),
   and its checksum is compared with ``python -m stats checksum`` of the serving database.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

import httpx
from esis_shared.kafka import Envelope
from esis_shared.testing.processes import start_tansu
from kafka import KafkaConsumer
from kafka.structs import TopicPartition
from sqlalchemy import create_engine, func, select
from stats.adapters.orm import processed_events
from stats.entrypoints.consumer import TOPICS

from bench import procs, wrk
from bench.context import RunContext
from bench.loaders.events import education_events, hr_events, publish
from bench.procs import Proc
from bench.results import Figure, ScenarioResult
from bench.stack import Stack
from bench.synthetic.writer import read_manifest, read_rows

TITLE = "National dashboards"
BARE_NAME = "bare uvicorn JSON"


def run(ctx: RunContext) -> ScenarioResult:
    data, stack = ctx.dataset(), ctx.stack
    manifest = read_manifest(data)
    year = int(manifest["school_year"])
    result = ScenarioResult(5, TITLE, notes=[f"synthetic country at scale {manifest['scale']:g}, school year "
                                             f"{year}-{year + 1}"])
    stats_db = stack.database("bench_stats")
    identity = stack.identity()  # signs the ministry's population upload; the dashboard reads themselves are public
    bare = stack.bare()
    broker = start_tansu()
    bootstrap = f"{broker.host}:{broker.port}"
    stats: Proc | None = None
    try:
        stats = _start_stats(stats_db, bootstrap, f"{identity.url}/api/identity/v1/jwks")
        _measure(ctx, result, data, year, bootstrap, stats_db, stats.url, bare.url)
    finally:
        if stats is not None:
            stats.stop()
        broker.stop()
    return result


def _start_stats(database_url: str, bootstrap: str, jwks_url: str) -> Proc:
    port = procs.free_port()
    env = {"STATS_DATABASE_URL": database_url, "STATS_HTTP_PORT": str(port), "STATS_HTTP_HOST": procs.HOST,
           "STATS_GRPC_PORT": str(procs.free_port()), "STATS_KAFKA_ENABLED": "true",
           "STATS_KAFKA_BOOTSTRAP": bootstrap, "STATS_LOG_LEVEL": "WARNING", "STATS_JWKS_URL": jwks_url}
    proc = procs.python_module("stats-dashboards", "stats", env=env, port=port)
    procs.wait_http(proc, "/readyz")
    return proc


def _measure(ctx: RunContext, result: ScenarioResult, data: Path, year: int, bootstrap: str, stats_db: str,
             stats_url: str, bare_url: str) -> None:
    stack, opts = ctx.stack, ctx.options

    # 1. the country as events, and the time until stats reflects it
    handled: Counter[str] = Counter()
    started = time.perf_counter()
    counts = publish(bootstrap, _counting([*education_events(data), *hr_events(data)], handled))
    published_s = time.perf_counter() - started
    expected = sum(handled.values())
    _wait_applied(stats_db, expected, timeout_s=300 if opts.quick else 3600)
    reflect_s = time.perf_counter() - started
    read_s, read_records = _bare_read(bootstrap)
    total = sum(counts.values())
    result.add(Figure("publish the country's events", total / published_s, "events/s",
                      note=f"{total:,} events in {published_s:.1f} s ({_topics(counts)})"))
    result.add(Figure("statistics reflect the country (publish start → every event applied)", reflect_s, "s",
                      read_s, "bare read of the same topics", "≤ 5 min (scenario 2)",
                      note=f"{expected:,} events on stats' topics processed (applied or skipped); "
                           f"bare read {read_records:,} records in {read_s:.1f} s"))

    # 2. population reference, so the indicators have denominators
    _upload_population(stack, stats_url, data, year)

    # 3. dashboard reads
    aimag, aimag_name, school, school_name = _largest(data)
    reads = {
        "national open-data page (HTML)": f"/stats/open?year={year}",
        "national indicators (JSON)": f"/api/stats/v1/open/indicators.json?year={year}",
        f"aimag enrolment table ({aimag_name})": f"/api/stats/v1/open/enrolment.json?year={year}&area_id={aimag}",
        f"school profile ({school_name})": f"/api/stats/v1/open/schools/{school}.json?year={year}",
    }
    _check_national_total(stats_url, year, data)
    base = _load(ctx, f"{bare_url}/hello")
    result.add(Figure("bare uvicorn JSON req/s", base.requests_per_s, "req/s"))
    result.add(Figure("bare uvicorn JSON p99", base.p99_ms, "ms"))
    cold = {name: _first_request_ms(stats_url + path) for name, path in reads.items()}
    for name, path in reads.items():
        load = _load(ctx, stats_url + path)
        result.add(Figure(f"{name} cold (first request after the last event)", cold[name], "ms",
                          note="counts computed by the database, then kept until the next event arrives"))
        result.add(Figure(f"{name} p50", load.p50_ms, "ms", base.p50_ms, BARE_NAME))
        result.add(Figure(f"{name} p99", load.p99_ms, "ms", base.p99_ms, BARE_NAME, "≤ 50 ms"))
        result.add(Figure(f"{name} req/s", load.requests_per_s, "req/s", base.requests_per_s, BARE_NAME))
    result.notes.append(f"wrk, 1 thread, {opts.connections} connections, {opts.seconds:g} s per target after "
                        f"{opts.warmup:g} s warm-up, direct to stats (public reads, no token)")

    # 4. full rebuild from the log
    rebuilt_db = stack.database("bench_stats_rebuild")
    env = {**os.environ, "STATS_KAFKA_BOOTSTRAP": bootstrap, "STATS_REBUILD_DATABASE_URL": rebuilt_db,
           "STATS_LOG_LEVEL": "WARNING"}
    started = time.perf_counter()
    out = _stats_command(["rebuild"], env, timeout_s=900 if opts.quick else 7200)
    rebuild_s = time.perf_counter() - started
    records, rebuilt_sum = _field(out, "records"), _field(out, "checksum")
    serving_sum = _field(_stats_command(["checksum"], {**env, "STATS_DATABASE_URL": stats_db}, 600), "checksum")
    result.add(Figure("full statistics rebuild from the log (python -m stats rebuild)", rebuild_s, "s", read_s,
                      "bare read of the same topics", "≤ 10 min",
                      note=f"{int(records):,} records into an empty PostgreSQL database; checksum "
                           f"{'equals' if rebuilt_sum == serving_sum else 'DIFFERS FROM'} the serving database's"))
    if rebuilt_sum != serving_sum:
        result.status = "failed"
        result.notes.append(f"rebuild checksum {rebuilt_sum} != serving checksum {serving_sum}")
    result.notes.append("rebuild time includes the process start, the replay (batch handlers, one transaction per "
                        "2,000 records) and the checksum of every projection row")


def _counting(envelopes: Iterable[Envelope], handled: Counter[str]) -> Iterator[Envelope]:
    """Pass the envelopes through, counting those on stats' topics: stats records each of them as processed, also
    the types it does not project (skipped), so waiting for fewer would stop early."""
    for envelope in envelopes:
        if envelope.topic in TOPICS:
            handled[envelope.type] += 1
        yield envelope


def _topics(counts: dict[str, int]) -> str:
    return ", ".join(f"{topic} {n:,}" for topic, n in sorted(counts.items()))


def _wait_applied(database_url: str, expected: int, timeout_s: float) -> None:
    """Until stats' processed-event table holds every event it applies (each one exactly once)."""
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1)
                           if database_url.startswith("postgresql://") else database_url)
    deadline, seen = time.monotonic() + timeout_s, 0
    try:
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                seen = connection.execute(select(func.count()).select_from(processed_events)).scalar_one()
            if seen >= expected:
                return
            time.sleep(0.25)
    finally:
        engine.dispose()
    raise TimeoutError(f"stats applied {seen:,} of {expected:,} events within {timeout_s:.0f} s")


def _bare_read(bootstrap: str) -> tuple[float, int]:
    """Seconds for a plain consumer to read every record of stats' topics from the beginning (no decoding)."""
    started = time.perf_counter()
    client = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                           auto_offset_reset="earliest", client_id="bench-bare-read", max_poll_records=2000)
    try:
        partitions = [TopicPartition(t, p) for t in TOPICS for p in sorted(client.partitions_for_topic(t) or ())]
        client.assign(partitions)
        client.seek_to_beginning()
        read: dict[TopicPartition, int] = {}
        count, idle = 0, 0
        while idle < 3:
            batch = client.poll(timeout_ms=500)
            for tp, records in batch.items():
                count += len(records)
                read[tp] = records[-1].offset + 1
            marks = {tp: client.highwater(tp) for tp in partitions}
            if all(m is not None and read.get(tp, 0) >= m for tp, m in marks.items() if m):
                break
            idle = 0 if batch else idle + 1
    finally:
        client.close()
    return time.perf_counter() - started, count


def _upload_population(stack: Stack, stats_url: str, data: Path, year: int) -> None:
    """A population reference by area, age and sex for the census year: the dataset's learners by age and sex,
    scaled by 1.05 (so enrolment ratios come out a little under 100 %), for the nation and every aimag."""
    counts: Counter[tuple[str, int, str]] = Counter()
    for row in read_rows(data, "learners"):
        born = date.fromisoformat(row["birth_date"])
        age = year - born.year  # stats' rule: the age reached in the calendar year of the census day
        if row["sex"] in ("male", "female") and 3 <= age <= 20:
            for area in ("MN", row["aimag_code"]):
                counts[(area, age, row["sex"])] += 1
    lines = ["area_code,year,age,sex,population"] + [
        f"{area},{year},{age},{sex},{round(n * 1.05) + 1}" for (area, age, sex), n in sorted(counts.items())]
    token = stack.token()
    response = httpx.post(f"{stats_url}/api/stats/v1/population", content="\n".join(lines) + "\n", timeout=60,
                          headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"})
    if response.status_code >= 300:
        raise RuntimeError(f"population upload: {response.status_code} {response.text[:300]}")


def _largest(data: Path) -> tuple[str, str, str, str]:
    """The aimag (or the capital) and the school with the most learners: the heaviest aimag and school pages."""
    learners = Counter(row["institution_id"] for row in read_rows(data, "learners"))
    institutions = {row["id"]: row for row in read_rows(data, "institutions")}
    schools = [i for i, _ in learners.most_common() if institutions[i]["kind"] == "school"]
    by_aimag: Counter[str] = Counter()
    for institution, n in learners.items():
        by_aimag[institutions[institution]["aimag_code"]] += n
    code = by_aimag.most_common(1)[0][0]
    unit = next(row for row in read_rows(data, "admin_units")
                if row["kind"] in ("aimag", "capital") and row["code"] == code)
    return unit["id"], unit["name_en"], schools[0], institutions[schools[0]]["name_en"]


def _check_national_total(stats_url: str, year: int, data: Path) -> None:
    """The national enrolment table adds up to every learner of the dataset (else the figures are not the
    country's and the latencies would mean nothing)."""
    response = httpx.get(f"{stats_url}/api/stats/v1/open/enrolment.json?year={year}", timeout=600)
    response.raise_for_status()
    total_row = response.json()["rows"][-1]
    graded = sum(1 for row in read_rows(data, "learners") if row["level"].isdigit() and 1 <= int(row["level"]) <= 12)
    if total_row["total"] is not None and total_row["total"] != graded:
        raise RuntimeError(f"national enrolment total {total_row['total']} != {graded} school learners generated")


def _first_request_ms(url: str) -> float:
    started = time.perf_counter()
    response = httpx.get(url, timeout=600)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code} {response.text[:300]}")
    return elapsed


def _load(ctx: RunContext, url: str) -> wrk.Load:
    opts = ctx.options
    wrk.run(url, seconds=opts.warmup, connections=opts.connections)
    load = wrk.run(url, seconds=opts.seconds, connections=opts.connections)
    if load.errors:
        raise RuntimeError(f"{url}: {load.errors} of {load.requests} requests failed")
    return load


def _stats_command(args: list[str], env: dict[str, str], timeout_s: float) -> str:
    out = subprocess.run([sys.executable, "-m", "stats", *args], env=env, capture_output=True, text=True,
                         timeout=timeout_s)
    if out.returncode != 0:
        raise RuntimeError(f"python -m stats {' '.join(args)} exited {out.returncode}: {out.stderr[-1500:]}")
    return out.stdout


def _field(output: str, name: str) -> str:
    match = re.search(rf"^{name} (\S+)$", output, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no {name!r} line in: {output[-500:]}")
    return match.group(1)

