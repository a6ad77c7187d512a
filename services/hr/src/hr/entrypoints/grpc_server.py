"""gRPC: ``esis.hr.v1.HrService`` — fresh staff data (audited) and effective-dated assignments."""

from __future__ import annotations

from datetime import date

import grpc
from esis.common.v1 import common_pb2
from esis.hr.v1 import hr_service_pb2 as pb
from esis.hr.v1 import hr_service_pb2_grpc as pb_grpc
from esis_shared.grpc import create_grpc_server

from hr.adapters.messages import LEAVE_KINDS, POSITION_KINDS, SEXES, pb_date, percent
from hr.bootstrap import Container
from hr.domain.access import Actor, Role
from hr.domain.errors import HrError
from hr.domain.staff import StaffMember
from hr.service_layer import commands, views
from hr.service_layer.views import TeachingRow

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["HrService"].full_name
STATUS = {"invalid": grpc.StatusCode.INVALID_ARGUMENT, "not_found": grpc.StatusCode.NOT_FOUND,
          "conflict": grpc.StatusCode.FAILED_PRECONDITION, "forbidden": grpc.StatusCode.PERMISSION_DENIED}


def to_date(value: common_pb2.Date, default: date | None) -> date | None:
    return date(value.year, value.month, value.day) if value.year else default


def staff_message(member: StaffMember, day: date) -> pb.Staff:
    leave = member.history.leave_on(day)
    return pb.Staff(
        staff_id=member.id, patronymic=member.name.patronymic, given_name=member.name.given_name,
        display_name=member.name.display, sex=SEXES[member.sex.value], phone=member.contact.phone,
        email=member.contact.email, rank_code=member.qualifications.rank_code,
        subject_codes=sorted(member.qualifications.subject_codes),
        appointments=[pb.Appointment(appointment_id=a.id, org_id=a.org_id, position_id=a.position_id,
                                     position_kind=POSITION_KINDS[a.kind.value], fte_percent=percent(a.fte),
                                     start_date=pb_date(a.period.start)) for a in member.history.active_on(day)],
        leave_kind=LEAVE_KINDS[leave.kind.value] if leave else 0, account_id=member.account_id or "")


def assignment_message(row: TeachingRow) -> pb.Assignment:
    a = row.assignment
    return pb.Assignment(assignment_id=a.id, staff_id=a.staff_id, class_id=a.class_id, org_id=a.org_id,
                         subject_code=a.subject_code, school_year=a.school_year.label, weekly_hours=a.weekly_hours,
                         start_date=pb_date(a.period.start), last_day=pb_date(a.period.last_day),
                         teacher_display_name=row.teacher_name)


class HrServicer(pb_grpc.HrServiceServicer):
    def __init__(self, container: Container) -> None:
        self.container = container

    def GetStaff(self, request: pb.GetStaffRequest, context: grpc.ServicerContext) -> pb.Staff:  # noqa: N802
        caller = Actor(f"service:{request.caller or context.peer()}", Role.SYSTEM)
        try:
            member = self.container.bus.handle(commands.ViewStaff(caller, request.staff_id, request.purpose))
        except HrError as exc:
            context.abort(STATUS.get(exc.kind, grpc.StatusCode.UNKNOWN), exc.message_en)
        return staff_message(member, to_date(request.as_of, self.container.context.today()))

    def ListAssignments(self, request: pb.ListAssignmentsRequest,  # noqa: N802
                        context: grpc.ServicerContext) -> pb.ListAssignmentsResponse:
        day, system = to_date(request.as_of, None), Actor("service:grpc", Role.SYSTEM)
        try:
            rows = self._rows(request, system, day)
        except HrError as exc:
            context.abort(STATUS.get(exc.kind, grpc.StatusCode.UNKNOWN), exc.message_en)
        return pb.ListAssignmentsResponse(assignments=[assignment_message(r) for r in rows])

    def _rows(self, request: pb.ListAssignmentsRequest, actor: Actor, day: date | None) -> list[TeachingRow]:
        uow, today = self.container.uow(), self.container.context.today()
        if request.WhichOneof("subject") == "staff_id":
            return views.assignments_of_staff(uow, actor, request.staff_id, day, today)
        if request.WhichOneof("subject") == "class_id":
            return views.assignments_of_class(uow, actor, request.class_id, day)
        raise HrError("subject_required", "staff_id эсвэл class_id-г өгнө үү.", "Give staff_id or class_id.")


def build_grpc_server(container: Container, port: int | None = None) -> grpc.Server:
    """The gRPC server on ``port`` (default ``HR_GRPC_PORT``) with health and reflection (not started)."""
    settings = container.settings
    servicer = HrServicer(container)
    return create_grpc_server(
        port or settings.grpc_port or 9003, service=settings.service_name, host=settings.http_host,
        register=lambda server: pb_grpc.add_HrServiceServicer_to_server(servicer, server),
        service_names=[SERVICE_NAME])
