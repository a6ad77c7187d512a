"""Request and response bodies of identity's JSON API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from identity.domain.model import Account, AccountStatus, Role
from identity.service_layer.accounts import BULK_MAX

_ID = Field(min_length=1, max_length=64)


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1024)


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=512)


class TokenRead(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "Bearer"
    expires_in: int = Field(description="Seconds until the access token expires")
    refresh_expires_in: int = Field(description="Seconds until the refresh token expires unless rotated")


class AccountCreate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {
        "username": "b.saruul", "password": "Saruul-2024-math", "role": "teacher", "display_name": "Б. Саруул",
        "org_ids": ["org-school-0a1b2c"], "class_ids": ["cls-5b-2024"]}})

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    role: Role
    display_name: str = Field(default="", max_length=200)
    org_ids: list[str] = Field(default_factory=list, max_length=500)
    class_ids: list[str] = Field(default_factory=list, max_length=500)
    child_ids: list[str] = Field(default_factory=list, max_length=50)


class NewAccountIn(BaseModel):
    """One account of a bulk request: as ``AccountCreate``, without a password."""

    username: str = Field(min_length=1, max_length=64)
    role: str = Field(min_length=1, max_length=32, description="checked per row, so a bad role is a row error")
    display_name: str = Field(default="", max_length=200)
    org_ids: list[str] = Field(default_factory=list, max_length=500)
    class_ids: list[str] = Field(default_factory=list, max_length=500)
    child_ids: list[str] = Field(default_factory=list, max_length=50)


class AccountsBulkCreate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"accounts": [
        {"username": "t-0001", "role": "teacher", "display_name": "Б. Саруул", "org_ids": ["org-school-0a1b2c"]},
        {"username": "p-0001", "role": "parent", "display_name": "Д. Оюун", "org_ids": ["org-school-0a1b2c"]}]}})

    accounts: list[NewAccountIn] = Field(min_length=1, max_length=BULK_MAX)


class CreatedAccountRead(BaseModel):
    row: int = Field(description="index of the account in the request")
    id: str
    username: str
    activation_code: str = Field(description="one-time code to set the first password; shown only here")


class AccountsBulkRead(BaseModel):
    created: int
    activation_expires_at: datetime
    accounts: list[CreatedAccountRead]


class ActivationRead(BaseModel):
    account_id: str
    username: str
    activation_code: str
    activation_expires_at: datetime


class ActivateRequest(BaseModel):
    username: str = Field(min_length=1, max_length=200)
    activation_code: str = Field(min_length=1, max_length=64)
    new_password: str = Field(min_length=1, max_length=1024)


class ScopesUpdate(BaseModel):
    """Fields left out keep their value; a list given replaces the whole list."""

    role: Role | None = None
    org_ids: list[str] | None = Field(default=None, max_length=500)
    class_ids: list[str] | None = Field(default=None, max_length=500)
    child_ids: list[str] | None = Field(default=None, max_length=50)


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class AccountRead(BaseModel):
    id: str
    username: str
    display_name: str
    role: Role
    status: AccountStatus
    org_ids: list[str]
    class_ids: list[str]
    child_ids: list[str]
    created_at: datetime
    locked_until: datetime | None = None
    last_login_at: datetime | None = None

    @classmethod
    def of(cls, account: Account, now: datetime) -> AccountRead:
        return cls(id=account.id, username=account.username, display_name=account.display_name,
                   role=account.role, status=account.status(now), org_ids=sorted(account.scopes.org_ids),
                   class_ids=sorted(account.scopes.class_ids), child_ids=sorted(account.scopes.child_ids),
                   created_at=account.created_at,
                   locked_until=account.locked_until if account.is_locked(now) else None,
                   last_login_at=account.last_login_at)


class AccountPage(BaseModel):
    items: list[AccountRead]
    total: int
    limit: int
    offset: int
