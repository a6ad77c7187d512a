"""What the teacher's pages show: conversations and consultation requests about the children of the classes in
the teacher's token, and the guardians the teacher may write to. Anything about another class is left out (lists)
or reported like an id that does not exist (one item).
"""

from __future__ import annotations

from dataclasses import dataclass

from esis_shared.auth import Principal

from parent.domain.errors import NotFound
from parent.domain.messaging import GUARDIAN, Consultation, ConsultationState, Thread
from parent.domain.school import Child, ClassInfo
from parent.service_layer import access
from parent.service_layer.handlers.messaging import participant_thread
from parent.service_layer.ports import Deps
from parent.service_layer.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Guardian:
    """Who the teacher talks to: the name the guardian gave in the portal (may be empty) and the relationship."""

    account_id: str
    name: str
    relationship: str


@dataclass(frozen=True)
class ThreadRow:
    thread: Thread
    child: Child
    class_info: ClassInfo | None
    guardian: Guardian

    @property
    def awaiting_reply(self) -> bool:
        """The guardian wrote last: the teacher has not answered yet."""
        return bool(self.thread.messages) and self.thread.messages[-1].author_role == GUARDIAN


@dataclass(frozen=True)
class ConsultationRow:
    consultation: Consultation
    child: Child
    class_info: ClassInfo | None
    guardian: Guardian


@dataclass(frozen=True)
class Inbox:
    threads: list[ThreadRow]  # awaiting the teacher's reply first, then the most recent
    requests: list[ConsultationRow]  # not answered yet, oldest first
    answered: list[ConsultationRow]  # answered, the latest first


@dataclass(frozen=True)
class Recipient:
    child: Child
    class_info: ClassInfo | None
    guardian: Guardian

    @property
    def class_name(self) -> str:
        return self.class_info.name if self.class_info else self.child.class_id


def _guardian(uow: UnitOfWork, account_id: str, learner_id: str) -> Guardian:
    found = uow.guardians.get(account_id)
    link = uow.links.get(account_id, learner_id)
    return Guardian(account_id, found.display_name if found else "", link.relationship if link else "")


def _taught(uow: UnitOfWork, principal: Principal, learner_id: str) -> Child | None:
    child = uow.children.get(learner_id)
    return child if child is not None and child.class_id and principal.can_class(child.class_id) else None


def inbox(principal: Principal, deps: Deps, answered_limit: int | None = 20) -> Inbox:
    access.require_teacher(principal)
    with deps.uow() as uow:
        rows = []
        for t in uow.threads.for_teacher(principal.subject):
            child = _taught(uow, principal, t.learner_id)
            if child is not None:
                rows.append(ThreadRow(t, child, uow.schools.class_info(child.class_id),
                                      _guardian(uow, t.guardian_account_id, t.learner_id)))
        consultations = []
        for c in uow.consultations.for_teacher(principal.subject):
            child = _taught(uow, principal, c.learner_id)
            if child is not None:
                consultations.append(ConsultationRow(c, child, uow.schools.class_info(child.class_id),
                                                     _guardian(uow, c.guardian_account_id, c.learner_id)))
    rows.sort(key=lambda r: r.thread.last_message_at, reverse=True)
    rows.sort(key=lambda r: not r.awaiting_reply)  # stable: the order by time stays within each group
    requests = sorted((c for c in consultations if c.consultation.state == ConsultationState.REQUESTED),
                      key=lambda c: c.consultation.requested_at)
    answered = sorted((c for c in consultations if c.consultation.state != ConsultationState.REQUESTED),
                      key=lambda c: c.consultation.requested_at, reverse=True)[:answered_limit]
    return Inbox(rows, requests, answered)


def thread(principal: Principal, thread_id: str, deps: Deps) -> ThreadRow:
    access.require_teacher(principal)
    with deps.uow() as uow:
        found = participant_thread(uow, thread_id, principal)
        child = access.taught_child(uow, principal, found.learner_id)
        return ThreadRow(found, child, uow.schools.class_info(child.class_id),
                         _guardian(uow, found.guardian_account_id, found.learner_id))


def consultation(principal: Principal, consultation_id: str, deps: Deps) -> ConsultationRow:
    access.require_teacher(principal)
    with deps.uow() as uow:
        found = uow.consultations.get(consultation_id)
        child = _taught(uow, principal, found.learner_id) if found else None
        if found is None or child is None or found.teacher_account_id != principal.subject:
            raise NotFound("No such consultation request", "Ийм уулзалтын хүсэлт алга.", code="consultation_not_found")
        return ConsultationRow(found, child, uow.schools.class_info(child.class_id),
                               _guardian(uow, found.guardian_account_id, found.learner_id))


def recipients(principal: Principal, deps: Deps) -> list[Recipient]:
    """Every guardian linked in the portal to a child of the teacher's classes, by class and child name."""
    access.require_teacher(principal)
    found = []
    with deps.uow() as uow:
        for class_id in sorted(principal.class_ids):
            info = uow.schools.class_info(class_id)
            for child in uow.children.in_class(class_id):
                for link in uow.links.for_learner(child.learner_id):
                    found.append(Recipient(child, info, _guardian(uow, link.account_id, child.learner_id)))
    return sorted(found, key=lambda r: (r.class_name, r.child.given_name, r.child.family_name, r.guardian.name))

