"""Guardian self sign-up with the mobile phone as the proof of identity.

A guardian gives a display name, a Mongolian mobile number, a password and a language. Identity keeps a **pending
sign-up** (not yet an account) and sends a 6-digit one-time code by SMS; the code turns the sign-up into an active
``parent`` account whose username is the phone number, and signs the guardian in.

* Codes: 6 random digits, stored as SHA-256 of ``phone:code`` only, valid 10 minutes; a new code (resend) replaces
  the old one. 5 wrong codes lock the sign-up: it can only be started again after the lock (1 hour).
* Throttling: per phone, a resend waits 60 s and at most 5 codes are sent per hour; per client IP, at most 20
  sign-up requests per hour. A refusal says how long to wait (``Retry-After``).
* Privacy: the answer to a sign-up is the same whether or not the phone already has an account. When it has one,
  no code is made; the phone's owner gets an SMS that someone tried to sign up with their number (only the owner
  of the phone learns that an account exists).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from identity.domain.errors import IdentityError, InvalidField

CODE_TTL = timedelta(minutes=10)
MAX_WRONG_CODES = 5
LOCK_PERIOD = timedelta(hours=1)
RESEND_COOLDOWN = timedelta(seconds=60)
CODES_PER_PHONE_PER_HOUR = 5
REQUESTS_PER_IP_PER_HOUR = 20
THROTTLE_WINDOW = timedelta(hours=1)
# Mongolian mobile numbers: 8 digits, operators' prefixes 8x, 9x, 6x, 7x (Unitel, Mobicom, Skytel, G-Mobile,
# ONDO and their newer ranges). "+976" or "976" in front is accepted and dropped.
_MOBILE = re.compile(r"^[6789]\d{7}$")


def normalise_phone(value: str) -> str:
    digits = re.sub(r"[\s\-().]", "", value or "")
    if digits.startswith("+976"):
        digits = digits[4:]
    elif digits.startswith("976") and len(digits) == 11:
        digits = digits[3:]
    if not _MOBILE.match(digits):
        raise InvalidField("phone", "Enter a Mongolian mobile number of 8 digits (e.g. 99112233)",
                           "Монгол гар утасны 8 оронтой дугаар оруулна уу (жишээ нь 99112233)")
    return digits


def check_display_name(value: str) -> str:
    name = " ".join((value or "").split())
    if not 2 <= len(name) <= 200:
        raise InvalidField("display_name", "Enter your name (2 to 200 characters)",
                           "Нэрээ оруулна уу (2-200 тэмдэгт)")
    return name


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def hash_code(phone: str, code: str) -> str:
    return hashlib.sha256(f"{phone}:{''.join(code.split())}".encode("ascii", "replace")).hexdigest()


class SignupThrottled(IdentityError):
    code = "signup_throttled"

    def __init__(self, retry_after: timedelta) -> None:
        seconds = max(1, int(retry_after.total_seconds()) + 1)
        super().__init__(f"Too many requests for a code. Try again in {seconds} seconds.",
                         f"Код хэт олон удаа хүслээ. {seconds} секундийн дараа дахин оролдоно уу.",
                         retry_after_s=seconds)


class InvalidSignupCode(IdentityError):
    """A wrong or expired code, or no sign-up waiting for this phone: one answer for all."""

    code = "invalid_signup_code"

    def __init__(self, attempts_left: int | None = None) -> None:
        extra = {"attempts_left": attempts_left} if attempts_left is not None else {}
        super().__init__("The code is wrong or has expired. Check the SMS or ask for a new code.",
                         "Код буруу эсвэл хугацаа нь дууссан байна. SMS-ээ шалгах эсвэл шинэ код авна уу.",
                         fields=[{"field": "code", "message": "wrong or expired"}], **extra)


class SignupLocked(IdentityError):
    code = "signup_locked"

    def __init__(self, until: datetime, now: datetime) -> None:
        minutes = max(1, -(-int((until - now).total_seconds()) // 60))
        super().__init__(f"Too many wrong codes. Sign up again in {minutes} minutes.",
                         f"Код хэт олон удаа буруу орууллаа. {minutes} минутын дараа дахин бүртгүүлнэ үү.",
                         retry_after_s=int((until - now).total_seconds()) + 1)


@dataclass
class PendingSignup:
    """A sign-up waiting for its code. ``password_hash`` is already argon2id: the password is never kept."""

    phone: str
    display_name: str
    password_hash: str
    lang: str
    code_hash: str
    code_sent_at: datetime
    expires_at: datetime
    created_at: datetime
    wrong_codes: int = 0
    locked_until: datetime | None = None
    codes_sent: int = 1

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def new_code(self, code: str, now: datetime) -> None:
        self.code_hash, self.code_sent_at, self.expires_at = hash_code(self.phone, code), now, now + CODE_TTL
        self.codes_sent += 1

    def check(self, code: str, now: datetime) -> bool:
        """True for the right, unexpired code; a wrong one counts, and the 5th locks the sign-up."""
        if now < self.expires_at and hmac.compare_digest(self.code_hash, hash_code(self.phone, code)):
            return True
        self.wrong_codes += 1
        if self.wrong_codes >= MAX_WRONG_CODES:
            self.locked_until = now + LOCK_PERIOD
        return False

    @property
    def attempts_left(self) -> int:
        return max(0, MAX_WRONG_CODES - self.wrong_codes)


def wait_before_code(recent_codes_for_phone: list[datetime], now: datetime) -> timedelta | None:
    """How long this phone must wait for another code (cooldown, hourly cap), or None when it may have one."""
    recent = sorted(t for t in recent_codes_for_phone if now - t < THROTTLE_WINDOW)
    if recent and now - recent[-1] < RESEND_COOLDOWN:
        return RESEND_COOLDOWN - (now - recent[-1])
    if len(recent) >= CODES_PER_PHONE_PER_HOUR:
        return recent[-CODES_PER_PHONE_PER_HOUR] + THROTTLE_WINDOW - now
    return None


def wait_for_ip(recent_requests_from_ip: list[datetime], now: datetime) -> timedelta | None:
    recent = sorted(t for t in recent_requests_from_ip if now - t < THROTTLE_WINDOW)
    if len(recent) >= REQUESTS_PER_IP_PER_HOUR:
        return recent[-REQUESTS_PER_IP_PER_HOUR] + THROTTLE_WINDOW - now
    return None


def code_text(code: str, lang: str) -> str:
    if lang == "en":
        return f"ESIS: your sign-up code is {code}. It is valid for 10 minutes. Do not share it with anyone."
    return f"ESIS: бүртгүүлэх код {code}. 10 минут хүчинтэй. Хэнд ч бүү хэлээрэй."


def existing_account_text(lang: str) -> str:
    if lang == "en":
        return ("ESIS: someone tried to sign up with your number, which already has an account. If it was you, "
                "sign in with your number. If not, ignore this message.")
    return ("ESIS: таны дугаараар бүртгүүлэх оролдлого хийгдлээ. Энэ дугаар бүртгэлтэй байна. Хэрэв та бол "
            "дугаараараа нэвтэрнэ үү, үгүй бол энэ мессежийг үл хэрэгсэнэ үү.")
