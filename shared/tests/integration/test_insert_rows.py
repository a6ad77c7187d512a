"""insert_rows: COPY on PostgreSQL, executemany on SQLite — same rows, same order, same type processing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from esis_shared.db import insert_rows, make_engine, make_session_factory, transaction, upsert_rows
from esis_shared.outbox import BigIntId
from sqlalchemy import JSON, Column, DateTime, LargeBinary, MetaData, String, Table, TypeDecorator, select

pytestmark = pytest.mark.integration


class Upper(TypeDecorator[str]):
    impl = String(20)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return value.upper() if value is not None else None


metadata = MetaData()
things = Table("things", metadata, Column("seq", BigIntId, primary_key=True, autoincrement=True),
               Column("name", Upper, nullable=False), Column("note", String(50), nullable=True),
               Column("at", DateTime(timezone=True), nullable=False), Column("blob", LargeBinary, nullable=False))


def test_rows_arrive_in_order_with_defaults_and_processed_values(sql_url):
    engine = make_engine(sql_url)
    metadata.create_all(engine)
    at = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
    rows = [{"name": f"школа-{i}", "note": None if i % 2 else "тэмдэглэл, \"quoted\"\ttab", "at": at,
             "blob": bytes([i % 256, 0, 255])} for i in range(500)]
    try:
        with transaction(make_session_factory(engine)) as session:
            insert_rows(session, things, rows)
            insert_rows(session, things, [])
        with engine.connect() as conn:
            stored = conn.execute(select(things).order_by(things.c.seq)).mappings().all()
    finally:
        engine.dispose()
    assert [r["name"] for r in stored] == [f"ШКОЛА-{i}" for i in range(500)]
    assert [r["seq"] for r in stored] == sorted(r["seq"] for r in stored)
    assert stored[0]["note"] == "тэмдэглэл, \"quoted\"\ttab" and stored[1]["note"] is None
    assert bytes(stored[7]["blob"]) == bytes([7, 0, 255])
    assert stored[0]["at"].replace(tzinfo=UTC) == at


documents = Table("documents", metadata, Column("seq", BigIntId, primary_key=True, autoincrement=True),
                  Column("codes", JSON, nullable=False), Column("extra", JSON, nullable=True))


def test_json_columns_keep_lists_and_objects(sql_url):
    """A list in a JSON column is stored as a JSON array (psycopg alone would COPY it as an array literal)."""
    engine = make_engine(sql_url)
    metadata.create_all(engine)
    rows = [{"codes": ["6510", "6511"], "extra": {"note": "дотуур байр", "days": [1, 2]}},
            {"codes": [], "extra": None}]
    try:
        with transaction(make_session_factory(engine)) as session:
            insert_rows(session, documents, rows)
        with engine.connect() as conn:
            stored = conn.execute(select(documents.c.codes, documents.c.extra).order_by(documents.c.seq)).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in stored] == [(["6510", "6511"], {"note": "дотуур байр", "days": [1, 2]}), ([], None)]


places = Table("places", metadata, Column("code", String(20), primary_key=True),
               Column("name", String(50), nullable=False), Column("tags", JSON, nullable=True))


def test_upsert_rows_inserts_new_keys_and_updates_existing_ones(sql_url):
    engine = make_engine(sql_url)
    metadata.create_all(engine)
    try:
        with transaction(make_session_factory(engine)) as session:
            upsert_rows(session, places, [{"code": "11", "name": "Улаанбаатар", "tags": ["capital"]},
                                          {"code": "65", "name": "Архангай", "tags": None}])
        with transaction(make_session_factory(engine)) as session:
            upsert_rows(session, places, [{"code": "65", "name": "Архангай аймаг", "tags": ["aimag"]},
                                          {"code": "41", "name": "Хөвсгөл", "tags": []}])
            upsert_rows(session, places, [])
        with engine.connect() as conn:
            stored = [tuple(r) for r in conn.execute(select(places).order_by(places.c.code))]
    finally:
        engine.dispose()
    assert stored == [("11", "Улаанбаатар", ["capital"]), ("41", "Хөвсгөл", []), ("65", "Архангай аймаг", ["aimag"])]
