"""Sign-in, refresh-token rotation, sign-out and password change."""

from __future__ import annotations

from dataclasses import dataclass

from identity.domain.activation import Activation
from identity.domain.credentials import check_password, normalise_username
from identity.domain.errors import (
    AccountDisabled,
    AccountLocked,
    IdentityError,
    InvalidActivation,
    InvalidCredentials,
    InvalidField,
    InvalidRefreshToken,
    NotPermitted,
    RefreshTokenReused,
)
from identity.domain.model import Account, RefreshSession
from identity.service_layer.commands import ActivateAccount, ChangePassword, Login, Logout, Refresh
from identity.service_layer.ports import Deps
from identity.service_layer.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int
    account_id: str
    token_type: str = "Bearer"


def login(cmd: Login, deps: Deps) -> TokenPair:
    """Check the password; count failures and lock after ``lockout.threshold`` of them.

    The failure count and the audit row are committed even when the sign-in is refused.
    """
    now = deps.clock()
    username = normalise_username(cmd.username)
    with deps.uow() as uow:
        account = uow.accounts.get_by_username(username, for_update=True)
        outcome, result = _attempt(uow, account, cmd.password, deps)
        uow.attempts.add(username=username, account_id=account.id if account else None, client_ip=cmd.client_ip,
                         at=now, outcome=outcome)
        uow.commit()
    if isinstance(result, IdentityError):
        raise result
    return result


def _attempt(uow: UnitOfWork, account: Account | None, password: str,
             deps: Deps) -> tuple[str, TokenPair | IdentityError]:
    now = deps.clock()
    if account is None:
        deps.hasher.verify_dummy(password)
        return "unknown_user", InvalidCredentials()
    if account.lock_has_expired(now):
        account.unlock(now)
    if account.is_locked(now):
        deps.hasher.verify_dummy(password)
        return "locked", AccountLocked(account.locked_until, now)
    if not deps.hasher.verify(account.password_hash, password):
        if account.disabled_at is not None:
            return "disabled", InvalidCredentials()
        locked = account.record_failed_sign_in(now, deps.lockout)
        return ("locked_now", AccountLocked(account.locked_until, now)) if locked else ("bad_password",
                                                                                        InvalidCredentials())
    if account.disabled_at is not None:
        return "disabled", AccountDisabled()
    account.record_sign_in(now)
    if deps.hasher.needs_rehash(account.password_hash):
        account.password_hash = deps.hasher.hash(password)
    return "ok", _issue(uow, account, deps, family_id=None)


def activate(cmd: ActivateAccount, deps: Deps) -> TokenPair:
    """Set the first password of an account created without one, with its one-time code, and sign in.

    A wrong, used or expired code, or an unknown username, gets one answer (``invalid_activation``) and counts as a
    failed sign-in of the account, so codes cannot be guessed faster than passwords. A weak password is refused
    before the code is used up.
    """
    now = deps.clock()
    username = normalise_username(cmd.username)
    with deps.uow() as uow:
        account = uow.accounts.get_by_username(username, for_update=True)
        pending = uow.activations.get(account.id) if account is not None else None
        refusal = _activation_refusal(account, pending, cmd.code, deps)
        if refusal is None:
            assert account is not None
            check_password(cmd.new_password, username=account.username)
            account.change_password(now, account.id, deps.hasher.hash(cmd.new_password))
            uow.activations.remove(account.id)
            account.record_sign_in(now)
            result: TokenPair | IdentityError = _issue(uow, account, deps, family_id=None)
            outcome = "activated"
        else:
            outcome, result = refusal
        uow.attempts.add(username=username, account_id=account.id if account else None, client_ip=cmd.client_ip,
                         at=now, outcome=outcome)
        uow.commit()
    if isinstance(result, IdentityError):
        raise result
    return result


def _activation_refusal(account: Account | None, pending: Activation | None, code: str,
                        deps: Deps) -> tuple[str, IdentityError] | None:
    now = deps.clock()
    if account is None:
        return "activation_unknown_user", InvalidActivation()
    if account.lock_has_expired(now):
        account.unlock(now)
    if account.is_locked(now):
        return "locked", AccountLocked(account.locked_until, now)
    if pending is None or not pending.accepts(code, now) or account.disabled_at is not None:
        if account.record_failed_sign_in(now, deps.lockout):
            return "locked_now", AccountLocked(account.locked_until, now)
        return "bad_activation", InvalidActivation()
    return None


def refresh(cmd: Refresh, deps: Deps) -> TokenPair:
    """Rotate: the presented token is used up and a new one of the same family is issued.

    Presenting a token that was already rotated means it leaked (or a client replayed it): the whole family is
    revoked, so the thief's and the owner's sessions both end and the owner signs in again.
    """
    with deps.uow() as uow:
        stored = uow.sessions.get_by_hash(deps.tokens.hash_refresh_token(cmd.refresh_token))
        result = _rotate(uow, stored, deps)
        uow.commit()
    if isinstance(result, IdentityError):
        raise result
    return result


def _rotate(uow: UnitOfWork, stored: RefreshSession | None, deps: Deps) -> TokenPair | IdentityError:
    now = deps.clock()
    if stored is None or stored.revoked_at is not None or stored.is_expired(now):
        return InvalidRefreshToken()
    if stored.used_at is not None or not uow.sessions.mark_used(stored.id, now):
        uow.sessions.revoke_family(stored.family_id, now)
        return RefreshTokenReused()
    account = uow.accounts.get(stored.account_id)
    if account is None or not account.may_refresh(now):
        uow.sessions.revoke_family(stored.family_id, now)
        return InvalidRefreshToken()
    return _issue(uow, account, deps, family_id=stored.family_id)


def logout(cmd: Logout, deps: Deps) -> None:
    """End the session the refresh token belongs to. Unknown tokens are ignored (nothing to reveal)."""
    with deps.uow() as uow:
        stored = uow.sessions.get_by_hash(deps.tokens.hash_refresh_token(cmd.refresh_token))
        if stored is not None:
            uow.sessions.revoke_family(stored.family_id, deps.clock())
        uow.commit()


def change_password(cmd: ChangePassword, deps: Deps) -> None:
    """The owner changes their password; every refresh session of the account ends."""
    now = deps.clock()
    with deps.uow() as uow:
        account = uow.accounts.get(cmd.actor_id, for_update=True)
        if account is None or not account.can_sign_in(now):
            raise NotPermitted("This account cannot change its password", "Энэ бүртгэлийн нууц үгийг солих боломжгүй.")
        if not deps.hasher.verify(account.password_hash, cmd.current_password):
            raise InvalidField("current_password", "The current password is wrong", "Одоогийн нууц үг буруу байна")
        check_password(cmd.new_password, username=account.username)
        account.change_password(now, account.id, deps.hasher.hash(cmd.new_password))
        uow.sessions.revoke_account(account.id, now)
        uow.commit()


def _issue(uow: UnitOfWork, account: Account, deps: Deps, *, family_id: str | None) -> TokenPair:
    now = deps.clock()
    token = deps.tokens.new_refresh_token()
    uow.sessions.add(RefreshSession.issue(account_id=account.id, token_hash=deps.tokens.hash_refresh_token(token),
                                          now=now, ttl=deps.refresh_ttl, family_id=family_id))
    return TokenPair(access_token=deps.tokens.access_token(account, now), refresh_token=token,
                     expires_in=deps.tokens.access_ttl_s, refresh_expires_in=int(deps.refresh_ttl.total_seconds()),
                     account_id=account.id)
