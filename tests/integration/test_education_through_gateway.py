"""End to end: identity, education and the gateway, each its own process on loopback.

The platform administrator creates a school through education's API and a school administrator for it in
identity; the school administrator opens a class, imports a class list (a multipart upload through the gateway)
and, signed in on identity's page, opens the school's classes page on education — one session cookie and one
CSRF secret across services. The gateway's coarse role rules keep parents and teachers away from the office desks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from education import reference
from esis_shared.testing.processes import ServerProcess, free_port, start_module
from identity.config import DEV_BOOTSTRAP_ADMIN_PASSWORD

pytestmark = pytest.mark.integration
ADMIN = {"username": "admin", "password": DEV_BOOTSTRAP_ADMIN_PASSWORD}
PASSWORD = "Surguuli-2026-demo"
EDU = "/api/education/v1"
CLASS_LIST = ("Бүлэг,Регистрийн дугаар,Овог,Нэр,Төрсөн огноо,Хүйс\n"
              "5А,УБ16241257,Болд,Тэмүүлэн,2016-04-12,эрэгтэй\n5А,УБ16250322,Болд,Сарнай,2016-05-03,эмэгтэй\n")




def _service_env(name: str, port: int, folder: Path, identity_url: str) -> dict[str, str]:
    prefix = name.upper()
    return {f"{prefix}_HTTP_PORT": str(port), f"{prefix}_GRPC_PORT": str(free_port()),
            f"{prefix}_DATABASE_URL": f"sqlite:///{folder / (name + '.db')}", f"{prefix}_KAFKA_ENABLED": "false",
            f"{prefix}_LOG_JSON": "false", f"{prefix}_JWKS_URL": f"{identity_url}/api/identity/v1/jwks"}


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    folder = Path(tmp_path_factory.mktemp("edu-e2e"))
    ports = {name: free_port() for name in ("identity", "education", "gateway")}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    started: list[ServerProcess] = []
    try:
        for name in ("identity", "education"):
            started.append(start_module(name, ports[name], _service_env(name, ports[name], folder, urls["identity"])))
        started.append(start_module("gateway", ports["gateway"], {
            "GATEWAY_HTTP_PORT": str(ports["gateway"]), "GATEWAY_LOG_JSON": "false",
            "GATEWAY_SERVICE_URLS": json.dumps({n: urls[n] for n in ("identity", "education")}),
            "GATEWAY_JWKS_URL": f"{urls['identity']}/api/identity/v1/jwks"}))
        with httpx.Client(base_url=urls["gateway"], timeout=60) as client:
            yield client
    finally:
        for server in reversed(started):
            server.stop()


def login(gateway: httpx.Client, username: str, password: str) -> dict[str, str]:
    response = gateway.post("/api/identity/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def account(gateway: httpx.Client, admin: dict[str, str], username: str, role: str, school: str) -> dict[str, str]:
    body = {"username": username, "password": PASSWORD, "role": role, "org_ids": [school]}
    assert gateway.post("/api/identity/v1/accounts", json=body, headers=admin).status_code == 201
    return login(gateway, username, PASSWORD)


@pytest.fixture(scope="module")
def school(gateway: httpx.Client) -> tuple[str, str]:
    """A school in Bayanzürkh with this school year; returns (school id, year id)."""
    admin = login(gateway, "admin", ADMIN["password"])
    districts = gateway.get(f"{EDU}/org-units/{reference.org_id('11')}/children", headers=admin).json()["children"]
    bayanzurkh = next(u["id"] for u in districts if u["code"] == "1110")
    body = {"kind": "school", "code": "E2E-1110-1", "name_mn": "E2E сургууль", "parent_id": bayanzurkh,
            "opened_on": "2000-09-01"}
    school_id = gateway.post(f"{EDU}/org-units", json=body, headers=admin).json()["id"]
    today = date.today()
    start = today.year if today.month >= 9 else today.year - 1
    year = gateway.post(f"{EDU}/school-years", json={"start_year": start}, headers=admin).json()["id"]
    return school_id, year


def test_the_gateway_keeps_parents_and_teachers_away_from_the_office_desks(gateway: httpx.Client,
                                                                          school: tuple[str, str]) -> None:
    school_id, year = school
    admin = login(gateway, "admin", ADMIN["password"])
    parent = account(gateway, admin, "e2e.parent", "parent", school_id)
    teacher = account(gateway, admin, "e2e.teacher", "teacher", school_id)
    office = account(gateway, admin, "e2e.office", "school_admin", school_id)

    refused = gateway.get(f"{EDU}/transfers", params={"school_id": school_id}, headers=parent)
    assert refused.status_code == 403
    assert "may not use /api/education/v1/transfers" in refused.json()["error"]["message"]
    upload = gateway.post(f"{EDU}/imports/class-lists", params={"school_id": school_id, "year_id": year},
                          files={"file": ("x.csv", CLASS_LIST.encode())}, headers=teacher)
    assert upload.status_code == 403
    inbox = gateway.get(f"{EDU}/transfers", params={"school_id": school_id}, headers=office)
    assert inbox.status_code == 200 and inbox.json() == {"incoming": [], "outgoing": []}


# Last in this module: the gateway's upstream HTTP client keeps the cookies services set (reported), so after a
# page sign-in through it every later request would carry that session.
def test_a_school_admin_imports_a_class_list_and_opens_the_classes_page(gateway: httpx.Client,
                                                                        school: tuple[str, str]) -> None:
    school_id, year = school
    office = account(gateway, login(gateway, "admin", ADMIN["password"]), "e2e.school.admin", "school_admin",
                     school_id)
    class_body = {"school_id": school_id, "year_id": year, "level": "5", "letter": "А", "shift": 1, "capacity": 30}
    assert gateway.post(f"{EDU}/classes", json=class_body, headers=office).status_code == 201

    job = gateway.post(f"{EDU}/imports/class-lists", params={"school_id": school_id, "year_id": year, "wait_s": 20},
                       files={"file": ("5a.csv", CLASS_LIST.encode())}, headers=office).json()
    assert (job["state"], job["summary"]["learners_created"]) == ("done", 2)

    page = _signed_in_page(gateway, "e2e.school.admin", "/education/classes")
    assert page.status_code == 200 and 'lang="mn"' in page.text
    assert re.search(r">5А</a>.*?2 / 30", page.text, re.S), page.text[:2000]


def _signed_in_page(gateway: httpx.Client, username: str, path: str) -> httpx.Response:
    """Sign in on identity's page (its form and CSRF token), then open ``path`` with the session cookie."""
    with httpx.Client(base_url=str(gateway.base_url), timeout=60, follow_redirects=True) as browser:
        form = browser.get(f"/identity/login?next={path}")
        token = re.search(r'name="csrftoken" value="([^"]+)"', form.text).group(1)
        return browser.post(f"/identity/login?next={path}", data={"csrftoken": token, "username": username,
                                                                    "password": PASSWORD})
