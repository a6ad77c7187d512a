"""gRPC: ``esis.education.v1.EducationService`` for services that need fresh data.

Callers name themselves in the ``x-esis-caller`` metadata; every learner returned is written to the learner's
access log as read by ``grpc:<caller>`` with the request's purpose.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

import grpc
from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2 as events_pb
from esis.education.v1 import education_service_pb2 as pb
from esis.education.v1 import education_service_pb2_grpc as pb_grpc
from esis_shared.grpc import create_grpc_server

from education import reference
from education.bootstrap import Container
from education.domain.access import Actor, Role
from education.domain.errors import DomainError
from education.domain.learners import Learner
from education.service_layer import commands, views

log = logging.getLogger(__name__)
SERVICE_NAME = pb.DESCRIPTOR.services_by_name["EducationService"].full_name
CODES = {"not_found": grpc.StatusCode.NOT_FOUND, "forbidden": grpc.StatusCode.PERMISSION_DENIED,
         "invalid": grpc.StatusCode.INVALID_ARGUMENT}
SEXES = {"male": events_pb.SEX_MALE, "female": events_pb.SEX_FEMALE}


def _date(day: date) -> common_pb2.Date:
    return common_pb2.Date(year=day.year, month=day.month, day=day.day)


def _day(message: common_pb2.Date) -> date | None:
    return date(message.year, message.month, message.day) if message.year else None


def caller(context: grpc.ServicerContext, on_behalf_of: str = "") -> Actor:
    name = dict(context.invocation_metadata()).get("x-esis-caller", "unknown")
    suffix = f" for {on_behalf_of}" if on_behalf_of else ""
    return Actor(f"grpc:{name}{suffix}", Role.SERVICE, org_ids=frozenset({reference.org_id(reference.MINISTRY_CODE)}))


def learner_message(learner: Learner) -> pb.Learner:
    current = learner.open_enrolment
    school = common_pb2.OrgRef(org_id=current.school_id) if current else None
    return pb.Learner(learner_id=learner.id, family_name=learner.family_name, given_name=learner.given_name,
                      birth_date=_date(learner.birth_date), sex=SEXES[learner.sex.value], school=school,
                      class_id=current.class_id if current else "", level=current.level_code if current else "",
                      status=learner.status.value, special_needs=learner.special_needs)


class EducationServicer(pb_grpc.EducationServiceServicer):
    def __init__(self, container: Container) -> None:
        self.container = container

    def _call(self, context: grpc.ServicerContext, run: Callable[[], Any]) -> Any:
        try:
            return run()
        except DomainError as exc:
            context.abort(CODES.get(exc.kind, grpc.StatusCode.FAILED_PRECONDITION), exc.message_en)

    def GetLearner(self, request: pb.GetLearnerRequest, context: grpc.ServicerContext) -> pb.Learner:  # noqa: N802
        ctx = self.container.context(caller(context, request.on_behalf_of))
        record = self._call(context, lambda: views.learner_record(
            ctx, request.learner_id, purpose=request.purpose, what="grpc:GetLearner"))
        return learner_message(record.learner)

    def GetClassRoster(self, request: pb.GetClassRosterRequest,  # noqa: N802
                       context: grpc.ServicerContext) -> pb.GetClassRosterResponse:
        ctx = self.container.context(caller(context, request.on_behalf_of))
        as_of = _day(request.as_of) or self.container.clock.today()
        found, members = self._call(context, lambda: views.class_roster(
            ctx, request.class_id, as_of=as_of, purpose=request.purpose))
        return pb.GetClassRosterResponse(
            class_id=found.id, school=common_pb2.OrgRef(org_id=found.school_id), level=found.level_code,
            name=found.name, as_of=_date(as_of), learners=[learner_message(x) for x in members])

    def GetEnrolmentCensus(self, request: pb.GetEnrolmentCensusRequest,  # noqa: N802
                           context: grpc.ServicerContext) -> pb.GetEnrolmentCensusResponse:
        ctx = self.container.context(caller(context))
        census = self._call(context, lambda: views.enrolment_census(ctx, request.org_id, _day(request.date)))
        cells = [pb.CensusCell(level=level, sex=SEXES[sex], learners=n)
                 for (level, sex), n in sorted(census.by_level_and_sex.items())]
        return pb.GetEnrolmentCensusResponse(org_id=census.org_id, date=_date(census.on), total=census.total,
                                             cells=cells)

    def VerifyGuardianClaim(self, request: pb.VerifyGuardianClaimRequest,  # noqa: N802
                            context: grpc.ServicerContext) -> pb.VerifyGuardianClaimResponse:
        claim = commands.VerifyGuardianClaim(request.learner_register_number, request.guardian_given_name,
                                             request.guardian_phone, request.guardian_register_number,
                                             request.account_id)
        found = self._call(context, lambda: self.container.handle(claim, caller(context)))
        if found is None:
            return pb.VerifyGuardianClaimResponse(matched=False)
        relationship = events_pb.Relationship.Value(f"RELATIONSHIP_{found['relationship'].upper()}")
        return pb.VerifyGuardianClaimResponse(matched=True, learner_id=found["learner_id"],
                                              guardian_id=found["guardian_id"], relationship=relationship)

    def GetTimetable(self, request: pb.GetTimetableRequest, context: grpc.ServicerContext) -> pb.Timetable:  # noqa: N802
        ctx = self.container.context(caller(context))
        found, timetable = self._call(context, lambda: views.published_timetable(ctx, request.class_id))
        lessons = timetable.published_lessons() if timetable else ()
        return pb.Timetable(class_id=found.id, school=common_pb2.OrgRef(org_id=found.school_id),
                            year_id=found.year_id, published=bool(lessons),
                            lessons=[events_pb.TimetableLesson(**vars(x)) for x in lessons])


def build_grpc_server(container: Container, port: int | None = None) -> grpc.Server:
    def register(server: grpc.Server) -> None:
        pb_grpc.add_EducationServiceServicer_to_server(EducationServicer(container), server)

    return create_grpc_server(port or container.settings.grpc_port or 9002, service="education",
                              register=register, service_names=[SERVICE_NAME])
