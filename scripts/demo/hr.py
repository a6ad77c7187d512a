"""hr: the demo teacher on the UB school's staff, teaching mathematics in 5А and 5Б, linked to teacher.demo."""

from __future__ import annotations

import time

from demo.api import Api, login, wait_for_scope
from demo.identity import Demo, account_id
from demo.people import DEMO_TEACHER, TEACHER_BORN, register_number

HR = "/api/hr/v1"
TEACHES = ("5А", "5Б")  # mathematics, 5 hours a week each


def load(demo: Demo) -> None:
    """Hire the demo teacher, assign her classes and link her account (as the school admin), then wait until
    identity has her classes from hr's events: the teacher's token then carries them."""
    admin = login(demo.client, "school.admin.demo")
    teacher = login(demo.client, "teacher.demo")
    if teacher.call("GET", f"{HR}/staff/me", tolerate=(404,)).status_code == 404:  # else a re-run: all there
        staff_id = hire_demo_teacher(admin, demo)
        for name in TEACHES:
            assign(admin, staff_id, demo.classes[name], demo.year_id)
        admin.call("PUT", f"{HR}/staff/{staff_id}/account", json={"account_id": account_id(demo.ministry,
                                                                                             "teacher.demo")})
    wait_for_scope(demo.client, "teacher.demo", "cls", {demo.classes[name] for name in TEACHES}, "hr's classes")


def hire_demo_teacher(admin: Api, demo: Demo) -> str:
    school, start = demo.schools["ub"], demo.year_id[:4]
    position = admin.post(f"{HR}/positions", {"org_id": school, "kind": "teacher", "subject_code": "MATH",
                                              "title": "Математикийн багш"}).json()["id"]
    person = {"register_number": register_number("УБ", TEACHER_BORN, "female", 4), "sex": "female",
              "patronymic": DEMO_TEACHER.family_name, "given_name": DEMO_TEACHER.given_name,
              "birth_date": str(TEACHER_BORN), "phone": "00123456"}
    hired = admin.post(f"{HR}/staff", {"person": person, "position_id": position, "start_date": f"{start}-09-01"})
    staff_id = hired.json()["staff_id"]
    admin.call("PUT", f"{HR}/staff/{staff_id}/qualifications", json={
        "education": [{"degree": "bachelor", "institution": "МУБИС", "year": 2012, "speciality": "математик"}],
        "rank_code": "terguulekh", "subject_codes": ["MATH"]})
    return staff_id


def assign(admin: Api, staff_id: str, class_id: str, year_id: str, timeout_s: float = 60.0) -> None:
    """Assign mathematics; hr learns of the class from education's events, so wait for it a little."""
    body = {"staff_id": staff_id, "class_id": class_id, "subject_code": "MATH", "school_year": year_id,
            "weekly_hours": 5}
    deadline = time.monotonic() + timeout_s
    while (resp := admin.post(f"{HR}/assignments", body, tolerate=(404,))).status_code == 404:
        if resp.json()["error"]["code"] != "class_not_found" or time.monotonic() > deadline:
            raise SystemExit(f"demo data: assigning class {class_id} in hr failed: {resp.text}")
        time.sleep(1)
