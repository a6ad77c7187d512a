"""What every education page needs: the signed-in actor, the school and year being looked at, the menu, and
domain refusals turned into the platform's HTML error pages or a message on the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from esis_shared.auth import Principal
from esis_shared.errors import ApiError
from esis_shared.web import page_principal, request_language
from fastapi import Depends, Request

from education.bootstrap import Container
from education.domain.access import Actor
from education.domain.errors import DomainError
from education.entrypoints.api.deps import get_actor
from education.entrypoints.api.errors import STATUS
from education.service_layer import desk_views
from education.service_layer.handlers.common import Context

T = TypeVar("T")
PrincipalDep = Annotated[Principal, Depends(page_principal)]


class Page:
    """One request of one signed-in person: their actor, the container and the language of the page."""

    def __init__(self, request: Request, principal: Principal) -> None:
        self.request, self.principal = request, principal
        self.container: Container = request.app.state.container
        self.actor: Actor = guard(lambda: get_actor(principal))
        self.lang = request_language(request)

    def ctx(self) -> Context:
        return self.container.context(self.actor)

    def school_id(self, chosen: str = "") -> str:
        """The school asked for, else the first (by name) of the signed-in person's schools."""
        return chosen or next(iter(self.schools()), "")

    def schools(self) -> dict[str, str]:
        """The signed-in person's organisations, id -> name, in name order (the chooser's order)."""
        names = desk_views.org_names(self.ctx(), self.actor.org_ids)
        return dict(sorted(names.items(), key=lambda item: (item[1], item[0])))

    def year_id(self, chosen: str = "") -> str:
        years = desk_views.school_years(self.ctx())
        if chosen:
            return chosen
        current = desk_views.current_year(years, self.container.clock.today())
        return current.id if current else ""

    def message(self, exc: DomainError) -> str:
        return exc.message(self.lang)

    def frame(self, current: str, school_id: str = "", **extra: Any) -> dict[str, Any]:
        """The menu and the school chooser of every page."""
        schools = self.schools()
        return {"user": self.principal, "current": current, "school_id": school_id, "schools": schools,
                "school_name": schools.get(school_id, ""), "is_admin": self.principal.role == "school_admin",
                **extra}


def page(request: Request, principal: PrincipalDep) -> Page:
    return Page(request, principal)


PageDep = Annotated[Page, Depends(page)]


def guard(action: Callable[[], T]) -> T:
    """Run a read; a domain refusal becomes the HTML error page of its status (403, 404, …)."""
    try:
        return action()
    except DomainError as exc:
        raise ApiError(exc.message_en, code=exc.code, status_code=STATUS.get(exc.kind, 400)) from None


async def form_of(request: Request) -> dict[str, str]:
    """The posted form's text fields (files are read by the page that expects them)."""
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


def back_to(path: str, school_id: str, done: str) -> str:
    """Where a successful form post lands: the same desk, saying what was done."""
    return f"{path}?{urlencode({'school_id': school_id, 'done': done})}"
