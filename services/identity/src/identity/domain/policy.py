"""Who may administer which accounts: pure functions of the acting account and the target.

- ``ministry``: any account.
- ``aimag_officer``: officers, school admins, teachers, parents and service (feed) accounts whose
  organisations all lie within the officer's own ``org_ids``.
- ``district_officer``: district officers, school admins, teachers and parents, same org rule.
- ``school_admin``: school admins, teachers and parents of their own school(s) only.
- ``teacher``, ``parent``, ``service``: nobody.

Identity does not (yet) know the org hierarchy, so "within the officer's orgs" means "among the org ids the
officer holds": an aimag department's officer account lists the schools of the aimag, or the department's
org id when accounts are created for the department itself. Once identity consumes education's org events,
containment can follow the hierarchy without changing these rules' callers. Likewise a teacher's
``class_ids`` and a parent's ``child_ids`` are not yet checked against the school.
"""

from __future__ import annotations

from identity.domain.errors import NotPermitted
from identity.domain.model import Account, Role, Scopes

_ALL = frozenset(Role)
MANAGEABLE_ROLES: dict[Role, frozenset[Role]] = {
    Role.MINISTRY: _ALL,
    Role.AIMAG_OFFICER: frozenset({Role.AIMAG_OFFICER, Role.DISTRICT_OFFICER, Role.SCHOOL_ADMIN, Role.TEACHER,
                                   Role.PARENT, Role.SERVICE}),
    Role.DISTRICT_OFFICER: frozenset({Role.DISTRICT_OFFICER, Role.SCHOOL_ADMIN, Role.TEACHER, Role.PARENT}),
    Role.SCHOOL_ADMIN: frozenset({Role.SCHOOL_ADMIN, Role.TEACHER, Role.PARENT}),
    Role.TEACHER: frozenset(),
    Role.PARENT: frozenset(),
    Role.SERVICE: frozenset(),
}


def is_administrator(actor: Account) -> bool:
    return bool(MANAGEABLE_ROLES[actor.role])


def has_national_reach(actor: Account) -> bool:
    return actor.role is Role.MINISTRY


def may_manage(actor: Account, role: Role, scopes: Scopes) -> bool:
    if has_national_reach(actor):
        return True
    return role in MANAGEABLE_ROLES[actor.role] and bool(scopes.org_ids) and scopes.org_ids <= actor.scopes.org_ids


def check_may_manage(actor: Account, role: Role, scopes: Scopes) -> None:
    """Raise NotPermitted saying why ``actor`` may not create or change an account of ``role`` in ``scopes``."""
    if has_national_reach(actor):
        return
    if role not in MANAGEABLE_ROLES[actor.role]:
        raise NotPermitted(f"A {actor.role} account may not administer {role} accounts",
                           "Танд энэ төрлийн бүртгэлийг удирдах эрх байхгүй.",
                           actor_role=actor.role.value, target_role=role.value)
    outside = sorted(scopes.org_ids - actor.scopes.org_ids)
    if outside or not scopes.org_ids:
        raise NotPermitted("You may only administer accounts of your own organisations",
                           "Та зөвхөн өөрийн байгууллагын бүртгэлийг удирдах боломжтой.",
                           orgs_outside_scope=outside)


def check_may_administer(actor: Account, target: Account) -> None:
    if actor.id == target.id:
        raise NotPermitted("You cannot lock, disable or re-scope your own account",
                           "Өөрийн бүртгэлийг түгжих, идэвхгүй болгох, эрхийг өөрчлөх боломжгүй.")
    check_may_manage(actor, target.role, target.scopes)


def may_view(actor: Account, target: Account) -> bool:
    return actor.id == target.id or may_manage(actor, target.role, target.scopes)
