"""Learners' names for the journal pages, asked from education at the moment a page is shown.

The teacher portal stores no names: events carry ids only. education's ``GetClassRoster`` answers with the
class's learners and writes the read to the learners' access log (purpose and the teacher's account).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Protocol

import grpc
from esis.common.v1 import common_pb2
from esis.education.v1 import education_service_pb2 as pb
from esis.education.v1 import education_service_pb2_grpc as pb_grpc
from esis_shared.grpc import grpc_channel

log = logging.getLogger(__name__)
PURPOSE = "e-journal: class list for attendance and marks"


class LearnerNames(Protocol):
    def names(self, class_id: str, day: date, on_behalf_of: str) -> dict[str, str]:
        """Learner id -> short name ("Б.Болд"); empty when unknown (pages then show the ids)."""


class NoNames:
    def names(self, class_id: str, day: date, on_behalf_of: str) -> dict[str, str]:
        return {}


def short_name(family_name: str, given_name: str) -> str:
    """The usual Mongolian short form: first letter of the father's (family) name, a dot, the given name."""
    return f"{family_name[:1]}.{given_name}" if family_name else given_name


class EducationRosterNames:
    def __init__(self, target: str, timeout_s: float = 2.0) -> None:
        self._channel = grpc_channel(target, default_timeout_s=timeout_s)
        self._stub = pb_grpc.EducationServiceStub(self._channel)

    def names(self, class_id: str, day: date, on_behalf_of: str) -> dict[str, str]:
        request = pb.GetClassRosterRequest(class_id=class_id, purpose=PURPOSE, on_behalf_of=on_behalf_of,
                                           as_of=common_pb2.Date(year=day.year, month=day.month, day=day.day))
        try:
            reply = self._stub.GetClassRoster(request)
        except grpc.RpcError as exc:
            log.warning("education GetClassRoster(%s) failed: %s", class_id, exc.code())
            return {}
        return {learner.learner_id: short_name(learner.family_name, learner.given_name)
                for learner in reply.learners}

    def close(self) -> None:
        self._channel.close()
