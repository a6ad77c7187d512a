"""Small demo data for `make run`, loaded through the gateway with each service's own API.

Prints one line per demo login (the supervisor shows them in its banner). All data is synthetic.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

import httpx

ADMIN = ("admin", "change-me-dev-2026")  # identity's development bootstrap admin (refused in production)
DEMO_PASSWORD = "Demo-2026-esis"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    display_name: str
    org_ids: tuple[str, ...] = ()
    class_ids: tuple[str, ...] = ()
    child_ids: tuple[str, ...] = ()


ACCOUNTS = (
    DemoAccount("ministry.demo", "ministry", "Яамны мэргэжилтэн (demo)"),
    DemoAccount("ub.officer.demo", "aimag_officer", "НББГ-ын мэргэжилтэн (demo)", org_ids=("11",)),
    DemoAccount("school.admin.demo", "school_admin", "Сургуулийн захиргаа (demo)", org_ids=("demo-school-1",)),
    DemoAccount("teacher.demo", "teacher", "Б. Саруул (demo)", org_ids=("demo-school-1",),
                class_ids=("demo-class-5a",)),
    DemoAccount("parent.demo", "parent", "Д. Оюун (demo)", org_ids=("demo-school-1",)),
)


def login(client: httpx.Client, username: str, password: str) -> str:
    resp = client.post("/api/identity/v1/auth/login", json={"username": username, "password": password})
    resp.raise_for_status()
    return resp.json()["access_token"]


def create_accounts(client: httpx.Client, token: str) -> list[str]:
    lines = []
    for acc in ACCOUNTS:
        body = {"username": acc.username, "password": DEMO_PASSWORD, "role": acc.role,
                "display_name": acc.display_name, "org_ids": list(acc.org_ids),
                "class_ids": list(acc.class_ids), "child_ids": list(acc.child_ids)}
        resp = client.post("/api/identity/v1/accounts", json=body, headers={"Authorization": f"Bearer {token}"})
        if resp.status_code not in (201, 409):
            raise SystemExit(f"creating demo account {acc.username} failed: {resp.status_code} {resp.text}")
        lines.append(f"{acc.username:<20} {DEMO_PASSWORD:<16} {acc.role}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    with httpx.Client(base_url=args.gateway, timeout=30) as client:
        token = login(client, *ADMIN)
        lines = [f"{ADMIN[0]:<20} {ADMIN[1]:<16} platform administrator (ministry)"]
        lines += create_accounts(client, token)
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
