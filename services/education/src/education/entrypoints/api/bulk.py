"""/api/education/v1/bulk/…: organisation units, classes, and learners with guardians and enrolments, many per
request, all or none (``service_layer.bulk``). For the ministry's national load and migrations."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar

import psycopg
from esis_shared.db import transaction
from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError

from education.adapters.bulk import SqlBulkStore
from education.bootstrap import Container
from education.domain.errors import Conflict
from education.entrypoints.api.deps import PREFIX, ActorDep, ContainerDep
from education.service_layer import bulk

router = APIRouter(prefix=f"{PREFIX}/bulk", tags=["bulk load"])
T = TypeVar("T")
ROWS = Field(min_length=1, max_length=bulk.BULK_MAX)
REJECTED: dict[int | str, dict[str, Any]] = {
    422: {"description": "Nothing saved: `details.errors` lists every problem with its list, row and field"},
    403: {"description": "Only the ministry loads in bulk"},
    409: {"description": "A row collided with one written at the same time; nothing saved"},
}


class OrgUnitRow(BaseModel):
    id: str | None = None
    kind: str
    code: str = Field(min_length=1, max_length=40)
    name_mn: str = Field(min_length=1, max_length=200)
    name_en: str = Field(default="", max_length=200)
    parent_id: str | None = None
    opened_on: date = date(1990, 1, 1)
    ownership: str | None = None
    address: str = ""
    catchment: list[str] = []


class OrgUnitsLoad(BaseModel):
    units: list[OrgUnitRow] = ROWS


class ClassRow(BaseModel):
    id: str | None = None
    school_id: str
    year_id: str
    level: str
    letter: str
    shift: int
    capacity: int
    room: str = Field(default="", max_length=40)
    class_teacher_id: str | None = None


class ClassesLoad(BaseModel):
    classes: list[ClassRow] = ROWS


class LearnerRow(BaseModel):
    id: str | None = None
    class_id: str
    register_number: str
    family_name: str
    given_name: str
    birth_date: date
    sex: str
    address: str = ""
    area_code: str = Field(default="", max_length=20)
    special_needs: bool = False


class GuardianRow(BaseModel):
    id: str | None = None
    family_name: str
    given_name: str
    phone: str
    email: str = Field(default="", max_length=200)
    register_number: str | None = None


class LinkRow(BaseModel):
    learner_id: str
    guardian_id: str
    relationship: str


class LearnersLoad(BaseModel):
    enrol_on: date | None = Field(default=None, description="the enrolments' first day (default: today)")
    learners: list[LearnerRow] = ROWS
    guardians: list[GuardianRow] = Field(default=[], max_length=2 * bulk.BULK_MAX)
    links: list[LinkRow] = Field(default=[], max_length=4 * bulk.BULK_MAX)


@router.post("/org-units", status_code=201, responses=REJECTED)
def load_org_units(body: OrgUnitsLoad, container: ContainerDep, actor: ActorDep) -> dict[str, Any]:
    """Up to 5,000 units; a parent is a unit on record or an earlier row. Announces OrgUnitCreated (and
    CatchmentChanged for a unit with a catchment)."""
    command = bulk.LoadOrgUnits([bulk.NewOrgUnit(**{**row.model_dump(), "catchment": tuple(row.catchment)})
                                 for row in body.units])
    ids = _in_transaction(container, lambda store: bulk.load_org_units(command, actor, store))
    return {"created": len(ids), "ids": ids}


@router.post("/classes", status_code=201, responses=REJECTED)
def load_classes(body: ClassesLoad, container: ContainerDep, actor: ActorDep) -> dict[str, Any]:
    """Up to 5,000 classes of existing schools and school years. Announces ClassOpened."""
    command = bulk.LoadClasses([bulk.NewClass(**row.model_dump()) for row in body.classes])
    ids = _in_transaction(container, lambda store: bulk.load_classes(command, actor, store, container.clock))
    return {"created": len(ids), "ids": ids}


@router.post("/learners", status_code=201, responses=REJECTED)
def load_learners(body: LearnersLoad, container: ContainerDep, actor: ActorDep) -> dict[str, int]:
    """Up to 5,000 learners, each enrolled in its class, with their guardians and links. Announces
    LearnerRegistered, LearnerEnrolled and GuardianLinked, as registering them one by one would."""
    command = bulk.LoadLearners([bulk.NewLearner(**row.model_dump()) for row in body.learners],
                                [bulk.NewGuardian(**row.model_dump()) for row in body.guardians],
                                [bulk.NewLink(**row.model_dump()) for row in body.links], body.enrol_on)
    loaded = _in_transaction(container, lambda store: bulk.load_learners(command, actor, store, container.clock))
    return {"learners": loaded.learners, "guardians": loaded.guardians, "links": loaded.links,
            "enrolments": loaded.enrolments}


def _in_transaction(container: Container, run: Callable[[SqlBulkStore], T]) -> T:
    with _collisions(), transaction(container.session_factory) as session:
        return run(SqlBulkStore(session, container.clock.today()))


@contextmanager
def _collisions() -> Iterator[None]:
    """A unique key taken between the checks and the write (a concurrent request): nothing saved, 409."""
    try:
        yield
    except (IntegrityError, psycopg.IntegrityError) as exc:
        raise Conflict("Давхардсан бичлэг: өөр хүсэлт ижил мөрийг зэрэг бичсэн; юу ч хадгалагдсангүй.",
                       "A row collides with one written at the same time; nothing was saved.",
                       code="duplicate_record") from exc
