"""The transfer desk: incoming transfers to approve into a class or reject, outgoing ones to release, refuse
or cancel; every decision states its reason where the rules ask for one."""

from __future__ import annotations

from typing import Literal

from esis_shared.web import redirect, render
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from education.domain.errors import DomainError
from education.entrypoints.api.pages.common import Page, PageDep, back_to, form_of, guard
from education.service_layer import commands, desk_views

router = APIRouter(include_in_schema=False)
PATH = "/education/transfers"
Action = Literal["approve", "reject", "release", "cancel"]


@router.get(PATH)
def desk(p: PageDep, school_id: str = "", done: str = "") -> Response:
    return _desk(p, p.school_id(school_id), done=done)


def _desk(p: Page, school_id: str, *, done: str = "", failed: str = "", error: str = "", field: str = "",
          status_code: int = 200) -> Response:
    boxes = guard(lambda: desk_views.transfer_desk(p.ctx(), school_id)) if school_id else {"incoming": [],
                                                                                           "outgoing": []}
    classes = [line.school_class for line in desk_views.class_overview(p.ctx(), school_id, p.year_id())] \
        if school_id else []
    context = {**boxes, "classes": classes, "done": done, "failed": failed, "failed_field": field, "error": error}
    return render(p.request, "edu_transfers.html", {**p.frame("transfers", school_id), **context},
                  status_code=status_code)


@router.post(PATH + "/{transfer_id}/{action}")
async def act(request: Request, p: PageDep, transfer_id: str, action: Action) -> Response:
    form = await form_of(request)
    school_id = form.get("school_id", "")
    try:
        await run_in_threadpool(p.container.handle, _command(transfer_id, action, form), p.actor)
    except DomainError as exc:
        return await run_in_threadpool(_desk, p, school_id, failed=transfer_id, error=p.message(exc),
                                       field=exc.field or "",
                                       status_code=422 if exc.kind == "invalid" else 409)
    return redirect(back_to(PATH, school_id, action))


def _command(transfer_id: str, action: Action, form: dict[str, str]) -> commands.Command:
    if action == "approve":
        return commands.ApproveTransfer(transfer_id, form.get("class_id", ""))
    if action == "reject":
        return commands.RejectTransfer(transfer_id, form.get("reason", ""))
    if action == "release":
        return commands.ReleaseTransfer(transfer_id)
    return commands.CancelTransfer(transfer_id)
