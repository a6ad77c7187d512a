"""gRPC: ``esis.stats.v1.StatsService`` — census enrolment of an org for services that need it fresh."""

from __future__ import annotations

from collections import Counter

import grpc
from esis.common.v1 import common_pb2
from esis.stats.v1 import stats_service_pb2 as pb
from esis.stats.v1 import stats_service_pb2_grpc as pb_grpc
from esis_shared.grpc import create_grpc_server

from stats.bootstrap import Container
from stats.domain.hierarchy import NATIONAL
from stats.service_layer.figures import load_world

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["StatsService"].full_name


class StatsServicer(pb_grpc.StatsServiceServicer):
    def __init__(self, container: Container) -> None:
        self.container = container

    def GetCensusEnrolment(self, request: pb.GetCensusEnrolmentRequest,  # noqa: N802
                           context: grpc.ServicerContext) -> pb.CensusEnrolment:
        year, counts = request.school_year_start, Counter[tuple[str, str]]()
        with self.container.transaction() as session:
            world = load_world(session)
            if request.org_id != NATIONAL and world.hierarchy.get(request.org_id) is None:
                context.abort(grpc.StatusCode.NOT_FOUND, f"no organisation {request.org_id!r}")
            for (_, grade, sex, _), n in world.counts(request.org_id, year).items():
                counts[(grade, sex or "unknown")] += n
        grades = sorted({g for g, _ in counts}, key=lambda g: (not g.isdigit(), int(g) if g.isdigit() else 0, g))
        day = world.census_day(year)
        lineage = world.basis(year).lineage("census_enrolment", request.org_id, sorted(counts.items()))
        return pb.CensusEnrolment(
            org_id=request.org_id, school_year_start=year,
            census_date=common_pb2.Date(year=day.year, month=day.month, day=day.day), total=sum(counts.values()),
            grades=[pb.GradeCount(grade=g, female=counts[(g, "female")], male=counts[(g, "male")]) for g in grades],
            rule_version=lineage.rule_version, input_fingerprint=lineage.input_fingerprint)


def build_grpc_server(container: Container) -> grpc.Server:
    settings = container.settings
    servicer = StatsServicer(container)
    return create_grpc_server(
        settings.grpc_port or 9006, service=settings.service_name, host=settings.http_host,
        register=lambda server: pb_grpc.add_StatsServiceServicer_to_server(servicer, server),
        service_names=[SERVICE_NAME])
