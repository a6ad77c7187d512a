"""/api/education/v1/school-years and /subjects: the calendar and the curriculum (kept by the ministry)."""

from __future__ import annotations

from fastapi import APIRouter

from education.entrypoints.api import schemas
from education.entrypoints.api.deps import PREFIX, ActorDep, ContainerDep
from education.service_layer import commands

router = APIRouter(prefix=PREFIX, tags=["calendar and curriculum"])


@router.post("/school-years", status_code=201)
def define_school_year(body: schemas.SchoolYearCreate, container: ContainerDep, actor: ActorDep) -> dict[str, str]:
    year_id = container.handle(commands.DefineSchoolYear(body.start_year, body.starts_on, body.ends_on), actor)
    return {"id": year_id}


@router.get("/school-years")
def school_years(container: ContainerDep, actor: ActorDep) -> list[dict]:
    with container.uow() as uow:
        return [schemas.read(y) for y in uow.school_years.all()]


@router.post("/subjects", status_code=201)
def define_subject(body: schemas.SubjectCreate, container: ContainerDep, actor: ActorDep) -> dict[str, str]:
    return {"id": container.handle(commands.DefineSubject(**body.model_dump()), actor)}  # type: ignore[arg-type]


@router.get("/subjects")
def subjects(container: ContainerDep, actor: ActorDep) -> list[dict]:
    with container.uow() as uow:
        return [schemas.read(s) for s in uow.subjects.all()]


@router.put("/subjects/{subject_id}/hours", status_code=204)
def set_hours(subject_id: str, body: schemas.WeeklyHoursPut, container: ContainerDep, actor: ActorDep) -> None:
    container.handle(commands.SetWeeklyHours(subject_id, body.year_id, body.level, body.hours), actor)
