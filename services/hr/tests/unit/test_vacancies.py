"""Vacancies per school and subject: opened by the school, filled by a hire into the position."""

from __future__ import annotations

from datetime import date

import pytest
from hr.domain.errors import Conflict, InvalidInput
from hr.domain.events import VacancyFilled, VacancyOpened
from hr.domain.positions import VacancyStatus
from hr.service_layer import commands
from hr.service_layer.views import vacancies

SCHOOL = "org-school-1"


def _open(world, position, on=date(2024, 8, 1)):
    return world.handle(commands.OpenVacancy(world.admin, position.id, on))


def test_an_opened_vacancy_is_listed_with_its_subject(world):
    position = world.position(subject="physics")
    _open(world, position)
    [listed] = vacancies(world.bus.uow_factory(), world.admin, SCHOOL, VacancyStatus.OPEN)
    assert (listed.subject_code, listed.kind.value, str(listed.fte)) == ("physics", "teacher", "1.00")
    [event] = world.events(VacancyOpened)
    assert event.subject_code == "physics"


def test_hiring_into_the_position_fills_its_vacancy(world):
    position = world.position(subject="physics")
    vacancy = _open(world, position)
    hired = world.hire("УБ85031512", position=position, start=date(2024, 9, 1))

    assert vacancies(world.bus.uow_factory(), world.admin, SCHOOL, VacancyStatus.OPEN) == []
    [filled] = vacancies(world.bus.uow_factory(), world.admin, SCHOOL, VacancyStatus.FILLED)
    assert (filled.id, filled.filled_by, filled.closed_on) == (vacancy.id, hired.staff_id, date(2024, 9, 1))
    assert [e.vacancy_id for e in world.events(VacancyFilled)] == [vacancy.id]


def test_a_filled_vacancy_cannot_be_cancelled(world):
    position = world.position()
    vacancy = _open(world, position)
    world.hire("УБ85031512", position=position)
    with pytest.raises(Conflict) as caught:
        world.handle(commands.CancelVacancy(world.admin, vacancy.id, date(2024, 10, 1)))
    assert caught.value.code == "vacancy_closed"


def test_an_unknown_position_kind_lists_the_allowed_ones(world):
    with pytest.raises(InvalidInput) as caught:
        world.position(kind="janitor")
    assert caught.value.field == "kind" and "support_staff" in caught.value.message_en
