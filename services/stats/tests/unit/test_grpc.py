"""gRPC StatsService: census enrolment of an organisation, with the lineage of the numbers."""

from __future__ import annotations

import grpc
import pytest
from esis.stats.v1 import stats_service_pb2 as pb
from stats.bootstrap import Container
from stats.entrypoints.grpc_server import StatsServicer


class Aborted(Exception):
    pass


class Context:
    def abort(self, code: grpc.StatusCode, details: str) -> None:
        raise Aborted(code, details)


def test_census_enrolment_of_a_school_by_grade_and_sex(container: Container) -> None:
    answer = StatsServicer(container).GetCensusEnrolment(
        pb.GetCensusEnrolmentRequest(org_id="K1", school_year_start=2023), Context())
    # K1 on 2023-10-01: twelve first-graders, seven of them girls
    assert (answer.total, answer.census_date.month, answer.census_date.day) == (12, 10, 1)
    assert [(g.grade, g.female, g.male) for g in answer.grades] == [("1", 7, 5)]
    assert answer.rule_version == "uis-2019" and len(answer.input_fingerprint) == 64


def test_an_unknown_organisation_is_not_found(container: Container) -> None:
    with pytest.raises(Aborted) as aborted:
        StatsServicer(container).GetCensusEnrolment(pb.GetCensusEnrolmentRequest(org_id="nope"), Context())
    assert aborted.value.args[0] == grpc.StatusCode.NOT_FOUND
