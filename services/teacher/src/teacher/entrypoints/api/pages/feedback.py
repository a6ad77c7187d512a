"""Feedback to the ministry: the teacher's form and the status of what they sent; the handlers' inbox."""

from __future__ import annotations

from typing import Any

from esis_shared.auth import Principal
from esis_shared.web import redirect, render, request_language
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from teacher.entrypoints.api.errors import status_of
from teacher.entrypoints.api.pages.common import (
    PrincipalDep,
    actor,
    attempt,
    container_of,
    error_text,
    frame,
    page_or_error,
)
from teacher.service_layer import commands
from teacher.service_layer.views import feedback as views

router = APIRouter(include_in_schema=False)


def _categories(request: Request) -> list[tuple[str, str]]:
    lang = request_language(request)
    return [(c.code, c.label(lang)) for c in container_of(request).context.reference.feedback_categories.items]


def _mine(request: Request, principal: Principal) -> dict[str, Any]:
    return {"items": views.my_feedback(actor(principal), container_of(request).uow()),
            "categories": _categories(request), "typed": {}}


@router.get("/teacher/feedback")
def feedback_page(request: Request, principal: PrincipalDep, sent: int = 0) -> Response:
    return page_or_error(request, "feedback.html", lambda: {**_mine(request, principal), "sent": sent},
                         frame(principal, "feedback"))


@router.post("/teacher/feedback")
async def send_feedback(request: Request, principal: PrincipalDep) -> Response:
    data = await request.form()
    command = commands.SendFeedback(actor(principal), str(data.get("category") or ""), str(data.get("text") or ""),
                                    str(data.get("attachment_ref") or ""), data.get("anonymous") == "on")
    _, error = attempt(lambda: container_of(request).handle(command))
    if error is None:
        return redirect("/teacher/feedback?sent=1")
    return render(request, "feedback.html", {**frame(principal, "feedback"), **_mine(request, principal),
                                             "sent": 0, "typed": {k: str(v) for k, v in data.items()},
                                             "error": error_text(request, error)}, status_code=status_of(error))


@router.get("/teacher/feedback/inbox")
def inbox_page(request: Request, principal: PrincipalDep, done: str = "") -> Response:
    return page_or_error(request, "inbox.html", lambda: {
        "items": views.inbox(actor(principal), container_of(request).uow()), "done": done,
        "categories": dict(_categories(request))}, frame(principal, "inbox"))


def _handling(principal: Principal, feedback_id: str, data: FormData) -> commands.Command:
    action = data.get("action")
    if action == "review":
        return commands.ReviewFeedback(actor(principal), feedback_id)
    if action == "forward":
        return commands.ForwardFeedback(actor(principal), feedback_id, str(data.get("to_kind") or ""),
                                        str(data.get("to_id") or ""), str(data.get("note") or ""))
    return commands.AnswerFeedback(actor(principal), feedback_id, str(data.get("answer") or ""))


@router.post("/teacher/feedback/{feedback_id}")
async def handle_feedback(request: Request, feedback_id: str, principal: PrincipalDep) -> Response:
    data = await request.form()
    _, error = attempt(lambda: container_of(request).handle(_handling(principal, feedback_id, data)))
    if error is None:
        return redirect(f"/teacher/feedback/inbox?done={data.get('action') or 'answer'}")
    return render(request, "problem.html", {**frame(principal, "inbox"), "error": error_text(request, error),
                                            "back": "/teacher/feedback/inbox"}, status_code=status_of(error))
