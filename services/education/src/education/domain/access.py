"""Who may do what, as pure functions of the actor, the target and the hierarchy as of a date.

School admins act on their own school; aimag / district officers read their area (as of today's hierarchy) and
act on escalated transfers; the ministry reads everything; teachers read their own classes' rosters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from education.domain.classes import SchoolClass
from education.domain.errors import Forbidden
from education.domain.org import Hierarchy
from education.domain.transfer import Transfer


class Role(StrEnum):
    TEACHER = "teacher"
    SCHOOL_ADMIN = "school_admin"
    PARENT = "parent"
    AIMAG_OFFICER = "aimag_officer"
    DISTRICT_OFFICER = "district_officer"
    MINISTRY = "ministry"
    SERVICE = "service"


OFFICERS = frozenset({Role.AIMAG_OFFICER, Role.DISTRICT_OFFICER})
STAFF = frozenset({Role.TEACHER, Role.SCHOOL_ADMIN, *OFFICERS, Role.MINISTRY})


@dataclass(frozen=True)
class Actor:
    id: str
    role: Role
    org_ids: frozenset[str] = field(default_factory=frozenset)
    class_ids: frozenset[str] = field(default_factory=frozenset)
    child_ids: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF


def manages_school(actor: Actor, school_id: str) -> bool:
    return actor.role is Role.SCHOOL_ADMIN and school_id in actor.org_ids


def reads_org(actor: Actor, org_id: str, hierarchy: Hierarchy, today: date) -> bool:
    if actor.role is Role.MINISTRY:
        return True
    if actor.role in OFFICERS or actor.role is Role.SERVICE:  # machine accounts are scoped by area too
        return in_area(actor, org_id, hierarchy, today)
    return manages_school(actor, org_id)


def in_area(actor: Actor, org_id: str, hierarchy: Hierarchy, today: date) -> bool:
    return any(hierarchy.is_within(org_id, area, today) for area in actor.org_ids)


def reads_roster(actor: Actor, school_class: SchoolClass, hierarchy: Hierarchy, today: date) -> bool:
    if actor.role is Role.TEACHER:
        return school_class.id in actor.class_ids
    return reads_org(actor, school_class.school_id, hierarchy, today)


def reads_learner(actor: Actor, *, learner_id: str, school_id: str, class_id: str | None, hierarchy: Hierarchy,
                  today: date) -> bool:
    """``school_id``/``class_id``: where the learner is now (or the registering school if not enrolled)."""
    if actor.role is Role.PARENT:
        return learner_id in actor.child_ids
    if actor.role is Role.TEACHER:
        return class_id is not None and class_id in actor.class_ids
    return reads_org(actor, school_id, hierarchy, today)


def acts_on_transfer(actor: Actor, transfer: Transfer, hierarchy: Hierarchy, today: date) -> bool:
    acting = transfer.acting_school_id
    if acting is None:
        return False
    if manages_school(actor, acting):
        return True
    return (actor.role in OFFICERS and transfer.escalated_to_id is not None
            and in_area(actor, acting, hierarchy, today))


def sees_transfer(actor: Actor, transfer: Transfer, hierarchy: Hierarchy, today: date) -> bool:
    schools = (transfer.from_school_id, transfer.to_school_id)
    return any(reads_org(actor, school, hierarchy, today) for school in schools)


def manages_reference_data(actor: Actor) -> bool:
    """Hierarchy, school years and the curriculum are national data kept by the ministry."""
    return actor.role is Role.MINISTRY


def loads_in_bulk(actor: Actor) -> bool:
    """The bulk paths (national load, migration from an old system) write many schools at once: ministry only."""
    return actor.role is Role.MINISTRY


def sets_catchment(actor: Actor, school_id: str, hierarchy: Hierarchy, today: date) -> bool:
    """Catchment areas are set yearly by the aimag / capital department."""
    return actor.role is Role.MINISTRY or (actor.role in OFFICERS and in_area(actor, school_id, hierarchy, today))


def require(allowed: bool, action_mn: str, action_en: str) -> None:
    if not allowed:
        raise Forbidden(f"Танд {action_mn} эрх байхгүй.", f"You are not allowed to {action_en}.",
                        details={"action": action_en})
