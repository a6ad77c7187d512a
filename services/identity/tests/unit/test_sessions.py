"""Sign-in, lockout after repeated failures, refresh-token rotation and reuse detection, sign-out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from identity.adapters.orm import login_attempts
from identity.bootstrap import Container
from identity.domain.errors import (
    AccountDisabled,
    AccountLocked,
    InvalidCredentials,
    InvalidField,
    InvalidRefreshToken,
    RefreshTokenReused,
)
from identity.service_layer.commands import ChangePassword, DisableAccount, LockAccount, Refresh
from sqlalchemy import select

PASSWORD = "Correct-horse-42"  # the seed fixture's password
Seeder = Callable[..., Any]
Outbox = Callable[..., list[tuple[str, str, Any]]]


def fail(container: Container, username: str, times: int) -> list[Exception]:
    errors: list[Exception] = []
    for _ in range(times):
        with pytest.raises((InvalidCredentials, AccountLocked)) as exc:
            container.login(username, "Wrong-password-1")
        errors.append(exc.value)
    return errors


def test_login_returns_a_short_lived_token_that_names_role_and_scopes(container: Container, seed: Seeder) -> None:
    teacher = seed("b.saruul", "teacher", orgs=("school-1",), classes=("5a",))
    pair = container.login("B.Saruul", PASSWORD, "10.0.0.7")
    principal = container.verifier.verify(pair.access_token)
    assert (principal.subject, principal.role, principal.username) == (teacher.id, "teacher", "b.saruul")
    assert principal.in_org("school-1") and principal.can_class("5a")
    assert pair.expires_in == 900 and pair.refresh_expires_in == 14 * 24 * 3600 and pair.token_type == "Bearer"


def test_wrong_password_and_unknown_user_get_the_same_answer(container: Container, seed: Seeder) -> None:
    seed("bold", "ministry")
    with pytest.raises(InvalidCredentials) as wrong:
        container.login("bold", "Not-the-password-1")
    with pytest.raises(InvalidCredentials) as unknown:
        container.login("nobody", "Not-the-password-1")
    assert (wrong.value.code, wrong.value.message) == (unknown.value.code, unknown.value.message)


def test_unknown_usernames_still_spend_a_password_verification(container: Container) -> None:
    calls: list[str] = []
    hasher = container.deps.hasher
    original = hasher.verify_dummy
    hasher.verify_dummy = lambda password: calls.append(password) or original(password)  # type: ignore[method-assign]
    try:
        with pytest.raises(InvalidCredentials):
            container.login("ghost", "Whatever-pass-1")
    finally:
        hasher.verify_dummy = original  # type: ignore[method-assign]
    assert calls == ["Whatever-pass-1"]


def test_fifth_failure_locks_with_a_clear_bilingual_message(container: Container, seed: Seeder,
                                                            staged: Outbox) -> None:
    seed("bold", "ministry")
    errors = fail(container, "bold", 5)
    assert all(isinstance(e, InvalidCredentials) for e in errors[:4])
    locked = errors[4]
    assert isinstance(locked, AccountLocked)
    assert locked.message == "Too many failed sign-in attempts. Try again in 15 minutes."
    assert locked.message_mn == ("Нэвтрэх оролдлого хэт олон удаа амжилтгүй боллоо. "
                                 "15 минутын дараа дахин оролдоно уу.")
    assert locked.details["retry_after_s"] > 14 * 60
    (_, _, event), = staged("esis.identity.v1.AccountLocked")
    assert event.reason == 1 and event.HasField("locked_until")  # LOCK_REASON_FAILED_SIGN_INS


def test_locked_account_refuses_even_the_right_password_until_the_period_ends(container: Container, seed: Seeder,
                                                                              clock: Any, staged: Outbox) -> None:
    seed("bold", "ministry")
    fail(container, "bold", 5)
    clock.advance(minutes=10)
    with pytest.raises(AccountLocked) as exc:
        container.login("bold", PASSWORD)
    assert "5 минутын дараа" in exc.value.message_mn
    clock.advance(minutes=5, seconds=1)
    assert container.login("bold", PASSWORD).access_token
    (_, _, unlocked), = staged("esis.identity.v1.AccountUnlocked")
    assert unlocked.actor_account_id == ""  # the lock expired; nobody unlocked it


def test_failures_are_forgiven_after_a_quiet_period_and_after_a_success(container: Container, seed: Seeder,
                                                                        clock: Any) -> None:
    seed("bold", "ministry")
    fail(container, "bold", 4)
    clock.advance(minutes=16)
    assert all(isinstance(e, InvalidCredentials) for e in fail(container, "bold", 4))
    container.login("bold", PASSWORD)
    assert all(isinstance(e, InvalidCredentials) for e in fail(container, "bold", 4))


def test_every_attempt_is_audited_with_its_outcome(container: Container, seed: Seeder) -> None:
    seed("bold", "ministry")
    fail(container, "bold", 1)
    container.login("bold", PASSWORD, "10.1.2.3")
    with container.engine.connect() as conn:
        rows = conn.execute(select(login_attempts.c.outcome, login_attempts.c.client_ip)
                            .order_by(login_attempts.c.id)).all()
    assert [tuple(r) for r in rows] == [("bad_password", None), ("ok", "10.1.2.3")]


def test_disabled_account_is_told_so_only_with_the_right_password(container: Container, seed: Seeder) -> None:
    ministry = seed("minister", "ministry")
    teacher = seed("teach", "teacher", orgs=("s1",))
    container.handle(DisableAccount(ministry.id, teacher.id))
    with pytest.raises(AccountDisabled):
        container.login("teach", PASSWORD)
    with pytest.raises(InvalidCredentials):
        container.login("teach", "Wrong-password-9")


def test_refresh_rotates_the_token_and_reflects_new_scopes(container: Container, seed: Seeder) -> None:
    account = seed("bold", "ministry")
    first = container.login("bold", PASSWORD)
    second = container.refresh(first.refresh_token)
    assert second.refresh_token != first.refresh_token
    assert container.verifier.verify(second.access_token).subject == account.id
    third = container.refresh(second.refresh_token)
    assert third.refresh_token not in (first.refresh_token, second.refresh_token)


def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(container: Container, seed: Seeder) -> None:
    seed("bold", "ministry")
    stolen = container.login("bold", PASSWORD)
    current = container.refresh(stolen.refresh_token)
    with pytest.raises(RefreshTokenReused):
        container.refresh(stolen.refresh_token)
    with pytest.raises(InvalidRefreshToken):
        container.refresh(current.refresh_token)  # the legitimate holder must sign in again


def test_reuse_revokes_only_that_family_not_other_devices(container: Container, seed: Seeder) -> None:
    seed("bold", "ministry")
    phone = container.login("bold", PASSWORD)
    laptop = container.login("bold", PASSWORD)
    container.refresh(phone.refresh_token)
    with pytest.raises(RefreshTokenReused):
        container.refresh(phone.refresh_token)
    assert container.refresh(laptop.refresh_token).access_token


def test_logout_ends_the_session_and_is_silent_for_unknown_tokens(container: Container, seed: Seeder) -> None:
    seed("bold", "ministry")
    pair = container.login("bold", PASSWORD)
    container.logout(pair.refresh_token)
    container.logout("never-issued")
    with pytest.raises(InvalidRefreshToken):
        container.refresh(pair.refresh_token)


def test_refresh_token_expires_after_its_lifetime(container: Container, seed: Seeder, clock: Any) -> None:
    seed("bold", "ministry")
    pair = container.login("bold", PASSWORD)
    clock.advance(days=14, seconds=1)
    with pytest.raises(InvalidRefreshToken):
        container.handle(Refresh(pair.refresh_token))


def test_administrator_lock_ends_sessions_but_a_failed_sign_in_lock_does_not(container: Container,
                                                                             seed: Seeder) -> None:
    ministry = seed("minister", "ministry")
    teacher = seed("teach", "teacher", orgs=("s1",))
    pair = container.login("teach", PASSWORD)
    fail(container, "teach", 5)  # someone guessing must not be able to sign the teacher out
    pair = container.refresh(pair.refresh_token)
    container.handle(LockAccount(ministry.id, teacher.id))
    with pytest.raises(InvalidRefreshToken):
        container.refresh(pair.refresh_token)


def test_password_change_needs_the_current_one_and_signs_out_everywhere(container: Container, seed: Seeder,
                                                                        staged: Outbox) -> None:
    account = seed("bold", "ministry")
    pair = container.login("bold", PASSWORD)
    with pytest.raises(InvalidField):
        container.handle(ChangePassword(account.id, "Wrong-current-1", "Brand-new-pass-7"))
    container.handle(ChangePassword(account.id, PASSWORD, "Brand-new-pass-7"))
    with pytest.raises(InvalidRefreshToken):
        container.refresh(pair.refresh_token)
    assert container.login("bold", "Brand-new-pass-7").access_token
    (_, key, event), = staged("esis.identity.v1.PasswordChanged")
    assert key == account.id and event.actor_account_id == account.id
