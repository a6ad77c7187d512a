"""Who may administer which accounts: pure scope rules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from identity.domain import policy
from identity.domain.errors import InvalidScopes, NotPermitted
from identity.domain.model import Account, Role, Scopes

NOW = datetime(2026, 11, 29, tzinfo=UTC)


def account(role: Role, *orgs: str) -> Account:
    return Account(id=f"{role}-{'-'.join(orgs)}", username=role.value, role=role, password_hash="x",
                   scopes=Scopes.of(orgs), created_at=NOW)


MINISTRY = account(Role.MINISTRY)
AIMAG = account(Role.AIMAG_OFFICER, "school-1", "school-2", "dept-darkhan")
SCHOOL_ADMIN = account(Role.SCHOOL_ADMIN, "school-1")


def test_ministry_may_create_any_account_anywhere() -> None:
    for role in Role:
        policy.check_may_manage(MINISTRY, role, Scopes.of(["anywhere"]))


def test_school_admin_creates_teachers_of_their_school_only() -> None:
    policy.check_may_manage(SCHOOL_ADMIN, Role.TEACHER, Scopes.of(["school-1"], ["class-5a"]))
    with pytest.raises(NotPermitted) as exc:
        policy.check_may_manage(SCHOOL_ADMIN, Role.TEACHER, Scopes.of(["school-2"]))
    assert exc.value.details["orgs_outside_scope"] == ["school-2"]
    assert "own organisations" in exc.value.message


def test_school_admin_cannot_grant_a_second_school_alongside_their_own() -> None:
    with pytest.raises(NotPermitted):
        policy.check_may_manage(SCHOOL_ADMIN, Role.TEACHER, Scopes.of(["school-1", "school-2"]))


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.AIMAG_OFFICER, Role.DISTRICT_OFFICER, Role.SERVICE])
def test_school_admin_cannot_create_officers_ministry_or_service_accounts(role: Role) -> None:
    with pytest.raises(NotPermitted) as exc:
        policy.check_may_manage(SCHOOL_ADMIN, role, Scopes.of(["school-1"]))
    assert exc.value.details["target_role"] == role.value


def test_officer_manages_accounts_within_the_orgs_they_hold() -> None:
    policy.check_may_manage(AIMAG, Role.SCHOOL_ADMIN, Scopes.of(["school-2"]))
    policy.check_may_manage(AIMAG, Role.SERVICE, Scopes.of(["dept-darkhan"]))
    with pytest.raises(NotPermitted):
        policy.check_may_manage(AIMAG, Role.SCHOOL_ADMIN, Scopes.of(["school-in-another-aimag"]))
    with pytest.raises(NotPermitted):
        policy.check_may_manage(AIMAG, Role.MINISTRY, Scopes.of(["school-1"]))


def test_district_officer_cannot_create_aimag_officers_or_service_accounts() -> None:
    district = account(Role.DISTRICT_OFFICER, "school-1")
    for role in (Role.AIMAG_OFFICER, Role.SERVICE):
        assert not policy.may_manage(district, role, Scopes.of(["school-1"]))
    assert policy.may_manage(district, Role.TEACHER, Scopes.of(["school-1"]))


@pytest.mark.parametrize("role", [Role.TEACHER, Role.PARENT, Role.SERVICE])
def test_teachers_parents_and_services_administer_nobody(role: Role) -> None:
    actor = account(role, "school-1")
    assert not policy.is_administrator(actor)
    assert not policy.may_manage(actor, Role.PARENT, Scopes.of(["school-1"]))


def test_nobody_administers_their_own_account() -> None:
    with pytest.raises(NotPermitted):
        policy.check_may_administer(SCHOOL_ADMIN, SCHOOL_ADMIN)


def test_everyone_may_view_their_own_account_but_not_a_stranger() -> None:
    teacher = account(Role.TEACHER, "school-1")
    assert policy.may_view(teacher, teacher)
    assert not policy.may_view(teacher, account(Role.TEACHER, "school-1", "x"))
    assert policy.may_view(SCHOOL_ADMIN, teacher)


def test_scopes_must_fit_the_role() -> None:
    with pytest.raises(InvalidScopes, match="at least one organisation"):
        Scopes.of().validate_for(Role.TEACHER)
    with pytest.raises(InvalidScopes, match="Only teacher accounts have classes"):
        Scopes.of(["school-1"], class_ids=["5a"]).validate_for(Role.PARENT)
    with pytest.raises(InvalidScopes, match="Only parent accounts have children"):
        Scopes.of(["school-1"], child_ids=["lrn-1"]).validate_for(Role.TEACHER)
    Scopes.of().validate_for(Role.MINISTRY)
    Scopes.of(["school-1"], child_ids=["lrn-1"]).validate_for(Role.PARENT)
