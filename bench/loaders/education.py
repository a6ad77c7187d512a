"""education's step: the organisation hierarchy, the school year and subjects, classes, then learners with their
guardians, links and enrolments — through education's own API.

Units, classes and learners go through education's bulk paths (``POST /api/education/v1/bulk/…``: up to 5,000 rows
per request, all or none, one COPY per table with the events staged in the same transaction); the school year and
the 22 subjects with their weekly hours through the per-item API (a few hundred small requests). Units and classes
are loaded whole (everything after needs them); learners run a few requests in parallel for a bounded time and the
outcome says how far they got. Khoroos are not units in education (a school's catchment is a list of area codes):
they are left out and counted in the notes.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from bench.loaders.base import LoadStep, StepOutcome
from bench.synthetic.writer import read_manifest, read_rows

if TYPE_CHECKING:
    from bench.context import RunContext

API = "/api/education/v1"
CLIENTS = 2
BATCH = 5000          # education's limit per bulk request
LEARNERS_BATCH = 2500  # learners per request (with ≈ 2,000 guardians and 4,300 links)
TIME_BOX_FACTOR = 4   # learners get 4 × the identity step's time box (quick 60 s, full 240 s)
ENTITIES = ("admin_units", "institutions", "subjects", "classes", "learners", "guardians", "guardian_links")
NOT_UNITS = {"khoroo"}
SUBJECT_KINDS = {"specialty": "specialised"}


class LoadFailed(RuntimeError):
    pass


def run(ctx: RunContext, data: Path) -> StepOutcome:
    education = ctx.stack.education()
    headers = {"Authorization": f"Bearer {ctx.stack.token()}"}
    files = read_manifest(data)["files"]
    skipped = sum(1 for row in read_rows(data, "admin_units") if row["kind"] in NOT_UNITS)
    total = sum(files[e]["rows"] for e in ENTITIES) - skipped
    started = time.perf_counter()
    with httpx.Client(base_url=education.url, headers=headers, timeout=600,
                      limits=httpx.Limits(max_connections=CLIENTS)) as client:
        rows = post_all(client, "/bulk/org-units", "units", units(data))
        year_id, subject_rows = _curriculum(client, data)
        rows += subject_rows
        rows += post_all(client, "/bulk/classes", "classes", classes(data, year_id))
        reference_s = time.perf_counter() - started
        loaded, failures = load_learners(client, data, f"{year_id[:4]}-09-01",
                                     ctx.options.accounts_seconds * TIME_BOX_FACTOR)
    seconds = time.perf_counter() - started
    rows += loaded
    notes = [f"bulk paths, {BATCH:,} units or classes and {LEARNERS_BATCH:,} learners (with their guardians and "
             f"links) per request, {CLIENTS} learner requests in parallel; every row validated by the domain and "
             "announced (OrgUnitCreated, CatchmentChanged, ClassOpened, LearnerRegistered, LearnerEnrolled, "
             "GuardianLinked) in the outbox of the same transaction",
             f"units, school year, subjects with weekly hours and classes took {reference_s:.1f} s",
             f"{skipped} khoroos left out (area codes in education, not units)",
             "timetables not loaded (no bulk path yet)"]
    if failures:
        notes.append(f"{failures} learner requests failed")
    return StepOutcome(rows, seconds, total, notes)


# ---------------------------------------------------------------- units, curriculum, classes


def units(data: Path) -> Iterator[dict[str, Any]]:
    for row in read_rows(data, "admin_units"):
        if row["kind"] not in NOT_UNITS:
            yield {"id": row["id"], "kind": row["kind"], "code": row["code"], "name_mn": row["name_mn"],
                   "name_en": row["name_en"], "parent_id": row["parent_id"] or None}
    # No code in the files: the row's place in the (deterministic) file, short enough for every copy of the
    # directory (hr keeps codes of up to 20 characters, stats 32; a 36-character id was dead-lettered by both).
    for n, row in enumerate(read_rows(data, "institutions"), start=1):
        yield {"id": row["id"], "kind": row["kind"], "code": f"INST-{n:06d}", "name_mn": row["name_mn"],
               "name_en": row["name_en"], "parent_id": row["unit_id"], "ownership": row["ownership"],
               "catchment": [row["area_code"]] if row["area_code"] else []}


def _curriculum(client: httpx.Client, data: Path) -> tuple[str, int]:
    start_year = next(int(row["school_year"]) for row in read_rows(data, "classes"))
    year_id = _ok(client.post(f"{API}/school-years", json={"start_year": start_year}))["id"]
    hours: dict[str, list[tuple[str, int]]] = {}
    for row in read_rows(data, "subjects"):
        kind = SUBJECT_KINDS.get(row["specialty"], "compulsory")
        subject_id = _ok(client.post(f"{API}/subjects", json={"code": row["code"], "name_mn": row["name_mn"],
                                                               "name_en": row["name_en"], "kind": kind}))["id"]
        hours[subject_id] = [(str(grade), int(h)) for grade, h in
                             enumerate(row["weekly_hours_by_grade"].split(";"), start=1) if int(h)]

    def set_hours(subject_id: str) -> None:  # one subject's levels one after another (one aggregate, versioned)
        for grade, weekly in hours[subject_id]:
            response = client.put(f"{API}/subjects/{subject_id}/hours",
                                  json={"year_id": year_id, "level": grade, "hours": weekly})
            if response.status_code != 204:
                raise LoadFailed(f"weekly hours: {response.status_code} {response.text[:300]}")

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(set_hours, hours))
    return year_id, len(hours)


def classes(data: Path, year_id: str) -> Iterator[dict[str, Any]]:
    for row in read_rows(data, "classes"):
        yield {"id": row["id"], "school_id": row["institution_id"], "year_id": year_id, "level": row["level"],
               "letter": row["letter"], "shift": int(row["shift"]), "capacity": int(row["capacity"]),
               "room": row["room"], "class_teacher_id": row["class_teacher_id"] or None}


def post_all(client: httpx.Client, path: str, key: str, rows: Iterator[dict[str, Any]]) -> int:
    created = 0
    while batch := list(itertools.islice(rows, BATCH)):
        created += _ok(client.post(f"{API}{path}", json={key: batch}))["created"]
    return created


def _ok(response: httpx.Response) -> dict[str, Any]:
    if response.status_code not in (200, 201):
        raise LoadFailed(f"{response.request.method} {response.request.url.path}: {response.status_code} "
                         f"{response.text[:500]}")
    return response.json()


# ---------------------------------------------------------------- learners with guardians


def learner_requests(data: Path, enrol_on: str) -> Iterator[tuple[dict[str, Any], int, set[str]]]:
    """Request bodies of ``LEARNERS_BATCH`` learners in file order (school by school), each with the links of its
    learners and the guardians not sent before (siblings in a later request link to those on record); with the
    number of file rows each carries and the guardians it links that an earlier request sends."""
    links: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_rows(data, "guardian_links"):
        links[row["learner_id"]].append({"learner_id": row["learner_id"], "guardian_id": row["guardian_id"],
                                         "relationship": row["relationship"]})
    guardians = {row["id"]: {"id": row["id"], "family_name": row["family_name"], "given_name": row["given_name"],
                             "phone": row["phone"], "register_number": row["register_number"]}
                 for row in read_rows(data, "guardians")}
    sent: set[str] = set()
    learners = read_rows(data, "learners")
    while batch := list(itertools.islice(learners, LEARNERS_BATCH)):
        body_links = [link for row in batch for link in links.pop(row["id"], [])]
        new = [guardians[g] for g in dict.fromkeys(link["guardian_id"] for link in body_links) if g not in sent]
        sent.update(g["id"] for g in new)
        reused = {link["guardian_id"] for link in body_links} - {g["id"] for g in new}
        body = {"enrol_on": enrol_on, "learners": [_learner(row) for row in batch], "guardians": new,
                "links": body_links}
        yield body, len(batch) + len(new) + len(body_links), reused


def _learner(row: dict[str, str]) -> dict[str, Any]:
    return {"id": row["id"], "class_id": row["class_id"], "register_number": row["register_number"],
            "family_name": row["family_name"], "given_name": row["given_name"], "birth_date": row["birth_date"],
            "sex": row["sex"], "area_code": row["area_code"], "special_needs": row["special_needs"] == "true"}


def load_learners(client: httpx.Client, data: Path, enrol_on: str, time_box: float) -> tuple[int, int]:
    """Requests run ``CLIENTS`` at a time, in file order; one that links a sibling's guardians starts only after
    the request that sends them has finished (they must be on record)."""
    started = time.perf_counter()
    loaded = failures = 0
    sender: dict[str, Future[int]] = {}
    with ThreadPoolExecutor(CLIENTS) as pool:
        running: dict[Future[int], int] = {}
        for body, rows, reused in learner_requests(data, enrol_on):
            if time.perf_counter() - started > time_box:
                break
            wait({sender[g] for g in reused if g in sender})
            future = pool.submit(_post_learners, client, body)
            sender.update((g["id"], future) for g in body["guardians"])
            running[future] = rows
            if len(running) >= CLIENTS:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                loaded, failures = _tally(done, running, loaded, failures)
        done, _ = wait(running)
        loaded, failures = _tally(done, running, loaded, failures)
    return loaded, failures


def _post_learners(client: httpx.Client, body: dict[str, Any]) -> int:
    response = client.post(f"{API}/bulk/learners", json=body)
    if response.status_code != 201:
        print(f"  education learners request failed: {response.status_code} {response.text[:500]}", flush=True)
        return -1
    return 0


def _tally(done: set[Future[int]], running: dict[Future[int], int], loaded: int, failures: int) -> tuple[int, int]:
    for future in done:
        rows = running.pop(future)
        if future.result() < 0:
            failures += 1
        else:
            loaded += rows
    return loaded, failures


STEP = LoadStep("education (units, classes, learners + guardians + links)", "education", ENTITIES, bulk=True,
                run=run)
