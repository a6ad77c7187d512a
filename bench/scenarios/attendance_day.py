"""Scenario 4: a national attendance day (≈ 30 k class submissions, ≈ 780 k marks) through the gateway.

What runs: identity (consuming hr's events), teacher (HTTP, outbox relay, roster consumer) and a gateway routing both,
a Tansu broker, PostgreSQL; every process on loopback.

1. **Rosters through teacher's own consumer.** education's ``ClassOpened`` / ``LearnerEnrolled`` and hr's
   ``TeachingAssigned`` for the synthetic country are published to the broker (``bench.loaders.events``) and
   teacher builds its read models from them; timed until its database holds every class, enrolment and assignment.
2. **Teachers' tokens through identity's real path.** An account per submitting teacher (of the teachers hr assigns
   to a class, the one teaching the most classes, so fewer accounts need activating) is created with identity's
   bulk path; hr's
   ``StaffHired`` / ``StaffAccountLinked`` / ``TeachingAssigned`` events give those accounts their class scopes
   (identity's consumer); each teacher then activates the account (argon2id, as a person would) and gets an access
   token carrying the classes. Nothing bypasses the gateway's or teacher's token checks.
3. **The day.** The activity simulator's submissions (one per class: every pupil's status) become teacher's form
   (grades 1–5 daily; grades 6–12 mark per lesson, so their submission is the first lesson's, with that lesson's
   subject from the timetable) and are sent once each through the gateway with wrk and ``bench/wrk_requests.lua``
   (a fixed number of connections, loopback only). Total time, submissions/s, marks/s, p50/p99 and every non-2xx
   status are reported; the same requests are sent to a bare uvicorn endpoint that only validates them
   (``bench.bare_app`` ``POST /attendance``) for the baseline.
4. **Verified.** Sheets and marks are counted in teacher's database (and its outbox's ``AttendanceMarked`` rows),
   not inferred from 2xx answers.

The dataset's school year is moved by whole years onto a year teacher's calendar holds (2026-2027), and teacher
runs with ``ESIS_TODAY`` on the simulated day (development override: only the date moves). At ``--quick`` scale
the national figure is a projection from the measured rate, labelled as such.
"""

from __future__ import annotations

import itertools
import json
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from esis_shared.db import make_engine
from sqlalchemy import text

from bench import procs
from bench.context import RunContext
from bench.loaders import events
from bench.results import Figure, ScenarioResult
from bench.stack import GATEWAY_TEACHER, IDENTITY_EVENTS, TEACHER
from bench.synthetic.activity.__main__ import DEFAULT_DAY, write_jsonl
from bench.synthetic.activity.simulate import attendance_day
from bench.synthetic.activity.source import rates, school_classes
from bench.synthetic.writer import read_manifest, read_rows
from bench.wrk import WrkMissing

TITLE = "National attendance day"
TEACHER_YEAR = 2026              # first calendar year of a school year teacher's reference data holds
NATIONAL_SUBMISSIONS = 30_000    # issue 8: ≈ 30 k class submissions, ≈ 780 k marks
NATIONAL_MARKS = 780_000
TARGET_S = 300.0
QUICK_DAYS = 3                   # school days sent through the gateway at --quick scale
LUA = Path(__file__).resolve().parents[1] / "wrk_requests.lua"
PATH = "/api/teacher/v1/classes/{class_id}/attendance"
IDENTITY = "/api/identity/v1"
PASSWORD = "Bench-Teacher-{n}-2026x"


@dataclass
class Submission:
    class_id: str
    teacher_id: str
    body: dict[str, Any]

    @property
    def marks(self) -> int:
        return len(self.body["marks"])


@dataclass
class DayRun:
    seconds: float
    statuses: Counter[str]
    samples: list[str]
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if status.startswith("2"))


def run(ctx: RunContext) -> ScenarioResult:
    data, stack = ctx.dataset(), ctx.stack
    shift = TEACHER_YEAR - int(read_manifest(data)["school_year"])
    day = events.shifted(DEFAULT_DAY, shift)
    result = ScenarioResult(4, TITLE)
    with tempfile.TemporaryDirectory(prefix="esis-bench-attendance-") as tmp:
        work = Path(tmp)
        # --quick: a few school days ending on ``day`` through the gateway (a larger sample of a small country);
        # and the school day before them straight to teacher (no gateway): where the time goes
        days = _school_days_until(day, QUICK_DAYS if ctx.options.quick else 1)
        direct_day = _school_days_until(days[0] - timedelta(days=1), 1)[0]
        submissions = [s for d in days for s in _submissions(data, work, d, ctx.options.seed)]
        before = _submissions(data, work, direct_day, ctx.options.seed)
        bootstrap = stack.events_kafka()  # a broker of its own (see Stack.events_kafka)
        # Topics first: a consumer subscribed to a topic that does not exist yet waits for a metadata refresh.
        events.ensure(bootstrap, [events.CLASSES, events.ENROLMENTS, events.STAFF, events.ASSIGNMENTS,
                                  "identity.accounts.v1", "teacher.attendance.v1"])
        identity = stack.identity_with_events()
        teacher = stack.teacher(today=day.isoformat())
        gateway, bare = stack.gateway_teacher(), stack.bare()
        teacher_db = make_engine(stack.database_urls[TEACHER])
        try:
            seeded_s, expected = _seed_rosters(data, bootstrap, teacher_db, shift)
            result.add(Figure("rosters into teacher through its consumer (classes, enrolments, assignments)",
                              expected / seeded_s, "events/s", note=f"{expected:,} events in {seeded_s:.1f} s"))
            tokens, token_notes = _teacher_tokens(stack, identity, data, submissions + before, bootstrap, shift)
            result.notes += token_notes
            requests, direct_requests = work / "requests.tsv", work / "requests-direct.tsv"
            _write_requests(requests, submissions, tokens)
            _write_requests(direct_requests, before, tokens)
            base = _send(bare.url, requests, ctx.options.connections, path_for=lambda _: "/attendance")
            direct = _send(teacher.url, direct_requests, ctx.options.connections)
            day_run = _send(gateway.url, requests, ctx.options.connections)
            stored = Counter[str]()
            for d in days:
                stored.update(_stored(teacher_db, d))
            stored_before = _stored(teacher_db, direct_day)
            stored["events"] = _outbox_events(teacher_db)
        finally:
            teacher_db.dispose()
            stack.stop(GATEWAY_TEACHER, TEACHER, IDENTITY_EVENTS)  # their consumers would load later scenarios
    result.add(Figure("submissions/s straight to teacher (another day, no gateway)", direct.ok / direct.seconds,
                      "req/s", baseline=base.ok / base.seconds, baseline_name="bare uvicorn, same bodies validated",
                      note=f"{len(before):,} submissions, statuses {dict(direct.statuses)}, stored "
                           f"{stored_before['sheets']:,} sheets"))
    _report(result, ctx, submissions, base, day_run, stored, days)
    return result


# ---------------------------------------------------------------- the day's submissions

def _submissions(data: Path, work: Path, day: date, seed: int) -> list[Submission]:
    """The activity simulator's attendance file for ``day``, turned into teacher's form (one per class)."""
    out = work / f"attendance-{day.isoformat()}.jsonl"
    write_jsonl(out, attendance_day(school_classes(data), day, rates(), seed), "records")
    classes = {row["id"]: row for row in read_rows(data, "classes")}
    teachers: dict[str, list[str]] = defaultdict(list)
    for row in read_rows(data, "assignments"):
        teachers[row["class_id"]].append(row["teacher_id"])
    load = Counter(t for assigned in teachers.values() for t in set(assigned))
    first_lesson = {row["class_id"]: row["subject_code"] for row in read_rows(data, "timetable")
                    if int(row["day"]) == day.isoweekday() and int(row["period"]) == 1}
    submissions = []
    with out.open(encoding="utf-8") as handle:
        for line in handle:
            request = json.loads(line)
            class_id = request["class_id"]
            level = classes[class_id]["level"]
            per_lesson = level.isdigit() and int(level) >= 6
            subject = first_lesson.get(class_id, "") if per_lesson else ""
            if per_lesson and not subject:
                continue  # no lesson that day: nothing to mark
            # Any teacher hr assigns to the class may mark it (teacher's rule); the one teaching the most classes
            # submits, so fewer accounts need activating (one argon2id hash each) before the day.
            teacher = max(teachers.get(class_id, [""]), key=lambda t: (load[t], t))
            body = {"form_id": str(uuid.uuid5(events.NAMESPACE, f"form/{class_id}/{day}")), "day": day.isoformat(),
                    "lesson": 1 if per_lesson else 0, "subject_code": subject,
                    "marks": [{"learner_id": r["learner_id"], "code": r["status"]} for r in request["records"]]}
            submissions.append(Submission(class_id, teacher, body))
    return submissions


def _write_requests(path: Path, submissions: list[Submission], tokens: dict[str, str]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for s in submissions:
            body = json.dumps(s.body, ensure_ascii=False, separators=(",", ":"))
            handle.write(f"POST\t{PATH.format(class_id=s.class_id)}\t{tokens.get(s.teacher_id, '')}\t{body}\n")


# ---------------------------------------------------------------- seeding

def _count(engine: Any, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)  # noqa: S608 (fixed names)


def _seed_rosters(data: Path, bootstrap: str, teacher_db: Any, shift: int) -> tuple[float, int]:
    """Publish classes, enrolments and assignments; wait until teacher's read models hold all of them."""
    files = read_manifest(data)["files"]
    want = {"classes": files["classes"]["rows"], "enrolments": files["learners"]["rows"],
            "assignments": files["assignments"]["rows"]}
    started = time.perf_counter()
    published = events.publish(bootstrap, itertools.chain(  # streamed: a country is ≈ 1.2 M events
        events.education_events(data, shift_years=shift, org=False, learners=False),
        events.hr_events(data, shift_years=shift, staff=False)))
    print(f"  published {sum(published.values()):,} events in {time.perf_counter() - started:.1f} s: {published}",
          flush=True)
    deadline = time.monotonic() + 1800
    while True:
        have = {table: _count(teacher_db, table) for table in want}
        if all(have[t] >= n for t, n in want.items()):
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"teacher's read models did not fill within 30 minutes: {have} of {want}")
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    print(f"  teacher's read models hold {have} after {seconds:.1f} s", flush=True)
    return seconds, sum(published.values())


def _teacher_tokens(stack: Any, identity: procs.Proc, data: Path, submissions: list[Submission], bootstrap: str,
                    shift: int) -> tuple[dict[str, str], list[str]]:
    """Accounts for the submitting teachers, scoped by hr's events in identity, activated: staff id → token."""
    needed = {s.teacher_id for s in submissions if s.teacher_id}
    staff = {row["id"]: row for row in read_rows(data, "staff") if row["id"] in needed}
    admin = _login(identity.url, "admin", stack.admin_password)
    started = time.perf_counter()
    accounts: dict[str, str] = {}
    codes: dict[str, tuple[str, str]] = {}
    rows = [{"username": f"s-{sid}", "role": "teacher", "org_ids": [row["institution_id"]],
             "display_name": f"{row['family_name']} {row['given_name']}"} for sid, row in sorted(staff.items())]
    with httpx.Client(base_url=identity.url, headers={"Authorization": f"Bearer {admin}"}, timeout=600) as client:
        for start in range(0, len(rows), 5000):
            answer = client.post(f"{IDENTITY}/accounts:bulk", json={"accounts": rows[start:start + 5000]})
            answer.raise_for_status()
            for created in answer.json()["accounts"]:
                sid = created["username"][2:]
                accounts[sid] = created["id"]
                codes[sid] = (created["username"], created["activation_code"])
    created_s = time.perf_counter() - started
    # hr's events: the hires, the account links and the assignments (identity scopes teachers from them)
    started = time.perf_counter()
    events.publish(bootstrap, events.hr_events(data, shift_years=shift, staff=True, assignments=False,
                                               accounts=accounts))
    classes_of: dict[str, set[str]] = defaultdict(set)
    for row in read_rows(data, "assignments"):
        if row["teacher_id"] in accounts:
            classes_of[row["teacher_id"]].add(row["class_id"])
    _wait_for_scopes(identity.url, admin, accounts, classes_of)
    scoped_s = time.perf_counter() - started
    started = time.perf_counter()

    def activate(item: tuple[int, str]) -> tuple[str, str]:
        n, sid = item
        username, code = codes[sid]
        answer = httpx.post(f"{identity.url}{IDENTITY}/auth/activate", timeout=120, json={
            "username": username, "activation_code": code, "new_password": PASSWORD.format(n=n)})
        answer.raise_for_status()
        return sid, answer.json()["access_token"]

    with ThreadPoolExecutor(4) as pool:
        tokens = dict(pool.map(activate, enumerate(sorted(codes))))
    activated_s = time.perf_counter() - started
    notes = [f"{len(accounts):,} teacher accounts: created by identity's bulk path in {created_s:.1f} s; class scopes "
             f"from hr's events through identity's consumer in {scoped_s:.1f} s; activated (argon2id, 4 parallel) "
             f"in {activated_s:.1f} s — setup, not part of the day's figure"]
    print(f"  {notes[0]}", flush=True)
    return tokens, notes


def _login(url: str, username: str, password: str) -> str:
    answer = httpx.post(f"{url}{IDENTITY}/auth/login", timeout=60, json={"username": username, "password": password})
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def _wait_for_scopes(url: str, admin: str, accounts: dict[str, str], classes_of: dict[str, set[str]]) -> None:
    """Until identity's consumer has given every account the classes hr assigns its teacher."""
    pending = dict(accounts)
    deadline = time.monotonic() + 1800
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {admin}"}, timeout=60) as client:
        while pending:
            for sid, account_id in list(pending.items()):
                answer = client.get(f"{IDENTITY}/accounts/{account_id}")
                answer.raise_for_status()
                if classes_of.get(sid, set()) <= set(answer.json()["class_ids"]):
                    del pending[sid]
                else:
                    break  # the consumer is behind: look again shortly
            if pending:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"identity gave {len(pending)} teacher accounts no class scopes in 30 min")
                time.sleep(0.5)


# ---------------------------------------------------------------- the load

def _send(base_url: str, requests: Path, connections: int, path_for: Any = None) -> DayRun:
    """Every line of ``requests`` once, with wrk; the time until the last answer."""
    if not base_url.startswith("http://127."):
        raise ValueError(f"benchmarks only target loopback, not {base_url}")
    wrk = shutil.which("wrk")
    if wrk is None:
        raise WrkMissing("wrk is not installed: apt-get install -y wrk")
    source = requests
    if path_for is not None:  # the same bodies to another path (the bare endpoint)
        source = requests.with_name(requests.stem + "-bare.tsv")
        with requests.open(encoding="utf-8") as inp, source.open("w", encoding="utf-8") as out:
            for line in inp:
                method, path, _, body = line.rstrip("\n").split("\t", 3)
                out.write(f"{method}\t{path_for(path)}\t\t{body}\n")
    done = source.with_suffix(".done")
    done.unlink(missing_ok=True)
    with source.open(encoding="utf-8") as handle:
        lines = sum(1 for _ in handle)
    # wrk's duration is only an upper bound (≥ 0.5 s a request): the run ends when the last answer has arrived
    argv = [wrk, "-t1", f"-c{connections}", f"-d{max(600, lines // 2)}s", "--timeout", "60s", "-s", str(LUA),
            base_url, "--", str(source), str(done)]
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while not done.exists():
            if process.poll() is not None:
                raise RuntimeError(f"wrk ended early: {process.stderr.read() if process.stderr else ''}")
            time.sleep(0.01)
        seconds = time.perf_counter() - started
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    report = json.loads(out.strip().splitlines()[-1])
    return DayRun(seconds, Counter({k: int(v) for k, v in report["statuses"].items()}), report["samples"], report)


def _school_days_until(day: date, count: int) -> list[date]:
    """``count`` Monday-Friday days ending on ``day`` (or the last such day before it), oldest first."""
    found: list[date] = []
    while len(found) < count:
        if day.weekday() < 5:
            found.append(day)
        day -= timedelta(days=1)
    return found[::-1]


def _stored(engine: Any, day: date) -> dict[str, int]:
    with engine.connect() as conn:
        sheets = conn.execute(text("SELECT count(*) FROM attendance_sheets WHERE day = :d"), {"d": day}).scalar()
        marks = conn.execute(text("SELECT count(*) FROM attendance_marks m JOIN attendance_sheets s "
                                  "ON s.id = m.sheet_id WHERE s.day = :d"), {"d": day}).scalar()
    return {"sheets": int(sheets or 0), "marks": int(marks or 0)}


def _outbox_events(engine: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM outbox WHERE event_type = "
                                     "'esis.teacher.v1.AttendanceMarked'")).scalar() or 0)


# ---------------------------------------------------------------- figures

def _report(result: ScenarioResult, ctx: RunContext, submissions: list[Submission], base: DayRun, day_run: DayRun,
            stored: Counter[str], days: list[date]) -> None:
    sent, marks = len(submissions), sum(s.marks for s in submissions)
    ok_marks = stored["marks"]
    rate, base_rate = day_run.ok / day_run.seconds, base.ok / base.seconds
    result.add(Figure("submissions through the gateway: total time", day_run.seconds, "s",
                      note=f"{sent:,} class submissions, {marks:,} marks, {ctx.options.connections} connections"))
    result.add(Figure("submissions/s through the gateway", rate, "req/s", baseline=base_rate,
                      baseline_name="bare uvicorn, same bodies validated"))
    result.add(Figure("marks/s stored", ok_marks / day_run.seconds, "marks/s"))
    result.add(Figure("submission p50", day_run.report["p50_us"] / 1000, "ms"))
    result.add(Figure("submission p99", day_run.report["p99_us"] / 1000, "ms"))
    errors = sum(n for status, n in day_run.statuses.items() if not status.startswith("2"))
    errors += day_run.report["socket_errors"]
    result.add(Figure("errors (non-2xx and socket errors)", errors, "requests"))
    national = NATIONAL_SUBMISSIONS / rate if rate else float("inf")
    label = "projection from the measured rate" if sent < NATIONAL_SUBMISSIONS * 0.9 else "measured"
    result.add(Figure(f"national day, {NATIONAL_SUBMISSIONS:,} submissions ({label})", national, "s",
                      target=f"≤ {TARGET_S:.0f} s", note=label))
    result.notes.append(f"through the gateway: school days {', '.join(d.isoformat() for d in days)} (the "
                        f"simulator's {DEFAULT_DAY.isoformat()} moved into teacher's 2026-2027 calendar"
                        f"{', and the days before it: a larger sample at --quick scale' if len(days) > 1 else ''}); "
                        f"statuses {dict(sorted(day_run.statuses.items()))}; stored in teacher's database for those "
                        f"days: {stored['sheets']:,} sheets, {stored['marks']:,} marks; {stored['events']:,} "
                        f"AttendanceMarked outbox rows in all (with the direct day's)")
    if stored["sheets"] != day_run.ok or (day_run.ok == sent and stored["marks"] != marks):
        result.notes.append(f"stored counts differ from the 2xx answers ({day_run.ok:,} 2xx, {sent:,} sent, "
                            f"{marks:,} marks sent)")
    for sample in day_run.samples:
        result.notes.append(f"error answer: {sample[:300]}")
    result.notes.append(f"bare baseline: the same {sent:,} bodies to bench.bare_app POST /attendance (pydantic "
                        f"validation only) took {base.seconds:.2f} s; statuses {dict(base.statuses)}")
    if national > TARGET_S:
        result.notes.append(f"short of the {TARGET_S:.0f} s target by {national / TARGET_S:.1f}x")
