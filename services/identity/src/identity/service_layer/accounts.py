"""Account administration, limited by the acting account's role and scopes (``domain.policy``).

The actor is re-read from the database on every command, so a disabled administrator, or one whose scopes
were just narrowed, cannot act on an access token that is still valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from identity.domain import policy
from identity.domain.activation import PASSWORD_NOT_SET, Activation, hash_code, new_code
from identity.domain.credentials import check_password, check_username
from identity.domain.errors import (
    AccountNotFound,
    AccountsRejected,
    IdentityError,
    InvalidField,
    NotPermitted,
    UsernameTaken,
)
from identity.domain.model import Account, Role, Scopes
from identity.service_layer.commands import (
    ChangeScopes,
    CreateAccount,
    CreateAccounts,
    DisableAccount,
    IssueActivation,
    LockAccount,
    NewAccount,
    UnlockAccount,
)
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


# ---------------------------------------------------------------- accounts without a password (bulk, activation)

BULK_MAX = 5000  # accounts per CreateAccounts request (a whole school district in one call, a few MB of JSON)


@dataclass(frozen=True)
class CreatedAccount:
    row: int
    account: Account
    activation_code: str  # shown once, to the administrator who hands it over; stored only as a hash


@dataclass(frozen=True)
class CreatedAccounts:
    accounts: list[CreatedAccount]
    activation_expires_at: datetime


def create_accounts(cmd: CreateAccounts, deps: Deps) -> CreatedAccounts:
    """Create every account of ``cmd`` or none: each row is checked (username, role, scopes, the actor's reach,
    usernames taken or repeated) and all problems are reported together. The accounts, their scopes, their
    activations and their ``AccountCreated`` events are written with one statement per table, in one transaction.
    """
    now = deps.clock()
    if not cmd.accounts or len(cmd.accounts) > BULK_MAX:
        raise InvalidField("accounts", f"Send between 1 and {BULK_MAX} accounts",
                           f"1-ээс {BULK_MAX} хүртэлх бүртгэл илгээнэ үү")
    with deps.uow() as uow:
        actor = load_actor(uow, cmd.actor_id, now) if cmd.actor_id is not None else None
        if actor is not None and not policy.is_administrator(actor):
            raise NotPermitted("Your role cannot create accounts", "Танд бүртгэл үүсгэх эрх байхгүй.")
        checked, problems = _check_rows(cmd.accounts, actor)
        taken = uow.accounts.existing_usernames(row.username for row in checked.values())
        problems += [_problem(index, "username", "username_taken", UsernameTaken(row.username))
                     for index, row in checked.items() if row.username in taken]
        if problems:
            raise AccountsRejected(sorted(problems, key=lambda p: (p["row"], p["field"])), len(cmd.accounts))
        created = [CreatedAccount(index, Account.create(
            username=row.username, role=row.role, password_hash=PASSWORD_NOT_SET, scopes=row.scopes, now=now,
            display_name=row.display_name, created_by=cmd.actor_id), new_code()) for index, row in checked.items()]
        expires = now + deps.activation_ttl
        uow.accounts.add_many([c.account for c in created])
        uow.activations.add_many([Activation(c.account.id, hash_code(c.activation_code), now, expires)
                                  for c in created])
        uow.commit()
    return CreatedAccounts(created, expires)


@dataclass(frozen=True)
class _Row:
    username: str
    role: Role
    scopes: Scopes
    display_name: str


def _check_rows(rows: Sequence[NewAccount], actor: Account | None) -> tuple[dict[int, _Row], list[dict[str, Any]]]:
    checked: dict[int, _Row] = {}
    problems: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    for index, row in enumerate(rows):
        try:
            username = check_username(row.username)
            role = parse_role(row.role)
            scopes = Scopes.of(row.org_ids, row.class_ids, row.child_ids)
            scopes.validate_for(role)
            if actor is not None:
                policy.check_may_manage(actor, role, scopes)
        except InvalidField as exc:
            problems.append(_problem(index, exc.field, exc.code, exc))
            continue
        except NotPermitted as exc:  # beyond the actor's roles or organisations
            problems.append(_problem(index, "role" if "target_role" in exc.details else "org_ids", exc.code, exc))
            continue
        if username in first_row:
            problems.append({"row": index, "field": "username", "code": "username_repeated",
                             "message": f"'{username}' is also in row {first_row[username]} of this request",
                             "message_mn": f"Энэ нэвтрэх нэр хүсэлтийн {first_row[username]}-р мөрөнд давхардсан"})
            continue
        first_row[username] = index
        checked[index] = _Row(username, role, scopes, row.display_name.strip())
    return checked, problems


def _problem(row: int, field: str, code: str, error: IdentityError) -> dict[str, Any]:
    return {"row": row, "field": field, "code": code, "message": error.message, "message_mn": error.message_mn}


@dataclass(frozen=True)
class IssuedActivation:
    account: Account
    activation_code: str
    expires_at: datetime


def issue_activation(cmd: IssueActivation, deps: Deps) -> IssuedActivation:
    """A fresh code for an account still without a password; the previous code stops working."""
    now = deps.clock()
    with deps.uow() as uow:
        actor = load_actor(uow, cmd.actor_id, now)
        target = load_target(uow, cmd.account_id, actor)
        policy.check_may_administer(actor, target)
        if target.password_hash != PASSWORD_NOT_SET:
            raise NotPermitted("This account already has a password; its owner changes it after signing in",
                               "Энэ бүртгэл нууц үгтэй тул эзэмшигч нь нэвтэрч ороод солино.")
        code, expires = new_code(), now + deps.activation_ttl
        uow.activations.replace(Activation(target.id, hash_code(code), now, expires))
        uow.commit()
    return IssuedActivation(target, code, expires)
