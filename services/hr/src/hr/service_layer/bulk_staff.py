"""Bulk path for staff lists of many schools at once (national load, migration): ministry only, all or none.

Each row is a staff-import row (``staff_import.parse_row``: the same columns, parsers and checks) plus the
organisation it belongs to, so a national load runs the school office's rules without a school admin per school.
A row creates a post at its organisation and hires the person into it (``StaffMember.register``, ``hire``,
``update_qualifications`` — the per-item domain code, with its ``StaffHired`` and ``StaffQualificationsChanged``
events). A person on two rows of the request (teacher and class teacher) keeps one record. Unlike the per-school
import, a register number already on record is a row error (``staff_register_number_taken``): a bulk load creates
people, and re-sending a written request is rejected row by row instead of hiring everyone a second time.

Everything is written with one statement per table (COPY on PostgreSQL) and the events staged with
``stage_events`` in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from esis_shared.db import insert_rows
from esis_shared.national_id import normalize
from esis_shared.outbox import OutgoingEvent, grouped_by_type, stage_events
from sqlalchemy import String, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from hr.adapters.directory_repository import SqlDirectoryRepository
from hr.adapters.messages import to_outgoing
from hr.adapters.orm import appointments, positions, staff, staff_subjects
from hr.adapters.staff_repository import snapshot
from hr.adapters.sync import centi
from hr.domain.access import Actor, Role, require
from hr.domain.errors import HrError, InvalidInput
from hr.domain.positions import Position
from hr.domain.staff import Qualifications, StaffMember
from hr.domain.values import Contact, PersonName
from hr.service_layer.handlers.common import Context
from hr.service_layer.staff_import import ImportRow, RowError, RowProblems, parse_row

BULK_MAX = 5000
SOURCE = "hr"


@dataclass(frozen=True)
class BulkStaffRow:
    org_id: str
    row: ImportRow


@dataclass(frozen=True)
class BulkReport:
    rows: int
    staff: int
    positions: int


class BulkRejected(InvalidInput):
    def __init__(self, errors: list[RowError], rows: int) -> None:
        super().__init__("bulk_rejected", f"{len({e.row for e in errors})} мөрөнд алдаа байна; юу ч бүртгэгдсэнгүй.",
                         f"{len({e.row for e in errors})} row(s) have problems; nothing was saved.",
                         details={"checked_rows": rows})
        self.errors = sorted(errors, key=lambda e: (e.row, e.field))


def load_staff(rows: Sequence[BulkStaffRow], actor: Actor, session: Session, ctx: Context) -> BulkReport:
    require(actor.role in (Role.MINISTRY, Role.SYSTEM), "олон байгууллагын ажилтныг бөөнөөр ачаалах",
            "load the staff of many organisations in bulk")
    if not 1 <= len(rows) <= BULK_MAX:
        raise InvalidInput("bulk_size", f"1-ээс {BULK_MAX} хүртэлх мөр илгээнэ үү.",
                           f"Send between 1 and {BULK_MAX} rows.", field="rows")
    today = ctx.today()
    taken = _taken(session, [normalize(r.row.get("register_number")) for r in rows])
    errors: list[RowError] = []
    people: dict[str, StaffMember] = {}
    posts: list[Position] = []
    for item in rows:
        row = item.row
        try:
            parsed = parse_row(row, ctx.ranks)
            number = normalize(parsed.person.register_number)
            if number in taken:
                raise InvalidInput("staff_register_number_taken", "Энэ регистрийн дугаартай ажилтан бүртгэлтэй байна.",
                                   "A staff member with this register number is already on record.",
                                   field="register_number")
            member = people.get(number)
            if member is None:
                p = parsed.person
                member = StaffMember.register(ctx.new_id(), p.register_number, PersonName(
                    p.patronymic.strip(), p.given_name.strip(), p.clan_name.strip()), p.birth_date, p.sex,
                    contact=Contact(p.phone.strip(), p.email.strip(), p.address.strip()), today=today)
            position = Position(ctx.new_id(), item.org_id, parsed.kind, parsed.fte, parsed.subject_code)
            member.hire(ctx.new_id(), position, parsed.fte, parsed.start, max_total_fte=ctx.policy.max_total_fte)
            if parsed.rank_code or parsed.subject_codes:
                q = member.qualifications
                member.update_qualifications(Qualifications(q.education, parsed.rank_code or q.rank_code, q.licences,
                                                            q.subject_codes | parsed.subject_codes), ctx.ranks, today)
        except RowProblems as problems:
            errors.extend(problems.errors)
            continue
        except HrError as exc:
            errors.append(RowError.of(row.row, exc))
            continue
        people[number] = member
        posts.append(position)
    if errors:
        raise BulkRejected(errors, len(rows))
    _write(session, list(people.values()), posts, ctx.now())
    return BulkReport(len(rows), len(people), len(posts))


def _taken(session: Session, numbers: list[str]) -> set[str]:
    wanted = sorted(set(numbers))
    if not wanted:
        return set()
    if session.get_bind().dialect.name == "postgresql":
        where = staff.c.register_number == any_(bindparam("numbers", wanted, type_=ARRAY(String)))
        return set(session.scalars(select(staff.c.register_number).where(where)))
    return {n for start in range(0, len(wanted), 1000) for n in session.scalars(
        select(staff.c.register_number).where(staff.c.register_number.in_(wanted[start:start + 1000])))}


def _write(session: Session, people: list[StaffMember], posts: list[Position], at: datetime) -> None:
    insert_rows(session, positions, [{"id": p.id, "org_id": p.org_id, "kind": p.kind.value, "fte_centi": centi(p.fte),
                                      "subject_code": p.subject_code, "title": p.title} for p in posts])
    rows = [snapshot(member) for member in people]
    insert_rows(session, staff, [{**r.person, "version": m.version} for r, m in zip(rows, people, strict=True)])
    insert_rows(session, staff_subjects, [s for r in rows for s in r.subjects])
    insert_rows(session, appointments, [a for r in rows for a in r.appointments.values()])
    outs = [to_outgoing(event, at) for member in people for event in member.events]
    aimags = SqlDirectoryRepository(session).aimag_codes({out.org_id for out in outs if out.org_id})
    outgoing = grouped_by_type(OutgoingEvent(out.topic, out.key, out.message, aimag=aimags.get(out.org_id or ""))
                               for out in outs)  # runs of one type for consumers' batch handlers, keys' order kept
    for member in people:
        member.events.clear()
    stage_events(session, outgoing, source=SOURCE)


def error_rows(errors: Sequence[RowError], lang: str) -> list[dict[str, Any]]:
    return [{"row": e.row, "field": e.field, "code": e.code, "message": e.message(lang)} for e in errors]
