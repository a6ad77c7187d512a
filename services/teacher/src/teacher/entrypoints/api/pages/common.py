"""What every page module shares: the signed-in actor, the page frame, errors in the page's language, names."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, TypeVar

from esis_shared.auth import Principal
from esis_shared.web import page_principal, render, request_language, setup_web
from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response

from teacher.bootstrap import Container
from teacher.domain.access import Actor, Role
from teacher.domain.errors import TeacherError
from teacher.entrypoints.api.deps import actor_of
from teacher.entrypoints.api.errors import status_of

PACKAGE_DIR = Path(__file__).resolve().parents[3]
HOME = "/teacher/"
PrincipalDep = Annotated[Principal, Depends(page_principal)]
T = TypeVar("T")


def fmt(value: Decimal | None) -> str:
    """87.50 -> "87.5", 100.00 -> "100", None -> "" (how a teacher writes a percent)."""
    return "" if value is None else f"{value.normalize():f}"


def setup(app: FastAPI) -> None:
    setup_web(app, service="teacher", templates_dir=PACKAGE_DIR / "templates", locale_dir=PACKAGE_DIR / "locale",
              settings=app.state.container.settings, context={"home_url": HOME, "fmt": fmt})


def container_of(request: Request) -> Container:
    return request.app.state.container


def actor(principal: Principal) -> Actor:
    return actor_of(principal)


def frame(principal: Principal, current: str, **extra: Any) -> dict[str, Any]:
    """The menu state every page template uses (teacher_base.html)."""
    return {"current": current, "is_teacher": principal.role == Role.TEACHER,
            "is_manager": principal.role == Role.SCHOOL_ADMIN, "is_ministry": principal.role == Role.MINISTRY,
            "handles_feedback": principal.role in (Role.MINISTRY, Role.SCHOOL_ADMIN, Role.AIMAG_OFFICER,
                                                   Role.DISTRICT_OFFICER), **extra}


def error_text(request: Request, exc: TeacherError) -> str:
    """The error in the page's language, with the first field it names."""
    lang = request_language(request)
    fields = exc.details.get("fields") or []
    detail = fields[0].get("message_mn" if lang == "mn" else "message", "") if fields else ""
    text = exc.text(lang)
    return f"{text} ({fields[0]['field']}: {detail})" if detail and detail not in text else text


def page_or_error(request: Request, template: str, build: Callable[[], Mapping[str, Any]],
                  base: Mapping[str, Any]) -> Response:
    """Render ``template`` with what ``build`` returns; a domain error becomes an error box on the same frame."""
    try:
        return render(request, template, {**base, **build()})
    except TeacherError as exc:
        return render(request, "problem.html", {**base, "error": error_text(request, exc)},
                      status_code=status_of(exc))


def attempt(action: Callable[[], T]) -> tuple[T | None, TeacherError | None]:
    try:
        return action(), None
    except TeacherError as exc:
        return None, exc


def names_of(container: Container, class_id: str, day: date, principal: Principal) -> dict[str, str]:
    return container.names.names(class_id, day, principal.subject)


def day_or_today(value: str | None, container: Container) -> date:
    try:
        return date.fromisoformat(value) if value else container.context.today()
    except ValueError:
        return container.context.today()
