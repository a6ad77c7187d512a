"""Who may see which child: a guardian only children linked to their own account; a teacher only children of
the classes in their token. A child that is not the caller's is reported exactly like one that does not exist.
"""

from __future__ import annotations

from esis_shared.auth import Principal

from parent.domain.errors import Forbidden, no_such_child
from parent.domain.guardians import ChildLink
from parent.domain.school import Child
from parent.service_layer.unit_of_work import UnitOfWork

PARENT, TEACHER = "parent", "teacher"


def require_parent(principal: Principal) -> None:
    if principal.role != PARENT:
        raise Forbidden("The parent portal is for guardians' accounts",
                        "Эцэг эхийн хэсэг нь асран хамгаалагчид зориулсан.", code="parents_only")


def require_teacher(principal: Principal) -> None:
    if principal.role != TEACHER:
        raise Forbidden("Only teachers answer here", "Энд зөвхөн багш хариулна.", code="teachers_only")


def linked_child(uow: UnitOfWork, principal: Principal, learner_id: str) -> tuple[ChildLink, Child]:
    """The guardian's link and the child's card; NotFound for anything else (another's child, a guessed id)."""
    require_parent(principal)
    link = uow.links.get(principal.subject, learner_id)
    child = uow.children.get(learner_id) if link else None
    if link is None or child is None:
        raise no_such_child()
    return link, child


def taught_child(uow: UnitOfWork, principal: Principal, learner_id: str) -> Child:
    require_teacher(principal)
    child = uow.children.get(learner_id)
    if child is None or not child.class_id or not principal.can_class(child.class_id):
        raise no_such_child()
    return child
