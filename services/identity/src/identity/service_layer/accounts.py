"""Account administration, limited by the acting account's role and scopes (``domain.policy``).

The actor is re-read from the database on every command, so a disabled administrator, or one whose scopes
were just narrowed, cannot act on an access token that is still valid.
"""

from __future__ import annotations

from datetime import datetime

from identity.domain import policy
from identity.domain.credentials import check_password, check_username
from identity.domain.errors import AccountNotFound, InvalidField, NotPermitted, UsernameTaken
from identity.domain.model import Account, Role, Scopes
from identity.service_layer.commands import ChangeScopes, CreateAccount, DisableAccount, LockAccount, UnlockAccount
from identity.service_layer.ports import Deps
from identity.service_layer.unit_of_work import UnitOfWork


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise InvalidField("role", f"Unknown role '{value}'; one of: {roles}", f"Үүрэг буруу байна: {roles}") from None


def load_actor(uow: UnitOfWork, actor_id: str, now: datetime) -> Account:
    actor = uow.accounts.get(actor_id)
    if actor is None or not actor.can_sign_in(now):
        raise NotPermitted("Your account is not active", "Таны бүртгэл идэвхгүй байна.")
    return actor


def load_target(uow: UnitOfWork, account_id: str, actor: Account | None = None) -> Account:
    """The account, or 404 — also when the actor may not see it, so ids outside one's scope reveal nothing."""
    target = uow.accounts.get(account_id, for_update=True)
    if target is None or (actor is not None and not policy.may_view(actor, target)):
        raise AccountNotFound(account_id)
    return target


def create_account(cmd: CreateAccount, deps: Deps) -> Account:
    now = deps.clock()
    username = check_username(cmd.username)
    role = parse_role(cmd.role)
    scopes = Scopes.of(cmd.org_ids, cmd.class_ids, cmd.child_ids)
    check_password(cmd.password, username=username)
    with deps.uow() as uow:
        if cmd.actor_id is not None:
            policy.check_may_manage(load_actor(uow, cmd.actor_id, now), role, scopes)
        if uow.accounts.username_exists(username):
            raise UsernameTaken(username)
        account = Account.create(username=username, role=role, password_hash=deps.hasher.hash(cmd.password),
                                 scopes=scopes, now=now, display_name=cmd.display_name.strip(),
                                 created_by=cmd.actor_id)
        uow.accounts.add(account)
        uow.commit()
    return account


def change_scopes(cmd: ChangeScopes, deps: Deps) -> Account:
    now = deps.clock()
    with deps.uow() as uow:
        actor = load_actor(uow, cmd.actor_id, now)
        target = load_target(uow, cmd.account_id, actor)
        policy.check_may_administer(actor, target)
        role = parse_role(cmd.role) if cmd.role is not None else target.role
        scopes = Scopes.of(
            target.scopes.org_ids if cmd.org_ids is None else cmd.org_ids,
            target.scopes.class_ids if cmd.class_ids is None else cmd.class_ids,
            target.scopes.child_ids if cmd.child_ids is None else cmd.child_ids,
        )
        policy.check_may_manage(actor, role, scopes)
        target.change_scopes(now, actor.id, role, scopes)
        uow.commit()
    return target


def lock_account(cmd: LockAccount, deps: Deps) -> Account:
    return _administer(cmd.actor_id, cmd.account_id, deps, "lock")


def unlock_account(cmd: UnlockAccount, deps: Deps) -> Account:
    return _administer(cmd.actor_id, cmd.account_id, deps, "unlock")


def disable_account(cmd: DisableAccount, deps: Deps) -> Account:
    return _administer(cmd.actor_id, cmd.account_id, deps, "disable")


def _administer(actor_id: str, account_id: str, deps: Deps, action: str) -> Account:
    now = deps.clock()
    with deps.uow() as uow:
        actor = load_actor(uow, actor_id, now)
        target = load_target(uow, account_id, actor)
        policy.check_may_administer(actor, target)
        if action == "unlock":
            target.unlock(now, actor.id)
        elif action == "lock":
            target.lock(now, actor.id)
        else:
            target.disable(now, actor.id)
        if action != "unlock":
            uow.sessions.revoke_account(target.id, now)  # signs the person out everywhere
        uow.commit()
    return target


def ensure_account(cmd: CreateAccount, deps: Deps) -> Account | None:
    """Create the account unless the username exists (bootstrap admin at start-up); None if it existed."""
    with deps.uow() as uow:
        if uow.accounts.username_exists(check_username(cmd.username)):
            return None
    try:
        return create_account(cmd, deps)
    except UsernameTaken:
        return None  # another replica created it first
