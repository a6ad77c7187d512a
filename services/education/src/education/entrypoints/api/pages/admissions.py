"""The admission desk: open applications with their warnings, and the commission's decisions (approve with a
reason for each overridden warning, suspend for missing documents, reject with a reason)."""

from __future__ import annotations

from typing import Any, Literal

from esis_shared.web import redirect, render
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from education.domain.errors import DomainError
from education.entrypoints.api.pages.common import Page, PageDep, back_to, form_of, guard
from education.service_layer import commands, desk_views

router = APIRouter(include_in_schema=False)
PATH = "/education/admissions"
Decision = Literal["approve", "suspend", "reject"]


@router.get(PATH)
def desk(p: PageDep, school_id: str = "", done: str = "") -> Response:
    return _desk(p, p.school_id(school_id), done=done)


def _desk(p: Page, school_id: str, *, done: str = "", failed: str = "", error: str = "", field: str = "",
          status_code: int = 200) -> Response:
    applicants = guard(lambda: desk_views.admission_desk(p.ctx(), school_id)) if school_id else []
    years = {a.application.year_id for a in applicants}
    classes = [line.school_class for y in sorted(years) for line in desk_views.class_overview(p.ctx(), school_id, y)]
    context: dict[str, Any] = {"applicants": applicants, "classes": classes, "done": done, "failed": failed,
                               "failed_field": field, "error": error}
    return render(p.request, "edu_admissions.html", {**p.frame("admissions", school_id), **context},
                  status_code=status_code)


@router.post(PATH + "/{application_id}/{decision}")
async def decide(request: Request, p: PageDep, application_id: str, decision: Decision) -> Response:
    form = await form_of(request)
    school_id = form.get("school_id", "")
    try:
        await run_in_threadpool(p.container.handle, _command(application_id, decision, form), p.actor)
    except DomainError as exc:
        return await run_in_threadpool(_desk, p, school_id, failed=application_id, error=p.message(exc),
                                       field=exc.field or "",
                                       status_code=422 if exc.kind == "invalid" else 409)
    return redirect(back_to(PATH, school_id, decision))


def _command(application_id: str, decision: str, form: dict[str, str]) -> commands.Command:
    if decision == "approve":
        overrides = {k.removeprefix("override_"): v for k, v in form.items() if k.startswith("override_")}
        return commands.ApproveApplication(application_id, overrides, form.get("class_id") or None)
    if decision == "suspend":
        documents = tuple(line.strip() for line in form.get("missing_documents", "").splitlines() if line.strip())
        return commands.SuspendApplication(application_id, documents)
    return commands.RejectApplication(application_id, form.get("reason", ""))
