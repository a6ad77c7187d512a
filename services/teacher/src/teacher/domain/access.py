"""Who may do what. The caller comes from the access token (``esis_shared.auth.Principal``).

A teacher's classes are the token's class scope, which identity keeps in step with hr's teaching assignments;
the local assignment read model adds *when*: a class counts as the teacher's on a day only if it has a
teaching assignment that day. The school's training manager (сургалтын менежер) acts through a
``school_admin`` account of that school.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from teacher.domain.errors import NotPermitted, Refused
from teacher.domain.rosters import ClassRoster


class Role(StrEnum):
    MINISTRY = "ministry"
    AIMAG_OFFICER = "aimag_officer"
    DISTRICT_OFFICER = "district_officer"
    SCHOOL_ADMIN = "school_admin"
    TEACHER = "teacher"
    PARENT = "parent"
    SERVICE = "service"


AREA_ROLES = frozenset({Role.AIMAG_OFFICER, Role.DISTRICT_OFFICER})


@dataclass(frozen=True)
class Actor:
    account_id: str
    role: str
    org_ids: frozenset[str] = field(default_factory=frozenset)
    class_ids: frozenset[str] = field(default_factory=frozenset)
    name: str = ""

    @property
    def is_teacher(self) -> bool:
        return self.role == Role.TEACHER

    @property
    def is_ministry(self) -> bool:
        return self.role == Role.MINISTRY

    def manages_school(self, school_id: str) -> bool:
        return self.role == Role.SCHOOL_ADMIN and school_id in self.org_ids

    def covers_aimag(self, aimag: str | None) -> bool:
        return self.is_ministry or (self.role in AREA_ROLES and aimag is not None and aimag in self.org_ids)


def _not_your_class(roster: ClassRoster, why: str, why_mn: str) -> NotPermitted:
    return NotPermitted(f"Class {roster.info.name} is not one of your classes: {why}",
                        f"{roster.info.name} анги таны анги биш: {why_mn}.", code="not_your_class",
                        class_id=roster.class_id)


def require_teaches(actor: Actor, roster: ClassRoster, day: date, subject_code: str | None = None) -> None:
    """The actor teaches this class on ``day`` (and this subject, when one is given)."""
    if not actor.is_teacher or roster.class_id not in actor.class_ids:
        raise _not_your_class(roster, "it is not in your teaching assignments",
                              "таны заах ангиудын жагсаалтад байхгүй")
    if not roster.taught_on(day):
        raise _not_your_class(roster, f"it has no teaching assignment on {day.isoformat()}",
                              f"{day.isoformat()}-нд энэ ангид багшийн томилолт байхгүй")
    if subject_code and subject_code not in roster.subjects_on(day):
        raise Refused(f"Subject '{subject_code}' is not taught in class {roster.info.name} on {day.isoformat()}",
                      f"{roster.info.name} ангид {day.isoformat()}-нд '{subject_code}' хичээл заагддаггүй.",
                      code="subject_not_taught", subject_code=subject_code)


def may_read_class(actor: Actor, roster: ClassRoster) -> bool:
    return ((actor.is_teacher and roster.class_id in actor.class_ids) or actor.manages_school(roster.info.school_id)
            or actor.covers_aimag(roster.info.aimag))


def require_reads_class(actor: Actor, roster: ClassRoster) -> None:
    if not may_read_class(actor, roster):
        raise _not_your_class(roster, "you may not see its journal", "та энэ ангийн журналыг харах эрхгүй")


def require_manages_school(actor: Actor, school_id: str, action: str, action_mn: str) -> None:
    if not actor.manages_school(school_id):
        raise NotPermitted(f"Only the school's training manager may {action}",
                           f"Зөвхөн сургуулийн сургалтын менежер {action_mn}.", code="not_training_manager",
                           school_id=school_id)


def require_area(actor: Actor, aimag: str) -> None:
    if not actor.covers_aimag(aimag):
        raise NotPermitted(f"You may not see the figures of aimag {aimag}",
                           f"Та {aimag} аймгийн мэдээллийг харах эрхгүй.", code="outside_your_area", aimag=aimag)
