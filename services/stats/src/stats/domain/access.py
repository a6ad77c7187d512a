"""Who may see and approve which figures: by role and by the org scope of the access token.

Scopes name education's org ids (an aimag service account may carry the aimag's NSO code instead).
The ministry sees everything; an officer the areas inside theirs; a school's staff their school.
"""

from __future__ import annotations

from datetime import date

from esis_shared.auth import Principal

from stats.domain.hierarchy import NATIONAL, Hierarchy

APPROVER_ROLE = {"school": "school_admin", "soum": "district_officer", "aimag": "aimag_officer",
                 NATIONAL: "ministry"}
STAFF_ROLES = frozenset({"ministry", "aimag_officer", "district_officer", "school_admin", "teacher"})


def _scope_hits(principal: Principal, hierarchy: Hierarchy, org_id: str, day: date) -> bool:
    chain = hierarchy.chain(org_id, day) if org_id != NATIONAL else [NATIONAL]
    codes = {hierarchy.units[u].code for u in chain if u in hierarchy.units}
    return bool(principal.org_ids & (set(chain) | codes))


def may_view(principal: Principal, hierarchy: Hierarchy, area_id: str, day: date) -> bool:
    if principal.role == "ministry":
        return True
    return principal.role in STAFF_ROLES and area_id != NATIONAL and _scope_hits(principal, hierarchy, area_id, day)


def level_of(hierarchy: Hierarchy, org_id: str) -> str:
    unit = hierarchy.get(org_id)
    return NATIONAL if org_id == NATIONAL or unit is None else unit.level


def may_approve(principal: Principal, hierarchy: Hierarchy, org_id: str, day: date) -> bool:
    """The approver of a level is its own role, scoped to that very unit (or the nation for the ministry)."""
    level = level_of(hierarchy, org_id)
    if principal.role != APPROVER_ROLE[level]:
        return False
    if level == NATIONAL:
        return True
    unit = hierarchy.units[org_id]
    return bool(principal.org_ids & {org_id, unit.code})
