"""SQLAlchemy engine, session and unit-of-work helpers that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.expression import TableClause

IDLE_PING_S = 5.0  # a pooled PostgreSQL connection idle this long is pinged before use


def is_sqlite(url_or_engine: str | Engine) -> bool:
    url = str(url_or_engine.url) if isinstance(url_or_engine, Engine) else url_or_engine
    return url.startswith("sqlite")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout so threads can share it."""
    if is_sqlite(url):
        _ensure_sqlite_dir(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # A sync FastAPI endpoint runs in a thread pool of 40: with fewer pooled connections than concurrent requests,
    # every connection beyond the pool is opened (a server process forked) and closed again per request. Keep 20
    # (the same 30 at most as before), so ordinary concurrency reuses connections.
    kwargs.setdefault("pool_size", 20)
    kwargs.setdefault("max_overflow", 10)
    if "pool_pre_ping" in kwargs:
        return create_engine(url, **kwargs)
    engine = create_engine(url, **kwargs)
    _ping_after_idle(engine, IDLE_PING_S)
    return engine


def _ping_after_idle(engine: Engine, idle_s: float) -> None:
    """Check a pooled connection before use only if it sat idle for ``idle_s`` (pre-ping on every checkout costs
    a round trip per request). A connection lost while idle (database restart, firewall) is replaced unseen; one
    that dies while in busy use fails its next statement, and SQLAlchemy then discards the whole pool."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info["esis_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("esis_idle_since")
        if idle_since is None or time.monotonic() - idle_since < idle_s:
            return  # a new connection, or one in use moments ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError("pooled connection was lost while idle") from exc


def _ensure_sqlite_dir(url: str) -> None:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    session = session_factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def upsert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` or update the rows with the same primary key, in one executemany of ``INSERT … ON CONFLICT
    (primary key) DO UPDATE`` (SQLite and PostgreSQL).

    One statement, so a concurrent transaction inserting the same key makes this one wait and update instead of
    failing (a select-then-insert would hit the unique key). Rows have distinct keys and the same columns.
    """
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert_of = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
    if insert_of is None:
        raise NotImplementedError(f"upsert_rows supports SQLite and PostgreSQL, not {dialect}")
    keys = [c.name for c in table.primary_key.columns]
    statement = insert_of(table)
    rest = [name for name in rows[0] if name not in keys]
    statement = (statement.on_conflict_do_update(index_elements=keys, set_={n: statement.excluded[n] for n in rest})
                 if rest else statement.on_conflict_do_nothing(index_elements=keys))
    session.execute(statement, [dict(row) for row in rows])


def insert_rows(session: Session, table: TableClause, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert many rows in the caller's transaction: ``COPY … FROM STDIN`` on PostgreSQL, executemany elsewhere.

    For bulk paths (tens of thousands of rows): COPY skips the per-row statement work of an INSERT. Every row has
    the same keys; columns left out get their defaults (serial keys in the order of ``rows``). Values pass
    through the columns' bind processing (type decorators), as they would in an INSERT.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "postgresql":
        session.execute(table.insert(), list(rows))
        return
    names = list(rows[0])
    # The dialect's own type implementation (what an INSERT binds through): on psycopg a JSON column's processor
    # wraps the value for JSON dumping; the generic type's processor would leave a list to become an array literal.
    processors = [(i, process) for i, name in enumerate(names)
                  if (process := table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None]
    quote = dialect.identifier_preparer.quote
    statement = f"COPY {quote(table.name)} ({', '.join(quote(name) for name in names)}) FROM STDIN"
    driver = connection.connection.driver_connection
    assert driver is not None
    values = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        if not processors:
            for row in rows:
                copy.write_row(values(row))
            return
        for row in rows:
            record = list(values(row))
            for i, process in processors:
                record[i] = process(record[i])
            copy.write_row(record)


def ping(engine: Engine) -> bool:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return True


def alembic_config(database_url: str, migrations_dir: str | Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    cfg.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(slug)s")
    return cfg


def migrate(database_url: str, migrations_dir: str | Path, revision: str = "head") -> None:
    """Upgrade a service's database to ``revision`` (run before the service starts)."""
    if is_sqlite(database_url):
        _ensure_sqlite_dir(database_url)
    command.upgrade(alembic_config(database_url, migrations_dir), revision)


def run_alembic_env(target_metadata: Any) -> None:
    """Body of every service's ``migrations/env.py`` (online mode; SQLite uses batch mode)."""
    from alembic import context

    url = context.config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=is_sqlite(url), compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
