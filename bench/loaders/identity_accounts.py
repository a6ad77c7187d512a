"""identity's step: an account per teacher (role teacher, scoped to the school) and per guardian (role parent).

It uses identity's bulk path (``POST /api/identity/v1/accounts:bulk``): up to 5,000 accounts per request, all or
none, created without passwords (each gets a one-time activation code instead of an argon2id hash), written with
one statement per table together with their AccountCreated events. A few requests run in parallel, for a bounded
time; the outcome says how far it got.
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
BATCH = 5000  # identity's limit per request
ROLES = {"teacher": "teacher", "kindergarten_teacher": "teacher", "director": "school_admin",
         "training_manager": "school_admin"}


def accounts(data: Path) -> Iterator[dict[str, Any]]:
    """Account requests for staff and guardians, alternating so that a time-boxed run samples both."""
    teachers = ({"username": f"s-{r['id']}", "role": ROLES[r["role"]], "org_ids": [r["institution_id"]],
                 "display_name": f"{r['family_name']} {r['given_name']}"} for r in read_rows(data, "staff"))
    parents = ({"username": f"p-{r['id']}", "role": "parent", "org_ids": [r["institution_id"]],
                "display_name": f"{r['family_name']} {r['given_name']}"} for r in read_rows(data, "guardians"))
    for pair in itertools.zip_longest(teachers, parents):
        yield from (a for a in pair if a is not None)


def batches(rows: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    while batch := list(itertools.islice(rows, size)):
        yield batch


def run(ctx: RunContext, data: Path) -> StepOutcome:
    identity = ctx.stack.identity()
    headers = {"Authorization": f"Bearer {ctx.stack.token()}"}
    files = read_manifest(data)["files"]
    total = files["staff"]["rows"] + files["guardians"]["rows"]
    with httpx.Client(base_url=identity.url, headers=headers, timeout=600,
                      limits=httpx.Limits(max_connections=CLIENTS)) as client:
        created, failures, seconds = create(client, batches(accounts(data)), ctx.options.accounts_seconds)
    notes = [f"bulk path: {BATCH:,} accounts per request, {CLIENTS} in parallel; no password hashing (one-time "
             "activation codes stored as SHA-256); accounts, scopes, activations and AccountCreated outbox rows "
             "in one transaction per request"]
    if failures:
        notes.append(f"{failures} requests failed")
    return StepOutcome(created, seconds, total, notes)


def create(client: httpx.Client, requests: Iterator[list[dict[str, Any]]],
            time_box: float) -> tuple[int, int, float]:
    started = time.perf_counter()
    created = failures = 0
    with ThreadPoolExecutor(CLIENTS) as pool:
        running: set[Future[int]] = set()
        for batch in requests:
            if time.perf_counter() - started > time_box:
                break
            running.add(pool.submit(_post, client, batch))
            if len(running) >= CLIENTS:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                created, failures = _tally(done, created, failures)
        done, _ = wait(running)
        created, failures = _tally(done, created, failures)
    return created, failures, time.perf_counter() - started


def _post(client: httpx.Client, batch: list[dict[str, Any]]) -> int:
    response = client.post("/api/identity/v1/accounts:bulk", json={"accounts": batch})
    if response.status_code != 201:
        print(f"  identity bulk request failed: {response.status_code} {response.text[:400]}", flush=True)
        return -1
    return int(response.json()["created"])


def _tally(done: set[Future[int]], created: int, failures: int) -> tuple[int, int]:
    ok = [f.result() for f in done if f.result() >= 0]
    return created + sum(ok), failures + len(done) - len(ok)


STEP = LoadStep("identity accounts (teachers + guardians)", "identity", ("staff", "guardians"), bulk=True, run=run)
