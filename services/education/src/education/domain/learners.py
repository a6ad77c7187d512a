"""Learners: identity data, the enrolment history (one open enrolment at most), guardian links, withdrawal.

An enrolment is valid on ``[starts_on, ends_on)``. A class move, a transfer or a withdrawal ends the open
enrolment on the day the next one starts, so a learner is never enrolled twice and never in none in between.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from esis_shared.national_id import Sex

from education.domain import events
from education.domain.base import Aggregate, new_id
from education.domain.classes import SchoolClass
from education.domain.errors import Conflict, Warning_, invalid, not_found, parse_enum
from education.domain.guardians import Guardian, GuardianLink, LinkState, Relationship, link_event
from education.domain.people import check_name, check_register_number


class EndReason(StrEnum):
    MOVED_CLASS = "moved_class"
    TRANSFERRED = "transferred"
    WITHDRAWN = "withdrawn"


class WithdrawalReason(StrEnum):
    MOVED_ABROAD = "moved_abroad"
    WORK = "work"
    HEALTH = "health"
    FAMILY = "family"
    DISTANCE = "distance"
    DECEASED = "deceased"
    UNKNOWN = "unknown"
    OTHER = "other"


WITHDRAWAL_LABELS = {
    WithdrawalReason.MOVED_ABROAD: ("Гадаадад шилжсэн", "Moved abroad"),
    WithdrawalReason.WORK: ("Ажил эрхэлсэн", "Went to work"),
    WithdrawalReason.HEALTH: ("Эрүүл мэндийн шалтгаан", "Health"),
    WithdrawalReason.FAMILY: ("Гэр бүлийн шалтгаан", "Family reasons"),
    WithdrawalReason.DISTANCE: ("Сургууль хол", "School too far"),
    WithdrawalReason.DECEASED: ("Нас барсан", "Deceased"),
    WithdrawalReason.UNKNOWN: ("Тодорхойгүй", "Unknown"),
    WithdrawalReason.OTHER: ("Бусад", "Other"),
}


class LearnerStatus(StrEnum):
    REGISTERED = "registered"
    ENROLLED = "enrolled"
    WITHDRAWN = "withdrawn"


@dataclass
class Enrolment:
    id: str
    school_id: str
    class_id: str
    level_code: str
    starts_on: date
    via: str = "admission"
    ends_on: date | None = None
    end_reason: EndReason | None = None

    def active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


@dataclass
class Withdrawal:
    reason: WithdrawalReason
    on: date
    note: str = ""


@dataclass(eq=False)
class Learner(Aggregate):
    id: str
    register_number: str
    family_name: str
    given_name: str
    birth_date: date
    sex: Sex
    school_id: str  # the school that registered the learner
    address: str = ""
    area_code: str = ""  # soum / district / khoroo code of the home address, for catchment checks
    special_needs: bool = False
    enrolments: list[Enrolment] = field(default_factory=list)
    guardian_links: list[GuardianLink] = field(default_factory=list)
    withdrawals: list[Withdrawal] = field(default_factory=list)

    @classmethod
    def register(cls, *, id: str, register_number: str, family_name: str, given_name: str, birth_date: date,
                 sex: Sex, school_id: str, today: date, address: str = "", area_code: str = "",
                 special_needs: bool = False) -> Learner:
        sex = parse_enum(Sex, sex, "sex")
        number = check_register_number("register_number", register_number, birth_date=birth_date, sex=sex,
                                       today=today)
        learner = cls(id=id, register_number=number.value, family_name=check_name("family_name", family_name),
                      given_name=check_name("given_name", given_name), birth_date=birth_date, sex=sex,
                      school_id=school_id, address=address.strip(), area_code=area_code.strip(),
                      special_needs=special_needs)
        learner.record(events.LearnerRegistered(id, school_id, birth_date.year, sex.value))
        return learner

    # ------------------------------------------------------------ reading the history

    @property
    def open_enrolment(self) -> Enrolment | None:
        return next((e for e in self.enrolments if e.ends_on is None), None)

    def enrolment_on(self, day: date) -> Enrolment | None:
        return next((e for e in self.enrolments if e.active_on(day)), None)

    @property
    def status(self) -> LearnerStatus:
        if self.open_enrolment is not None:
            return LearnerStatus.ENROLLED
        return LearnerStatus.WITHDRAWN if self.withdrawals else LearnerStatus.REGISTERED

    def age_in_year(self, year: int) -> int:
        """The age the learner reaches during calendar ``year``."""
        return year - self.birth_date.year

    def school_ids(self) -> set[str]:
        return {self.school_id, *(e.school_id for e in self.enrolments)}

    # ------------------------------------------------------------ enrolment lifecycle

    def enrol(self, school_class: SchoolClass, on: date, *, via: str = "admission") -> Enrolment:
        current = self.open_enrolment
        if current is not None:
            raise Conflict("Суралцагч аль хэдийн өөр бүлэгт суралцаж байна; шилжүүлэг эсвэл бүлэг солих "
                           "үйлдлийг ашиглана уу.", "The learner is already enrolled; use a class move or a transfer.",
                           code="learner_already_enrolled", details={"class_id": current.class_id})
        return self._start(school_class, on, via)

    def move_class(self, to_class: SchoolClass, on: date) -> None:
        current = self._require_enrolled()
        if to_class.school_id != current.school_id:
            raise invalid("class_id", "class_move_other_school", "Өөр сургуулийн бүлэгт шилжүүлэхдээ шилжүүлгийн "
                          "хүсэлт ашиглана.", "Moving to another school's class needs a transfer.")
        if to_class.id == current.class_id:
            raise invalid("class_id", "class_move_same_class", "Суралцагч энэ бүлэгт аль хэдийн байна.",
                          "The learner is already in this class.")
        self._end(current, on, EndReason.MOVED_CLASS)
        self._start(to_class, on, "class_move", announce=False)
        self.record(events.LearnerMovedClass(self.id, current.school_id, current.class_id, to_class.id, on))

    def complete_transfer(self, from_school_id: str, to_class: SchoolClass, on: date) -> None:
        """End the enrolment at the sending school and start one at the receiving school, in one change."""
        current = self._require_enrolled()
        if current.school_id != from_school_id:
            raise Conflict("Суралцагч илгээж буй сургуульд суралцахаа больсон байна.",
                           "The learner is no longer enrolled at the sending school.",
                           code="transfer_learner_left_sender", details={"school_id": current.school_id})
        self._end(current, on, EndReason.TRANSFERRED)
        self._start(to_class, on, "transfer")

    def withdraw(self, reason: WithdrawalReason, on: date, note: str = "") -> None:
        reason = parse_enum(WithdrawalReason, reason, "reason")
        current = self._require_enrolled()
        if reason is WithdrawalReason.OTHER and not note.strip():
            raise invalid("note", "withdrawal_note_required", "'Бусад' шалтгааныг тайлбарлана уу.",
                          "Explain the 'other' reason in the note.")
        self._end(current, on, EndReason.WITHDRAWN)
        self.withdrawals.append(Withdrawal(reason, on, note.strip()))
        self.record(events.LearnerWithdrawn(self.id, current.school_id, current.class_id, reason.value, on))

    def _require_enrolled(self) -> Enrolment:
        current = self.open_enrolment
        if current is None:
            raise Conflict("Суралцагч одоогоор аль ч бүлэгт суралцаагүй байна.",
                           "The learner is not enrolled in any class.", code="learner_not_enrolled")
        return current

    def _start(self, school_class: SchoolClass, on: date, via: str, *, announce: bool = True) -> Enrolment:
        enrolment = Enrolment(new_id(), school_class.school_id, school_class.id, school_class.level_code, on, via)
        self.enrolments.append(enrolment)
        if announce:
            self.record(events.LearnerEnrolled(self.id, school_class.school_id, school_class.id,
                                               school_class.level_code, on, via))
        return enrolment

    @staticmethod
    def _end(enrolment: Enrolment, on: date, reason: EndReason) -> None:
        if on < enrolment.starts_on:
            raise invalid("on", "enrolment_end_before_start", f"Огноо {enrolment.starts_on}-с өмнө байж болохгүй.",
                          f"The date cannot be before {enrolment.starts_on}, when the current enrolment began.")
        enrolment.ends_on, enrolment.end_reason = on, reason

    # ------------------------------------------------------------ guardians

    def link_guardian(self, guardian: Guardian, relationship: Relationship, school_id: str) -> GuardianLink:
        if any(link.guardian_id == guardian.id and link.state is not LinkState.REVOKED
               for link in self.guardian_links):
            raise Conflict("Энэ асран хамгаалагч аль хэдийн холбогдсон.", "This guardian is already linked.",
                           code="guardian_already_linked")
        link = GuardianLink(guardian.id, parse_enum(Relationship, relationship, "relationship"), school_id)
        self.guardian_links.append(link)
        self.record(link_event(self.id, link))
        return link

    def verify_guardian(self, guardian_id: str, *, by: str, account_id: str | None = None) -> GuardianLink:
        link = self._live_link(guardian_id)
        link.state = LinkState.VERIFIED
        link.claimed_by = account_id or link.claimed_by
        self.record(events.GuardianLinkVerified(self.id, guardian_id, link.school_id, by))
        return link

    def revoke_guardian(self, guardian_id: str) -> None:
        link = self._live_link(guardian_id)
        link.state = LinkState.REVOKED
        self.record(events.GuardianLinkRevoked(self.id, guardian_id, link.school_id))

    def live_links(self) -> list[GuardianLink]:
        return [link for link in self.guardian_links if link.state is not LinkState.REVOKED]

    def _live_link(self, guardian_id: str) -> GuardianLink:
        link = next((x for x in self.live_links() if x.guardian_id == guardian_id), None)
        if link is None:
            raise not_found("Асран хамгаалагчийн холбоос", "Guardian link", guardian_id)
        return link


def possible_duplicate(existing: Learner) -> Warning_:
    return Warning_("possible_duplicate_learner",
                    f"Ижил овог, нэр, төрсөн огноотой суралцагч бүртгэлтэй байна ({existing.family_name} "
                    f"{existing.given_name}, {existing.birth_date}).",
                    f"A learner with the same names and birth date exists ({existing.family_name} "
                    f"{existing.given_name}, {existing.birth_date}).",
                    {"learner_id": existing.id})
