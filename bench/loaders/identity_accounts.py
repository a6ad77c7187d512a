"""identity's step: an account per teacher (role teacher, scoped to the school) and per guardian (role parent).

identity has no bulk path yet, so this step uses its per-account API (``POST /api/identity/v1/accounts``, one
argon2id hash each) with a few parallel clients, for a bounded time; the outcome says how far it got.
"""

from __future__ import annotations

import itertools
import secrets
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

CLIENTS = 4
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


def run(ctx: RunContext, data: Path) -> StepOutcome:
    identity = ctx.stack.identity()
    headers = {"Authorization": f"Bearer {ctx.stack.token()}"}
    password = f"Synth-{secrets.token_hex(6)}-7"
    files = read_manifest(data)["files"]
    total = files["staff"]["rows"] + files["guardians"]["rows"]
    with httpx.Client(base_url=identity.url, headers=headers, timeout=60,
                      limits=httpx.Limits(max_connections=CLIENTS)) as client:
        created, failures, seconds = _create(client, accounts(data), password, ctx.options.accounts_seconds)
    notes = ["per-account API (identity has no bulk path): one argon2id hash per account"]
    if failures:
        notes.append(f"{failures} requests failed")
    return StepOutcome(created, seconds, total, notes)


def _create(client: httpx.Client, requests: Iterator[dict[str, Any]], password: str,
            time_box: float) -> tuple[int, int, float]:
    started = time.perf_counter()
    created = failures = 0
    with ThreadPoolExecutor(CLIENTS) as pool:
        running: set[Future[int]] = set()
        for body in requests:
            if time.perf_counter() - started > time_box:
                break
            running.add(pool.submit(_post, client, {**body, "password": password}))
            if len(running) >= CLIENTS * 2:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                created, failures = _tally(done, created, failures)
        done, _ = wait(running)
        created, failures = _tally(done, created, failures)
    return created, failures, time.perf_counter() - started


def _post(client: httpx.Client, body: dict[str, Any]) -> int:
    return client.post("/api/identity/v1/accounts", json=body).status_code


def _tally(done: set[Future[int]], created: int, failures: int) -> tuple[int, int]:
    ok = sum(1 for f in done if f.result() == 201)
    return created + ok, failures + len(done) - ok


STEP = LoadStep("identity accounts (teachers + guardians)", "identity", ("staff", "guardians"), bulk=False, run=run)
