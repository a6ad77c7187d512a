"""Scenario 1: portal reads through the gateway vs the same read direct to the service vs a bare endpoint.

The reads, each with a real token of the person who makes it:

* identity ``GET /api/identity/v1/me`` (the ministry administrator);
* teacher's class form ``GET /api/teacher/v1/classes/{id}/attendance?day=`` — the class roster with today's marks —
  by a teacher whose class scopes came through identity's consumer from hr's ``StaffAccountLinked`` /
  ``TeachingAssigned``;
* parent's ``GET /api/parent/v1/children/{id}/today`` by a guardian whose child link came from parent's claim
  path, checked by education's ``VerifyGuardianClaim`` over gRPC;
* stats' school dashboard ``GET /api/stats/v1/aggregates?year=&area_id={school}`` (class occupancy, transfers,
  withdrawals, grades, teachers, unmarked attendance) by the school's administrator.

The portal set is started for this scenario on its own broker and stopped at its end (its consumers share group
ids with the sets other scenarios start): identity with its consumer, teacher, parent, stats, education and one
gateway routing identity, teacher, parent and stats. teacher, parent and stats build their read models through
their own consumers from the synthetic country published as education's and hr's events (``bench.loaders.events``,
moved into teacher's 2026-2027 calendar); education's data for the claim (the units, the school, its classes, the
child's class with its learners, guardians and links) goes through education's bulk paths with its relay off, as
the events above already stand for what it publishes. The class is then marked once through teacher's API, so the
roster and the child's day carry marks (parent gets them from teacher's ``AttendanceMarked``).
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from education import reference
from esis_shared.testing.processes import ServerProcess, start_tansu

from bench import procs, wrk
from bench.context import RunContext
from bench.loaders import events
from bench.procs import Proc, RssSampler
from bench.results import Figure, ScenarioResult
from bench.stack import Stack
from bench.synthetic.activity.__main__ import DEFAULT_DAY
from bench.synthetic.writer import read_manifest, read_rows

TITLE = "Portal reads"
TEACHER_YEAR = 2026  # first calendar year of a school year teacher's reference data holds (as scenario 4)
BARE_NAME = "bare uvicorn JSON"
IDENTITY_API, EDUCATION_API = "/api/identity/v1", "/api/education/v1"
PORTAL = ("identity", "teacher", "parent", "stats", "education", "gateway")  # process names: "portal-<service>"


@dataclass
class Portal:
    """The portal set of one run: processes by service, its broker, the databases it made."""

    stack: Stack
    procs: dict[str, Proc] = field(default_factory=dict)
    databases: dict[str, str] = field(default_factory=dict)
    broker: ServerProcess | None = None

    @property
    def bootstrap(self) -> str:
        assert self.broker is not None
        return f"{self.broker.host}:{self.broker.port}"

    def start(self, service: str, env: dict[str, str], *, kafka: bool = True, port: int | None = None) -> Proc:
        prefix, port = service.upper(), port or procs.free_port()
        if service != "gateway":
            self.databases[service] = self.stack.database(f"bench_portal_{service}")
            env = {f"{prefix}_DATABASE_URL": self.databases[service], f"{prefix}_GRPC_PORT": str(procs.free_port()),
                   **env}
        env = {f"{prefix}_HTTP_PORT": str(port), f"{prefix}_HTTP_HOST": procs.HOST, f"{prefix}_LOG_LEVEL": "WARNING",
               f"{prefix}_KAFKA_ENABLED": "true" if kafka else "false", f"{prefix}_KAFKA_BOOTSTRAP": self.bootstrap,
               **env}
        name = f"portal-{service}"
        proc = procs.python_module(name, service, env=env, port=port)
        self.procs[service] = proc
        self.stack.procs[name] = proc  # stopped by the stack too if this scenario fails half-way
        procs.wait_http(proc, "/readyz")
        return proc

    def close(self) -> None:
        for service in reversed(list(self.procs)):
            self.procs[service].stop()
            self.stack.procs.pop(f"portal-{service}", None)
        self.procs.clear()
        if self.broker is not None:
            self.broker.stop()
            self.broker = None


@dataclass(frozen=True)
class Choice:
    """The school, class, teacher, child and guardian the reads are about (the dataset's largest school)."""

    school: str
    school_name: str
    class_id: str
    class_name: str
    teacher: str
    learners: list[dict[str, str]]
    child: dict[str, str]
    guardian: dict[str, str]


def run(ctx: RunContext) -> ScenarioResult:
    data, stack, opts = ctx.dataset(), ctx.stack, ctx.options
    shift = TEACHER_YEAR - int(read_manifest(data)["school_year"])
    day = events.shifted(DEFAULT_DAY, shift)
    choice = _choose(data)
    result = ScenarioResult(1, TITLE)
    portal = Portal(stack)
    try:
        services, tokens, setup_notes = _seed(portal, data, choice, shift, day)
        bare = stack.bare()
        reads = {
            "identity /me": ("identity", f"{IDENTITY_API}/me", tokens["admin"]),
            "teacher class roster with today's marks": (
                "teacher", f"/api/teacher/v1/classes/{choice.class_id}/attendance?day={day.isoformat()}",
                tokens["teacher"]),
            "parent child's today": ("parent", f"/api/parent/v1/children/{choice.child['id']}/today",
                                     tokens["guardian"]),
            "stats school dashboard": ("stats", f"/api/stats/v1/aggregates?year={TEACHER_YEAR}&area_id={choice.school}",
                                       tokens["school_admin"]),
        }
        measured = [bare, *services.values()]
        time.sleep(2)  # let the consumers settle after seeding
        stack.memory["idle"] = {p.name: p.rss_mib() for p in measured}
        with RssSampler(measured) as sampler:
            base, base_cpu = _load(ctx, f"{bare.url}/hello", None, [bare])
            result.add(Figure("bare uvicorn JSON req/s", base.requests_per_s, "req/s"))
            result.add(Figure("bare uvicorn JSON p50", base.p50_ms, "ms"))
            result.add(Figure("bare uvicorn JSON p99", base.p99_ms, "ms"))
            result.add(Figure("bare uvicorn JSON CPU per request", base_cpu, "ms"))
            for read, (service, path, token) in reads.items():
                direct, direct_cpu = _load(ctx, f"{services[service].url}{path}", token, [services[service]])
                through, through_cpu = _load(ctx, f"{services['gateway'].url}{path}", token,
                                             [services["gateway"], services[service]])
                _report(result, read, base, direct, through)
                result.add(Figure(f"{read} direct: {service} CPU per request", direct_cpu, "ms", base_cpu,
                                  "bare uvicorn JSON CPU per request"))
                result.add(Figure(f"{read} via gateway: gateway + {service} CPU per request", through_cpu, "ms",
                                  direct_cpu, "direct"))
        stack.memory["under_load"] = dict(sampler.peaks)
        stack.memory["portal"] = [p.name for p in measured]
    finally:
        portal.close()
    result.notes += setup_notes
    result.notes.append(f"{choice.school_name}: class {choice.class_name} ({len(choice.learners)} learners), "
                        f"day {day.isoformat()}; school year {TEACHER_YEAR}-{TEACHER_YEAR + 1}")
    result.notes.append(f"wrk, 1 thread, {opts.connections} connections, {opts.seconds:g} s per target after "
                        f"{opts.warmup:g} s warm-up; gateway rate limit off (one client); all on one 2-core machine "
                        "with wrk, so the gateway and the service share the CPU; CPU per request counts every "
                        "thread of the process (its relay and consumer too)")
    return result


# ---------------------------------------------------------------- choosing and seeding


def _choose(data: Path) -> Choice:
    """The school with the most learners; its largest daily-marked class (grades 1–5); the teacher hr assigns
    most lessons there; a learner of the class with a guardian who has a phone."""
    learners = list(read_rows(data, "learners"))
    institutions = {row["id"]: row for row in read_rows(data, "institutions")}
    per_school = Counter(row["institution_id"] for row in learners
                         if institutions[row["institution_id"]]["kind"] == "school")
    school = per_school.most_common(1)[0][0]
    classes = {row["id"]: row for row in read_rows(data, "classes") if row["institution_id"] == school}
    per_class = Counter(row["class_id"] for row in learners if row["class_id"] in classes
                        and classes[row["class_id"]]["level"].isdigit() and int(classes[row["class_id"]]["level"]) <= 5)
    class_id = per_class.most_common(1)[0][0]
    lessons = Counter(row["teacher_id"] for row in read_rows(data, "assignments") if row["class_id"] == class_id)
    teacher = max(lessons, key=lambda t: (lessons[t], t))
    in_class = [row for row in learners if row["class_id"] == class_id]
    guardians = {row["id"]: row for row in read_rows(data, "guardians")}
    links = defaultdict(list)
    for row in read_rows(data, "guardian_links"):
        links[row["learner_id"]].append(row["guardian_id"])
    child, guardian = next((row, guardians[g]) for row in in_class for g in links[row["id"]] if guardians[g]["phone"])
    name = classes[class_id]["name"] or f"{classes[class_id]['level']}{classes[class_id]['letter']}"
    return Choice(school, institutions[school]["name_en"], class_id, name, teacher, in_class, child, guardian)


def _seed(portal: Portal, data: Path, choice: Choice, shift: int,
          day: Any) -> tuple[dict[str, Proc], dict[str, str], list[str]]:
    stack = portal.stack
    portal.broker = start_tansu()
    topics = [events.ORG, events.CLASSES, events.LEARNERS, events.ENROLMENTS, events.STAFF, events.ASSIGNMENTS,
              "identity.accounts.v1", "teacher.attendance.v1", "parent.guardians.v1"]
    events.ensure(portal.bootstrap, topics)  # before the consumers subscribe (else they wait for a refresh)
    port = procs.free_port()
    jwks = f"http://{procs.HOST}:{port}{IDENTITY_API}/jwks"
    identity = portal.start("identity", {"IDENTITY_BOOTSTRAP_ADMIN_PASSWORD": stack.admin_password,
                                         "IDENTITY_ACCESS_TTL_S": "7200", "IDENTITY_JWKS_URL": jwks}, port=port)
    admin = _login(identity.url, "admin", stack.admin_password)
    accounts, codes = _accounts(identity.url, admin, choice)
    education_grpc = procs.free_port()
    education = portal.start("education", {
        "EDUCATION_GRPC_PORT": str(education_grpc), "EDUCATION_LOAD_REFERENCE_DATA": "false",
        "EDUCATION_DEMO_SOUMS": "false", "EDUCATION_JWKS_URL": jwks}, kafka=False)
    teacher = portal.start("teacher", {"TEACHER_EDUCATION_GRPC": "", "TEACHER_JWKS_URL": jwks,
                                       "ESIS_TODAY": day.isoformat()})
    parent = portal.start("parent", {
        "PARENT_EDUCATION_GRPC": f"{procs.HOST}:{education_grpc}", "PARENT_EDUCATION_URL": education.url,
        "PARENT_HR_GRPC": f"{procs.HOST}:{procs.free_port()}", "PARENT_AMQP_ENABLED": "false",
        "PARENT_JWKS_URL": jwks, "ESIS_TODAY": day.isoformat()})
    stats = portal.start("stats", {"STATS_JWKS_URL": jwks})
    gateway = portal.start("gateway", {
        "GATEWAY_SERVICE_URLS": json.dumps({"identity": identity.url, "teacher": teacher.url, "parent": parent.url,
                                            "stats": stats.url}),
        "GATEWAY_JWKS_URL": jwks, "GATEWAY_RATE_LIMIT_PER_SECOND": "0"}, kafka=False)
    notes: list[str] = []

    started = time.perf_counter()
    published = events.publish(portal.bootstrap, [
        *events.education_events(data, shift_years=shift),
        *events.hr_events(data, shift_years=shift, accounts={choice.teacher: accounts["teacher"]})])
    expected_stats = _stats_expected(data, shift, accounts["teacher"], choice.teacher)
    loaded = _load_education(education.url, admin, data, choice)
    _wait_for(lambda: choice.class_id in _account(identity.url, admin, accounts["teacher"])["class_ids"],
              "identity to scope the teacher to the class (hr's events)")
    tokens = {"admin": admin, **{role: _activate(identity.url, *codes[role]) for role in codes}}
    form = _wait_for(lambda: _roster(teacher.url, tokens["teacher"], choice, day),
                     "teacher's roster of the class (education's and hr's events)")
    notes.append(f"seeded in {time.perf_counter() - started:.1f} s: {sum(published.values()):,} events published "
                 f"({', '.join(f'{t} {n:,}' for t, n in sorted(published.items()))}); education: {loaded}")
    _mark(teacher.url, tokens["teacher"], choice, day, form)
    claim = httpx.post(f"{parent.url}/api/parent/v1/children/claims", timeout=60,
                       headers={"Authorization": f"Bearer {tokens['guardian']}"},
                       json={"learner_register_number": choice.child["register_number"],
                             "guardian_given_name": choice.guardian["given_name"],
                             "guardian_phone": choice.guardian["phone"]})
    if claim.status_code >= 300:
        raise RuntimeError(f"parent claim: {claim.status_code} {claim.text[:300]}")
    today = _wait_for(lambda: _child_today(parent.url, tokens["guardian"], choice.child["id"]),
                      "parent's view of the child's day with teacher's marks")
    _wait_for(lambda: _stats_applied(portal.databases["stats"], expected_stats), "stats to apply every event")
    _wait_for(lambda: _ok(stats.url, f"/api/stats/v1/aggregates?year={TEACHER_YEAR}&area_id={choice.school}",
                          tokens["school_admin"]), "stats' school dashboard")
    notes.append(f"claim verified by education over gRPC and linked; the child's today carries "
                 f"{len(json.dumps(today, ensure_ascii=False)):,} bytes of JSON; the teacher's token has the class "
                 "from identity's consumer; all ready after "
                 f"{time.perf_counter() - started:.1f} s")
    services = {"identity": identity, "teacher": teacher, "parent": parent, "stats": stats, "education": education,
                "gateway": gateway}
    return services, tokens, notes


def _accounts(url: str, admin: str, choice: Choice) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """A teacher, a guardian and the school's administrator through identity's bulk path."""
    suffix = uuid.uuid4().hex[:8]
    rows = {"teacher": {"username": f"portal-teacher-{suffix}", "role": "teacher", "org_ids": [choice.school],
                        "display_name": "Bench teacher"},
            "guardian": {"username": f"portal-guardian-{suffix}", "role": "parent", "org_ids": [choice.school],
                         "display_name": "Bench guardian"},
            "school_admin": {"username": f"portal-director-{suffix}", "role": "school_admin",
                             "org_ids": [choice.school], "display_name": "Bench director"}}
    answer = httpx.post(f"{url}{IDENTITY_API}/accounts:bulk", json={"accounts": list(rows.values())}, timeout=60,
                        headers={"Authorization": f"Bearer {admin}"})
    if answer.status_code >= 300:
        raise RuntimeError(f"identity accounts:bulk: {answer.status_code} {answer.text[:300]}")
    by_name = {a["username"]: a for a in answer.json()["accounts"]}
    accounts = {role: by_name[row["username"]]["id"] for role, row in rows.items()}
    codes = {role: (row["username"], by_name[row["username"]]["activation_code"]) for role, row in rows.items()}
    return accounts, codes


def _login(url: str, username: str, password: str) -> str:
    answer = httpx.post(f"{url}{IDENTITY_API}/auth/login", timeout=60,
                        json={"username": username, "password": password})
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def _activate(url: str, username: str, code: str) -> str:
    answer = httpx.post(f"{url}{IDENTITY_API}/auth/activate", timeout=60, json={
        "username": username, "activation_code": code, "new_password": f"Bench-{uuid.uuid4().hex[:12]}-2026x"})
    if answer.status_code >= 300:
        raise RuntimeError(f"activate {username}: {answer.status_code} {answer.text[:300]}")
    return str(answer.json()["access_token"])


def _account(url: str, admin: str, account_id: str) -> dict[str, Any]:
    answer = httpx.get(f"{url}{IDENTITY_API}/accounts/{account_id}", timeout=30,
                       headers={"Authorization": f"Bearer {admin}"})
    answer.raise_for_status()
    return dict(answer.json())


def _load_education(url: str, admin: str, data: Path, choice: Choice) -> str:
    """The units, the school, its classes, and the child's class with its learners, guardians and links, through
    education's bulk paths (the dataset's own school year: education only verifies the claim)."""
    headers = {"Authorization": f"Bearer {admin}"}
    with httpx.Client(base_url=f"{url}{EDUCATION_API}", headers=headers, timeout=300) as client:
        # Services calling education over gRPC act as education's ministry (its fixed id): the synthetic
        # ministry takes that id, so the school is inside the caller's scope.
        rows = [r for r in read_rows(data, "admin_units") if r["kind"] != "khoroo"]
        ministry = {r["id"]: reference.org_id(reference.MINISTRY_CODE) for r in rows if r["kind"] == "ministry"}
        units = [{"id": ministry.get(r["id"], r["id"]), "kind": r["kind"], "code": r["code"], "name_mn": r["name_mn"],
                  "name_en": r["name_en"], "parent_id": ministry.get(r["parent_id"], r["parent_id"]) or None}
                 for r in rows]
        school = next(r for r in read_rows(data, "institutions") if r["id"] == choice.school)
        units.append({"id": school["id"], "kind": school["kind"], "code": school["id"], "name_mn": school["name_mn"],
                      "name_en": school["name_en"], "parent_id": school["unit_id"], "ownership": school["ownership"],
                      "catchment": [school["area_code"]] if school["area_code"] else []})
        _posted(client.post("/bulk/org-units", json={"units": units}))
        start_year = int(read_manifest(data)["school_year"])
        year_id = _posted(client.post("/school-years", json={"start_year": start_year}))["id"]
        row = next(r for r in read_rows(data, "classes") if r["id"] == choice.class_id)
        _posted(client.post("/bulk/classes", json={"classes": [{
            "id": row["id"], "school_id": row["institution_id"], "year_id": year_id, "level": row["level"],
            "letter": row["letter"], "shift": int(row["shift"]), "capacity": int(row["capacity"]),
            "room": row["room"], "class_teacher_id": row["class_teacher_id"] or None}]}))
        ids = {r["id"] for r in choice.learners}
        links = [{"learner_id": r["learner_id"], "guardian_id": r["guardian_id"], "relationship": r["relationship"]}
                 for r in read_rows(data, "guardian_links") if r["learner_id"] in ids]
        wanted = {link["guardian_id"] for link in links}
        guardians = [{"id": r["id"], "family_name": r["family_name"], "given_name": r["given_name"],
                      "phone": r["phone"], "register_number": r["register_number"]}
                     for r in read_rows(data, "guardians") if r["id"] in wanted]
        learners = [{"id": r["id"], "class_id": r["class_id"], "register_number": r["register_number"],
                     "family_name": r["family_name"], "given_name": r["given_name"], "birth_date": r["birth_date"],
                     "sex": r["sex"], "area_code": r["area_code"], "special_needs": r["special_needs"] == "true"}
                    for r in choice.learners]
        _posted(client.post("/bulk/learners", json={"enrol_on": f"{start_year}-09-01", "learners": learners,
                                                    "guardians": guardians, "links": links}))
    return (f"{len(units):,} units, 1 class, {len(learners)} learners, {len(guardians)} guardians, {len(links)} "
            "links (bulk paths, relay off)")


def _posted(response: httpx.Response) -> dict[str, Any]:
    if response.status_code not in (200, 201):
        raise RuntimeError(f"{response.request.method} {response.request.url.path}: {response.status_code} "
                           f"{response.text[:500]}")
    return dict(response.json())


def _roster(url: str, token: str, choice: Choice, day: Any) -> dict[str, Any] | None:
    answer = httpx.get(f"{url}/api/teacher/v1/classes/{choice.class_id}/attendance", params={"day": day.isoformat()},
                       headers={"Authorization": f"Bearer {token}"}, timeout=30)
    if answer.status_code != 200:
        return None
    form = answer.json()
    return form if len(form.get("marks", [])) >= len(choice.learners) else None


def _mark(url: str, token: str, choice: Choice, day: Any, form: dict[str, Any]) -> None:
    """The class marked once (every learner present, the child late) through teacher's API."""
    marks = [{"learner_id": r["id"], "code": "late" if r["id"] == choice.child["id"] else "present"}
             for r in choice.learners]
    body = {"form_id": str(uuid.uuid5(events.NAMESPACE, f"portal-form/{choice.class_id}/{day}")),
            "day": day.isoformat(), "lesson": 0, "subject_code": "", "marks": marks}
    answer = httpx.post(f"{url}/api/teacher/v1/classes/{choice.class_id}/attendance", json=body, timeout=60,
                        headers={"Authorization": f"Bearer {token}"})
    if answer.status_code >= 300:
        raise RuntimeError(f"teacher attendance: {answer.status_code} {answer.text[:300]} (form: "
                           f"{json.dumps(form)[:300]})")


def _child_today(url: str, token: str, child: str) -> dict[str, Any] | None:
    answer = httpx.get(f"{url}/api/parent/v1/children/{child}/today", timeout=30,
                       headers={"Authorization": f"Bearer {token}"})
    if answer.status_code != 200:
        return None
    today = answer.json()
    return today if "late" in json.dumps(today) else None


def _ok(url: str, path: str, token: str) -> bool:
    return httpx.get(f"{url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=60).status_code == 200


def _stats_expected(data: Path, shift: int, account: str, staff: str) -> int:
    from stats.entrypoints.consumer import HANDLERS

    return sum(1 for e in [*events.education_events(data, shift_years=shift),
                           *events.hr_events(data, shift_years=shift, accounts={staff: account})]
               if e.type in HANDLERS)


def _stats_applied(database_url: str, expected: int) -> bool:
    from esis_shared.db import make_engine
    from sqlalchemy import func, select
    from stats.adapters.orm import processed_events

    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(processed_events)).scalar_one() >= expected
    finally:
        engine.dispose()


def _wait_for(check: Callable[[], Any], what: str, timeout_s: float = 600) -> Any:
    started = time.monotonic()
    deadline = started + timeout_s
    while time.monotonic() < deadline:
        found = check()
        if found:
            print(f"  {what}: ready after {time.monotonic() - started:.1f} s", flush=True)
            return found
        time.sleep(0.5)
    raise TimeoutError(f"waited {timeout_s:.0f} s for {what}")


# ---------------------------------------------------------------- load


def _load(ctx: RunContext, url: str, token: str | None, serving: list[Proc]) -> tuple[wrk.Load, float]:
    """wrk's figures, and the CPU time the serving processes used per request (user + system, from /proc): a
    figure that depends much less than latency on what else the shared machine is running."""
    opts = ctx.options
    wrk.run(url, seconds=opts.warmup, connections=opts.connections, token=token)
    before = sum(_cpu_s(p) for p in serving)
    load = wrk.run(url, seconds=opts.seconds, connections=opts.connections, token=token)
    used = sum(_cpu_s(p) for p in serving) - before
    if load.errors:
        raise RuntimeError(f"{url}: {load.errors} of {load.requests} requests failed")
    return load, used * 1000 / max(load.requests, 1)


def _cpu_s(proc: Proc) -> float:
    """User + system CPU seconds of the process (all its threads: HTTP, relay, consumer)."""
    fields = Path(f"/proc/{proc.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _report(result: ScenarioResult, read: str, base: wrk.Load, direct: wrk.Load, through: wrk.Load) -> None:
    result.add(Figure(f"{read} via gateway req/s", through.requests_per_s, "req/s", base.requests_per_s, BARE_NAME,
                      "≥ 1,000 req/s and ≥ 10 % of bare"))
    result.add(Figure(f"{read} via gateway p50", through.p50_ms, "ms", base.p50_ms, BARE_NAME))
    result.add(Figure(f"{read} via gateway p99", through.p99_ms, "ms", base.p99_ms, BARE_NAME, "≤ 50 ms"))
    result.add(Figure(f"{read} direct req/s", direct.requests_per_s, "req/s", base.requests_per_s, BARE_NAME))
    result.add(Figure(f"{read} direct p50", direct.p50_ms, "ms", base.p50_ms, BARE_NAME))
    result.add(Figure(f"{read} direct p99", direct.p99_ms, "ms", base.p99_ms, BARE_NAME))
    result.add(Figure(f"{read} gateway / direct p50", through.p50_ms / direct.p50_ms, "x", target="≤ 1.3x"))
    result.add(Figure(f"{read} gateway / direct p99", through.p99_ms / direct.p99_ms, "x", target="≤ 1.3x"))
