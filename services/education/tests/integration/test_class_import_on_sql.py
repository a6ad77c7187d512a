"""Class-list imports on real databases (SQLite file and PostgreSQL): all rows or none, nothing twice, the job's
report stored and read back, and two uploads of the same list at once creating each learner once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from education import reference
from education.adapters import orm
from education.adapters.repository import SqlUnitOfWork
from education.bootstrap import Container
from education.domain.access import Actor, Role
from education.domain.imports import ImportRow, ImportState
from education.service_layer import commands, views
from education.service_layer.handlers.common import Context
from sqlalchemy import func, select

pytestmark = pytest.mark.integration
MINISTRY = Actor("ministry-1", Role.MINISTRY)
YEAR = "2024-2025"
GUARDIAN = {"guardian_family_name": "Дорж", "guardian_given_name": "Оюун", "guardian_relationship": "эх",
            "guardian_phone": "00110001"}


def _school(c: Container) -> tuple[str, Actor]:
    school = c.handle(commands.CreateOrgUnit(kind="school", code="S-1", name_mn="1-р сургууль",
                                             parent_id=reference.org_id("6501"), opened_on=date(2000, 9, 1)), MINISTRY)
    c.handle(commands.DefineSchoolYear(2024), MINISTRY)
    admin = Actor("admin-1", Role.SCHOOL_ADMIN, org_ids=frozenset({school}))
    c.handle(commands.OpenClass(school, YEAR, "5", "А", 1, 30, "101"), admin)
    return school, admin


def _rows(count: int, **bad: str) -> tuple[ImportRow, ...]:
    lines = []
    for n in range(count):
        born = date(2013, 1 + n % 12, 1 + n // 12)
        number = f"УБ13{born.month + 20:02d}{born:%d}{2 * (n % 5)}{n % 10}"
        lines.append(ImportRow(n + 2, {"class_name": "5А", "register_number": number, "family_name": "Бат",
                                       "given_name": "Сарнай" + "а" * n, "birth_date": born.isoformat(),
                                       "sex": "эмэгтэй", **GUARDIAN}))
    if bad:
        lines[-1] = ImportRow(lines[-1].row, {**lines[-1].values, **bad})
    return tuple(lines)


def _import(c: Container, school: str, admin: Actor, rows: tuple[ImportRow, ...]) -> str:
    job_id = c.handle(commands.StartClassImport(school, YEAR, "5a.xlsx", rows, {"sex": "ХҮЙС"}), admin)
    c.handle(commands.RunClassImport(job_id), admin)
    return job_id


def _count(c: Container, table) -> int:  # type: ignore[no-untyped-def]
    with c.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_bad_row_leaves_the_database_untouched_and_its_report_is_stored(container: Container) -> None:
    school, admin = _school(container)
    outbox_before = _count(container, orm.outbox)

    job_id = _import(container, school, admin, _rows(5, sex="хүү"))

    job = views.import_job(container.context(admin), job_id)
    assert job.state is ImportState.REJECTED and job.rows == []
    assert [(e.row, e.field, e.code) for e in job.errors] == [(6, "sex", "import_sex")]
    assert job.headers == {"sex": "ХҮЙС"} and job.summary is not None and job.summary.learners_created == 4
    assert (_count(container, orm.learners), _count(container, orm.guardians)) == (0, 0)
    assert _count(container, orm.outbox) == outbox_before


def test_importing_the_same_list_twice_creates_nothing_new(container: Container) -> None:
    school, admin = _school(container)
    first = views.import_job(container.context(admin), _import(container, school, admin, _rows(30)))
    outbox_after_first = _count(container, orm.outbox)

    second = views.import_job(container.context(admin), _import(container, school, admin, _rows(30)))

    assert (first.state, first.summary.learners_created, first.summary.guardians_created) == (ImportState.DONE, 30, 1)
    assert (second.state, second.summary.learners_created, second.summary.rows_unchanged) == (ImportState.DONE, 0, 30)
    assert (_count(container, orm.learners), _count(container, orm.enrolments)) == (30, 30)
    assert _count(container, orm.outbox) == outbox_after_first


class BarrierUnitOfWork(SqlUnitOfWork):
    """Both imports have checked every row before either saves."""

    def __init__(self, barrier: threading.Barrier, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.barrier = barrier

    def _commit(self, changed, events) -> None:  # type: ignore[no-untyped-def]
        self.barrier.wait(timeout=30)
        super()._commit(changed, events)


def test_the_same_list_sent_twice_at_once_registers_each_learner_once_on_postgresql(pg_container: Container) -> None:
    c = pg_container
    school, admin = _school(c)
    jobs = [c.handle(commands.StartClassImport(school, YEAR, "5a.csv", _rows(10)), admin) for _ in range(2)]
    barrier, stage = threading.Barrier(2), c.bus.uow_factory.args[1]  # type: ignore[attr-defined]

    def run(job_id: str) -> ImportState:
        ctx = Context(BarrierUnitOfWork(barrier, c.session_factory, stage), admin, c.clock, c.bus.uow_factory)
        return c.bus.handlers[commands.RunClassImport](commands.RunClassImport(job_id), ctx)

    with ThreadPoolExecutor(2) as pool:
        states = sorted(pool.map(run, jobs))

    assert states == [ImportState.DONE, ImportState.FAILED]
    failed = next(views.import_job(c.context(admin), j) for j in jobs
                  if views.import_job(c.context(admin), j).state is ImportState.FAILED)
    assert failed.errors[0].row == 0 and failed.errors[0].message_en
    assert (_count(c, orm.learners), _count(c, orm.enrolments), _count(c, orm.guardians)) == (10, 10, 1)
