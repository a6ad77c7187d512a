"""gRPC: ``esis.teacher.v1.TeacherService`` — final grades and attendance summaries for other services."""

from __future__ import annotations

import grpc
from esis.teacher.v1 import teacher_service_pb2 as pb
from esis.teacher.v1 import teacher_service_pb2_grpc as pb_grpc
from esis_shared.grpc import create_grpc_server

from teacher.adapters.messages import school
from teacher.bootstrap import Container
from teacher.service_layer.views import records

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["TeacherService"].full_name


def _counts(counted: dict[str, int]) -> list[pb.CategoryCount]:
    return [pb.CategoryCount(category=category, count=n) for category, n in sorted(counted.items())]


class TeacherServicer(pb_grpc.TeacherServiceServicer):
    def __init__(self, container: Container) -> None:
        self.container = container

    def ListFinalGrades(self, request: pb.ListFinalGradesRequest,  # noqa: N802
                        context: grpc.ServicerContext) -> pb.ListFinalGradesResponse:
        if not request.school_year or request.WhichOneof("subject") is None:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "give learner_id or class_id, and school_year")
        found = records.final_grades(self.container.uow(), self.container.context, request.school_year,
                                     learner_id=request.learner_id, class_id=request.class_id)
        return pb.ListFinalGradesResponse(grades=[pb.FinalGrade(
            learner_id=g.learner_id, class_id=g.where.class_id, school=school(g.where), subject_code=g.subject_code,
            school_year=g.school_year, percent=float(g.percent), scale=g.scale, grade=g.band) for g in found])

    def GetAttendanceSummary(self, request: pb.GetAttendanceSummaryRequest,  # noqa: N802
                             context: grpc.ServicerContext) -> pb.AttendanceSummary:
        if not request.learner_id or not request.school_year:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "give learner_id and school_year")
        daily, lessons = records.attendance_counts(self.container.uow(), self.container.context,
                                                   request.learner_id, request.school_year)
        return pb.AttendanceSummary(learner_id=request.learner_id, school_year=request.school_year,
                                    daily=_counts(daily), lessons=_counts(lessons))


def build_grpc_server(container: Container) -> grpc.Server:
    """The gRPC server on ``TEACHER_GRPC_PORT`` with health and reflection (not started)."""
    settings = container.settings
    servicer = TeacherServicer(container)
    return create_grpc_server(
        settings.grpc_port or 9004, service=settings.service_name, host=settings.http_host,
        register=lambda server: pb_grpc.add_TeacherServiceServicer_to_server(servicer, server),
        service_names=[SERVICE_NAME])
