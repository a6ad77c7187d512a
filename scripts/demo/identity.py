"""identity: the demo accounts, created by the development bootstrap admin (re-runs update their scopes)."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from demo.api import DEMO_PASSWORD, Api, login

ACCOUNTS_API = "/api/identity/v1/accounts"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    display_name: str
    org_ids: tuple[str, ...] = ()
    class_ids: tuple[str, ...] = ()
    child_ids: tuple[str, ...] = ()
    note: str = ""


def ensure_account(admin: Api, acc: DemoAccount) -> str:
    """Create the account, or on a re-run give the existing one today's scopes; returns its id."""
    scopes = {"org_ids": list(acc.org_ids), "class_ids": list(acc.class_ids), "child_ids": list(acc.child_ids)}
    body = {"username": acc.username, "password": DEMO_PASSWORD, "role": acc.role,
            "display_name": acc.display_name, **scopes}
    resp = admin.post(ACCOUNTS_API, body, tolerate=(409,))
    if resp.status_code != 409:
        return resp.json()["id"]
    found = account_id(admin, acc.username)
    # Empty scopes stay as they are: the teacher's classes come from hr, the parent's children from the portal.
    admin.call("PATCH", f"{ACCOUNTS_API}/{found}/scopes", json={k: v for k, v in scopes.items() if v})
    return found


def account_id(admin: Api, username: str) -> str:
    return next(a["id"] for a in admin.get(ACCOUNTS_API, q=username)["items"] if a["username"] == username)


def banner_line(acc: DemoAccount) -> str:
    return f"{acc.username:<22} {DEMO_PASSWORD:<16} {acc.role}{acc.note}"


@dataclass
class Demo:
    """What the steps share: the gateway client, the ministry caller, education's ids and the accounts made."""

    client: httpx.Client
    ministry: Api
    year_id: str = ""
    schools: dict[str, str] = field(default_factory=dict)
    classes: dict[str, str] = field(default_factory=dict)
    accounts: list[DemoAccount] = field(default_factory=list)
    child_id: str = ""

    def account(self, acc: DemoAccount) -> str:
        self.accounts.append(acc)
        return ensure_account(self.ministry, acc)

    def admin_of(self, key: str, username: str, name: str) -> Api:
        self.account(DemoAccount(username, "school_admin", name, org_ids=(self.schools[key],)))
        return login(self.client, username)
