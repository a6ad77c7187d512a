"""education: hierarchy, school year, curriculum, classes, learners (class lists), timetable, admissions, transfers.

The accounts carry education's real ids (schools, classes), so every later service sees the same school. Class
lists go through the bulk import (all rows or none) and enrol from the school year's first day, so the demo
teacher can mark any school day of the year so far.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from education import reference

from demo.api import Api, login
from demo.identity import Demo, DemoAccount
from demo.people import DEMO_MOTHER, DEMO_PHONE, Child, demo_child, make_children

EDU = "/api/education/v1"
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
LIST_HEADER = ("Бүлэг", "Регистрийн дугаар", "Овог", "Нэр", "Төрсөн огноо", "Хүйс", "Асран хамгаалагчийн овог",
               "Асран хамгаалагчийн нэр", "Хамаарал", "Асран хамгаалагчийн утас")
SEX_MN = {"male": "эрэгтэй", "female": "эмэгтэй"}
RELATIONSHIP_MN = {"mother": "эх", "father": "эцэг"}


def current_start_year(today: date) -> int:
    return today.year if today.month >= 9 else today.year - 1


def load(demo: Demo, today: date) -> None:
    ministry = demo.ministry
    start = current_start_year(today)
    demo.year_id = ministry.post(f"{EDU}/school-years", {"start_year": start}).json()["id"]
    subjects = define_curriculum(ministry, demo.year_id)
    demo.schools = {key: ensure_school(ministry, key) for key in SCHOOLS}
    first_day = date(start, 9, 1)
    ub = ub_school(demo, subjects, born_in=start - 10, first_day=first_day)
    ark = arkhangai_school(demo, born_in=start - 10, first_day=first_day)
    ub2 = demo.admin_of("ub2", "school2.admin.demo", "Сүхбаатар 1-р сургуулийн захиргаа (demo)")
    ensure_class(ub2, demo.schools["ub2"], demo.year_id, "5", "А", "105")
    transfers(demo, ub, ark)


# ---------------------------------------------------------------- hierarchy, year, curriculum

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


# ---------------------------------------------------------------- classes and learners

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


def import_list(admin: Api, school_id: str, year_id: str, entries: list[tuple[str, Child]], enrol_on: date) -> None:
    """Through the bulk path: all rows or none; a re-run finds everyone already there and creates nothing."""
    job = admin.call("POST", f"{EDU}/imports/class-lists", files={"file": ("demo.csv", class_list(entries))},
                     params={"school_id": school_id, "year_id": year_id, "wait_s": 25,
                             "enrol_on": enrol_on.isoformat()}).json()
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


# ---------------------------------------------------------------- the schools

def ub_school(demo: Demo, subjects: dict[str, str], born_in: int, first_day: date) -> Api:
    school, kindergarten, year = demo.schools["ub"], demo.schools["ub_kg"], demo.year_id
    demo.account(DemoAccount("school.admin.demo", "school_admin", "Сургуулийн захиргаа (demo)",
                             org_ids=(school, kindergarten)))
    admin = login(demo.client, "school.admin.demo")
    demo.classes["5А"] = ensure_class(admin, school, year, "5", "А", "201")
    demo.classes["5Б"] = ensure_class(admin, school, year, "5", "Б", "202")
    demo.classes["бэлтгэл А"] = ensure_class(admin, kindergarten, year, "beltgel", "А", "1")
    # No classes here: hr assigns them (demo.hr) and identity scopes the account from hr's events.
    teacher_id = demo.account(DemoAccount("teacher.demo", "teacher", "Б. Саруул (demo)", org_ids=(school,),
                                          note="  (5А, 5Б: attendance)"))
    admin.call("PATCH", f"{EDU}/classes/{demo.classes['5А']}", json={"room": "201", "capacity": 30,
                                                                      "class_teacher_id": teacher_id})
    save_timetable(admin, demo.classes["5А"], subjects, {"MATH": teacher_id})
    import_list(admin, school, year, [("5А", demo_child())]
                + [("5А", c) for c in make_children("УБ", born_in, 11, serial=10)]
                + [("5Б", c) for c in make_children("УЕ", born_in, 9, serial=30)], first_day)
    import_list(admin, kindergarten, year, [("бэлтгэл А", c) for c in make_children("УК", born_in + 5, 5, serial=50)],
                first_day)
    demo.child_id, _ = register(admin, school, demo_child())
    admissions(admin, demo, born_in + 4)
    # No children here: the parent claims the child in the portal (demo.parent) and identity follows its links.
    child = demo_child()
    note = (f"  (child {child.person.given_name} {child.person.family_name}, 5А, already linked; claimed with "
            f"{child.register_number}, {DEMO_MOTHER.given_name}, {DEMO_PHONE})")
    demo.account(DemoAccount("parent.demo", "parent", "Д. Оюун (demo)", org_ids=(school,), note=note))
    return admin


def admissions(admin: Api, demo: Demo, born_in: int) -> None:
    """Two grade-1 applications waiting for the commission: one fits the age rule, one is a year young."""
    for child in (*make_children("УБ", born_in, 1, serial=70), *make_children("УБ", born_in + 1, 1, serial=71)):
        learner_id, new = register(admin, demo.schools["ub"], child)
        if new:
            admin.post(f"{EDU}/admissions", {"school_id": demo.schools["ub"], "learner_id": learner_id,
                                             "year_id": demo.year_id, "level": "1"})


def arkhangai_school(demo: Demo, born_in: int, first_day: date) -> Api:
    admin = demo.admin_of("ark", "arkhangai.admin.demo", "Эрдэнэбулган 1-р сургуулийн захиргаа (demo)")
    ensure_class(admin, demo.schools["ark"], demo.year_id, "5", "А", "12")
    entries = [("5А", c) for c in make_children("АР", born_in, 4, serial=80)]
    import_list(admin, demo.schools["ark"], demo.year_id, entries, first_day)
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
