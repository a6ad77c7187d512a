"""Positions (орон тоо) of an organisation and their vacancies."""

from __future__ import annotations

from fastapi import APIRouter

from hr.domain.errors import InvalidInput
from hr.domain.positions import VacancyStatus
from hr.entrypoints.api.deps import ActorDep, ContainerDep, LangDep
from hr.entrypoints.api.responses import Items, PositionOut, VacancyOut
from hr.entrypoints.api.schemas import PositionIn, VacancyCancelIn, VacancyIn
from hr.service_layer import commands, views

router = APIRouter(prefix="/api/hr/v1", tags=["positions"])


@router.post("/positions", response_model=PositionOut, status_code=201)
def create_position(body: PositionIn, actor: ActorDep, container: ContainerDep, lang: LangDep) -> PositionOut:
    position = container.bus.handle(commands.CreatePosition(actor, body.org_id, body.kind, body.fte,
                                                            body.subject_code, body.title))
    return PositionOut.of(position, lang)


@router.get("/positions", response_model=Items[PositionOut])
def list_positions(org_id: str, actor: ActorDep, container: ContainerDep, lang: LangDep) -> Items[PositionOut]:
    found = views.positions(container.uow(), actor, org_id)
    return Items[PositionOut](items=[PositionOut.of(p, lang) for p in found])


@router.post("/vacancies", response_model=VacancyOut, status_code=201)
def open_vacancy(body: VacancyIn, actor: ActorDep, container: ContainerDep, lang: LangDep) -> VacancyOut:
    vacancy = container.bus.handle(commands.OpenVacancy(actor, body.position_id, body.opened_on, body.fte))
    return VacancyOut.of(vacancy, lang)


@router.get("/vacancies", response_model=Items[VacancyOut])
def list_vacancies(org_id: str, actor: ActorDep, container: ContainerDep, lang: LangDep,
                   status: str | None = None) -> Items[VacancyOut]:
    wanted = parse_status(status)
    found = views.vacancies(container.uow(), actor, org_id, wanted)
    return Items[VacancyOut](items=[VacancyOut.of(v, lang) for v in found])


@router.post("/vacancies/{vacancy_id}/cancel", response_model=VacancyOut)
def cancel_vacancy(vacancy_id: str, body: VacancyCancelIn, actor: ActorDep, container: ContainerDep,
                   lang: LangDep) -> VacancyOut:
    return VacancyOut.of(container.bus.handle(commands.CancelVacancy(actor, vacancy_id, body.on)), lang)


def parse_status(status: str | None) -> VacancyStatus | None:
    if not status:
        return None
    try:
        return VacancyStatus(status)
    except ValueError:
        raise InvalidInput("unknown_status", f"Төлөв \"{status}\" буруу (open, filled, cancelled).",
                           f"Status \"{status}\" is invalid (open, filled, cancelled).", field="status") from None
