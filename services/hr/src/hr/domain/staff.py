"""The staff member aggregate: personal data, qualifications and the whole employment history."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from esis_shared import national_id
from esis_shared.national_id import Sex

from hr.domain.employment import Appointment, EmploymentHistory, Leave
from hr.domain.errors import Conflict, InvalidInput
from hr.domain.events import (
    Event,
    StaffAccountLinked,
    StaffExited,
    StaffHired,
    StaffLeaveEnded,
    StaffLeaveStarted,
    StaffMoved,
    StaffQualificationsChanged,
)
from hr.domain.kinds import EndReason, ExitReason, LeaveKind
from hr.domain.positions import Position
from hr.domain.ranks import RankCatalogue
from hr.domain.values import Contact, Education, Licence, Period, PersonName

_SUBJECT_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


@dataclass(frozen=True)
class Qualifications:
    education: tuple[Education, ...] = ()
    rank_code: str = ""
    licences: tuple[Licence, ...] = ()
    subject_codes: frozenset[str] = frozenset()

    def licence_valid_until(self, today: date) -> date | None:
        valid = [lc.expires_on or date.max for lc in self.licences if lc.valid_on(today)]
        return max(valid, default=None)


@dataclass
class StaffMember:
    id: str
    register_number: str
    name: PersonName
    birth_date: date
    sex: Sex
    contact: Contact = field(default_factory=Contact)
    qualifications: Qualifications = field(default_factory=Qualifications)
    history: EmploymentHistory = field(default_factory=EmploymentHistory)
    account_id: str | None = None
    version: int = 0
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def register(cls, staff_id: str, register_number: str, name: PersonName, birth_date: date, sex: Sex | str,
                 *, contact: Contact | None = None, today: date) -> StaffMember:
        """A new staff record; the register number must agree with the birth date and sex."""
        parsed = parse_sex(sex)
        number = validated_register_number(register_number, birth_date, parsed, today)
        return cls(staff_id, number.value, name, birth_date, parsed, contact or Contact())

    def hire(self, appointment_id: str, position: Position, fte: Decimal, start: date, *,
             max_total_fte: Decimal) -> Appointment:
        appointment = Appointment(appointment_id, position.org_id, position.id, position.kind, fte, Period(start))
        self.history.add(appointment, max_total_fte=max_total_fte)
        self.events.append(StaffHired(self.id, appointment_id, position.org_id, position.id, position.kind.value,
                                      fte, start, self.sex.value))
        return appointment

    def change_position(self, appointment_id: str, new_id: str, position: Position, fte: Decimal, effective: date,
                        *, max_total_fte: Decimal) -> Appointment:
        current = self.history.open_appointment(appointment_id)
        if position.org_id != current.org_id:
            raise _wrong_move("transfer", "шилжүүлэх", "a transfer")
        return self._move(current, new_id, position, fte, effective, EndReason.POSITION_CHANGE, max_total_fte)

    def transfer(self, appointment_id: str, new_id: str, position: Position, fte: Decimal, effective: date,
                 *, max_total_fte: Decimal) -> Appointment:
        current = self.history.open_appointment(appointment_id)
        if position.org_id == current.org_id:
            raise _wrong_move("position_change", "албан тушаал өөрчлөх", "a change of position")
        return self._move(current, new_id, position, fte, effective, EndReason.TRANSFER, max_total_fte)

    def start_leave(self, leave_id: str, kind: LeaveKind, start: date, expected_last_day: date | None) -> Leave:
        if expected_last_day is not None:
            Period.through(start, expected_last_day)  # refuses an expected end before the start
        leave = Leave(leave_id, kind, Period(start), expected_last_day)
        self.history.start_leave(leave)
        self.events.append(StaffLeaveStarted(self.id, leave_id, kind.value, start, expected_last_day,
                                             self.history.org_ids_on(start)))
        return leave

    def end_leave(self, leave_id: str, last_day: date) -> Leave:
        leave = self.history.end_leave(leave_id, last_day)
        self.events.append(StaffLeaveEnded(self.id, leave_id, leave.kind.value, last_day,
                                           self.history.org_ids_on(leave.period.start)))
        return leave

    def exit(self, org_id: str, last_day: date, reason: ExitReason) -> list[Appointment]:
        """Leave ``org_id`` after ``last_day``; a leave still running ends when no appointment is left."""
        leaving = [a for a in self.history.appointments if a.org_id == org_id and a.is_open()]
        if not leaving:
            raise _not_employed_at(org_id)
        for appointment in leaving:
            self.history.close(appointment, last_day + timedelta(days=1), EndReason.EXIT, reason)
        self.events.append(StaffExited(self.id, org_id, reason.value, last_day, tuple(a.id for a in leaving)))
        self._end_leave_if_unemployed(last_day)
        return leaving

    def update_qualifications(self, qualifications: Qualifications, ranks: RankCatalogue, today: date) -> None:
        if qualifications.rank_code:
            ranks.get(qualifications.rank_code)
        for education in qualifications.education:
            education.check_against(self.birth_date, today)
        check_subject_codes(qualifications.subject_codes)
        self.qualifications = qualifications
        q = qualifications
        self.events.append(StaffQualificationsChanged(
            self.id, q.rank_code, tuple(e.degree for e in q.education), tuple(sorted(q.subject_codes)),
            q.licence_valid_until(today), self.history.org_ids_on(today)))

    def update_contact(self, contact: Contact) -> None:
        self.contact = contact

    def link_account(self, account_id: str, today: date) -> None:
        if account_id == self.account_id:
            return
        self.account_id = account_id
        self.events.append(StaffAccountLinked(self.id, account_id, self.history.org_ids_from(today)))

    def qualified_for(self, subject_code: str) -> bool:
        return subject_code in self.qualifications.subject_codes

    def _move(self, current: Appointment, new_id: str, position: Position, fte: Decimal, effective: date,
              reason: EndReason, max_total_fte: Decimal) -> Appointment:
        self.history.close(current, effective, reason)
        moved = Appointment(new_id, position.org_id, position.id, position.kind, fte, Period(effective))
        self.history.add(moved, max_total_fte=max_total_fte)
        self.events.append(StaffMoved(self.id, reason.value, current.id, new_id, current.org_id, position.org_id,
                                      current.kind.value, position.kind.value, position.id, fte, effective))
        return moved

    def _end_leave_if_unemployed(self, last_day: date) -> None:
        leave = self.history.open_leave_through(last_day)
        if leave is not None and not self.history.active_on(last_day + timedelta(days=1)):
            self.end_leave(leave.id, last_day)


def validated_register_number(raw: str, birth_date: date, sex: Sex, today: date) -> national_id.RegisterNumber:
    try:
        return national_id.validate(raw, birth_date=birth_date, sex=sex, today=today)
    except national_id.InvalidRegisterNumber as exc:
        first = exc.problems[0]
        raise InvalidInput(first.code, " ".join(p.message_mn for p in exc.problems),
                           " ".join(p.message_en for p in exc.problems), field="register_number",
                           details={"fields": exc.field_errors(), "fields_en": exc.field_errors(lang="en")}) from None


_SEX_WORDS = {"male": Sex.MALE, "m": Sex.MALE, "эрэгтэй": Sex.MALE, "эр": Sex.MALE,
              "female": Sex.FEMALE, "f": Sex.FEMALE, "эмэгтэй": Sex.FEMALE, "эм": Sex.FEMALE}


def parse_sex(value: str | Sex) -> Sex:
    """``male``/``female`` or the Mongolian words (эрэгтэй/эмэгтэй), as typed in forms and spreadsheets."""
    sex = _SEX_WORDS.get(str(value).strip().lower())
    if sex is None:
        raise InvalidInput("sex_unknown", f"Хүйс \"{value}\" буруу: эрэгтэй эсвэл эмэгтэй гэж бичнэ.",
                           f"Sex \"{value}\" is invalid: write male or female.", field="sex")
    return sex


def check_subject_codes(codes: Iterable[str]) -> None:
    bad = sorted(code for code in codes if not _SUBJECT_CODE.fullmatch(code))
    if bad:
        raise InvalidInput("subject_code_format", f"Хичээлийн код буруу: {', '.join(bad)}.",
                           f"Invalid subject code: {', '.join(bad)}.", field="subject_codes")


def _wrong_move(use: str, use_mn: str, use_en: str) -> InvalidInput:
    return InvalidInput("wrong_kind_of_move", f"Энэ тохиолдолд \"{use_mn}\" үйлдлийг ашиглана.",
                        f"This is {use_en}; use that action instead.", field="position_id", details={"use": use})


def _not_employed_at(org_id: str) -> Conflict:
    return Conflict("not_employed_here", f"Энэ байгууллагад ({org_id}) одоо ажиллаж байгаа томилолт алга.",
                        f"No current appointment at this organisation ({org_id}).", field="org_id")
