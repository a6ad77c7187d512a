"""hr on real databases: migrations, aggregates surviving a round trip, the outbox, effective-dated queries."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from esis_shared.db import alembic_config, make_engine, migrate
from hr.adapters.orm import metadata, personal_data_reads, positions, staff
from hr.bootstrap import MIGRATIONS_DIR
from hr.domain.access import Actor, Role
from hr.domain.errors import Conflict
from hr.domain.values import SchoolYear
from hr.entrypoints.staff_sheet import read_sheet
from hr.service_layer import commands, views
from hr.service_layer.staff_import import ImportStaff
from sqlalchemy import func, inspect, select

from .conftest import ADMIN, SCHOOL, hire, position

pytestmark = pytest.mark.integration
BOLD, SARAA = ("УБ85031512", date(1985, 3, 15), "male"), ("ТА92112024", date(1992, 11, 20), "female")
OCT_1 = date(2024, 10, 1)


def test_migrations_build_the_schema_the_code_expects(sql_url: str) -> None:
    migrate(sql_url, MIGRATIONS_DIR)
    engine = make_engine(sql_url)
    try:
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata) == []
        command.downgrade(alembic_config(sql_url, MIGRATIONS_DIR), "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()


def test_a_hire_is_stored_and_published_without_the_register_number(container, staged) -> None:
    hired = hire(container, *BOLD)
    with container.uow() as uow:
        member = uow.staff.get(hired.staff_id)
    assert member.register_number == "УБ85031512" and member.contact.phone == "99112233"
    assert [a.org_id for a in member.history.active_on(OCT_1)] == [SCHOOL]

    [row] = staged("esis.hr.v1.StaffHired")
    assert (row["topic"], row["key"], row["aimag"], row["source"]) == ("hr.staff.v1", hired.staff_id, "011", "hr")
    assert row["message"].fte_percent == 100 and row["message"].start_date.month == 9
    assert b"85031512" not in row["payload"]


def test_history_and_qualifications_survive_a_round_trip(container) -> None:
    hired = hire(container, *SARAA)
    bus = container.bus
    bus.handle(commands.UpdateQualifications(ADMIN, hired.staff_id, (commands.EducationEntry(
        "bachelor", "МУБИС", 2014),), "zaakh_argach", (commands.LicenceEntry(
            "teaching", "L-1", date(2020, 1, 1), date(2026, 1, 1)),), frozenset({"math", "physics"})))
    leave_id = bus.handle(commands.StartLeave(ADMIN, hired.staff_id, "maternity", date(2024, 11, 1)))
    bus.handle(commands.EndLeave(ADMIN, hired.staff_id, leave_id, date(2025, 3, 31)))
    manager = position(container, kind="training_manager")
    bus.handle(commands.ChangePosition(ADMIN, hired.staff_id, hired.appointment_id, manager, "1", date(2025, 4, 1)))

    with container.uow() as uow:
        member = uow.staff.get(hired.staff_id)
    assert member.qualifications.subject_codes == {"math", "physics"}
    assert member.qualifications.licences[0].expires_on == date(2026, 1, 1)
    assert member.history.leave_on(date(2025, 3, 31)).kind.value == "maternity"
    assert member.history.leave_on(date(2025, 4, 1)) is None
    assert [a.kind.value for a in member.history.active_on(date(2025, 4, 1))] == ["training_manager"]
    assert [a.kind.value for a in member.history.active_on(date(2025, 3, 31))] == ["teacher"]
    assert member.version == 4


def test_who_taught_a_class_on_a_date_after_a_substitution(container, staged) -> None:
    bold, saraa = hire(container, *BOLD).staff_id, hire(container, *SARAA, given_name="Сараа").staff_id
    bus = container.bus
    first = bus.handle(commands.AssignTeaching(ADMIN, bold, "class-5a", "math", "2024-2025", 5)).assignment
    with pytest.raises(Conflict) as caught:
        bus.handle(commands.AssignTeaching(ADMIN, saraa, "class-5a", "math", "2024-2025", 5, date(2025, 1, 6)))
    assert "Б.Болд" in caught.value.message_mn
    bus.handle(commands.UnassignTeaching(ADMIN, first.id, date(2025, 1, 5)))
    bus.handle(commands.AssignTeaching(ADMIN, saraa, "class-5a", "math", "2024-2025", 5, date(2025, 1, 6)))

    def math_teacher(day: date) -> list[str]:
        return [r.teacher_name for r in views.teaching_at(container.uow(), ADMIN, SCHOOL, day)]

    assert math_teacher(date(2025, 1, 5)) == ["Б.Болд"]
    assert math_teacher(date(2025, 1, 6)) == ["Б.Сараа"]
    assert [r["key"] for r in staged("esis.hr.v1.TeachingUnassigned")] == [first.id]
    gaps = views.class_gaps(container.uow(), ADMIN, "class-5a", date(2025, 1, 6))
    assert [g.subject_code for g in gaps] == ["mongolian"]


def test_an_exit_ends_the_teaching_in_the_database(container, staged) -> None:
    bold = hire(container, *BOLD).staff_id
    container.bus.handle(commands.AssignTeaching(ADMIN, bold, "class-5a", "math", "2024-2025", 5))
    container.bus.handle(commands.ExitStaff(ADMIN, bold, SCHOOL, date(2024, 12, 31), "retired"))

    assert views.teaching_at(container.uow(), ADMIN, SCHOOL, date(2025, 1, 1)) == []
    assert views.staff_at(container.uow(), ADMIN, SCHOOL, date(2025, 1, 1)) == []
    assert len(views.staff_at(container.uow(), ADMIN, SCHOOL, date(2024, 12, 31))) == 1
    [exited] = staged("esis.hr.v1.StaffExited")
    assert exited["message"].last_day.day == 31


def test_a_concurrent_assignment_of_the_same_subject_loses(container) -> None:
    bold, saraa = hire(container, *BOLD).staff_id, hire(container, *SARAA).staff_id
    container.bus.handle(commands.AssignTeaching(ADMIN, bold, "class-5a", "mongolian", "2024-2025", 6))
    year = SchoolYear.parse("2024-2025")
    with container.uow() as slow:
        teaching = slow.teaching.get("class-5a", year)
        teaching.assign("asg-slow", saraa, "math", 5, year.envelope)
        container.bus.handle(commands.AssignTeaching(ADMIN, bold, "class-5a", "math", "2024-2025", 5))
        with pytest.raises(Conflict) as caught:
            slow.commit()
    assert caught.value.code == "concurrent_change"
    rows = views.assignments_of_class(container.uow(), ADMIN, "class-5a", OCT_1)
    assert sorted(r.assignment.subject_code for r in rows) == ["math", "mongolian"]


def test_a_person_hired_again_stays_one_row(container) -> None:
    first = hire(container, *BOLD)
    container.bus.handle(commands.ExitStaff(ADMIN, first.staff_id, SCHOOL, date(2024, 9, 30), "resigned"))
    again = hire(container, *BOLD, start=date(2024, 11, 1))
    assert again.staff_id == first.staff_id
    with container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(staff)).scalar_one() == 1


def test_profile_reads_are_audited_in_the_database(container) -> None:
    staff_id = hire(container, *BOLD).staff_id
    officer = Actor("acc-officer", Role.AIMAG_OFFICER, frozenset({"dept"}), frozenset({"011"}))
    container.bus.handle(commands.ViewStaff(officer, staff_id, "annual staffing report"))

    trail = views.audit_trail(container.uow(), ADMIN, staff_id, OCT_1)
    assert [(r.reader_account_id, r.purpose) for r in trail] == [("acc-officer", "annual staffing report")]
    assert trail[0].read_at.tzinfo is not None
    with container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(personal_data_reads)).scalar_one() == 1


def test_hiring_into_a_position_fills_its_vacancy(container, staged) -> None:
    post = position(container)
    vacancy = container.bus.handle(commands.OpenVacancy(ADMIN, post, date(2024, 8, 1)))
    person = commands.PersonDetails(*BOLD[:1], "Батын", "Болд", BOLD[1], BOLD[2])
    hired = container.bus.handle(commands.HireStaff(ADMIN, person, post, "1", date(2024, 9, 1)))

    [filled] = views.vacancies(container.uow(), ADMIN, SCHOOL)
    assert (filled.id, filled.status.value, filled.filled_by) == (vacancy.id, "filled", hired.staff_id)
    assert [r["topic"] for r in staged("esis.hr.v1.VacancyFilled")] == ["hr.vacancies.v1"]


def test_an_import_failing_on_its_last_row_leaves_nothing_behind(container, staged) -> None:
    text = ("Регистрийн дугаар,Эцэг/эхийн нэр,Нэр,Төрсөн огноо,Хүйс,Албан тушаал,Ажилд орсон огноо\n"
            "УБ85031512,Батын,Болд,1985-03-15,эрэгтэй,багш,2024-09-01\n"
            "ТА92112024,Доржийн,Сараа,1992-11-21,эмэгтэй,багш,2024-09-01\n")
    report = container.bus.handle(ImportStaff(ADMIN, SCHOOL, read_sheet("s.csv", text.encode()).rows))

    assert [(e.row, e.field) for e in report.errors] == [(3, "register_number")]
    with container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(staff)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(positions)).scalar_one() == 0
    assert staged() == []
