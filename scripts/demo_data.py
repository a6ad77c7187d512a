"""Small demo data for `make run`, loaded through the gateway with each service's own API.

identity: the demo accounts. education: demo schools in Ulaanbaatar and Arkhangai, the current school year,
a curriculum, classes (5А, 5Б, a kindergarten group), ~30 learners with guardians and enrolments, a timetable,
an admission queue and transfers in both directions. The accounts carry education's real ids (schools, classes,
the demo parent's child), so every later service sees the same school. hr: the demo teacher on the school's
staff, teaching mathematics in 5А and 5Б, linked to teacher.demo, whose classes then come from hr's events
through identity (the step waits until a sign-in shows them). Prints one line per demo login (the
supervisor shows them in its banner). Everything is synthetic: names are common ones, register numbers follow
the format with made-up serials, phone numbers start with 00 (not a Mongolian number).
"""

from __future__ import annotations

import argparse
import base64
import csv
import io
import json
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
from education import reference

ADMIN = ("admin", "change-me-dev-2026")  # identity's development bootstrap admin (refused in production)
DEMO_PASSWORD = "Demo-2026-esis"
EDU = "/api/education/v1"
HR = "/api/hr/v1"
ACCOUNTS_API = "/api/identity/v1/accounts"


class Api:
    """One signed-in caller of the gateway; waits out the gateway's rate limit instead of failing."""

    def __init__(self, client: httpx.Client, token: str) -> None:
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def call(self, method: str, path: str, *, tolerate: tuple[int, ...] = (), **kwargs: Any) -> httpx.Response:
        for _ in range(20):
            resp = self.client.request(method, path, headers=self.headers, **kwargs)
            if resp.status_code != 429:
                break
            time.sleep(float(resp.headers.get("Retry-After", "1")))
        if resp.is_error and resp.status_code not in tolerate:
            raise SystemExit(f"demo data: {method} {path} failed: {resp.status_code} {resp.text}")
        return resp

    def post(self, path: str, body: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        return self.call("POST", path, json=body or {}, **kwargs)

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, params=params).json()


def login(client: httpx.Client, username: str, password: str) -> Api:
    resp = client.post("/api/identity/v1/auth/login", json={"username": username, "password": password})
    resp.raise_for_status()
    return Api(client, resp.json()["access_token"])


# ---------------------------------------------------------------- identity: demo accounts

@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    display_name: str
    org_ids: tuple[str, ...] = ()
    class_ids: tuple[str, ...] = ()
    child_ids: tuple[str, ...] = ()
    note: str = ""


def ensure_account(admin: Api, acc: DemoAccount) -> str:
    """Create the account, or on a re-run give the existing one today's scopes; returns its id."""
    scopes = {"org_ids": list(acc.org_ids), "class_ids": list(acc.class_ids), "child_ids": list(acc.child_ids)}
    body = {"username": acc.username, "password": DEMO_PASSWORD, "role": acc.role,
            "display_name": acc.display_name, **scopes}
    resp = admin.post(ACCOUNTS_API, body, tolerate=(409,))
    if resp.status_code != 409:
        return resp.json()["id"]
    found = account_id(admin, acc.username)
    # Empty scopes stay as they are: the demo teacher's classes come from hr, not from here.
    admin.call("PATCH", f"{ACCOUNTS_API}/{found}/scopes", json={k: v for k, v in scopes.items() if v})
    return found


def account_id(admin: Api, username: str) -> str:
    return next(a["id"] for a in admin.get(ACCOUNTS_API, q=username)["items"] if a["username"] == username)


def banner_line(acc: DemoAccount) -> str:
    return f"{acc.username:<22} {DEMO_PASSWORD:<16} {acc.role}{acc.note}"


# ---------------------------------------------------------------- education: hierarchy, year, curriculum

SCHOOLS = {  # key: (kind, code, name_mn, name_en, parent unit code)
    "ub": ("school", "DEMO-1110-14", "Баянзүрх дүүргийн 14-р сургууль (demo)", "School No. 14, Bayanzürkh (demo)",
           "1110"),
    "ub_kg": ("kindergarten", "DEMO-1110-K31", "Баянзүрх дүүргийн 31-р цэцэрлэг (demo)",
              "Kindergarten No. 31, Bayanzürkh (demo)", "1110"),
    "ub2": ("school", "DEMO-1119-1", "Сүхбаатар дүүргийн 1-р сургууль (demo)", "School No. 1, Sükhbaatar (demo)",
            "1119"),
    "ark": ("school", "DEMO-6501-1", "Эрдэнэбулган сумын 1-р сургууль (demo)", "School No. 1, Erdenebulgan (demo)",
            "6501"),
}
SUBJECTS = (  # code, name_mn, name_en, kind, weekly hours in grade 5
    ("MATH", "Математик", "Mathematics", "compulsory", 5),
    ("MONG", "Монгол хэл", "Mongolian", "compulsory", 5),
    ("ENG", "Англи хэл", "English", "compulsory", 3),
    ("SCI", "Байгаль шинжлэл", "Science", "compulsory", 2),
    ("PE", "Биеийн тамир", "Physical education", "compulsory", 2),
    ("ART", "Дүрслэх урлаг", "Art", "elective", 1),
)


def current_start_year(today: date) -> int:
    return today.year if today.month >= 9 else today.year - 1


def ensure_school(ministry: Api, key: str) -> str:
    kind, code, name_mn, name_en, parent_code = SCHOOLS[key]
    parent_id = reference.org_id(parent_code)
    body = {"kind": kind, "code": code, "name_mn": name_mn, "name_en": name_en, "parent_id": parent_id,
            "opened_on": "2000-09-01", "ownership": "state"}
    resp = ministry.post(f"{EDU}/org-units", body, tolerate=(409,))
    if resp.status_code == 201:
        return resp.json()["id"]
    children = ministry.get(f"{EDU}/org-units/{parent_id}/children")["children"]
    return next(unit["id"] for unit in children if unit["code"] == code)


def define_curriculum(ministry: Api, year_id: str) -> dict[str, str]:
    existing = {s["code"]: s["id"] for s in ministry.get(f"{EDU}/subjects")}
    ids = {}
    for code, name_mn, name_en, kind, hours in SUBJECTS:
        ids[code] = existing.get(code) or ministry.post(f"{EDU}/subjects", {
            "code": code, "name_mn": name_mn, "name_en": name_en, "kind": kind}).json()["id"]
        ministry.call("PUT", f"{EDU}/subjects/{ids[code]}/hours", json={"year_id": year_id, "level": "5",
                                                                         "hours": hours})
    return ids


# ---------------------------------------------------------------- education: classes and learners

@dataclass(frozen=True)
class Person:
    family_name: str
    given_name: str
    sex: str = "female"


@dataclass(frozen=True)
class Child:
    person: Person
    birth_date: date
    register_number: str
    guardian: Person
    relationship: str
    phone: str


FAMILY = ("Бат", "Дорж", "Ганбат", "Сүх", "Баяр", "Очир", "Энх", "Төмөр", "Мөнх", "Пүрэв", "Цэрэн", "Нямаа")
GIRLS = ("Номин", "Сарнай", "Анужин", "Хулан", "Мишээл", "Энхжин", "Солонго", "Уянга", "Нандин", "Марал")
BOYS = ("Тэмүүлэн", "Билгүүн", "Анар", "Тэлмүүн", "Ганзориг", "Мөнх-Оргил", "Батзаяа", "Хангай", "Эрдэм", "Тэмүжин")
MOTHERS = ("Оюун", "Туяа", "Сараа", "Цэцэг", "Наран", "Алтанцэцэг")
DEMO_MOTHER = Person("Дамдин", "Оюун")  # the guardian record behind the parent.demo account
DEMO_PHONE = "00112233"


def register_number(letters: str, born: date, sex: str, serial: int) -> str:
    """A well-formed synthetic number: YYMMDD (+20 on the month from 2000), odd digit for boys, a serial."""
    month = born.month + (20 if born.year >= 2000 else 0)
    sex_digit = (2 * (serial % 5) + 1) if sex == "male" else 2 * (serial % 5)
    return f"{letters}{born:%y}{month:02d}{born:%d}{sex_digit}{serial % 10}"


def make_children(letters: str, born_in: int, count: int, serial: int) -> list[Child]:
    children = []
    for i in range(count):
        n = serial + i
        sex = "male" if n % 2 else "female"
        person = Person(FAMILY[n % len(FAMILY)], (BOYS if sex == "male" else GIRLS)[n % 10], sex)
        born = date(born_in, 1 + n % 12, 1 + n % 28)
        mother = Person(FAMILY[(n + 5) % len(FAMILY)], MOTHERS[n % len(MOTHERS)])
        children.append(Child(person, born, register_number(letters, born, sex, n), mother, "mother",
                              f"00{100000 + n:06d}"))
    return children


def demo_child() -> Child:
    born = date(2016, 4, 12)
    return Child(Person("Болд", "Тэмүүлэн", "male"), born, register_number("УБ", born, "male", 7), DEMO_MOTHER,
                 "mother", DEMO_PHONE)


def ensure_class(admin: Api, school_id: str, year_id: str, level: str, letter: str, room: str,
                 teacher_id: str | None = None) -> str:
    body = {"school_id": school_id, "year_id": year_id, "level": level, "letter": letter, "shift": 1,
            "capacity": 30, "room": room, "class_teacher_id": teacher_id}
    resp = admin.post(f"{EDU}/classes", body, tolerate=(409,))
    if resp.status_code == 201:
        return resp.json()["id"]
    found = admin.get(f"{EDU}/classes", school_id=school_id, year_id=year_id)
    return next(c["id"] for c in found if (c["level_code"], c["letter"]) == (level, letter))


def register(admin: Api, school_id: str, child: Child) -> tuple[str, bool]:
    """The learner's id, and whether they were new (a re-run finds them by register number)."""
    body = {"school_id": school_id, "register_number": child.register_number, "birth_date": str(child.birth_date),
            "family_name": child.person.family_name, "given_name": child.person.given_name, "sex": child.person.sex,
            "address": "Улаанбаатар (demo)", "duplicate_confirmation": "demo"}
    resp = admin.post(f"{EDU}/learners", body, tolerate=(409,))
    if resp.status_code == 201:
        return resp.json()["id"], True
    return resp.json()["error"]["details"]["learner_id"], False


LIST_HEADER = ("Бүлэг", "Регистрийн дугаар", "Овог", "Нэр", "Төрсөн огноо", "Хүйс", "Асран хамгаалагчийн овог",
               "Асран хамгаалагчийн нэр", "Хамаарал", "Асран хамгаалагчийн утас")
SEX_MN = {"male": "эрэгтэй", "female": "эмэгтэй"}
RELATIONSHIP_MN = {"mother": "эх", "father": "эцэг"}


def class_list(entries: list[tuple[str, Child]]) -> bytes:
    """A class list as a school would send it: CSV, Mongolian headers, one learner and a guardian per row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(LIST_HEADER)
    for class_name, c in entries:
        writer.writerow((class_name, c.register_number, c.person.family_name, c.person.given_name, c.birth_date,
                         SEX_MN[c.person.sex], c.guardian.family_name, c.guardian.given_name,
                         RELATIONSHIP_MN[c.relationship], c.phone))
    return ("\ufeff" + out.getvalue()).encode()


def import_list(admin: Api, school_id: str, year_id: str, entries: list[tuple[str, Child]]) -> None:
    """Through the bulk path: all rows or none; a re-run finds everyone already there and creates nothing."""
    job = admin.call("POST", f"{EDU}/imports/class-lists", files={"file": ("demo.csv", class_list(entries))},
                     params={"school_id": school_id, "year_id": year_id, "wait_s": 25}).json()
    if job["state"] != "done":
        raise SystemExit(f"demo data: the class-list import ended {job['state']}: {job['errors'][:3]}")


def save_timetable(admin: Api, class_id: str, subjects: dict[str, str], teachers: dict[str, str]) -> None:
    """A full week (5 + 5 + 3 + 2 + 2 + 1 lessons), Monday to Friday, periods 1–4; then published."""
    order = [code for code, *_, hours in SUBJECTS for _ in range(hours)]
    slots = [(day, period) for period in range(1, 5) for day in range(1, 6)]
    lessons = [{"day": d, "period": p, "subject_id": subjects[code], "teacher_id": teachers.get(code, f"demo-{code}"),
                "room": ""} for (d, p), code in zip(slots, order, strict=False)]
    admin.call("PUT", f"{EDU}/classes/{class_id}/timetable", json={"lessons": lessons})
    admin.post(f"{EDU}/classes/{class_id}/timetable/publish")


# ---------------------------------------------------------------- the whole story

@dataclass
class Demo:
    client: httpx.Client
    ministry: Api
    year_id: str = ""
    schools: dict[str, str] = field(default_factory=dict)
    classes: dict[str, str] = field(default_factory=dict)
    accounts: list[DemoAccount] = field(default_factory=list)

    def account(self, acc: DemoAccount) -> str:
        self.accounts.append(acc)
        return ensure_account(self.ministry, acc)

    def admin_of(self, key: str, username: str, name: str) -> Api:
        self.account(DemoAccount(username, "school_admin", name, org_ids=(self.schools[key],)))
        return login(self.client, username, DEMO_PASSWORD)


def load_education(demo: Demo) -> None:
    ministry = demo.ministry
    start = current_start_year(date.today())
    demo.year_id = ministry.post(f"{EDU}/school-years", {"start_year": start}).json()["id"]
    subjects = define_curriculum(ministry, demo.year_id)
    demo.schools = {key: ensure_school(ministry, key) for key in SCHOOLS}
    ub = ub_school(demo, subjects, born_in=start - 10)
    ark = arkhangai_school(demo, born_in=start - 10)
    ub2 = demo.admin_of("ub2", "school2.admin.demo", "Сүхбаатар 1-р сургуулийн захиргаа (demo)")
    ensure_class(ub2, demo.schools["ub2"], demo.year_id, "5", "А", "105")
    transfers(demo, ub, ark)


def ub_school(demo: Demo, subjects: dict[str, str], born_in: int) -> Api:
    school, kindergarten, year = demo.schools["ub"], demo.schools["ub_kg"], demo.year_id
    demo.account(DemoAccount("school.admin.demo", "school_admin", "Сургуулийн захиргаа (demo)",
                             org_ids=(school, kindergarten)))
    admin = login(demo.client, "school.admin.demo", DEMO_PASSWORD)
    demo.classes["5А"] = ensure_class(admin, school, year, "5", "А", "201")
    demo.classes["5Б"] = ensure_class(admin, school, year, "5", "Б", "202")
    demo.classes["бэлтгэл А"] = ensure_class(admin, kindergarten, year, "beltgel", "А", "1")
    # No classes here: hr assigns them (load_hr) and identity scopes the account from hr's events.
    teacher_id = demo.account(DemoAccount("teacher.demo", "teacher", "Б. Саруул (demo)", org_ids=(school,)))
    admin.call("PATCH", f"{EDU}/classes/{demo.classes['5А']}", json={"room": "201", "capacity": 30,
                                                                      "class_teacher_id": teacher_id})
    save_timetable(admin, demo.classes["5А"], subjects, {"MATH": teacher_id})
    import_list(admin, school, year, [("5А", demo_child())]
                + [("5А", c) for c in make_children("УБ", born_in, 11, serial=10)]
                + [("5Б", c) for c in make_children("УЕ", born_in, 9, serial=30)])
    import_list(admin, kindergarten, year, [("бэлтгэл А", c) for c in make_children("УК", born_in + 5, 5, serial=50)])
    child_id, _ = register(admin, school, demo_child())
    admissions(admin, demo, born_in + 4)
    note = (f"  (claim: child {demo_child().register_number}, guardian {DEMO_MOTHER.given_name}, "
            f"phone {DEMO_PHONE})")
    demo.account(DemoAccount("parent.demo", "parent", "Д. Оюун (demo)", org_ids=(school,), child_ids=(child_id,),
                             note=note))
    return admin


def admissions(admin: Api, demo: Demo, born_in: int) -> None:
    """Two grade-1 applications waiting for the commission: one fits the age rule, one is a year young."""
    for child in (*make_children("УБ", born_in, 1, serial=70), *make_children("УБ", born_in + 1, 1, serial=71)):
        learner_id, new = register(admin, demo.schools["ub"], child)
        if new:
            admin.post(f"{EDU}/admissions", {"school_id": demo.schools["ub"], "learner_id": learner_id,
                                             "year_id": demo.year_id, "level": "1"})


def arkhangai_school(demo: Demo, born_in: int) -> Api:
    admin = demo.admin_of("ark", "arkhangai.admin.demo", "Эрдэнэбулган 1-р сургуулийн захиргаа (demo)")
    ensure_class(admin, demo.schools["ark"], demo.year_id, "5", "А", "12")
    entries = [("5А", c) for c in make_children("АР", born_in, 4, serial=80)]
    import_list(admin, demo.schools["ark"], demo.year_id, entries)
    return admin


def transfers(demo: Demo, ub: Api, ark: Api) -> None:
    """One learner moving from Arkhangai to UB (incoming there), one leaving UB for Sükhbaatar (outgoing)."""
    incoming = ark.get(f"{EDU}/classes", school_id=demo.schools["ark"], year_id=demo.year_id)[0]["id"]
    roster = ark.get(f"{EDU}/classes/{incoming}/roster", purpose="Шилжүүлэг (demo)")["learners"]
    ark.post(f"{EDU}/transfers", {"to_school_id": demo.schools["ub"], "learner_id": roster[0]["id"],
                                  "reason": "Гэр бүл нүүсэн"}, tolerate=(409,))
    leaving = ub.get(f"{EDU}/classes/{demo.classes['5Б']}/roster", purpose="Шилжүүлэг (demo)")["learners"]
    ub.post(f"{EDU}/transfers", {"to_school_id": demo.schools["ub2"], "learner_id": leaving[-1]["id"],
                                 "reason": "Ойр сургууль"}, tolerate=(409,))


# ---------------------------------------------------------------- hr: the demo teacher on the staff

DEMO_TEACHER = Person("Батын", "Саруул")  # teacher.demo
TEACHER_BORN = date(1990, 5, 14)
TEACHES = ("5А", "5Б")  # mathematics, 5 hours a week each


def load_hr(demo: Demo) -> None:
    """Hire the demo teacher at the UB school, assign her classes and link her account (as the school admin)."""
    admin = login(demo.client, "school.admin.demo", DEMO_PASSWORD)
    teacher = login(demo.client, "teacher.demo", DEMO_PASSWORD)
    if teacher.call("GET", f"{HR}/staff/me", tolerate=(404,)).status_code == 404:  # else a re-run: all there
        staff_id = hire_demo_teacher(admin, demo)
        for name in TEACHES:
            assign(admin, staff_id, demo.classes[name], demo.year_id)
        admin.call("PUT", f"{HR}/staff/{staff_id}/account", json={"account_id": account_id(demo.ministry,
                                                                                             "teacher.demo")})
    wait_for_classes(demo.client, "teacher.demo", {demo.classes[name] for name in TEACHES})


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


def wait_for_classes(client: httpx.Client, username: str, expected: set[str], timeout_s: float = 90.0) -> None:
    """Sign in until the access token's ``cls`` claim shows hr's assignments (hr → Kafka → identity)."""
    deadline = time.monotonic() + timeout_s
    while (classes := token_classes(client, username)) != expected:
        if time.monotonic() > deadline:
            raise SystemExit(f"demo data: {username}'s token still has classes {sorted(classes)} after {timeout_s} s,"
                             f" not hr's {sorted(expected)}; see .run/logs/identity.log and hr.log")
        time.sleep(2)


def token_classes(client: httpx.Client, username: str) -> set[str]:
    token = login(client, username, DEMO_PASSWORD).headers["Authorization"].removeprefix("Bearer ")
    payload = token.split(".")[1]
    return set(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["cls"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    with httpx.Client(base_url=args.gateway, timeout=30) as client:
        demo = Demo(client, login(client, *ADMIN))
        demo.account(DemoAccount("ministry.demo", "ministry", "Яамны мэргэжилтэн (demo)"))
        demo.account(DemoAccount("ub.officer.demo", "aimag_officer", "НББГ-ын мэргэжилтэн (demo)",
                                 org_ids=(reference.org_id("11"),)))
        load_education(demo)
        load_hr(demo)
    lines = [f"{ADMIN[0]:<22} {ADMIN[1]:<16} platform administrator (ministry)"]
    sys.stdout.write("\n".join([*lines, *map(banner_line, demo.accounts)]) + "\n")


if __name__ == "__main__":
    main()
