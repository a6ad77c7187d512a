"""The teacher's side of the parent portal: the inbox (conversations awaiting a reply first, consultation requests),
a conversation with a reply form, writing to a guardian of a child in one's class, and answering a consultation
request with a time (or declining it with the reason).

Only teachers reach these pages (a guardian gets "No access"); a conversation or request about a child the teacher
does not teach, or a guessed id, is "Page not found". Forms work without JavaScript and answer a success with a
redirect (303); a refusal shows the form again with the reason next to the field.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from esis_shared.auth import Principal
from esis_shared.web import page_principal, redirect, translator
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from parent.domain.errors import ParentError, invalid
from parent.domain.notifications import UB
from parent.entrypoints.api.pages import N_, deps_of, page
from parent.entrypoints.api.pages_forms import problem
from parent.service_layer import access, teacher_views
from parent.service_layer.handlers import messaging as m

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]
Optional = Annotated[str, Form()]
BASE = "/parent/teacher"
RELATIONSHIPS = {"mother": N_("Mother"), "father": N_("Father"), "": N_("Guardian")}
TIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S")


def teacher_page(request: Request, template: str, principal: Principal, status: int = 200,
                 **context: Any) -> Response:
    _ = translator(request).gettext

    def who(guardian: teacher_views.Guardian) -> str:
        """The guardian's own name (if they gave one) and how they are related to the child."""
        relationship = _(RELATIONSHIPS.get(guardian.relationship, RELATIONSHIPS[""]))
        return f"{guardian.name} ({relationship.lower()})" if guardian.name else relationship

    return page(request, template, principal, status, who=who, **context)


def teacher_principal(principal: Annotated[Principal, Depends(page_principal)]) -> Principal:
    """The signed-in teacher; a guardian (or anyone else) gets the "No access" page."""
    access.require_teacher(principal)
    return principal


TeacherPrincipal = Annotated[Principal, Depends(teacher_principal)]


@router.get(f"{BASE}/inbox")
def inbox(request: Request, principal: TeacherPrincipal) -> Response:
    found = teacher_views.inbox(principal, deps_of(request))
    return teacher_page(request, "teacher_inbox.html", principal, inbox=found, nav="inbox")


@router.get(f"{BASE}/threads/new")
def new_thread(request: Request, principal: TeacherPrincipal, to: str = "") -> Response:
    return _new_thread_page(request, principal, values={"to": to})


def _new_thread_page(request: Request, principal: Principal, status: int = 200, **context: Any) -> Response:
    found = teacher_views.recipients(principal, deps_of(request))
    return teacher_page(request, "teacher_new_thread.html", principal, status, recipients=found, nav="new",
                        **context)


@router.post(f"{BASE}/threads/new")
def start_thread(request: Request, principal: TeacherPrincipal, to: Optional = "", subject: Optional = "",
                 text: Optional = "") -> Response:
    learner_id, _, guardian_id = to.partition("|")
    values = {"to": to, "subject": subject, "text": text}
    try:
        if not learner_id or not guardian_id:
            raise invalid("to", "Choose to whom you write", "Хэнд бичихээ сонгоно уу.")
        thread = m.start_thread(m.StartThread(learner_id, guardian_id, subject, text), principal, deps_of(request))
    except ParentError as exc:
        if exc.kind not in ("invalid", "not_found"):
            raise
        context = problem(request, exc)
        if exc.kind == "not_found":  # a child or guardian that is not in the teacher's classes: ask again
            context["error_field"] = "to"
        return _new_thread_page(request, principal, 422, values=values, **context)
    return redirect(f"{BASE}/threads/{thread.thread_id}")


@router.get(BASE + "/threads/{thread_id}")
def thread(thread_id: str, request: Request, principal: TeacherPrincipal) -> Response:
    row = teacher_views.thread(principal, thread_id, deps_of(request))
    return teacher_page(request, "teacher_thread.html", principal, row=row, nav="inbox")


@router.post(BASE + "/threads/{thread_id}")
def reply(thread_id: str, request: Request, principal: TeacherPrincipal, text: Optional = "") -> Response:
    deps = deps_of(request)
    try:
        m.post_message(thread_id, text, principal, deps)
    except ParentError as exc:
        if exc.kind != "invalid":
            raise
        return teacher_page(request, "teacher_thread.html", principal, 422, nav="inbox",
                            row=teacher_views.thread(principal, thread_id, deps), text=text, **problem(request, exc))
    return redirect(f"{BASE}/threads/{thread_id}?sent=1")


@router.get(BASE + "/consultations/{consultation_id}")
def consultation(consultation_id: str, request: Request, principal: TeacherPrincipal) -> Response:
    row = teacher_views.consultation(principal, consultation_id, deps_of(request))
    return teacher_page(request, "teacher_consultation.html", principal, row=row, values={}, nav="inbox")


@router.post(BASE + "/consultations/{consultation_id}")
def answer(consultation_id: str, request: Request, principal: TeacherPrincipal, decision: Optional = "",
           scheduled_for: Optional = "", place: Optional = "", reason: Optional = "") -> Response:
    deps = deps_of(request)
    values = {"scheduled_for": scheduled_for, "place": place, "reason": reason}
    try:
        if decision == "accept":
            cmd = m.AnswerConsultation(consultation_id, True, local_time(scheduled_for), place)
        elif decision == "decline":
            cmd = m.AnswerConsultation(consultation_id, False, None, reason)
        else:
            raise invalid("decision", "Accept or decline the request", "Хүсэлтийг зөвшөөрөх эсвэл татгалзана уу.")
        m.answer_consultation(cmd, principal, deps)
    except ParentError as exc:
        if exc.kind not in ("invalid", "conflict"):
            raise
        row = teacher_views.consultation(principal, consultation_id, deps)
        return teacher_page(request, "teacher_consultation.html", principal, 422 if exc.kind == "invalid" else 409,
                            row=row, values=values, nav="inbox", **problem(request, exc))
    return redirect(f"{BASE}/inbox?answered={decision}")


def local_time(value: str) -> datetime | None:
    """A time typed in Ulaanbaatar (``datetime-local``: 2026-12-02T17:30) as UTC; None when nothing was typed."""
    text = value.strip()
    if not text:
        return None
    for pattern in TIME_FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=UB).astimezone(UTC)
        except ValueError:
            continue
    raise invalid("scheduled_for", "Write the time as 2026-12-02 17:30", "Цагийг 2026-12-02 17:30 гэж бичнэ үү.")
