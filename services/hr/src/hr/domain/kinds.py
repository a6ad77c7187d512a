"""Enumerations with their Mongolian and English names (what a user sees in lists and errors)."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from hr.domain.errors import InvalidInput


class Named(StrEnum):
    """A StrEnum whose members carry ``(value, name_mn, name_en)``."""

    def __new__(cls, value: str, name_mn: str, name_en: str) -> Named:
        member = str.__new__(cls, value)
        member._value_ = value
        member.name_mn = name_mn  # type: ignore[attr-defined]
        member.name_en = name_en  # type: ignore[attr-defined]
        return member

    def label(self, lang: str = "mn") -> str:
        return self.name_en if lang == "en" else self.name_mn  # type: ignore[attr-defined]


class PositionKind(Named):
    TEACHER = "teacher", "багш", "teacher"
    CLASS_TEACHER = "class_teacher", "анги удирдсан багш", "class teacher"
    TRAINING_MANAGER = "training_manager", "сургалтын менежер", "training manager"
    DIRECTOR = "director", "захирал", "director"
    METHODOLOGIST = "methodologist", "арга зүйч", "methodologist"
    SUPPORT_STAFF = "support_staff", "туслах ажилтан", "support staff"


TEACHING_KINDS = frozenset({PositionKind.TEACHER, PositionKind.CLASS_TEACHER})


class LeaveKind(Named):
    MATERNITY = "maternity", "жирэмсний болон амаржсаны чөлөө", "maternity leave"
    CHILD_CARE = "child_care", "хүүхэд асрах чөлөө", "child-care leave"
    STUDY = "study", "сургалтын чөлөө", "study leave"
    SICK = "sick", "өвчний чөлөө", "sick leave"
    OTHER = "other", "бусад чөлөө", "other leave"


class ExitReason(Named):
    RESIGNED = "resigned", "өөрийн хүсэлтээр", "resigned"
    RETIRED = "retired", "тэтгэвэрт гарсан", "retired"
    CONTRACT_ENDED = "contract_ended", "гэрээ дууссан", "contract ended"
    DISMISSED = "dismissed", "ажлаас чөлөөлөгдсөн", "dismissed"
    DECEASED = "deceased", "нас барсан", "deceased"
    OTHER = "other", "бусад", "other"


class EndReason(StrEnum):
    """Why an appointment (one stretch in one position) ended."""

    POSITION_CHANGE = "position_change"
    TRANSFER = "transfer"
    EXIT = "exit"


class UnassignReason(Named):
    REASSIGNED = "reassigned", "өөр багшид шилжүүлсэн", "reassigned"
    STAFF_LEFT = "staff_left", "багш ажлаас гарсан / шилжсэн", "teacher left or moved"
    CORRECTION = "correction", "залруулга", "correction"
    OTHER = "other", "бусад", "other"


N = TypeVar("N", bound=Named)


def parse_kind(enum: type[N], value: str, *, field: str) -> N:
    """The member of ``enum`` called ``value``, or an error listing the allowed values."""
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise InvalidInput(f"unknown_{field}", f"\"{value}\" гэсэн утга {field} талбарт зөвшөөрөгдөхгүй "
                           f"(боломжтой: {allowed}).", f"\"{value}\" is not an allowed {field} (allowed: {allowed}).",
                           field=field) from None
