"""End to end: the demo teacher marks the demo child absent and the demo parent follows it, each service its own
process.

identity, education, hr, teacher, notify, parent and the gateway run on loopback with the Kafka-protocol broker
and a fresh RabbitMQ vhost, every one with ``ESIS_TODAY`` set to the most recent school day before today (so the
test passes on a Sunday or in the summer, and proves the override moves the school day in every service).
scripts/demo loads the demo school exactly as ``make run`` does, including the parent's claim of the child through
the portal (education verifies it over gRPC). Then, through the gateway only:

* parent.demo's first sign-in already carries the child, and the portal lists them;
* teacher.demo marks class 5А with the child unexcused; sending the same form again changes nothing;
* the absence shows on the parent's "today" within seconds;
* notify's development provider writes exactly one message, even when the teacher's event is delivered again
  (the very same Kafka record, and a copy under a new event id);
* the receipt comes back to the portal;
* no other child can be reached, by guessed id or by a claim with someone else's details.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from esis_shared.kafka import make_producer
from esis_shared.testing.processes import ServerProcess, free_port, start_module
from kafka import KafkaConsumer
from kafka.structs import TopicPartition

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from demo import api as demo_api  # noqa: E402
from demo import people  # noqa: E402
from demo.education import current_start_year  # noqa: E402
from demo.school_days import latest_school_day  # noqa: E402

UB = ZoneInfo("Asia/Ulaanbaatar")
ATTENDANCE = "teacher.attendance.v1"
SERVICES = ("identity", "education", "hr", "teacher", "notify", "parent", "gateway")


def _school_day() -> date:
    """Strictly before today, so the override is exercised even on a school day."""
    day = latest_school_day(datetime.now(UB).date() - timedelta(days=1))
    assert day is not None, "teacher's reference calendar has no school day in the last 400 days"
    return day




def _wait(check: Callable[[], bool], what: str, server: ServerProcess | None = None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what}: not reached within {timeout}s\n{server.log_tail() if server else ''}")


def _common(prefix: str, port: int, kafka: str, identity: int, folder: Path) -> dict[str, str]:
    return {f"{prefix}_HTTP_PORT": str(port), f"{prefix}_KAFKA_BOOTSTRAP": kafka, f"{prefix}_LOG_JSON": "false",
            f"{prefix}_DATABASE_URL": f"sqlite:///{folder / prefix.lower()}.db",
            f"{prefix}_JWKS_URL": f"http://127.0.0.1:{identity}/api/identity/v1/jwks"}


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory, kafka_bootstrap: str, rabbitmq_admin) -> Iterator[dict]:
    folder = Path(tmp_path_factory.mktemp("platform"))
    subprocess.run([sys.executable, "scripts/topics.py", "--bootstrap", kafka_bootstrap], cwd=ROOT, check=True,
                   capture_output=True)
    vhost = f"esis-e2e-{int(time.time() * 1000)}"
    rabbitmq_admin.add_vhost(vhost)
    amqp = rabbitmq_admin.vhost_url(vhost)
    today = _school_day()
    ports = {name: free_port() for name in SERVICES}
    grpc = {name: free_port() for name in ("identity", "education", "hr", "teacher", "parent")}
    outbox = folder / "notify-outbox.jsonl"
    specs = [
        ("identity", {"IDENTITY_GRPC_PORT": str(grpc["identity"])}),
        ("education", {"EDUCATION_GRPC_PORT": str(grpc["education"])}),
        ("hr", {"HR_GRPC_PORT": str(grpc["hr"])}),
        ("teacher", {"TEACHER_GRPC_PORT": str(grpc["teacher"]),
                     "TEACHER_EDUCATION_GRPC": f"127.0.0.1:{grpc['education']}"}),
        ("notify", {"NOTIFY_AMQP_URL": amqp, "NOTIFY_OUTBOX_FILE": str(outbox), "NOTIFY_FLUSH_INTERVAL_S": "1"}),
        ("parent", {"PARENT_GRPC_PORT": str(grpc["parent"]), "PARENT_AMQP_URL": amqp,
                    "PARENT_EDUCATION_GRPC": f"127.0.0.1:{grpc['education']}",
                    "PARENT_EDUCATION_URL": f"http://127.0.0.1:{ports['education']}",
                    "PARENT_HR_GRPC": f"127.0.0.1:{grpc['hr']}"}),
        ("gateway", {"GATEWAY_RATE_LIMIT_PER_SECOND": "1000", "GATEWAY_SERVICE_URLS": json.dumps(
            {name: f"http://127.0.0.1:{ports[name]}" for name in ("identity", "education", "hr", "teacher",
                                                                    "parent")})}),
    ]
    servers = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ESIS_TODAY", today.isoformat())  # every process below, the demo loader too
        try:
            for name, env in specs:
                servers.append(start_module(name, ports[name], {
                    **_common(name.upper(), ports[name], kafka_bootstrap, ports["identity"], folder), **env}))
            gateway = f"http://127.0.0.1:{ports['gateway']}"
            # the synthetic country has its own test (test_demo_synthetic.py); this flow needs the demo school only
            loaded = subprocess.run([sys.executable, "scripts/demo", "--gateway", gateway, "--synthetic-scale", "0"],
                                    cwd=ROOT, capture_output=True, text=True, timeout=300)
            assert loaded.returncode == 0, loaded.stdout[-2000:] + loaded.stderr[-3000:]
            yield {"gateway": gateway, "outbox": outbox, "kafka": kafka_bootstrap, "today": today,
                   "servers": {s.name: s for s in servers}}
        finally:
            for server in reversed(servers):
                server.stop()
            rabbitmq_admin.delete_vhost(vhost)


def _sign_in(client: httpx.Client, username: str) -> dict[str, str]:
    return demo_api.login(client, username).headers


def _lines(outbox: Path, key_prefix: str) -> list[dict[str, Any]]:
    if not outbox.exists():
        return []
    found = [json.loads(x) for x in outbox.read_text(encoding="utf-8").splitlines()]
    return [x for x in found if x["key"].startswith(key_prefix)]


def _attendance_records(bootstrap: str, class_id: str) -> list[Any]:
    """Every AttendanceMarked of the class on teacher.attendance.v1, as the broker holds them."""
    client = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest")
    try:
        client.assign([TopicPartition(ATTENDANCE, p) for p in sorted(client.partitions_for_topic(ATTENDANCE) or ())])
        client.seek_to_beginning()
        found: list[Any] = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for records in client.poll(timeout_ms=300).values():
                found += [r for r in records if r.key == class_id.encode()
                          and dict(r.headers).get("ce_type") == b"esis.teacher.v1.AttendanceMarked"]
            if found:
                deadline = min(deadline, time.monotonic() + 1)  # the rest of the partition, then stop
        return found
    finally:
        client.close()


def test_the_demo_teachers_absence_reaches_the_demo_parent_once_and_nobody_elses(platform) -> None:
    child = people.demo_child()
    today = platform["today"]
    with httpx.Client(base_url=platform["gateway"], timeout=30) as client:
        # The parent signs in for the first time: the child is already linked, in the token and in the portal.
        mother_api = demo_api.login(client, "parent.demo")
        mother = mother_api.headers
        [linked] = client.get("/api/parent/v1/children", headers=mother).json()
        learner_id, class_id = linked["child"]["learner_id"], linked["child"]["class_id"]
        assert mother_api.claims()["chd"] == [learner_id]
        assert child.person.given_name in json.dumps(linked, ensure_ascii=False)

        # The demo teacher marks 5А through the gateway on the (overridden) school day.
        teacher = _sign_in(client, "teacher.demo")

        def form_with_child() -> bool:
            found = client.get(f"/api/teacher/v1/classes/{class_id}/attendance", headers=teacher,
                               params={"day": today.isoformat()}).json()
            forms[:] = [found]
            return learner_id in {m["learner_id"] for m in found["marks"]}

        forms: list[dict[str, Any]] = []
        _wait(form_with_child, "the child on the teacher's form for 5А", platform["servers"]["teacher"])
        [form] = forms
        today_classes = client.get("/api/teacher/v1/today", headers=teacher).json()  # no day: the override's
        assert [(c["closed_reason"], c["learners"]) for c in today_classes
                if c["class"]["class_id"] == class_id] == [(None, len(form["marks"]))]
        marks = [{"learner_id": m["learner_id"], "code": "unexcused" if m["learner_id"] == learner_id else "present"}
                 for m in form["marks"]]
        assert {"learner_id": learner_id, "code": "unexcused"} in marks and len(marks) > 1
        body = {"form_id": str(uuid.uuid4()), "day": today.isoformat(), "lesson": 0, "marks": marks}
        sheet = client.post(f"/api/teacher/v1/classes/{class_id}/attendance", headers=teacher, json=body)
        assert sheet.status_code == 201, sheet.text
        marked_at = time.monotonic()
        again = client.post(f"/api/teacher/v1/classes/{class_id}/attendance", headers=teacher, json=body)
        assert again.status_code in (200, 201) and again.json()["id"] == sheet.json()["id"], again.text

        def absent_today() -> bool:
            day = client.get(f"/api/parent/v1/children/{learner_id}/today", headers=mother).json()
            return day["day"] == today.isoformat() and day["status"] == "unexcused"

        _wait(absent_today, "the absence on the parent's today", platform["servers"]["parent"], timeout=20)
        assert time.monotonic() - marked_at < 20
        key = f"absence:{learner_id}:{today.isoformat()}:"
        _wait(lambda: len(_lines(platform["outbox"], key)) == 1, "one SMS in notify's output",
              platform["servers"]["parent"], timeout=20)

        # The teacher's event again: the very same record, and a copy with a new event id.
        [record] = _attendance_records(platform["kafka"], class_id)  # the repeated form published nothing
        producer = make_producer(platform["kafka"])
        producer.send(ATTENDANCE, key=record.key, value=record.value, headers=list(record.headers)).get(10)
        fresh = [(k, str(uuid.uuid4()).encode() if k == "ce_id" else v) for k, v in record.headers]
        producer.send(ATTENDANCE, key=record.key, value=record.value, headers=fresh).get(10)
        producer.close()
        time.sleep(5)
        [sms] = _lines(platform["outbox"], key)
        assert (sms["channel"], sms["to"]) == ("sms", people.DEMO_PHONE)  # the phone the school confirmed
        assert child.person.given_name in sms["text"]

        _wait(lambda: any(r["status"] == "sent" for r in client.get("/api/parent/v1/receipts",
                                                                    headers=mother).json()),
              "the receipt back in the portal", platform["servers"]["parent"])

        _assert_no_other_child(client, mother, teacher, class_id, learner_id, current_start_year(today) - 10)


def _assert_no_other_child(client: httpx.Client, mother: dict[str, str], teacher: dict[str, str], class_id: str,
                           learner_id: str, born_in: int) -> None:
    roster = client.get(f"/api/education/v1/classes/{class_id}/roster", headers=teacher,
                        params={"purpose": "e2e: pick a classmate"}).json()["learners"]
    classmate = next(x for x in roster if x["id"] != learner_id)
    for path in ("", "/today", "/attendance", "/grades", "/growth", "/access-log"):
        answer = client.get(f"/api/parent/v1/children/{classmate['id']}{path}", headers=mother)
        assert answer.status_code == 404, (path, answer.text)
    other = people.make_children("УБ", born_in, 1, serial=10)[0]  # a classmate, with the demo mother's details
    refused = client.post("/api/parent/v1/children/claims", headers=mother, json={
        "learner_register_number": other.register_number, "guardian_given_name": people.DEMO_MOTHER.given_name,
        "guardian_phone": people.DEMO_PHONE})
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "claim_not_confirmed"
    assert len(client.get("/api/parent/v1/children", headers=mother).json()) == 1
