"""Guardians and the guardian ↔ learner link with its verification state; the parent-portal claim rule."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from education.domain import events
from education.domain.base import Aggregate
from education.domain.people import check_name, check_phone, check_register_number, normalize_phone, same_name


class Relationship(StrEnum):
    MOTHER = "mother"
    FATHER = "father"
    GRANDPARENT = "grandparent"
    SIBLING = "sibling"
    LEGAL_GUARDIAN = "legal_guardian"
    OTHER = "other"


class LinkState(StrEnum):
    UNVERIFIED = "unverified"  # recorded by the school, documents not yet checked
    VERIFIED = "verified"      # the school checked documents, or the guardian's claim matched
    REVOKED = "revoked"


@dataclass
class GuardianLink:
    guardian_id: str
    relationship: Relationship
    school_id: str
    state: LinkState = LinkState.UNVERIFIED
    claimed_by: str | None = None  # the parent-portal account whose claim matched


@dataclass(eq=False)
class Guardian(Aggregate):
    id: str
    family_name: str
    given_name: str
    phone: str
    school_id: str
    email: str = ""
    register_number: str | None = None

    @classmethod
    def create(cls, *, id: str, family_name: str, given_name: str, phone: str, school_id: str,
               email: str = "", register_number: str | None = None) -> Guardian:
        number = check_register_number("register_number", register_number).value if register_number else None
        guardian = cls(id=id, family_name=check_name("family_name", family_name),
                       given_name=check_name("given_name", given_name), phone=check_phone("phone", phone),
                       school_id=school_id, email=email.strip(), register_number=number)
        guardian.touch()
        return guardian

    def matches_claim(self, *, given_name: str, phone: str = "", register_number: str = "") -> bool:
        """The claimant's name must match, and their phone or register number as recorded by the school."""
        if not same_name(self.given_name, given_name):
            return False
        phone_ok = bool(phone) and normalize_phone(phone) == self.phone
        number_ok = bool(register_number and self.register_number) and (
            register_number.strip().upper() == self.register_number)
        return phone_ok or number_ok


def link_event(learner_id: str, link: GuardianLink) -> events.GuardianLinked:
    return events.GuardianLinked(learner_id, link.guardian_id, link.school_id, link.relationship.value)
