"""SQL repository of staff members: the person, qualifications, appointments and leaves in one aggregate."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from esis_shared.national_id import Sex
from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.orm import Session

from hr.adapters.orm import appointments, leaves, staff, staff_education, staff_licences, staff_subjects
from hr.adapters.repository import StaffRepository
from hr.adapters.sync import Row, centi, from_centi, replace_children, sync_by_id
from hr.domain.employment import Appointment, EmploymentHistory, Leave
from hr.domain.errors import Conflict
from hr.domain.kinds import EndReason, ExitReason, LeaveKind, PositionKind
from hr.domain.staff import Qualifications, StaffMember
from hr.domain.values import Contact, Education, Licence, Period, PersonName

CHILDREN = ((staff_education, "education"), (staff_licences, "licences"), (staff_subjects, "subjects"))
ORDER = ((staff_education, "education", staff_education.c.seq), (staff_licences, "licences", staff_licences.c.seq),
         (staff_subjects, "subjects", staff_subjects.c.subject_code),
         (appointments, "appointments", appointments.c.start_date), (leaves, "leaves", leaves.c.start_date))


@dataclass(frozen=True)
class Snapshot:
    person: Row
    education: list[Row]
    licences: list[Row]
    subjects: list[Row]
    appointments: dict[str, Row]
    leaves: dict[str, Row]


EMPTY = Snapshot({}, [], [], [], {}, {})


def snapshot(s: StaffMember) -> Snapshot:
    q = s.qualifications
    return Snapshot(
        person={"id": s.id, "register_number": s.register_number, "patronymic": s.name.patronymic,
                "given_name": s.name.given_name, "clan_name": s.name.clan_name, "birth_date": s.birth_date,
                "sex": s.sex.value, "phone": s.contact.phone, "email": s.contact.email,
                "address": s.contact.address, "rank_code": q.rank_code, "account_id": s.account_id},
        education=[{"staff_id": s.id, "seq": n, "degree": e.degree, "institution": e.institution, "year": e.year,
                    "speciality": e.speciality} for n, e in enumerate(q.education)],
        licences=[{"staff_id": s.id, "seq": n, "kind": lc.kind, "number": lc.number, "issued_on": lc.issued_on,
                   "expires_on": lc.expires_on} for n, lc in enumerate(q.licences)],
        subjects=[{"staff_id": s.id, "subject_code": code} for code in sorted(q.subject_codes)],
        appointments={a.id: _appointment_row(s.id, a) for a in s.history.appointments},
        leaves={lv.id: {"id": lv.id, "staff_id": s.id, "kind": lv.kind.value, "start_date": lv.period.start,
                        "end_date": lv.period.end, "expected_last_day": lv.expected_last_day}
                for lv in s.history.leaves})


def _appointment_row(staff_id: str, a: Appointment) -> Row:
    return {"id": a.id, "staff_id": staff_id, "org_id": a.org_id, "position_id": a.position_id,
            "kind": a.kind.value, "fte_centi": centi(a.fte), "start_date": a.period.start, "end_date": a.period.end,
            "end_reason": a.end_reason.value if a.end_reason else None,
            "exit_reason": a.exit_reason.value if a.exit_reason else None}


class SqlStaffRepository(StaffRepository):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._loaded: dict[str, tuple[StaffMember, Snapshot | None]] = {}

    def _add(self, member: StaffMember) -> None:
        self._loaded[member.id] = (member, None)

    def _get(self, staff_id: str) -> StaffMember | None:
        found = self._load([staff_id])
        return found[0] if found else None

    def _get_by_register_number(self, register_number: str) -> StaffMember | None:
        pending = next((m for m, _ in self._loaded.values() if m.register_number == register_number), None)
        return pending or self._first(select(staff.c.id).where(staff.c.register_number == register_number))

    def get_by_account(self, account_id: str) -> StaffMember | None:
        return self._first(select(staff.c.id).where(staff.c.account_id == account_id))

    def list_at_org(self, org_id: str, day: date) -> list[StaffMember]:
        stmt = select(appointments.c.staff_id).distinct().where(appointments.c.org_id == org_id, _on(day))
        return self._load(list(self.session.execute(stmt).scalars()))

    def holdings(self, position_id: str) -> list[tuple[Decimal, Period]]:
        stmt = select(appointments.c.id, appointments.c.fte_centi, appointments.c.start_date,
                      appointments.c.end_date).where(appointments.c.position_id == position_id)
        found = {r.id: (from_centi(r.fte_centi), Period(r.start_date, r.end_date)) for r in self.session.execute(stmt)}
        found.update({a.id: (a.fte, a.period) for m, _ in self._loaded.values() for a in m.history.appointments
                      if a.position_id == position_id})  # this transaction's changes win over stored rows
        return list(found.values())

    def names(self, staff_ids: list[str]) -> dict[str, str]:
        if not staff_ids:
            return {}
        stmt = select(staff.c.id, staff.c.patronymic, staff.c.given_name, staff.c.clan_name).where(
            staff.c.id.in_(staff_ids))
        return {r.id: PersonName(r.patronymic, r.given_name, r.clan_name).display for r in self.session.execute(stmt)}

    def flush(self) -> None:
        for member, before in list(self._loaded.values()):
            after = snapshot(member)
            if before is None:
                self._insert(member, after)
            elif after != before:
                self._update(member, before, after)
            self._loaded[member.id] = (member, after)

    def _first(self, stmt: Any) -> StaffMember | None:
        staff_id = self.session.execute(stmt).scalar()
        return self._get(staff_id) if staff_id else None

    def _insert(self, member: StaffMember, rows: Snapshot) -> None:
        self.session.execute(insert(staff).values(**rows.person, version=member.version))
        self._write_children(member.id, EMPTY, rows)

    def _update(self, member: StaffMember, before: Snapshot, after: Snapshot) -> None:
        result = self.session.execute(update(staff).where(staff.c.id == member.id, staff.c.version == member.version)
                                      .values(**after.person, version=member.version + 1))
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise concurrent_change()
        member.version += 1
        self._write_children(member.id, before, after)

    def _write_children(self, staff_id: str, before: Snapshot, after: Snapshot) -> None:
        for table, name in CHILDREN:
            replace_children(self.session, table, ("staff_id", staff_id), getattr(before, name), getattr(after, name))
        sync_by_id(self.session, appointments, before.appointments, after.appointments)
        sync_by_id(self.session, leaves, before.leaves, after.leaves)

    def _load(self, ids: Iterable[str]) -> list[StaffMember]:
        wanted = list(dict.fromkeys(ids))
        missing = [i for i in wanted if i not in self._loaded]
        if missing:
            for member in _read_many(self.session, missing):
                self._loaded[member.id] = (member, snapshot(member))
        return [self._loaded[i][0] for i in wanted if i in self._loaded]


def concurrent_change() -> Conflict:
    return Conflict("concurrent_change", "Өөр хэрэглэгч энэ мэдээллийг яг одоо өөрчилсөн тул дахин оролдоно уу.",
                    "Someone else changed this record at the same time; please try again.")


def _on(day: date) -> Any:
    return and_(appointments.c.start_date <= day, or_(appointments.c.end_date.is_(None), appointments.c.end_date > day))


def _read_many(session: Session, ids: list[str]) -> list[StaffMember]:
    people = session.execute(select(staff).where(staff.c.id.in_(ids))).mappings().all()
    children = {name: _grouped(session, table, ids, order) for table, name, order in ORDER}
    return [_member(row, {name: rows.get(row["id"], []) for name, rows in children.items()}) for row in people]


def _grouped(session: Session, table: Any, ids: list[str], order: Any) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for row in session.execute(select(table).where(table.c.staff_id.in_(ids)).order_by(order)).mappings():
        grouped.setdefault(row["staff_id"], []).append(row)
    return grouped


def _member(row: Any, kids: dict[str, list[Any]]) -> StaffMember:
    qualifications = Qualifications(
        tuple(Education(e["degree"], e["institution"], e["year"], e["speciality"]) for e in kids["education"]),
        row["rank_code"],
        tuple(Licence(lc["kind"], lc["number"], lc["issued_on"], lc["expires_on"]) for lc in kids["licences"]),
        frozenset(s["subject_code"] for s in kids["subjects"]))
    history = EmploymentHistory([_appointment(a) for a in kids["appointments"]],
                                [Leave(lv["id"], LeaveKind(lv["kind"]), Period(lv["start_date"], lv["end_date"]),
                                       lv["expected_last_day"]) for lv in kids["leaves"]])
    return StaffMember(row["id"], row["register_number"], PersonName(row["patronymic"], row["given_name"],
                       row["clan_name"]), row["birth_date"], Sex(row["sex"]),
                       Contact(row["phone"], row["email"], row["address"]), qualifications, history,
                       row["account_id"], row["version"])


def _appointment(a: Any) -> Appointment:
    return Appointment(a["id"], a["org_id"], a["position_id"], PositionKind(a["kind"]), from_centi(a["fte_centi"]),
                       Period(a["start_date"], a["end_date"]),
                       EndReason(a["end_reason"]) if a["end_reason"] else None,
                       ExitReason(a["exit_reason"]) if a["exit_reason"] else None)
