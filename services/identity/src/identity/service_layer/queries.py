"""Reads: one account, a page of accounts, the caller's own account — all limited by the caller's scope."""

from __future__ import annotations

from dataclasses import dataclass

from identity.adapters.repository import AccountQuery
from identity.domain import policy
from identity.domain.errors import AccountNotFound, NotPermitted
from identity.domain.model import Account, Role
from identity.service_layer.accounts import load_actor, parse_role
from identity.service_layer.ports import Deps


@dataclass(frozen=True)
class AccountPage:
    items: list[Account]
    total: int
    limit: int
    offset: int


def get_account(actor_id: str, account_id: str, deps: Deps) -> Account:
    with deps.uow() as uow:
        actor = load_actor(uow, actor_id, deps.clock())
        target = uow.accounts.get(account_id)
        if target is None or not policy.may_view(actor, target):
            raise AccountNotFound(account_id)
        return target


def me(actor_id: str, deps: Deps) -> Account:
    """The caller's own account: one statement outside any transaction (no BEGIN/ROLLBACK round trips)."""
    with deps.uow() as uow:
        uow.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        account = uow.accounts.read(actor_id)
        if account is None:
            raise AccountNotFound(actor_id)
        return account


def list_accounts(actor_id: str, deps: Deps, *, role: str | None = None, org_id: str | None = None,
                  text: str | None = None, limit: int = 50, offset: int = 0) -> AccountPage:
    with deps.uow() as uow:
        actor = load_actor(uow, actor_id, deps.clock())
        if not policy.is_administrator(actor):
            raise NotPermitted("Your role cannot list accounts", "Танд бүртгэлүүдийг харах эрх байхгүй.")
        query = AccountQuery(roles=_roles(actor, role), within_orgs=_within(actor), org_id=org_id,
                             text=text or None, limit=limit, offset=offset)
        items, total = uow.accounts.list(query)
    return AccountPage(items=items, total=total, limit=limit, offset=offset)


def _roles(actor: Account, role: str | None) -> frozenset[Role]:
    allowed = policy.MANAGEABLE_ROLES[actor.role]
    return allowed & {parse_role(role)} if role else allowed


def _within(actor: Account) -> frozenset[str] | None:
    return None if policy.has_national_reach(actor) else actor.scopes.org_ids
