"""Account administration, limited by the caller's role and scopes (see identity.domain.policy)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from identity.bootstrap import Container
from identity.domain.model import Account
from identity.entrypoints.api.deps import ContainerDep, PrincipalDep
from identity.entrypoints.api.schemas import (
    AccountCreate,
    AccountPage,
    AccountRead,
    AccountsBulkCreate,
    AccountsBulkRead,
    ActivationRead,
    CreatedAccountRead,
    ScopesUpdate,
)
from identity.service_layer import queries
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

BASE = "/api/identity/v1/accounts"
router = APIRouter(prefix=BASE, tags=["accounts"])


def _read(container: Container, account: Account) -> AccountRead:
    return AccountRead.of(account, container.deps.clock())


@router.post("", response_model=AccountRead, status_code=201)
def create_account(body: AccountCreate, principal: PrincipalDep, container: ContainerDep,
                   response: Response) -> AccountRead:
    """Create an account within the caller's reach (a school admin: teachers, admins, parents of their school)."""
    account = container.handle(CreateAccount(
        actor_id=principal.subject, username=body.username, password=body.password, role=body.role.value,
        display_name=body.display_name, org_ids=body.org_ids, class_ids=body.class_ids, child_ids=body.child_ids))
    response.headers["Location"] = f"{BASE}/{account.id}"
    return _read(container, account)


@router.post(":bulk", response_model=AccountsBulkRead, status_code=201,
             responses={422: {"description": "Rows that cannot be created (details.rows); nothing was created"}})
def create_accounts(body: AccountsBulkCreate, principal: PrincipalDep, container: ContainerDep) -> AccountsBulkRead:
    """Create up to 5,000 accounts at once, all or none, without passwords (administrators, within their reach).

    Each account gets a one-time activation code, returned only in this answer: the person sets a password with it
    at ``POST /api/identity/v1/auth/activate`` and is signed in. Row problems (bad username, role or scopes,
    beyond the caller's reach, username taken or repeated) are all reported at once in ``details.rows``.
    """
    result = container.handle(CreateAccounts(principal.subject, [NewAccount(
        username=a.username, role=a.role, display_name=a.display_name, org_ids=a.org_ids, class_ids=a.class_ids,
        child_ids=a.child_ids) for a in body.accounts]))
    return AccountsBulkRead(created=len(result.accounts), activation_expires_at=result.activation_expires_at,
                            accounts=[CreatedAccountRead(row=c.row, id=c.account.id, username=c.account.username,
                                                         activation_code=c.activation_code)
                                      for c in result.accounts])


@router.post("/{account_id}/activation", response_model=ActivationRead, status_code=201)
def issue_activation(account_id: str, principal: PrincipalDep, container: ContainerDep) -> ActivationRead:
    """A new activation code for an account that has no password yet; the previous code stops working."""
    issued = container.handle(IssueActivation(principal.subject, account_id))
    return ActivationRead(account_id=issued.account.id, username=issued.account.username,
                          activation_code=issued.activation_code, activation_expires_at=issued.expires_at)


@router.get("", response_model=AccountPage)
def list_accounts(principal: PrincipalDep, container: ContainerDep,
                  role: str | None = None, org_id: str | None = None,
                  q: Annotated[str | None, Query(max_length=100, description="part of username or name")] = None,
                  limit: Annotated[int, Query(ge=1, le=200)] = 50,
                  offset: Annotated[int, Query(ge=0)] = 0) -> AccountPage:
    """Accounts the caller may administer, by username."""
    page = queries.list_accounts(principal.subject, container.deps, role=role, org_id=org_id, text=q,
                                 limit=limit, offset=offset)
    return AccountPage(items=[_read(container, a) for a in page.items], total=page.total, limit=page.limit,
                       offset=page.offset)


@router.get("/{account_id}", response_model=AccountRead)
def get_account(account_id: str, principal: PrincipalDep, container: ContainerDep) -> AccountRead:
    return _read(container, queries.get_account(principal.subject, account_id, container.deps))


@router.patch("/{account_id}/scopes", response_model=AccountRead)
def change_scopes(account_id: str, body: ScopesUpdate, principal: PrincipalDep,
                  container: ContainerDep) -> AccountRead:
    """Change role and/or scopes; both the old and the new state must be within the caller's reach."""
    account = container.handle(ChangeScopes(
        actor_id=principal.subject, account_id=account_id, role=body.role.value if body.role else None,
        org_ids=body.org_ids, class_ids=body.class_ids, child_ids=body.child_ids))
    return _read(container, account)


@router.post("/{account_id}/lock", response_model=AccountRead)
def lock(account_id: str, principal: PrincipalDep, container: ContainerDep) -> AccountRead:
    """Lock until an administrator unlocks; signs the account out everywhere."""
    return _read(container, container.handle(LockAccount(principal.subject, account_id)))


@router.post("/{account_id}/unlock", response_model=AccountRead)
def unlock(account_id: str, principal: PrincipalDep, container: ContainerDep) -> AccountRead:
    """Lift an administrator's lock or a lockout after failed sign-ins."""
    return _read(container, container.handle(UnlockAccount(principal.subject, account_id)))


@router.post("/{account_id}/disable", response_model=AccountRead)
def disable(account_id: str, principal: PrincipalDep, container: ContainerDep) -> AccountRead:
    """Switch the account off for good (history is kept); signs it out everywhere."""
    return _read(container, container.handle(DisableAccount(principal.subject, account_id)))
