"""Pooled PostgreSQL connections: one lost while idle is replaced before anyone uses it; busy ones are not pinged."""

from __future__ import annotations

import pytest
from esis_shared import db
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.integration


def backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def terminate(url: str, pid: int) -> None:
    admin = create_engine(url)
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()


def test_a_connection_lost_while_idle_is_replaced_unseen(postgres_url, monkeypatch):
    monkeypatch.setattr(db, "IDLE_PING_S", 0.0)
    engine = db.make_engine(postgres_url, pool_size=1, max_overflow=0)
    try:
        first = backend_pid(engine)
        terminate(postgres_url, first)
        assert backend_pid(engine) != first  # the ping failed, the pool connected again, the caller saw nothing
    finally:
        engine.dispose()


def test_only_a_connection_idle_long_enough_is_pinged(postgres_url, monkeypatch):
    monkeypatch.setattr(db, "IDLE_PING_S", 3600.0)
    busy = db.make_engine(postgres_url, pool_size=1, max_overflow=0)
    monkeypatch.setattr(db, "IDLE_PING_S", 0.0)
    idle = db.make_engine(postgres_url, pool_size=1, max_overflow=0)
    pings: list[str] = []
    try:
        for name, engine in (("busy", busy), ("idle", idle)):
            real = engine.dialect.do_ping
            monkeypatch.setattr(engine.dialect, "do_ping", lambda conn, name=name, real=real: (pings.append(name),
                                                                                             real(conn))[1])
            for _ in range(3):
                backend_pid(engine)
        assert pings == ["idle", "idle"]  # the first checkout of each gets a new connection: nothing to ping
    finally:
        busy.dispose()
        idle.dispose()
