"""The portal's forms: claim a child, messages and consultations, profile and notification settings.

Every successful post answers with a redirect (303), so a reload never sends twice; a refused one shows the
form again with the reason next to the field.
"""

from __future__ import annotations

from datetime import time
from typing import Annotated, Any

from esis_shared.auth import Principal
from esis_shared.web import page_principal, redirect, request_language
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from parent.domain.errors import ParentError
from parent.domain.guardians import Claim
from parent.domain.notifications import CHANNELS, EVENT_TYPES, TypeSetting
from parent.entrypoints.api.pages import N_, child_page, deps_of, page
from parent.service_layer import access, views
from parent.service_layer.handlers import messaging as m
from parent.service_layer.handlers import settings as s
from parent.service_layer.handlers.claims import ClaimChild, RemoveChild, claim_child, remove_child

router = APIRouter(include_in_schema=False)
PagePrincipal = Annotated[Principal, Depends(page_principal)]
Text = Annotated[str, Form()]
Optional = Annotated[str, Form()]
EVENT_LABELS = {"absence": N_("Absence today"), "late": N_("Late today"), "mark": N_("New mark"),
                "grade": N_("Term grade published"), "homework": N_("Homework due tomorrow"),
                "message": N_("Message from a teacher")}
CHANNEL_LABELS = {"push": N_("Push notification"), "sms": N_("SMS"), "email": N_("E-mail")}


def problem(request: Request, exc: ParentError) -> dict[str, Any]:
    """The refusal in the visitor's language, and the field it concerns (if any)."""
    text = exc.message if request_language(request) == "en" else exc.message_mn
    fields = exc.details.get("fields") or [{}]
    return {"error": text, "error_field": fields[0].get("field")}


@router.get("/parent/claim")
def claim_form(request: Request, principal: PagePrincipal) -> Response:
    return page(request, "claim.html", principal, values={})


@router.post("/parent/claim")
def claim(request: Request, principal: PagePrincipal, learner_register_number: Text, guardian_given_name: Text,
          guardian_phone: Optional = "", guardian_register_number: Optional = "") -> Response:
    values = {"learner_register_number": learner_register_number, "guardian_given_name": guardian_given_name,
              "guardian_phone": guardian_phone}
    try:
        typed = Claim.of(learner_register_number=learner_register_number, guardian_given_name=guardian_given_name,
                         guardian_phone=guardian_phone, guardian_register_number=guardian_register_number)
        _, child = claim_child(ClaimChild(principal.subject, typed), deps_of(request))
    except ParentError as exc:
        status = 429 if exc.kind == "throttled" else 422
        return page(request, "claim.html", principal, values=values, **problem(request, exc), status=status)
    return redirect(f"/parent/children/{child.learner_id}")


@router.post("/parent/children/{learner_id}/remove")
def remove(learner_id: str, request: Request, principal: PagePrincipal) -> Response:
    remove_child(RemoveChild(principal.subject, learner_id, principal.role), deps_of(request))
    return redirect("/parent/")


@router.get("/parent/children/{learner_id}/messages")
def messages(learner_id: str, request: Request, principal: PagePrincipal) -> Response:
    return _messages_page(request, principal, learner_id)


def _messages_page(request: Request, principal: Principal, learner_id: str, **context: Any) -> Response:
    deps = deps_of(request)
    threads, consultations = views.threads(principal, learner_id, deps)
    try:
        teachers = [t for t in views.teachers(principal, learner_id, deps)[1] if t.account_id]
    except ParentError:
        teachers = []
    return child_page(request, principal, learner_id, "messages.html", "messages", threads=threads,
                      consultations=consultations, teachers=teachers, **context)


@router.post("/parent/children/{learner_id}/messages")
def start_thread(learner_id: str, request: Request, principal: PagePrincipal, teacher_account_id: Text,
                 subject: Text, text: Text) -> Response:
    try:
        thread = m.start_thread(m.StartThread(learner_id, teacher_account_id, subject, text), principal,
                                deps_of(request))
    except ParentError as exc:
        if exc.code == "child_not_found":
            raise
        return _messages_page(request, principal, learner_id, **problem(request, exc))
    return redirect(f"/parent/threads/{thread.thread_id}")


@router.post("/parent/children/{learner_id}/consultations")
def consultation(learner_id: str, request: Request, principal: PagePrincipal, teacher_account_id: Text,
                 topic: Text, preferred_times: Optional = "") -> Response:
    try:
        m.request_consultation(m.RequestConsultation(learner_id, teacher_account_id, topic, preferred_times),
                               principal, deps_of(request))
    except ParentError as exc:
        if exc.code == "child_not_found":
            raise
        return _messages_page(request, principal, learner_id, **problem(request, exc))
    return redirect(f"/parent/children/{learner_id}/messages?sent=consultation")


@router.get("/parent/threads/{thread_id}")
def thread(thread_id: str, request: Request, principal: PagePrincipal) -> Response:
    if principal.role == access.TEACHER:  # e.g. a link in a notification: the teacher's own page of it
        return redirect(f"/parent/teacher/threads/{thread_id}")
    found = views.thread(principal, thread_id, deps_of(request))
    return page(request, "thread.html", principal, thread=found)


@router.post("/parent/threads/{thread_id}")
def reply(thread_id: str, request: Request, principal: PagePrincipal, text: Text) -> Response:
    deps = deps_of(request)
    try:
        m.post_message(thread_id, text, principal, deps)
    except ParentError as exc:
        if exc.kind == "not_found":
            raise
        return page(request, "thread.html", principal, thread=views.thread(principal, thread_id, deps),
                    **problem(request, exc))
    return redirect(f"/parent/threads/{thread_id}")


@router.get("/parent/settings")
def settings(request: Request, principal: PagePrincipal) -> Response:
    return _settings_page(request, principal)


def _settings_page(request: Request, principal: Principal, **context: Any) -> Response:
    guardian, prefs, receipts = views.settings(principal, deps_of(request))
    return page(request, "settings.html", principal, guardian=guardian, prefs=prefs, receipts=receipts,
                event_types=EVENT_TYPES, event_labels=EVENT_LABELS, channels=CHANNELS,
                channel_labels=CHANNEL_LABELS, **context)


@router.post("/parent/settings/profile")
def save_profile(request: Request, principal: PagePrincipal, display_name: Optional = "", phone: Optional = "",
                 email: Optional = "") -> Response:
    try:
        s.update_profile(s.UpdateProfile(display_name, phone, email, request_language(request)), principal,
                         deps_of(request))
    except ParentError as exc:
        return _settings_page(request, principal, **problem(request, exc))
    return redirect("/parent/settings?saved=profile")


@router.post("/parent/settings/notifications")
async def save_notifications(request: Request, principal: PagePrincipal) -> Response:
    form = await request.form()
    order = [c for c in ("first", "second", "third") if form.get(f"channel_{c}") in CHANNELS]
    channels = list(dict.fromkeys(str(form[f"channel_{c}"]) for c in order))
    quiet = form.get("quiet") == "on"
    types = {k: TypeSetting(form.get(f"enabled_{k}") == "on", form.get(f"digest_{k}") == "on") for k in EVENT_TYPES}
    try:
        cmd = s.UpdatePreferences(channels, _time(form.get("quiet_start"), 22) if quiet else None,
                                  _time(form.get("quiet_end"), 7) if quiet else None,
                                  _time(form.get("digest_at"), 19), types)
        s.update_preferences(cmd, principal, deps_of(request))
    except ParentError as exc:
        return _settings_page(request, principal, **problem(request, exc))
    return redirect("/parent/settings?saved=notifications")


def _time(value: Any, default_hour: int) -> time:
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        return time(default_hour, 0)
