"""Audit of reads of staff personal data: who read whose record, when and why (Law on Personal Information)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hr.domain.access import Actor
from hr.domain.errors import InvalidInput

MAX_PURPOSE = 200


@dataclass(frozen=True)
class PersonalDataRead:
    id: str
    staff_id: str
    reader_account_id: str
    reader_role: str
    purpose: str
    read_at: datetime


def record_read(read_id: str, staff_id: str, actor: Actor, purpose: str, at: datetime) -> PersonalDataRead | None:
    """The audit entry for ``actor`` reading ``staff_id``; none when people read their own record."""
    if actor.staff_id == staff_id:
        return None
    text = (purpose or "").strip()
    if not 3 <= len(text) <= MAX_PURPOSE:
        raise InvalidInput("purpose_required", "Хувийн мэдээллийг ямар зорилгоор үзэж буйгаа бичнэ үү "
                           f"(3-{MAX_PURPOSE} тэмдэгт).", "State why you are reading this personal data "
                           f"(3-{MAX_PURPOSE} characters).", field="purpose")
    return PersonalDataRead(read_id, staff_id, actor.account_id, actor.role, text, at)
