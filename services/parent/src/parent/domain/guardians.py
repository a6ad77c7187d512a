"""Guardians (portal accounts), their verified links to children, and the throttle on claims.

A claim is checked by the education service; a miss never says whether the child exists. Repeated misses lock
further claims from the account for a while, so the claim form cannot be used to search the register.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from parent.domain.errors import Throttled, invalid

RELATIONSHIPS = ("mother", "father", "grandparent", "sibling", "legal_guardian", "other")
_REGISTER = re.compile(r"^[А-ЯЁӨҮ]{2}\d{8}$")
_PHONE = re.compile(r"^\+?\d{8,12}$")
LANGS = ("mn", "en")


@dataclass
class Guardian:
    """The portal account's own contact details for notifications (not the school's record)."""

    account_id: str
    display_name: str = ""
    phone: str = ""
    email: str = ""
    lang: str = "mn"
    push_token: str = ""

    def update(self, *, display_name: str, phone: str, email: str, lang: str) -> None:
        self.display_name = display_name.strip()[:120]
        self.phone = check_phone(phone) if phone.strip() else ""
        self.email = check_email(email) if email.strip() else ""
        self.lang = lang if lang in LANGS else "mn"


@dataclass(frozen=True)
class ChildLink:
    account_id: str
    learner_id: str
    guardian_id: str
    relationship: str
    linked_at: datetime


@dataclass(frozen=True)
class Claim:
    """What the guardian typed. The register numbers are passed to education once and never stored or logged."""

    learner_register_number: str
    guardian_given_name: str
    guardian_phone: str = ""
    guardian_register_number: str = ""

    def __repr__(self) -> str:  # register numbers must never reach a log line
        return "Claim(<redacted>)"

    @classmethod
    def of(cls, *, learner_register_number: str, guardian_given_name: str, guardian_phone: str = "",
           guardian_register_number: str = "") -> Claim:
        number = normalize_register(learner_register_number)
        if not _REGISTER.match(number):
            raise invalid("learner_register_number", "A register number is two Cyrillic letters and eight digits",
                          "Регистрийн дугаар нь хоёр кирилл үсэг, найман цифрээс бүрдэнэ.", code="invalid_format")
        if not guardian_given_name.strip():
            raise invalid("guardian_given_name", "Enter your given name", "Өөрийн нэрээ оруулна уу.")
        if not guardian_phone.strip() and not guardian_register_number.strip():
            raise invalid("guardian_phone", "Enter your phone number or your register number",
                          "Утасны дугаар эсвэл регистрийн дугаараа оруулна уу.")
        return cls(number, guardian_given_name.strip(), guardian_phone.strip(),
                   normalize_register(guardian_register_number))


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int = 5
    window: timedelta = timedelta(minutes=30)
    lock: timedelta = timedelta(hours=1)


@dataclass
class ClaimHistory:
    """Recent failed claims of one account and, once too many failed, until when claims are refused."""

    account_id: str
    failures: list[datetime] = field(default_factory=list)
    locked_until: datetime | None = None

    def check_allowed(self, now: datetime) -> None:
        if self.locked_until is not None and now < self.locked_until:
            raise throttled(self.locked_until, now)

    def record_failure(self, now: datetime, policy: ThrottlePolicy) -> None:
        self.failures = [t for t in self.failures if now - t < policy.window] + [now]
        if len(self.failures) >= policy.max_failures:
            self.locked_until = now + policy.lock
            self.failures = []

    def record_success(self) -> None:
        self.failures = []
        self.locked_until = None


def throttled(until: datetime, now: datetime) -> Throttled:
    minutes = max(1, -(-int((until - now).total_seconds()) // 60))
    return Throttled(f"Too many unsuccessful claims. Try again in {minutes} minutes or ask the school.",
                     f"Амжилтгүй оролдлого хэт олон боллоо. {minutes} минутын дараа дахин оролдох эсвэл "
                     "сургуульдаа хандана уу.", retry_after_s=int((until - now).total_seconds()) + 1)


def normalize_register(value: str) -> str:
    return "".join(value.split()).upper()


def check_phone(value: str) -> str:
    digits = re.sub(r"[\s\-()]", "", value)
    if not _PHONE.match(digits):
        raise invalid("phone", "A phone number has 8 digits (e.g. 99112233)",
                      "Утасны дугаар 8 оронтой байна (жишээ нь 99112233).")
    return digits


def check_email(value: str) -> str:
    text = value.strip()
    if len(text) > 200 or not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", text):
        raise invalid("email", "Enter an e-mail address like name@example.mn",
                      "И-мэйл хаягаа name@example.mn хэлбэрээр оруулна уу.")
    return text
