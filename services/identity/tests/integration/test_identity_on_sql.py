"""identity on real databases: migrations on SQLite and PostgreSQL, sign-in and the outbox on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from esis_shared.db import alembic_config, make_engine, migrate
from fastapi.testclient import TestClient
from identity.adapters.orm import accounts, metadata, outbox
from identity.adapters.passwords import Argon2Hasher
from identity.bootstrap import MIGRATIONS_DIR, Container, bootstrap
from identity.config import Settings
from identity.domain.errors import AccountLocked, IdentityError, InvalidCredentials, RefreshTokenReused
from identity.domain.model import Account, Role, Scopes
from identity.entrypoints.api.app import build_app
from identity.service_layer.commands import CreateAccount
from sqlalchemy import func, inspect, select

pytestmark = pytest.mark.integration
PASSWORD = "Correct-horse-42"


@pytest.fixture
def pg_container(postgres_url: str, key_file: Path, fast_hasher: Argon2Hasher) -> Iterator[Container]:
    settings = Settings(database_url=postgres_url, signing_key_file=str(key_file), kafka_enabled=False)
    container = bootstrap(settings, hasher=fast_hasher, run_migrations=True)
    yield container
    container.close()


def create(container: Container, username: str, role: str = "ministry", orgs: tuple[str, ...] = ()) -> Account:
    return container.handle(CreateAccount(None, username, PASSWORD, role, org_ids=orgs))


def test_migrations_build_the_schema_the_code_expects(sql_url: str) -> None:
    migrate(sql_url, MIGRATIONS_DIR)
    engine = make_engine(sql_url)
    try:
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata) == []
        command.downgrade(alembic_config(sql_url, MIGRATIONS_DIR), "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate(sql_url, MIGRATIONS_DIR)
        assert {"accounts", "account_scopes", "refresh_tokens", "login_attempts", "outbox"} <= set(
            inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_login_then_me_on_postgresql(pg_container: Container) -> None:
    create(pg_container, "b.saruul", "teacher", ("school-1",))
    with TestClient(build_app(pg_container)) as client:
        tokens = client.post("/api/identity/v1/auth/login", json={"username": "b.saruul", "password": PASSWORD})
        assert tokens.status_code == 200, tokens.text
        me = client.get("/api/identity/v1/me", headers={"Authorization": f"Bearer {tokens.json()['access_token']}"})
    assert me.status_code == 200
    assert (me.json()["username"], me.json()["org_ids"]) == ("b.saruul", ["school-1"])


def test_account_and_its_event_are_committed_together(pg_container: Container) -> None:
    account = create(pg_container, "bold")
    with pg_container.engine.connect() as conn:
        rows = conn.execute(select(outbox.c.key, outbox.c.event_type, outbox.c.topic)).all()
    assert [tuple(r) for r in rows] == [(account.id, "esis.identity.v1.AccountCreated", "identity.accounts.v1")]


def test_rolled_back_transaction_leaves_neither_account_nor_event(pg_container: Container) -> None:
    with pytest.raises(RuntimeError), pg_container.deps.uow() as uow:
        account = Account.create(username="ghost", role=Role.MINISTRY, password_hash="x", scopes=Scopes(),
                                 now=pg_container.deps.clock())
        uow.accounts.add(account)
        assert len(uow.stage_events()) == 1  # the event row exists inside the transaction...
        raise RuntimeError("crash before commit")
    with pg_container.engine.connect() as conn:  # ...and is gone with it
        assert conn.execute(select(func.count()).select_from(outbox)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(accounts)).scalar_one() == 0


def test_concurrent_failed_sign_ins_are_all_counted(pg_container: Container) -> None:
    create(pg_container, "bold")

    def attempt(_: int) -> type[IdentityError]:
        try:
            pg_container.login("bold", "Wrong-password-1")
        except IdentityError as exc:
            return type(exc)
        raise AssertionError("a wrong password signed in")

    with ThreadPoolExecutor(max_workers=5) as pool:
        outcomes = list(pool.map(attempt, range(5)))
    assert sorted(o.__name__ for o in outcomes) == ["AccountLocked"] + ["InvalidCredentials"] * 4
    with pytest.raises(AccountLocked):
        pg_container.login("bold", PASSWORD)
    assert InvalidCredentials in outcomes


def test_a_refresh_token_presented_twice_at_once_is_rotated_only_once(pg_container: Container) -> None:
    create(pg_container, "bold")
    token = pg_container.login("bold", PASSWORD).refresh_token

    def rotate(_: int) -> str:
        try:
            pg_container.refresh(token)
            return "rotated"
        except RefreshTokenReused:
            return "reused"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(rotate, range(2)))
    assert outcomes == ["reused", "rotated"]
