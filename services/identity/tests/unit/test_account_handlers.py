"""Account administration through the handlers: scope limits, events in the outbox, no secrets in them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from identity.adapters.orm import accounts as accounts_table
from identity.bootstrap import Container
from identity.domain.errors import AccountNotFound, InvalidScopes, NotPermitted, UsernameTaken, WeakPassword
from identity.domain.model import AccountStatus, Role
from identity.service_layer import queries
from identity.service_layer.commands import (
    ChangeScopes,
    CreateAccount,
    DisableAccount,
    LockAccount,
    UnlockAccount,
)
from sqlalchemy import select

PASSWORD = "Correct-horse-42"  # the seed fixture's password
Seeder = Callable[..., Any]
Outbox = Callable[..., list[tuple[str, str, Any]]]


def create(container: Container, actor_id: str | None, username: str, role: str, *orgs: str,
           classes: tuple[str, ...] = ()) -> object:
    return container.handle(CreateAccount(actor_id=actor_id, username=username, password=PASSWORD, role=role,
                                          org_ids=orgs, class_ids=classes))


def test_school_admin_creates_a_teacher_of_their_school_and_it_is_published(
        container: Container, seed: Seeder, staged: Outbox) -> None:
    admin = seed("admin.s1", "school_admin", orgs=("school-1",))
    teacher = create(container, admin.id, "T.Bold", "teacher", "school-1", classes=("5a",))
    assert teacher.username == "t.bold" and teacher.role is Role.TEACHER and teacher.created_by == admin.id
    (event_type, key, message), = staged("esis.identity.v1.AccountCreated")[-1:]
    assert key == teacher.id
    assert (message.username, list(message.org_ids), list(message.class_ids)) == ("t.bold", ["school-1"], ["5a"])


def test_events_never_carry_the_password_or_its_hash(seed: Seeder, staged: Outbox) -> None:
    account = seed("secretive", "ministry")
    payloads = b"".join(m.SerializeToString() for _, _, m in staged())
    assert PASSWORD.encode() not in payloads
    assert account.password_hash.encode() not in payloads and b"argon2" not in payloads


def test_school_admin_cannot_create_a_teacher_of_another_school(
        container: Container, seed: Seeder, staged: Outbox) -> None:
    admin = seed("admin.s1", "school_admin", orgs=("school-1",))
    before = len(staged())
    with pytest.raises(NotPermitted) as exc:
        create(container, admin.id, "intruder", "teacher", "school-2")
    assert exc.value.details["orgs_outside_scope"] == ["school-2"]
    assert len(staged()) == before
    with container.engine.connect() as conn:
        assert conn.execute(select(accounts_table.c.id).where(accounts_table.c.username == "intruder")).first() is None


def test_teacher_cannot_create_accounts(container: Container, seed: Seeder) -> None:
    teacher = seed("teach", "teacher", orgs=("school-1",))
    with pytest.raises(NotPermitted):
        create(container, teacher.id, "friend", "teacher", "school-1")


def test_a_disabled_administrator_can_no_longer_act(container: Container, seed: Seeder) -> None:
    ministry = seed("minister", "ministry")
    admin = seed("admin.s1", "school_admin", orgs=("school-1",))
    container.handle(DisableAccount(ministry.id, admin.id))
    with pytest.raises(NotPermitted, match="not active"):
        create(container, admin.id, "late.teacher", "teacher", "school-1")


def test_duplicate_username_is_a_conflict(seed: Seeder) -> None:
    seed("bold", "ministry")
    with pytest.raises(UsernameTaken):
        seed("BOLD", "ministry")


def test_weak_password_and_bad_scopes_are_refused_before_anything_is_written(
        container: Container, staged: Outbox) -> None:
    with pytest.raises(WeakPassword):
        container.handle(CreateAccount(None, "someone", "short", "ministry"))
    with pytest.raises(InvalidScopes):
        container.handle(CreateAccount(None, "someone", PASSWORD, "parent", class_ids=["5a"], org_ids=["s"]))
    assert staged() == []


def test_change_scopes_needs_both_old_and_new_scope_within_reach(
        container: Container, seed: Seeder, staged: Outbox) -> None:
    admin = seed("admin.s1", "school_admin", orgs=("school-1",))
    teacher = seed("teach", "teacher", orgs=("school-1",))
    changed = container.handle(ChangeScopes(admin.id, teacher.id, class_ids=["5a", "6b"]))
    assert changed.scopes.class_ids == {"5a", "6b"}
    (_, key, message), = staged("esis.identity.v1.AccountScopesChanged")
    assert key == teacher.id and message.actor_account_id == admin.id and list(message.class_ids) == ["5a", "6b"]
    with pytest.raises(NotPermitted):
        container.handle(ChangeScopes(admin.id, teacher.id, org_ids=["school-2"]))
    with pytest.raises(NotPermitted):
        container.handle(ChangeScopes(admin.id, teacher.id, role="aimag_officer"))


def test_accounts_outside_scope_look_missing(container: Container, seed: Seeder) -> None:
    admin = seed("admin.s1", "school_admin", orgs=("school-1",))
    other = seed("teach.s2", "teacher", orgs=("school-2",))
    with pytest.raises(AccountNotFound):
        queries.get_account(admin.id, other.id, container.deps)
    with pytest.raises(AccountNotFound):
        container.handle(LockAccount(admin.id, other.id))


def test_lock_unlock_and_disable_are_published_and_visible_in_status(
        container: Container, seed: Seeder, staged: Outbox) -> None:
    admin = seed("admin.s1", "school_admin", orgs=("school-1",))
    teacher = seed("teach", "teacher", orgs=("school-1",))
    assert container.handle(LockAccount(admin.id, teacher.id)).status(container.deps.clock()) is AccountStatus.LOCKED
    assert container.handle(UnlockAccount(admin.id, teacher.id)).status(container.deps.clock()) is AccountStatus.ACTIVE
    disabled = container.handle(DisableAccount(admin.id, teacher.id))
    assert disabled.status(container.deps.clock()) is AccountStatus.DISABLED
    types = [t.rsplit(".", 1)[1] for t, key, _ in staged() if key == teacher.id]
    assert types == ["AccountCreated", "AccountLocked", "AccountUnlocked", "AccountDisabled"]


def test_listing_shows_only_accounts_within_the_callers_reach(container: Container, seed: Seeder) -> None:
    ministry = seed("minister", "ministry")
    admin = seed("admin.s1", "school_admin", orgs=("school-1",))
    seed("t.one", "teacher", orgs=("school-1",))
    seed("p.one", "parent", orgs=("school-1",), children=("lrn-1",))
    seed("t.two", "teacher", orgs=("school-2",))
    seed("t.both", "teacher", orgs=("school-1", "school-2"))
    seed("officer", "aimag_officer", orgs=("school-1",))
    page = queries.list_accounts(admin.id, container.deps)
    assert sorted(a.username for a in page.items) == ["admin.s1", "p.one", "t.one"] and page.total == 3
    teachers = queries.list_accounts(admin.id, container.deps, role="teacher")
    assert [a.username for a in teachers.items] == ["t.one"]
    everyone = queries.list_accounts(ministry.id, container.deps, limit=2)
    assert everyone.total == 7 and len(everyone.items) == 2
    assert [a.username for a in queries.list_accounts(ministry.id, container.deps, text="T.").items] == [
        "t.both", "t.one", "t.two"]


def test_teachers_cannot_list_accounts(container: Container, seed: Seeder) -> None:
    teacher = seed("teach", "teacher", orgs=("school-1",))
    with pytest.raises(NotPermitted):
        queries.list_accounts(teacher.id, container.deps)


def test_bootstrap_admin_is_created_once(container: Container) -> None:
    first = container.ensure_bootstrap_admin()
    assert first is not None and first.role is Role.MINISTRY
    assert container.ensure_bootstrap_admin() is None
    assert container.login("admin", container.settings.bootstrap_admin_password).access_token
