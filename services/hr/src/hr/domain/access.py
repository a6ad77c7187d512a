"""Who may do what, as pure functions of the caller (``Actor``) and the organisations concerned.

School admins manage the staff of their own organisations; aimag and district officers read the staff of their
area; the ministry reads everything; a staff member reads their own record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from hr.domain.errors import AccessDenied


class Role(StrEnum):
    TEACHER = "teacher"
    SCHOOL_ADMIN = "school_admin"
    AIMAG_OFFICER = "aimag_officer"
    DISTRICT_OFFICER = "district_officer"
    MINISTRY = "ministry"
    SERVICE = "service"
    PARENT = "parent"
    SYSTEM = "system"


OFFICERS = frozenset({Role.AIMAG_OFFICER, Role.DISTRICT_OFFICER})


@dataclass(frozen=True)
class Actor:
    """The caller: an account with its role and org scope; ``area_aimags`` are the aimags its orgs lie in."""

    account_id: str
    role: str
    org_ids: frozenset[str] = frozenset()
    area_aimags: frozenset[str] = frozenset()
    staff_id: str | None = None
    class_ids: frozenset[str] = frozenset()


SYSTEM = Actor("system", Role.SYSTEM)


def can_manage_org(actor: Actor, org_id: str) -> bool:
    return actor.role == Role.SYSTEM or (actor.role == Role.SCHOOL_ADMIN and org_id in actor.org_ids)


def can_read_org(actor: Actor, org_id: str, aimag_code: str | None) -> bool:
    if can_manage_org(actor, org_id) or actor.role == Role.MINISTRY:
        return True
    in_area = org_id in actor.org_ids or (aimag_code is not None and aimag_code in actor.area_aimags)
    return actor.role in OFFICERS and in_area


def can_read_staff(actor: Actor, staff_id: str, staff_orgs: Mapping[str, str | None]) -> bool:
    """``staff_orgs`` maps the org ids the person works at (now or from a future date) to their aimag codes."""
    if actor.role == Role.SYSTEM or (actor.staff_id is not None and actor.staff_id == staff_id):
        return True
    return any(can_read_org(actor, org, aimag) for org, aimag in staff_orgs.items())


def can_read_class(actor: Actor, class_id: str, org_id: str, aimag_code: str | None) -> bool:
    """Teachers see the classes they are scoped to; others as for the class's organisation."""
    return class_id in actor.class_ids or can_read_org(actor, org_id, aimag_code)


def can_manage_staff(actor: Actor, staff_orgs: Iterable[str]) -> bool:
    return any(can_manage_org(actor, org) for org in staff_orgs)


def require(allowed: bool, action_mn: str, action_en: str) -> None:
    if not allowed:
        raise AccessDenied("access_denied", f"Танд {action_mn} эрх байхгүй.",
                           f"You are not allowed to {action_en}.")


def require_manage_org(actor: Actor, org_id: str) -> None:
    require(can_manage_org(actor, org_id), "энэ байгууллагын ажилтныг удирдах",
            "manage the staff of this organisation")
