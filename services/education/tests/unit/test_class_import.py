"""Class-list imports on the in-memory store: every bad row reported, all rows or none, nothing twice."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from education.adapters.memory import MemoryUnitOfWork
from education.domain.errors import Conflict, Forbidden
from education.domain.events import GuardianLinked, LearnerEnrolled, LearnerRegistered
from education.domain.imports import ImportJob, ImportRow, ImportState
from education.service_layer import commands, views
from education.service_layer.messagebus import MessageBus
from esis_shared.national_id import Sex

YEAR = "2024-2025"
World = Any  # the `world` fixture of conftest.py


def register_number(born: date, sex: Sex, serial: int) -> str:
    """Synthetic: birth date with the +20 month rule, odd digit for boys, then a serial."""
    sex_digit = 2 * (serial % 5) + (1 if sex is Sex.MALE else 0)
    return f"УБ{born:%y}{born.month + 20:02d}{born:%d}{sex_digit}{serial % 10}"


def learner(serial: int, *, cls: str = "5А", sex: Sex = Sex.FEMALE, born: date | None = None, **extra: str) -> dict:
    born = born or date(2014, 1 + serial % 12, 1 + serial // 12)  # grade 5 in 2024-2025, one day per serial
    given = ("Сарнай", "Номин", "Хулан", "Анужин", "Солонго", "Уянга")[serial % 6] + "а" * (serial // 6)
    return {"class_name": cls, "register_number": register_number(born, sex, serial=serial), "family_name": "Бат",
            "given_name": given, "birth_date": born.isoformat(), "sex": "эмэгтэй" if sex is Sex.FEMALE else "эрэгтэй",
            "guardian_family_name": "Дорж", "guardian_given_name": "Оюун", "guardian_relationship": "эх",
            "guardian_phone": f"0011{serial:04d}", **extra}


def rows(*lines: dict[str, Any]) -> tuple[ImportRow, ...]:
    return tuple(ImportRow(n, line) for n, line in enumerate(lines, start=2))


def run(w: World, lines: tuple[ImportRow, ...], *, dry_run: bool = False, school: str | None = None) -> ImportJob:
    school = school or w.school_a
    job_id = w.do(commands.StartClassImport(school, YEAR, "5a.csv", lines, {}, dry_run), w.admin(school))
    w.do(commands.RunClassImport(job_id), w.admin(school))
    return w.store.tables["import_jobs"][job_id]


def errors(job: ImportJob) -> list[tuple[int, str, str]]:
    return [(e.row, e.field, e.code) for e in job.errors]


@pytest.fixture
def class_5a(world: World) -> str:
    return world.open_class(world.school_a, level="5", letter="А", capacity=30)


def test_a_clean_list_registers_enrols_and_links_guardians(world: World, class_5a: str) -> None:
    job = run(world, rows(*(learner(i) for i in range(1, 4))))

    assert job.state is ImportState.DONE and job.errors == []
    assert (job.summary.learners_created, job.summary.enrolments_created, job.summary.guardians_created) == (3, 3, 3)
    _, roster = views.class_roster(world.ctx(world.admin(world.school_a)), class_5a, as_of=None, purpose="Шалгах")
    assert sorted(x.given_name for x in roster) == ["Анужин", "Номин", "Хулан"]
    assert [len(world.events(k)) for k in (LearnerRegistered, GuardianLinked, LearnerEnrolled)] == [3, 3, 3]
    assert job.rows == [], "register numbers are not kept once imported"


def test_the_same_file_twice_creates_nothing_new(world: World, class_5a: str) -> None:
    lines = rows(*(learner(i) for i in range(1, 4)))
    run(world, lines)
    world.store.outbox.clear()

    again = run(world, lines)

    assert again.state is ImportState.DONE
    assert (again.summary.learners_created, again.summary.learners_existing, again.summary.rows_unchanged) == (0, 3, 3)
    assert len(world.store.tables["learners"]) == 3 and len(world.store.tables["guardians"]) == 3
    assert world.store.outbox == []


def test_one_bad_row_rejects_the_whole_file_naming_row_and_column(world: World, class_5a: str) -> None:
    wrong_month = learner(2, register_number="УБ14350220")
    job = run(world, rows(learner(1), wrong_month, {**learner(3, sex=Sex.MALE), "sex": "хүү"}))

    assert job.state is ImportState.REJECTED
    assert errors(job) == [(3, "register_number", "register_number_birth_month"), (4, "sex", "import_sex")]
    assert "сар" in job.errors[0].message_mn and "month" in job.errors[0].message_en
    assert world.store.tables["learners"] == {} and world.store.tables["guardians"] == {}
    assert not any(world.events(k) for k in (LearnerRegistered, GuardianLinked, LearnerEnrolled))


def test_every_bad_cell_of_a_row_is_reported(world: World, class_5a: str) -> None:
    bad = learner(1, family_name="Bat", birth_date="02.05.2014", class_name="", guardian_phone="12")
    job = run(world, rows(bad))
    assert sorted(field for _, field, _ in errors(job)) == ["birth_date", "class_name", "family_name",
                                                            "guardian_phone"]


def test_guardian_columns_are_all_needed_once_one_is_filled(world: World, class_5a: str) -> None:
    job = run(world, rows(learner(1, guardian_relationship="", guardian_phone="")))
    assert errors(job) == [(2, "guardian_relationship", "import_cell_required"),
                           (2, "guardian_phone", "import_cell_required")]


def test_learners_without_guardian_columns_are_imported(world: World, class_5a: str) -> None:
    line = {k: v for k, v in learner(1).items() if not k.startswith("guardian_")}
    job = run(world, rows(line))
    assert job.state is ImportState.DONE and job.summary.guardians_created == 0


def test_dry_run_reports_what_it_would_do_and_saves_nothing_until_confirmed(world: World, class_5a: str) -> None:
    checked = run(world, rows(learner(1), learner(2)), dry_run=True)
    assert checked.state is ImportState.DONE and checked.summary.learners_created == 2
    assert world.store.tables["learners"] == {}

    admin = world.admin(world.school_a)
    job_id = world.do(commands.ConfirmClassImport(checked.id), admin)
    world.do(commands.RunClassImport(job_id), admin)

    assert world.store.tables["import_jobs"][job_id].state is ImportState.DONE
    assert len(world.store.tables["learners"]) == 2
    with pytest.raises(Conflict):
        world.do(commands.ConfirmClassImport(checked.id), admin)


def test_a_dry_run_with_errors_cannot_be_confirmed(world: World, class_5a: str) -> None:
    checked = run(world, rows(learner(1, sex="?")), dry_run=True)
    assert checked.state is ImportState.REJECTED
    with pytest.raises(Conflict):
        world.do(commands.ConfirmClassImport(checked.id), world.admin(world.school_a))


def test_an_unknown_class_is_named_with_the_classes_that_exist(world: World, class_5a: str) -> None:
    job = run(world, rows(learner(1, class_name="5В")))
    assert errors(job) == [(2, "class_name", "import_class_unknown")]
    assert "5А" in job.errors[0].message_mn and "open the class first" in job.errors[0].message_en


def test_class_names_are_matched_loosely(world: World, class_5a: str) -> None:
    job = run(world, rows(learner(1, class_name="5 a"), learner(2, class_name="5-А")))  # Latin a, then a hyphen
    assert job.state is ImportState.DONE and job.summary.enrolments_created == 2


def test_a_full_class_stops_at_the_row_that_overflows_it(world: World) -> None:
    world.open_class(world.school_a, level="5", letter="А", capacity=2)
    job = run(world, rows(learner(1), learner(2), learner(3)))
    assert errors(job) == [(4, "class_name", "class_full")]


def test_a_register_number_twice_in_the_file_is_reported_on_the_second_row(world: World, class_5a: str) -> None:
    twice = learner(1, given_name="Номин")
    job = run(world, rows(learner(1), twice))
    assert errors(job) == [(3, "register_number", "import_repeated_register_number")]
    assert "2-р мөр" in job.errors[0].message_mn


def test_a_learner_of_another_school_needs_a_transfer(world: World, class_5a: str) -> None:
    world.open_class(world.school_b, level="5", letter="А")
    run(world, rows(learner(1)), school=world.school_b)
    job = run(world, rows(learner(1)))
    assert errors(job) == [(2, "register_number", "import_learner_elsewhere")]


def test_a_known_register_number_with_other_names_is_refused(world: World, class_5a: str) -> None:
    run(world, rows(learner(1)))
    job = run(world, rows(learner(1, given_name="Дулмаа")))
    assert errors(job) == [(2, "register_number", "import_learner_differs")]


def test_siblings_share_one_guardian_record(world: World, class_5a: str) -> None:
    job = run(world, rows(learner(1, guardian_phone="00110001"), learner(2, guardian_phone="00110001")))
    assert job.summary.guardians_created == 1 and len(world.store.tables["guardians"]) == 1


def test_only_the_schools_admin_may_import(world: World, class_5a: str) -> None:
    with pytest.raises(Forbidden):
        world.do(commands.StartClassImport(world.school_a, YEAR, "x.csv", rows(learner(1))),
                 world.admin(world.school_b))


class WatchedJobs(dict):
    """The import_jobs table, remembering every (state, processed rows) a person polling could have seen."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, int]] = []

    def __setitem__(self, key: str, job: ImportJob) -> None:
        self.seen.append((job.state.value, job.processed_rows))
        super().__setitem__(key, job)


def test_progress_is_visible_while_a_long_list_is_checked(world: World) -> None:
    world.open_class(world.school_a, level="5", letter="А", capacity=60)
    world.store.tables["import_jobs"] = watched = WatchedJobs()
    run(world, rows(*(learner(i) for i in range(1, 61))))
    assert watched.seen == [("queued", 0), ("running", 0), ("running", 25), ("running", 50), ("done", 60)]


def test_a_crash_while_saving_leaves_nothing_and_reports_the_failure(world: World, class_5a: str) -> None:
    made: list[MemoryUnitOfWork] = []

    def factory() -> MemoryUnitOfWork:
        uow = MemoryUnitOfWork(world.store)
        uow.fail_on_commit = not made  # the first unit of work of a command is its main transaction
        made.append(uow)
        return uow

    admin = world.admin(world.school_a)
    job_id = world.do(commands.StartClassImport(world.school_a, YEAR, "5a.csv", rows(learner(1))), admin)
    MessageBus(factory, world.clock).handle(commands.RunClassImport(job_id), admin)

    job = world.store.tables["import_jobs"][job_id]
    assert job.state is ImportState.FAILED and job.errors[0].row == 0
    assert world.store.tables["learners"] == {}


def test_a_job_whose_process_stopped_shows_as_failed(world: World, class_5a: str) -> None:
    job_id = world.do(commands.StartClassImport(world.school_a, YEAR, "5a.csv", rows(learner(1))),
                      world.admin(world.school_a))
    job = world.store.tables["import_jobs"][job_id]
    assert job.state_on(world.clock.now() + timedelta(minutes=5)) is ImportState.QUEUED
    assert job.state_on(world.clock.now() + timedelta(minutes=11)) is ImportState.FAILED
