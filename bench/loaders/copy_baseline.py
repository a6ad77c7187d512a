"""The bare baseline of scenario 2: raw PostgreSQL COPY of the generated CSV files into plain typed tables."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from bench.synthetic.writer import SCHEMAS, read_manifest

CHUNK = 1 << 20


@dataclass(frozen=True)
class Copied:
    rows: int
    seconds: float


def libpq_url(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


def copy_all(url: str, data: Path) -> dict[str, Copied]:
    """COPY every entity file into its own table (no indexes, no constraints); per-entity rows and seconds."""
    files = read_manifest(data)["files"]
    copied = {}
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        for entity, columns in SCHEMAS.items():
            conn.execute(f"CREATE TABLE {entity} ({', '.join(f'{name} {kind}' for name, kind in columns)})")
            copied[entity] = _copy(conn, entity, data / files[entity]["file"], files[entity]["rows"])
    return copied


def _copy(conn: psycopg.Connection, entity: str, path: Path, rows: int) -> Copied:
    started = time.perf_counter()
    with conn.transaction(), conn.cursor() as cur, \
            cur.copy(f"COPY {entity} FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            copy.write(chunk)
    return Copied(rows, time.perf_counter() - started)


def rate_of(copied: dict[str, Copied], entities: tuple[str, ...]) -> float:
    """COPY rows/s over the given entities together."""
    rows = sum(copied[e].rows for e in entities)
    seconds = sum(copied[e].seconds for e in entities)
    return rows / seconds if seconds else 0.0
