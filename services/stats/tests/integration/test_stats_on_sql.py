"""stats' projections on SQLite and PostgreSQL through the migrations: the migrations match the tables, and codes of
the producers' maximum length arrive whole — an organisation code of 40 characters (education accepts 40) and a
subject code of 40 (education's subjects, carried on by hr and teacher). They were 32 here, so PostgreSQL refused
them and the events were dead-lettered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2 as edu
from esis.hr.v1 import hr_events_pb2 as hr
from esis.teacher.v1 import teacher_events_pb2 as teacher
from esis_shared.db import alembic_config, make_engine, make_session_factory, migrate, transaction
from esis_shared.kafka import Envelope
from sqlalchemy import Engine, inspect, select
from stats.adapters import orm
from stats.bootstrap import MIGRATIONS_DIR
from stats.entrypoints.consumer import BATCH_HANDLERS, HANDLERS

pytestmark = pytest.mark.integration

ORG_CODE_40 = "MN-11-UB-SUKHBAATAR-DISTRICT-SCHOOL-0141"
SUBJECT_40 = "SCIENCE-AND-TECHNOLOGY-ELECTIVE-GRADE-12"
SCHOOL = common_pb2.OrgRef(org_id="sch-1", aimag_code="11")
ON = common_pb2.Date(year=2026, month=9, day=1)


@pytest.fixture
def engine(sql_url: str) -> Iterator[Engine]:
    migrate(sql_url, MIGRATIONS_DIR)
    built = make_engine(sql_url)
    yield built
    built.dispose()


def deliver(engine: Engine, message, *, batch: bool = False) -> None:
    event_type = message.DESCRIPTOR.full_name
    envelope = Envelope.for_message(message, source="test", topic="test.v1", key="k")
    with transaction(make_session_factory(engine)) as session:
        if batch:
            BATCH_HANDLERS[event_type](session, [(message, envelope)])
        else:
            HANDLERS[event_type](session, message, envelope)


def column(engine: Engine, table, name: str) -> list[str]:
    with engine.connect() as conn:
        return conn.execute(select(table.c[name]).order_by(table.c[name])).scalars().all()


def test_the_values_are_of_the_maximum_length() -> None:
    assert (len(ORG_CODE_40), len(SUBJECT_40)) == (40, 40)


def test_migrations_match_the_tables(engine) -> None:
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), orm.metadata) == []


@pytest.mark.parametrize("batch", [False, True], ids=["one by one", "batched"])
def test_a_40_character_org_code_arrives_whole(engine, batch: bool) -> None:
    deliver(engine, edu.OrgUnitCreated(unit_id="sch-1", kind=edu.ORG_KIND_SCHOOL, code=ORG_CODE_40,
                                       name_mn="141-р сургууль", parent_id="dst-1", valid_from=ON), batch=batch)

    assert column(engine, orm.org_units, "code") == [ORG_CODE_40]


@pytest.mark.parametrize("batch", [False, True], ids=["one by one", "batched"])
def test_a_40_character_subject_code_arrives_whole_in_teaching_and_grades(engine, batch: bool) -> None:
    deliver(engine, hr.TeachingAssigned(assignment_id="asg-1", staff_id="stf-1", class_id="cls-5b", org_id="sch-1",
                                        subject_code=SUBJECT_40, school_year="2026-2027", weekly_hours=3,
                                        start_date=ON), batch=batch)
    deliver(engine, teacher.TermGradePublished(learner_id="lrn-1", class_id="cls-5b", school=SCHOOL,
                                               subject_code=SUBJECT_40, school_year="2026-2027", term=1, percent=91.5,
                                               scale="secondary", grade="A"), batch=batch)

    assert (column(engine, orm.teaching, "subject_code"), column(engine, orm.grades, "subject_code")) == (
        [SUBJECT_40], [SUBJECT_40])


def test_migration_0003_widens_the_codes_and_downgrades_to_32(engine, sql_url: str) -> None:
    deliver(engine, edu.OrgUnitCreated(unit_id="sch-1", kind=edu.ORG_KIND_SCHOOL, code=ORG_CODE_40, name_mn="141",
                                       valid_from=ON))
    config = alembic_config(sql_url, MIGRATIONS_DIR)
    command.downgrade(config, "0002")
    with engine.connect() as conn:
        narrow = {c["name"]: getattr(c["type"], "length", None) for c in inspect(conn).get_columns("org_units")}
    kept = column(engine, orm.org_units, "code")
    command.upgrade(config, "head")
    with engine.connect() as conn:
        wide = {c["name"]: getattr(c["type"], "length", None) for c in inspect(conn).get_columns("org_units")}

    assert (narrow["code"], wide["code"], kept) == (32, 40, [ORG_CODE_40[:32]])
