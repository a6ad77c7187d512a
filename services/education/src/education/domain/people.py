"""Checks on people's data shared by learners and guardians: Cyrillic names, register numbers, phones."""

from __future__ import annotations

import re
from datetime import date

from esis_shared import national_id
from esis_shared.national_id import InvalidRegisterNumber, RegisterNumber, Sex

from education.domain.errors import Invalid, invalid

_NAME = re.compile(r"^[А-ЯЁӨҮа-яёөү]+(?:[ -][А-ЯЁӨҮа-яёөү]+)*$")
_NAME_MAX = 80
_NAME_LABELS = {"family_name": ("Овог", "Family name"), "given_name": ("Нэр", "Given name")}


def check_name(field: str, value: str) -> str:
    """Cyrillic letters, single spaces or hyphens between parts; returns the trimmed name."""
    name = " ".join(value.split())
    mn, en = _NAME_LABELS.get(field.rsplit(".", 1)[-1], ("Нэр", "Name"))
    if not name:
        raise invalid(field, "name_required", f"{mn} хоосон байна.", f"{en} is empty.")
    if len(name) > _NAME_MAX or not _NAME.match(name):
        raise invalid(field, "name_not_cyrillic", f"{mn} зөвхөн кирилл үсгээр бичигдэнэ: '{name}'.",
                      f"{en} must be written in Cyrillic letters: '{name}'.")
    return name[0].upper() + name[1:]


def check_register_number(field: str, value: str, *, birth_date: date | None = None,
                          sex: Sex | None = None, today: date | None = None) -> RegisterNumber:
    try:
        return national_id.validate(value, birth_date=birth_date, sex=sex, today=today)
    except InvalidRegisterNumber as exc:
        first = exc.problems[0]
        error = Invalid(" ".join(p.message_mn for p in exc.problems), " ".join(p.message_en for p in exc.problems),
                        code=first.code, field=field, details={"part": first.part.value})
        error.field_errors = exc.field_errors(field)  # type: ignore[attr-defined]
        error.field_errors_en = exc.field_errors(field, lang="en")  # type: ignore[attr-defined]
        raise error from None


def normalize_phone(value: str) -> str:
    """Digits only, without Mongolia's +976 prefix: an 8-digit local number."""
    digits = re.sub(r"\D", "", value)
    return digits[3:] if len(digits) == 11 and digits.startswith("976") else digits


def check_phone(field: str, value: str) -> str:
    phone = normalize_phone(value)
    if len(phone) != 8:
        raise invalid(field, "phone_format", "Утасны дугаар 8 оронтой байна.", "A phone number has 8 digits.",
                      value=value)
    return phone


def same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
