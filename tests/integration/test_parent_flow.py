"""End to end: the demo guardian follows their child through the real services, each its own process.

identity, education, hr, the gateway, parent and notify run on loopback with the Kafka-protocol broker and a fresh
RabbitMQ vhost; scripts/demo_data.py loads the demo school. The guardian claims the demo child (education checks
the claim over gRPC), the teacher's attendance event for today arrives on teacher.attendance.v1 (published as
the teacher service publishes it), and then:

* the absence shows on the guardian's "today" within seconds;
* notify's development provider writes exactly one message for it, even when the event is delivered twice;
* the receipt comes back to the portal;
* no other child can be reached, by guessed id or by a claim with someone else's details.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from esis.common.v1 import common_pb2
from esis.teacher.v1 import teacher_events_pb2 as teacher
from esis_shared.kafka import Envelope, make_producer, publish
from esis_shared.testing.processes import ServerProcess, free_port, start_server

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import demo_data  # noqa: E402

UB = ZoneInfo("Asia/Ulaanbaatar")


def _start(name: str, port: int, env: dict[str, str]) -> ServerProcess:
    with pytest.MonkeyPatch.context() as patch:  # start_server hands this process's environment on
        for key, value in env.items():
            patch.setenv(key, value)
        server = start_server(name, [sys.executable, "-m", name], port, ready_timeout=90)
    _wait(lambda: httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200,
          f"{name} ready", server)
    return server


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
    ports = {name: free_port() for name in ("identity", "education", "hr", "gateway", "parent", "notify")}
    grpc = {name: free_port() for name in ("identity", "education", "hr", "parent")}
    outbox = folder / "notify-outbox.jsonl"
    specs = [
        ("identity", {"IDENTITY_GRPC_PORT": str(grpc["identity"])}),
        ("education", {"EDUCATION_GRPC_PORT": str(grpc["education"])}),
        ("hr", {"HR_GRPC_PORT": str(grpc["hr"])}),
        ("notify", {"NOTIFY_AMQP_URL": amqp, "NOTIFY_OUTBOX_FILE": str(outbox), "NOTIFY_FLUSH_INTERVAL_S": "1"}),
        ("parent", {"PARENT_GRPC_PORT": str(grpc["parent"]), "PARENT_AMQP_URL": amqp,
                    "PARENT_EDUCATION_GRPC": f"127.0.0.1:{grpc['education']}",
                    "PARENT_EDUCATION_URL": f"http://127.0.0.1:{ports['education']}",
                    "PARENT_HR_GRPC": f"127.0.0.1:{grpc['hr']}"}),
        ("gateway", {"GATEWAY_RATE_LIMIT_PER_SECOND": "1000", "GATEWAY_SERVICE_URLS": json.dumps(
            {name: f"http://127.0.0.1:{ports[name]}" for name in ("identity", "education", "hr", "parent")})}),
    ]
    servers = []
    try:
        for name, env in specs:
            servers.append(_start(name, ports[name], {
                **_common(name.upper(), ports[name], kafka_bootstrap, ports["identity"], folder), **env}))
        gateway = f"http://127.0.0.1:{ports['gateway']}"
        loaded = subprocess.run([sys.executable, "scripts/demo_data.py", "--gateway", gateway], cwd=ROOT,
                                capture_output=True, text=True, timeout=240)
        assert loaded.returncode == 0, loaded.stdout[-2000:] + loaded.stderr[-3000:]
        yield {"gateway": gateway, "outbox": outbox, "kafka": kafka_bootstrap,
               "servers": {s.name: s for s in servers}}
    finally:
        for server in reversed(servers):
            server.stop()
        rabbitmq_admin.delete_vhost(vhost)


def _sign_in(client: httpx.Client, username: str) -> dict[str, str]:
    answer = client.post("/api/identity/v1/auth/login", json={"username": username,
                                                                "password": demo_data.DEMO_PASSWORD})
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _absence(learner_id: str, class_id: str) -> teacher.AttendanceMarked:
    today = datetime.now(UB).date()
    return teacher.AttendanceMarked(
        sheet_id=f"sht-e2e-{learner_id}", class_id=class_id, school=common_pb2.OrgRef(org_id="demo"),
        day=common_pb2.Date(year=today.year, month=today.month, day=today.day), lesson=0,
        marks=[teacher.AttendanceMark(learner_id=learner_id, code="unexcused", category="unexcused_absence")],
        marked_by_account_id="teacher.demo")


def _lines(outbox: Path, key_prefix: str) -> list[dict[str, Any]]:
    if not outbox.exists():
        return []
    found = [json.loads(x) for x in outbox.read_text(encoding="utf-8").splitlines()]
    return [x for x in found if x["key"].startswith(key_prefix)]


def test_the_demo_guardian_follows_the_childs_day_and_nobody_elses(platform) -> None:
    child = demo_data.demo_child()
    with httpx.Client(base_url=platform["gateway"], timeout=30) as client:
        mother = _sign_in(client, "parent.demo")
        claimed = client.post("/api/parent/v1/children/claims", headers=mother, json={
            "learner_register_number": child.register_number, "guardian_given_name": child.guardian.given_name,
            "guardian_phone": child.phone})
        assert claimed.status_code == 201, claimed.text
        learner_id, class_id = claimed.json()["child"]["learner_id"], claimed.json()["child"]["class_id"]
        client.put("/api/parent/v1/profile", headers=mother, json={"phone": "99112233"}).raise_for_status()
        # No quiet hours: the test may run at night in Ulaanbaatar, when notify would rightly hold the SMS.
        client.put("/api/parent/v1/preferences", headers=mother,
                   json={"channels": ["sms", "email"], "quiet_start": None, "quiet_end": None}).raise_for_status()

        envelope = Envelope.for_message(_absence(learner_id, class_id), source="teacher",
                                        topic="teacher.attendance.v1", key=class_id)
        producer = make_producer(platform["kafka"])
        publish(producer, envelope).get(10)
        marked_at = time.monotonic()

        def absent_today() -> bool:
            day = client.get(f"/api/parent/v1/children/{learner_id}/today", headers=mother).json()
            return day["status"] == "unexcused"

        _wait(absent_today, "the absence on the guardian's page", platform["servers"]["parent"], timeout=20)
        assert time.monotonic() - marked_at < 20
        key = f"absence:{learner_id}:"
        _wait(lambda: len(_lines(platform["outbox"], key)) == 1, "one SMS in notify's output",
              platform["servers"]["parent"], timeout=20)

        publish(producer, Envelope.for_message(_absence(learner_id, class_id), source="teacher",
                                               topic="teacher.attendance.v1", key=class_id)).get(10)
        publish(producer, envelope).get(10)  # the very same event delivered again
        producer.close()
        time.sleep(5)
        [sms] = _lines(platform["outbox"], key)
        assert (sms["channel"], sms["to"]) == ("sms", "99112233")
        assert child.person.given_name in sms["text"]

        _wait(lambda: any(r["status"] == "sent" for r in client.get("/api/parent/v1/receipts",
                                                                    headers=mother).json()),
              "the receipt back in the portal", platform["servers"]["parent"])

        _assert_no_other_child(client, mother, class_id)


def _assert_no_other_child(client: httpx.Client, mother: dict[str, str], class_id: str) -> None:
    teacher_token = _sign_in(client, "teacher.demo")
    roster = client.get(f"/api/education/v1/classes/{class_id}/roster", headers=teacher_token,
                        params={"purpose": "e2e: pick a classmate"}).json()["learners"]
    classmate = next(x for x in roster if x["id"] != client.get("/api/parent/v1/children",
                                                                 headers=mother).json()[0]["child"]["learner_id"])
    for path in ("", "/today", "/attendance", "/grades", "/growth", "/access-log"):
        answer = client.get(f"/api/parent/v1/children/{classmate['id']}{path}", headers=mother)
        assert answer.status_code == 404, (path, answer.text)
    other = demo_data.make_children("УБ", 2016, 1, serial=10)[0]
    refused = client.post("/api/parent/v1/children/claims", headers=mother, json={
        "learner_register_number": other.register_number, "guardian_given_name": "Оюун",
        "guardian_phone": demo_data.DEMO_PHONE})
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "claim_not_confirmed"
    assert len(client.get("/api/parent/v1/children", headers=mother).json()) == 1
