"""One signed-in caller of the gateway, and what every step needs to sign in."""

from __future__ import annotations

import base64
import json
import time
from typing import Any
from zoneinfo import ZoneInfo

import httpx

ADMIN = ("admin", "change-me-dev-2026")  # identity's development bootstrap admin (refused in production)
DEMO_PASSWORD = "Demo-2026-esis"
UB = ZoneInfo("Asia/Ulaanbaatar")


class Api:
    """One signed-in caller of the gateway; waits out the gateway's rate limit instead of failing."""

    def __init__(self, client: httpx.Client, token: str) -> None:
        self.client, self.token, self.headers = client, token, {"Authorization": f"Bearer {token}"}

    def call(self, method: str, path: str, *, tolerate: tuple[int, ...] = (), **kwargs: Any) -> httpx.Response:
        for _ in range(20):
            resp = self.client.request(method, path, headers=self.headers, **kwargs)
            if resp.status_code != 429:
                break
            time.sleep(float(resp.headers.get("Retry-After", "1")))
        if resp.is_error and resp.status_code not in tolerate:
            raise SystemExit(f"demo data: {method} {path} failed: {resp.status_code} {resp.text}")
        return resp

    def post(self, path: str, body: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        return self.call("POST", path, json=body or {}, **kwargs)

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, params=params).json()

    def claims(self) -> dict[str, Any]:
        """The access token's claims (read, not verified: the gateway verified it)."""
        payload = self.token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def login(client: httpx.Client, username: str, password: str = DEMO_PASSWORD) -> Api:
    resp = client.post("/api/identity/v1/auth/login", json={"username": username, "password": password})
    if resp.is_error:
        raise SystemExit(f"demo data: signing in as {username} failed: {resp.status_code} {resp.text}")
    return Api(client, resp.json()["access_token"])


def wait_for_scope(client: httpx.Client, username: str, claim: str, expected: set[str], what: str,
                   timeout_s: float = 90.0) -> None:
    """Sign in until the token's ``claim`` (``cls``, ``chd``) is ``expected``: identity follows other services'
    events (hr's assignments, the parent portal's child links), so the scope arrives a moment later."""
    deadline = time.monotonic() + timeout_s
    while (found := set(login(client, username).claims().get(claim, []))) != expected:
        if time.monotonic() > deadline:
            raise SystemExit(f"demo data: {username}'s token still has {claim} {sorted(found)} after {timeout_s:.0f} s,"
                             f" not {what} {sorted(expected)}; see .run/logs/identity.log")
        time.sleep(1)
