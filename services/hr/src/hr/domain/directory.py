"""Local copies of organisations and classes owned by the education service (kept up to date from its events)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OrgInfo:
    org_id: str
    name: str
    aimag_code: str
    kind: str = "school"


@dataclass(frozen=True)
class ClassInfo:
    """A class (бүлэг) of one school year with its curriculum: subject code -> weekly hours."""

    class_id: str
    org_id: str
    school_year: str
    name: str
    grade: int
    subject_hours: dict[str, int] = field(default_factory=dict)
