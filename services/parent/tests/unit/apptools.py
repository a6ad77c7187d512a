"""A parent app on a SQLite file with fakes for education, hr and the access log, and tokens for test users."""

from __future__ import annotations

import shutil
import tempfile
from functools import cache
from pathlib import Path

from esis_shared.auth import Principal, StaticKeyVerifier, jwks_document, sign_access_token
from esis_shared.db import migrate
from joserfc.jwk import RSAKey
from parent.bootstrap import MIGRATIONS_DIR, Container, bootstrap
from parent.config import Settings
from parent.domain.school import StaffContact

from .fakes import (
    BAT,
    NOON_UB,
    OTHER,
    SARNAI,
    Clock,
    FakeAccessLog,
    FakeEducation,
    FakeStaff,
    FakeTimetable,
    RecordedGuardian,
)

KEY = RSAKey.generate_key(2048, private=True)
ISSUER, AUDIENCE = "esis-identity", "esis"


def token(principal: Principal) -> str:
    return sign_access_token(principal, KEY, issuer=ISSUER, audience=AUDIENCE, ttl_s=3600)


def register() -> FakeEducation:
    found = FakeEducation()
    found.add("УБ14230211", BAT, RecordedGuardian("grd-1", "Оюун", "99112233"))
    found.add("УБ21251005", SARNAI, RecordedGuardian("grd-1", "Оюун", "99112233"))
    found.add("УБ14270101", OTHER, RecordedGuardian("grd-9", "Болд", "88001122", "father"))
    return found


def directory() -> FakeStaff:
    staff = FakeStaff()
    staff.add(StaffContact("stf-1", "Б.Сараа", "99001100", "saraa@school.mn", "acc-teacher", ("math",)), "cls-5b")
    return staff


@cache
def migrated_template() -> Path:
    """One migrated database per test process; each test gets a copy (migrating each time is slow)."""
    path = Path(tempfile.mkdtemp(prefix="parent-template-")) / "parent.db"
    migrate(f"sqlite:///{path}", MIGRATIONS_DIR)
    return path


def container(tmp_path: Path, clock: Clock | None = None, education: FakeEducation | None = None,
              timetable: FakeTimetable | None = None) -> Container:
    shutil.copy(migrated_template(), tmp_path / "parent.db")
    url = f"sqlite:///{tmp_path / 'parent.db'}"
    settings = Settings(database_url=url, kafka_enabled=False, amqp_enabled=False, grpc_port=None)
    verifier = StaticKeyVerifier(jwks_document([KEY]), issuer=ISSUER, audience=AUDIENCE)
    return bootstrap(settings, education=education or register(), access_log=FakeAccessLog(), staff=directory(),
                     timetable=timetable or FakeTimetable(), verifier=verifier, clock=clock or Clock(NOON_UB))
