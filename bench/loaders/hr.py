"""hr's step: every school's staff through hr's bulk path (``POST /api/hr/v1/bulk/staff``, ministry, up to 5,000
rows of many schools per request, all or none; each row a post and a hire, written by COPY with its StaffHired and
StaffQualificationsChanged events in the same transaction), a few requests at a time, for a bounded time.

The rows carry the staff import's columns (same parsers and checks as a school's list upload). Teaching
assignments are not loaded: hr's assignment API takes hr's own staff ids and the classes hr copies from
education's events, and has no bulk path.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from bench.loaders.base import LoadStep, StepOutcome
from bench.synthetic.writer import read_manifest, read_rows

if TYPE_CHECKING:
    from bench.context import RunContext

CLIENTS = 2
BATCH = 5000  # hr's limit per bulk request
TIME_BOX_FACTOR = 2  # 2 × the identity step's time box (quick 30 s, full 120 s)
START_DATE = "2023-09-01"
POSITIONS = {"teacher": "teacher", "kindergarten_teacher": "teacher", "director": "director",
             "training_manager": "training_manager"}


def staff_rows(data: Path) -> Iterator[dict[str, Any]]:
    for r in read_rows(data, "staff"):
        yield {"org_id": r["institution_id"], "register_number": r["register_number"], "patronymic": r["family_name"],
               "given_name": r["given_name"], "birth_date": r["birth_date"], "sex": r["sex"],
               "position": POSITIONS[r["role"]], "start_date": START_DATE, "subjects": r["subjects"]}


def run(ctx: RunContext, data: Path) -> StepOutcome:
    hr = ctx.stack.hr()
    total = read_manifest(data)["files"]["staff"]["rows"]
    time_box = ctx.options.accounts_seconds * TIME_BOX_FACTOR
    started = time.perf_counter()
    with httpx.Client(base_url=hr.url, headers={"Authorization": f"Bearer {ctx.stack.token()}"}, timeout=600,
                      limits=httpx.Limits(max_connections=CLIENTS)) as client:
        loaded, failures = post_staff(client, staff_rows(data), time_box)
    notes = [f"bulk path: {BATCH:,} staff rows of many schools per request, {CLIENTS} in parallel; each row parsed "
             "and checked like a school's staff-list upload, a post and a hire, written by COPY with StaffHired and "
             "StaffQualificationsChanged in the outbox of the same transaction",
             "teaching assignments not loaded (no bulk path; hr's assignment API takes hr's staff ids)"]
    if failures:
        notes.append(f"{failures} requests failed")
    return StepOutcome(loaded, time.perf_counter() - started, total, notes)


def post_staff(client: httpx.Client, rows: Iterator[dict[str, Any]], time_box: float) -> tuple[int, int]:
    """``BATCH`` rows per request, ``CLIENTS`` requests at a time, until ``time_box`` seconds have passed; returns
    the rows hr accepted and the number of requests that failed."""
    started = time.perf_counter()
    loaded = failures = 0
    with ThreadPoolExecutor(CLIENTS) as pool:
        running: set[Future[int]] = set()
        while batch := list(itertools.islice(rows, BATCH)):
            if time.perf_counter() - started > time_box:
                break
            running.add(pool.submit(_post, client, batch))
            if len(running) >= CLIENTS:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                loaded, failures = _tally(done, loaded, failures)
        done, _ = wait(running)
        loaded, failures = _tally(done, loaded, failures)
    return loaded, failures


def _post(client: httpx.Client, batch: list[dict[str, Any]]) -> int:
    response = client.post("/api/hr/v1/bulk/staff", json={"rows": batch})
    if response.status_code != 201:
        print(f"  hr bulk request failed: {response.status_code} {response.text[:400]}", flush=True)
        return -1
    return int(response.json()["rows"])


def _tally(done: set[Future[int]], loaded: int, failures: int) -> tuple[int, int]:
    ok = [f.result() for f in done if f.result() >= 0]
    return loaded + sum(ok), failures + len(done) - len(ok)


STEP = LoadStep("hr staff", "hr", ("staff",), bulk=True, run=run)
