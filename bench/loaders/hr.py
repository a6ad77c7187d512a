"""hr's step: every school's staff list through hr's own staff import (``POST /api/hr/v1/imports/staff?org_id=…``).

hr's import is the school office's path: one CSV per school, all rows or none, each row a post and a hire, and
only a school admin of that school may send it. So the step first makes school-admin accounts in identity (bulk
path, ``SCHOOLS_PER_ADMIN`` schools each, so the token stays small) and activates them for their tokens, then sends
each school's list, a few at a time, for a bounded time. Teaching assignments are not loaded: hr's assignment API
takes hr's own staff ids (the import answers with counts only) and needs the classes hr copies from education's
events.
"""

from __future__ import annotations

import csv
import io
import secrets
import time
from collections import defaultdict
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from bench.loaders.base import LoadStep, StepOutcome
from bench.synthetic.writer import read_rows

if TYPE_CHECKING:
    from bench.context import RunContext

CLIENTS = 2
SCHOOLS_PER_ADMIN = 40
TIME_BOX_FACTOR = 2  # 2 × the identity step's time box (quick 30 s, full 120 s)
START_DATE = "2023-09-01"
POSITIONS = {"teacher": "teacher", "kindergarten_teacher": "teacher", "director": "director",
             "training_manager": "training_manager"}
HEADER = ("register_number", "patronymic", "given_name", "birth_date", "sex", "position", "start_date", "subjects")


class LoadFailed(RuntimeError):
    pass


def run(ctx: RunContext, data: Path) -> StepOutcome:
    hr, identity = ctx.stack.hr(), ctx.stack.identity()
    by_school: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_rows(data, "staff"):
        by_school[row["institution_id"]].append(row)
    total = sum(len(rows) for rows in by_school.values())
    started = time.perf_counter()
    tokens = _school_admin_tokens(identity.url, ctx.stack.token(), list(by_school))
    accounts_s = time.perf_counter() - started
    time_box = ctx.options.accounts_seconds * TIME_BOX_FACTOR
    loaded = failures = schools = 0
    with httpx.Client(base_url=hr.url, timeout=600, limits=httpx.Limits(max_connections=CLIENTS)) as client, \
            ThreadPoolExecutor(CLIENTS) as pool:
        running: dict[Future[bool], int] = {}
        for school_id, rows in by_school.items():
            if time.perf_counter() - started > time_box:
                break
            running[pool.submit(_import, client, tokens[school_id], school_id, rows)] = len(rows)
            if len(running) >= CLIENTS:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                loaded, failures, schools = _tally(done, running, loaded, failures, schools)
        done, _ = wait(running)
        loaded, failures, schools = _tally(done, running, loaded, failures, schools)
    notes = [f"hr's per-school staff import (CSV upload, all or none, a post and a hire per row), {CLIENTS} schools "
             f"at a time; {schools:,} of {len(by_school):,} schools",
             f"includes {accounts_s:.1f} s to create and activate {len(set(tokens.values()))} school-admin accounts "
             "in identity (the import is a school admin's action)",
             "teaching assignments not loaded (hr's assignment API takes hr's staff ids, which the import does not "
             "return)"]
    if failures:
        notes.append(f"{failures} school imports failed")
    return StepOutcome(loaded, time.perf_counter() - started, total, notes)


def _school_admin_tokens(identity_url: str, ministry_token: str, schools: list[str]) -> dict[str, str]:
    """A school-admin token per school: accounts of ``SCHOOLS_PER_ADMIN`` schools, made and activated in identity."""
    groups = [schools[i:i + SCHOOLS_PER_ADMIN] for i in range(0, len(schools), SCHOOLS_PER_ADMIN)]
    run_id = secrets.token_hex(3)
    accounts = [{"username": f"bench-hr-{run_id}-{n}", "role": "school_admin", "org_ids": group,
                 "display_name": f"Bench hr admin {n}"} for n, group in enumerate(groups)]
    with httpx.Client(base_url=identity_url, timeout=120) as client:
        created = client.post("/api/identity/v1/accounts:bulk", json={"accounts": accounts},
                              headers={"Authorization": f"Bearer {ministry_token}"})
        if created.status_code != 201:
            raise LoadFailed(f"school-admin accounts: {created.status_code} {created.text[:300]}")
        tokens: dict[str, str] = {}
        for made in created.json()["accounts"]:
            activated = client.post("/api/identity/v1/auth/activate", json={
                "username": made["username"], "activation_code": made["activation_code"],
                "new_password": f"Bench-{secrets.token_hex(8)}-2026"})
            if activated.status_code != 200:
                raise LoadFailed(f"activation: {activated.status_code} {activated.text[:300]}")
            tokens.update(dict.fromkeys(groups[made["row"]], activated.json()["access_token"]))
    return tokens


def staff_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows((r["register_number"], r["family_name"], r["given_name"], r["birth_date"], r["sex"],
                      POSITIONS[r["role"]], START_DATE, r["subjects"]) for r in rows)
    return out.getvalue().encode()


def _import(client: httpx.Client, token: str, school_id: str, rows: list[dict[str, str]]) -> bool:
    response = client.post("/api/hr/v1/imports/staff", params={"org_id": school_id},
                           headers={"Authorization": f"Bearer {token}"},
                           files={"file": ("staff.csv", staff_csv(rows), "text/csv")})
    if response.status_code != 201:
        print(f"  hr import of {school_id} failed: {response.status_code} {response.text[:400]}", flush=True)
        return False
    return True


def _tally(done: set[Future[bool]], running: dict[Future[bool], int], loaded: int, failures: int,
           schools: int) -> tuple[int, int, int]:
    for future in done:
        rows = running.pop(future)
        if future.result():
            loaded, schools = loaded + rows, schools + 1
        else:
            failures += 1
    return loaded, failures, schools


STEP = LoadStep("hr staff (per-school staff import)", "hr", ("staff",), bulk=False, run=run)
