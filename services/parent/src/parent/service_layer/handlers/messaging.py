"""Messages between a guardian and a child's teacher, and consultation requests the teacher answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from esis_shared.auth import Principal

from parent.domain import events
from parent.domain.errors import NotFound, invalid
from parent.domain.messaging import Consultation, ConsultationState, Message, Thread, clean_text, new_id
from parent.domain.school import Child, StaffContact
from parent.service_layer import access
from parent.service_layer.handlers.projections import notify_guardians
from parent.service_layer.ports import Deps
from parent.service_layer.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class StartThread:
    learner_id: str
    other_account_id: str  # the teacher (for a guardian) or the guardian (for a teacher)
    subject: str
    text: str


@dataclass(frozen=True)
class RequestConsultation:
    learner_id: str
    teacher_account_id: str
    topic: str
    preferred_times: str


@dataclass(frozen=True)
class AnswerConsultation:
    consultation_id: str
    accept: bool
    scheduled_for: datetime | None
    note: str = ""


def no_such_thread() -> NotFound:
    return NotFound("No such conversation", "Ийм харилцан яриа алга.", code="thread_not_found")


def no_such_teacher() -> NotFound:
    return NotFound("This teacher does not teach this child", "Энэ багш таны хүүхдэд хичээл заадаггүй.",
                    code="teacher_not_found")


def child_teacher(child: Child, teacher_account_id: str, deps: Deps) -> StaffContact:
    found = [t for t in deps.staff.teachers_of_class(child.class_id) if t.account_id == teacher_account_id]
    if not child.class_id or not found or not teacher_account_id:
        raise no_such_teacher()
    return found[0]


def start_thread(cmd: StartThread, principal: Principal, deps: Deps) -> Thread:
    with deps.uow() as uow:
        if principal.role == access.TEACHER:
            child = access.taught_child(uow, principal, cmd.learner_id)
            if uow.links.get(cmd.other_account_id, child.learner_id) is None:
                raise NotFound("This guardian is not linked to the child in the portal",
                               "Энэ асран хамгаалагч хүүхэдтэй порталд холбогдоогүй байна.", code="guardian_not_found")
            guardian_id, teacher_id, teacher_name = cmd.other_account_id, principal.subject, principal.name
        else:
            _, child = access.linked_child(uow, principal, cmd.learner_id)
            teacher = child_teacher(child, cmd.other_account_id, deps)
            guardian_id, teacher_id, teacher_name = principal.subject, teacher.account_id, teacher.name
        thread = uow.threads.find(child.learner_id, guardian_id, teacher_id) or _new_thread(
            child.learner_id, guardian_id, teacher_id, teacher_name, cmd.subject, deps.clock())
        _post(uow, thread, principal, cmd.text, deps)
        uow.commit()
    return thread


def _new_thread(learner_id: str, guardian_id: str, teacher_id: str, teacher_name: str, subject: str,
                now: datetime) -> Thread:
    title = clean_text(subject, "subject", 120)
    return Thread(new_id("thr"), learner_id, guardian_id, teacher_id, teacher_name, title, now, now)


def post_message(thread_id: str, text: str, principal: Principal, deps: Deps) -> Message:
    with deps.uow() as uow:
        thread = participant_thread(uow, thread_id, principal)
        message = _post(uow, thread, principal, text, deps)
        uow.commit()
    return message


def participant_thread(uow: UnitOfWork, thread_id: str, principal: Principal) -> Thread:
    """The thread if the caller takes part in it and still has the child; NotFound otherwise."""
    thread = uow.threads.get(thread_id)
    if thread is None or thread.participant_role(principal.subject) is None:
        raise no_such_thread()
    if principal.role == access.TEACHER:
        access.taught_child(uow, principal, thread.learner_id)
    else:
        access.linked_child(uow, principal, thread.learner_id)
    return thread


def _post(uow: UnitOfWork, thread: Thread, principal: Principal, text: str, deps: Deps) -> Message:
    message = thread.post(principal.subject, text, deps.clock())
    uow.threads.save(thread)
    uow.threads.add_message(message)
    uow.publish(events.MessagePosted(thread.thread_id, message.message_id, thread.learner_id,
                                     thread.guardian_account_id, thread.teacher_account_id, message.author_role,
                                     message.posted_at))
    if message.author_role == "teacher":
        notify_guardians(uow, thread.learner_id, "message", f"message:{message.message_id}",
                         only={thread.guardian_account_id}, teacher=thread.teacher_name)
    return message


def request_consultation(cmd: RequestConsultation, principal: Principal, deps: Deps) -> Consultation:
    with deps.uow() as uow:
        _, child = access.linked_child(uow, principal, cmd.learner_id)
        teacher = child_teacher(child, cmd.teacher_account_id, deps)
        now = deps.clock()
        found = Consultation(new_id("cns"), child.learner_id, principal.subject, teacher.account_id,
                             clean_text(cmd.topic, "topic", 500), cmd.preferred_times.strip()[:200], now)
        uow.consultations.save(found)
        uow.publish(events.ConsultationRequested(found.consultation_id, found.learner_id, principal.subject,
                                                 teacher.account_id, now))
        uow.commit()
    return found


def answer_consultation(cmd: AnswerConsultation, principal: Principal, deps: Deps) -> Consultation:
    with deps.uow() as uow:
        access.require_teacher(principal)
        found = uow.consultations.get(cmd.consultation_id)
        if found is None or found.teacher_account_id != principal.subject:
            raise NotFound("No such consultation request", "Ийм уулзалтын хүсэлт алга.", code="consultation_not_found")
        access.taught_child(uow, principal, found.learner_id)  # no longer the child's teacher: not theirs to answer
        now = deps.clock()
        if cmd.accept:
            if cmd.scheduled_for is None:
                raise invalid("scheduled_for", "Choose a time", "Цагаа сонгоно уу.")
            found.accept(cmd.scheduled_for, cmd.note, now)
        else:
            if found.state == ConsultationState.REQUESTED and not cmd.note.strip():
                raise invalid("note", "Write the reason for declining", "Татгалзах шалтгаанаа бичнэ үү.")
            found.decline(cmd.note)
        uow.consultations.save(found)
        uow.publish(events.ConsultationAnswered(found.consultation_id, found.learner_id, cmd.accept,
                                                found.scheduled_for, now))
        notify_guardians(uow, found.learner_id, "message", f"consultation:{found.consultation_id}",
                         text_kind="consultation", only={found.guardian_account_id}, teacher=principal.name)
        uow.commit()
    return found
