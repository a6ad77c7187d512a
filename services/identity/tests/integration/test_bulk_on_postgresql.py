"""Bulk account creation on PostgreSQL: thousands of accounts, their scopes, codes and events in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from identity.adapters.orm import account_activations, account_scopes, accounts, outbox
from identity.adapters.passwords import Argon2Hasher
from identity.bootstrap import Container, bootstrap
from identity.config import Settings
from identity.entrypoints.api.app import build_app
from identity.service_layer.commands import CreateAccount
from sqlalchemy import func, select

pytestmark = pytest.mark.integration
API = "/api/identity/v1"
PASSWORD = "Correct-horse-42"


@pytest.fixture
def client(postgres_url: str, key_file: Path, fast_hasher: Argon2Hasher) -> Iterator[tuple[TestClient, Container]]:
    settings = Settings(database_url=postgres_url, signing_key_file=str(key_file), kafka_enabled=False)
    container = bootstrap(settings, hasher=fast_hasher, run_migrations=True)
    container.handle(CreateAccount(None, "bold", PASSWORD, "ministry"))
    with TestClient(build_app(container)) as test_client:
        yield test_client, container
    container.close()


def counts(container: Container) -> tuple[int, ...]:
    with container.engine.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(table)).scalar_one()
                     for table in (accounts, account_scopes, account_activations, outbox))


def test_thousands_of_accounts_arrive_with_scopes_codes_and_events_in_order(client) -> None:
    test_client, container = client
    token = test_client.post(f"{API}/auth/login", json={"username": "bold", "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    rows = [{"username": f"p-{n:05d}", "role": "parent", "org_ids": [f"school-{n % 7}"], "child_ids": [f"l-{n}"]}
            for n in range(3000)]
    response = test_client.post(f"{API}/accounts:bulk", json={"accounts": rows}, headers=headers)
    assert response.status_code == 201, response.text[:500]
    assert counts(container) == (3001, 6000, 3000, 3001)
    with container.engine.connect() as conn:
        keys = list(conn.execute(select(outbox.c.key).order_by(outbox.c.seq)).scalars())
    assert keys[1:] == [a["id"] for a in response.json()["accounts"]]
    again = test_client.post(f"{API}/accounts:bulk", json={"accounts": rows[:2] + [
        {"username": "p-new", "role": "parent", "org_ids": ["school-1"]}]}, headers=headers)
    assert again.status_code == 422 and len(again.json()["error"]["details"]["rows"]) == 2
    assert counts(container) == (3001, 6000, 3000, 3001)
    first = response.json()["accounts"][0]
    signed_in = test_client.post(f"{API}/auth/activate", json={
        "username": first["username"], "activation_code": first["activation_code"], "new_password": "Oyun-2024-home"})
    assert signed_in.status_code == 200
    assert counts(container)[2] == 2999
