"""``make run``'s synthetic country (scripts/demo/synthetic.py) against identity, education, hr and the gateway,
each its own process on loopback (no broker: the step only needs the three bulk paths).

The platform administrator opens this school year and a hand-made school with one learner, as the demo does; the
synthetic step then loads scale 0.001 through the gateway. A user would notice: the synthetic schools appear under
the shipped Ulaanbaatar districts, labelled, with their classes and learners in the demo's year; their staff are
on hr's lists; the hand-made school keeps its learner; a second run finds the country on record and sends nothing.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from education import reference
from esis_shared.testing.processes import ServerProcess, free_port, start_module
from identity.config import DEV_BOOTSTRAP_ADMIN_PASSWORD

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(1, str(ROOT))  # bench.synthetic and bench.loaders, which the step reuses
from demo import synthetic  # noqa: E402

EDU = "/api/education/v1"
SERVICES = ("identity", "education", "hr")
HAND_MADE = "Бүлэг,Регистрийн дугаар,Овог,Нэр,Төрсөн огноо,Хүйс\n5А,УБ16241257,Болд,Тэмүүлэн,2016-04-12,эрэгтэй\n"
OFFICE_PASSWORD = "Surguuli-2026-demo"




@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = Path(tmp_path_factory.mktemp("demo-synthetic"))
    ports = {name: free_port() for name in (*SERVICES, "gateway")}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    jwks = f"{urls['identity']}/api/identity/v1/jwks"
    started: list[ServerProcess] = []
    try:
        for name in SERVICES:
            prefix = name.upper()
            started.append(start_module(name, ports[name], {
                f"{prefix}_HTTP_PORT": str(ports[name]), f"{prefix}_GRPC_PORT": str(free_port()),
                f"{prefix}_DATABASE_URL": f"sqlite:///{folder / (name + '.db')}", f"{prefix}_KAFKA_ENABLED": "false",
                f"{prefix}_LOG_JSON": "false", f"{prefix}_JWKS_URL": jwks}))
        started.append(start_module("gateway", ports["gateway"], {  # the gateway's default rate limit stays on
            "GATEWAY_HTTP_PORT": str(ports["gateway"]), "GATEWAY_LOG_JSON": "false", "GATEWAY_JWKS_URL": jwks,
            "GATEWAY_SERVICE_URLS": json.dumps({n: urls[n] for n in SERVICES})}))
        yield urls["gateway"]
    finally:
        for server in reversed(started):
            server.stop()


@pytest.fixture(scope="module")
def loaded(gateway: str) -> dict[str, Any]:
    with httpx.Client(base_url=gateway, timeout=60) as client:
        token = client.post("/api/identity/v1/auth/login", json={
            "username": "admin", "password": DEV_BOOTSTRAP_ADMIN_PASSWORD}).json()["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        today = date.today()
        year_id = client.post(f"{EDU}/school-years", json={
            "start_year": today.year if today.month >= 9 else today.year - 1}).json()["id"]
        school = client.post(f"{EDU}/org-units", json={
            "kind": "school", "code": "DEMO-1110-14", "name_mn": "Демо сургууль (demo)",
            "parent_id": reference.org_id("1110"), "opened_on": "2000-09-01"}).json()["id"]
        client.post("/api/identity/v1/accounts", json={
            "username": "school.admin.demo", "password": OFFICE_PASSWORD, "role": "school_admin",
            "org_ids": [school]}).raise_for_status()
        office = client.post("/api/identity/v1/auth/login", json={
            "username": "school.admin.demo", "password": OFFICE_PASSWORD}).json()["access_token"]
        headers = {"Authorization": f"Bearer {office}"}
        client.post(f"{EDU}/classes", headers=headers, json={
            "school_id": school, "year_id": year_id, "level": "5", "letter": "А", "shift": 1, "capacity": 30,
            "room": "101"}).raise_for_status()
        upload = client.post(f"{EDU}/imports/class-lists", params={"school_id": school, "year_id": year_id},
                             headers=headers, files={"file": ("5a.csv", HAND_MADE.encode())})
        assert upload.status_code == 202, upload.text
        deadline = time.monotonic() + 30
        while (job := client.get(f"{EDU}/imports/{upload.json()['id']}", headers=headers).json())["state"] in (
                "queued", "running") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert job["state"] == "done" and job["error_rows"] == 0, job
        started = time.perf_counter()
        first = synthetic.load(gateway, token, year_id, 0.001)
        seconds = time.perf_counter() - started
        again = synthetic.load(gateway, token, year_id, 0.001)
        return {"client_token": token, "year_id": year_id, "school": school, "first": first, "again": again,
                "seconds": seconds}


def _get(gateway: str, token: str, path: str, **params: Any) -> Any:
    response = httpx.get(f"{gateway}{path}", params=params, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    return response.json()


def test_the_synthetic_schools_sit_under_the_shipped_districts_labelled_with_their_classes(
        gateway: str, loaded: dict[str, Any]) -> None:
    first, token = loaded["first"], loaded["client_token"]
    assert first is not None and not first.already
    assert (first.schools, first.kindergartens) == (22, 22)
    assert first.learners > 1000 and first.staff > 500 and first.accounts == first.staff + first.guardians
    line = first.banner_line()
    assert line.startswith("Synthetic country (scale 0.001, seed ") and "22 schools" in line and "loaded in" in line

    children = _get(gateway, token, f"{EDU}/org-units/{reference.org_id('1116')}/children")["children"]
    synthetic_schools = [u for u in children if u["code"].startswith("SYN-")]
    assert synthetic_schools, "no synthetic unit under Songinokhairkhan"
    assert all(u["name_mn"].endswith("(synthetic)") for u in synthetic_schools)
    school = next(u for u in synthetic_schools if u["kind"] == "school")
    classes = _get(gateway, token, f"{EDU}/classes", school_id=school["id"], year_id=loaded["year_id"])
    assert len(classes) >= 12, classes  # grades 1-12 at least once
    assert all(c["name"] and c["school_id"] == school["id"] for c in classes)
    roster = _get(gateway, token, f"{EDU}/classes/{classes[0]['id']}/roster", purpose="demo check")
    assert roster["learners"], "the synthetic class has no learner enrolled today"


def test_the_hand_made_school_keeps_its_learner_and_a_second_run_sends_nothing(
        gateway: str, loaded: dict[str, Any]) -> None:
    token = loaded["client_token"]
    again = loaded["again"]
    assert again is not None and again.already
    assert "already on record" in again.banner_line()
    children = _get(gateway, token, f"{EDU}/org-units/{reference.org_id('1110')}/children")["children"]
    assert [u["code"] for u in children].count("DEMO-1110-14") == 1
    classes = _get(gateway, token, f"{EDU}/classes", school_id=loaded["school"], year_id=loaded["year_id"])
    assert [c["name"] for c in classes] == ["5А"]
    roster = _get(gateway, token, f"{EDU}/classes/{classes[0]['id']}/roster", purpose="demo check")
    assert [x["given_name"] for x in roster["learners"]] == ["Тэмүүлэн"]


def test_the_synthetic_staff_are_on_hr(gateway: str, loaded: dict[str, Any]) -> None:
    token = loaded["client_token"]
    children = _get(gateway, token, f"{EDU}/org-units/{reference.org_id('1116')}/children")["children"]
    school = next(u for u in children if u["code"].startswith("SYN-") and u["kind"] == "school")
    staff = _get(gateway, token, "/api/hr/v1/staff", org_id=school["id"])
    items = staff["items"] if isinstance(staff, dict) else staff
    assert len(items) >= 10


def test_a_scale_outside_the_range_is_refused_naming_the_variable() -> None:
    assert synthetic.scale_from_env({}) == synthetic.DEFAULT_SCALE
    assert synthetic.scale_from_env({synthetic.ENV: "0"}) == 0
    with pytest.raises(SystemExit, match="ESIS_DEMO_SCALE must be 0"):
        synthetic.scale_from_env({synthetic.ENV: "0.0001"})
    with pytest.raises(SystemExit, match="not a number"):
        synthetic.scale_from_env({synthetic.ENV: "lots"})
