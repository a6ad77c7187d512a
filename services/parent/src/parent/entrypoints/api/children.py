"""/api/parent/v1/children: claim a child, and everything the guardian sees about a linked child."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from parent.domain.errors import invalid
from parent.domain.guardians import Claim
from parent.entrypoints.api.deps import PREFIX, DepsDep, PrincipalDep, TokenDep
from parent.entrypoints.api.schemas import ClaimCreate, plain
from parent.service_layer import access, views
from parent.service_layer.handlers.claims import ClaimChild, RemoveChild, claim_child, remove_child

router = APIRouter(prefix=f"{PREFIX}/children", tags=["children"])
MonthQuery = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM; default: this month")]


@router.get("")
def list_children(principal: PrincipalDep, deps: DepsDep) -> list[dict[str, Any]]:
    """The children linked to the caller's account."""
    return [plain(c) for c in views.children(principal, deps)]


@router.post("/claims", status_code=201)
def claim(body: ClaimCreate, principal: PrincipalDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    """Claim a child as their guardian; checked by the education service against what the school recorded.

    A claim that does not match answers 404 ``claim_not_confirmed`` whatever the reason; five misses within
    30 minutes lock claims for an hour (429 with ``Retry-After``)."""
    access.require_parent(principal)
    typed = Claim.of(**body.model_dump())
    link, child = claim_child(ClaimChild(principal.subject, typed), deps)
    response.headers["Location"] = f"{PREFIX}/children/{child.learner_id}"
    return {"link": plain(link), "child": plain(child)}


@router.delete("/{learner_id}", status_code=204)
def remove(learner_id: str, principal: PrincipalDep, deps: DepsDep) -> None:
    remove_child(RemoveChild(principal.subject, learner_id, principal.role), deps)


@router.get("/{learner_id}")
def child(learner_id: str, principal: PrincipalDep, deps: DepsDep) -> dict[str, Any]:
    return plain(views.child(principal, learner_id, deps))


@router.get("/{learner_id}/today")
def today(learner_id: str, principal: PrincipalDep, deps: DepsDep) -> dict[str, Any]:
    """Today's attendance (worst mark of the day), homework due soon and the latest marks."""
    return plain(views.day(principal, learner_id, deps))


@router.get("/{learner_id}/attendance")
def attendance(learner_id: str, principal: PrincipalDep, deps: DepsDep, month: MonthQuery = None) -> dict[str, Any]:
    year, number = _month(month, views.today(deps))
    return plain(views.attendance(principal, learner_id, year, number, deps))


def _month(text: str | None, today: date) -> tuple[int, int]:
    if not text:
        return today.year, today.month
    year, month = (int(x) for x in text.split("-"))
    if not 1 <= month <= 12:
        raise invalid("month", "A month is YYYY-MM with MM from 01 to 12", "Сарыг YYYY-MM хэлбэрээр бичнэ үү.")
    return year, month


@router.get("/{learner_id}/grades")
def grades(learner_id: str, principal: PrincipalDep, deps: DepsDep) -> list[dict[str, Any]]:
    """Marks and term/annual grades by school year, this year first, then the previous years."""
    return plain(views.school_years(principal, learner_id, deps))


@router.get("/{learner_id}/homework")
def homework(learner_id: str, principal: PrincipalDep, deps: DepsDep) -> list[dict[str, Any]]:
    return plain(views.homework(principal, learner_id, deps))


@router.get("/{learner_id}/timetable")
def timetable(learner_id: str, principal: PrincipalDep, deps: DepsDep) -> dict[str, Any]:
    return plain(views.timetable(principal, learner_id, deps))


@router.get("/{learner_id}/teachers")
def teachers(learner_id: str, principal: PrincipalDep, deps: DepsDep) -> dict[str, Any]:
    class_teacher, all_teachers = views.teachers(principal, learner_id, deps)
    return {"class_teacher": plain(class_teacher), "teachers": plain(all_teachers)}


@router.get("/{learner_id}/growth")
def growth(learner_id: str, principal: PrincipalDep, deps: DepsDep) -> dict[str, Any]:
    """Measurements with WHO z-scores (WHO 2006 under 5, WHO 2007 from 5) and development observations."""
    _, points, notes = views.growth_chart(principal, learner_id, deps)
    return {"points": plain(points), "observations": plain(notes)}


@router.get("/{learner_id}/access-log")
def access_log(learner_id: str, principal: PrincipalDep, deps: DepsDep, token: TokenDep) -> list[dict[str, Any]]:
    """Who read the child's record at the education service (read with the guardian's own token)."""
    return plain(views.access_log(principal, learner_id, token, deps))
