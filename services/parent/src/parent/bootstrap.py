"""Composition root: settings → engine, unit of work, clients of education and hr, the WHO growth standard.

``Container.deps`` is what handlers and views take; ``app.state.container`` holds the container for the API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from esis_shared.auth import JwksVerifier, TokenVerifier
from esis_shared.db import make_engine, make_session_factory, migrate
from sqlalchemy import Engine

from parent.adapters.clients import EducationClient, EducationHttp, HrDirectory
from parent.adapters.unit_of_work import SqlUnitOfWork
from parent.adapters.who_growth import WhoGrowthStandard
from parent.config import Settings, ensure_safe_for_profile
from parent.domain.guardians import ThrottlePolicy
from parent.service_layer.ports import AccessLog, Deps, Education, StaffDirectory, TimetableSource

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Container:
    settings: Settings
    engine: Engine
    deps: Deps
    verifier: TokenVerifier

    def close(self) -> None:
        self.engine.dispose()


def throttle_policy(settings: Settings) -> ThrottlePolicy:
    return ThrottlePolicy(settings.claim_max_failures, timedelta(minutes=settings.claim_window_minutes),
                          timedelta(minutes=settings.claim_lock_minutes))


def bootstrap(settings: Settings | None = None, *, engine: Engine | None = None, education: Education | None = None,
              access_log: AccessLog | None = None, staff: StaffDirectory | None = None,
              timetable: TimetableSource | None = None, verifier: TokenVerifier | None = None,
              clock: Callable[[], datetime] = utc_now, run_migrations: bool = False) -> Container:
    """Build the container; tests pass fakes for the other services and a static-key verifier."""
    settings = settings or Settings()
    ensure_safe_for_profile(settings)
    if run_migrations:
        migrate(settings.database_url, MIGRATIONS_DIR)
    engine = engine or make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    grpc_education = EducationClient(settings.education_grpc) if education is None or timetable is None else None
    deps = Deps(uow=lambda: SqlUnitOfWork(sessions), education=education or grpc_education,
                access_log=access_log or EducationHttp(settings.education_url),
                staff=staff or HrDirectory(settings.hr_grpc), timetable=timetable or grpc_education,
                growth=WhoGrowthStandard(), clock=clock, throttle=throttle_policy(settings))
    verifier = verifier or JwksVerifier.of(settings)
    return Container(settings, engine, deps, verifier)
