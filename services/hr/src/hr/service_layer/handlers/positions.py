"""Handlers for positions and vacancies."""

from __future__ import annotations

from hr.domain.access import require_manage_org
from hr.domain.errors import not_found
from hr.domain.kinds import PositionKind, parse_kind
from hr.domain.positions import Position, Vacancy
from hr.domain.staff import check_subject_codes
from hr.domain.values import fte
from hr.service_layer import commands
from hr.service_layer.handlers.common import Context, load_position
from hr.service_layer.unit_of_work import AbstractUnitOfWork


def create_position(cmd: commands.CreatePosition, uow: AbstractUnitOfWork, ctx: Context) -> Position:
    require_manage_org(cmd.actor, cmd.org_id)
    kind = parse_kind(PositionKind, cmd.kind, field="kind")
    if cmd.subject_code:
        check_subject_codes([cmd.subject_code])
    position = Position(ctx.new_id(), cmd.org_id, kind, fte(cmd.fte), cmd.subject_code, cmd.title.strip())
    with uow:
        uow.positions.add(position)
        uow.commit()
    return position


def open_vacancy(cmd: commands.OpenVacancy, uow: AbstractUnitOfWork, ctx: Context) -> Vacancy:
    with uow:
        position = load_position(uow, cmd.position_id)
        require_manage_org(cmd.actor, position.org_id)
        amount = fte(cmd.fte) if cmd.fte else None
        vacancy = Vacancy.open(ctx.new_id(), position, cmd.opened_on, amount)
        uow.vacancies.add(vacancy)
        uow.commit()
    return vacancy


def cancel_vacancy(cmd: commands.CancelVacancy, uow: AbstractUnitOfWork, ctx: Context) -> Vacancy:
    with uow:
        vacancy = uow.vacancies.get(cmd.vacancy_id)
        if vacancy is None:
            raise not_found("Сул орон тоо", "Vacancy", cmd.vacancy_id, code="vacancy_not_found")
        require_manage_org(cmd.actor, vacancy.org_id)
        vacancy.cancel(cmd.on)
        uow.commit()
    return vacancy
