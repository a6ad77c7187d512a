"""parent's gRPC: the education client against a gRPC server speaking education's contract, and parent's own
ParentService, both over real sockets on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from esis.education.v1 import education_events_pb2 as edu_events
from esis.education.v1 import education_service_pb2 as edu
from esis.education.v1 import education_service_pb2_grpc as edu_grpc
from esis.parent.v1 import parent_service_pb2 as pb
from esis.parent.v1 import parent_service_pb2_grpc as pb_grpc
from esis_shared.grpc import create_grpc_server, grpc_channel
from esis_shared.testing.processes import free_port
from parent.adapters.clients import EducationClient
from parent.domain.errors import Invalid, Unavailable
from parent.domain.guardians import Claim
from parent.domain.school import Lesson
from parent.entrypoints.grpc_server import build_grpc_server
from parent.service_layer.handlers.claims import ClaimChild, claim_child

from ..unit.conftest import MOTHER, claim
from .helpers import sql_container

pytestmark = pytest.mark.integration
CLAIM = Claim.of(learner_register_number="УБ14230211", guardian_given_name="Оюун", guardian_phone="99112233")


class Register(edu_grpc.EducationServiceServicer):
    def __init__(self) -> None:
        self.callers: list[str] = []

    def VerifyGuardianClaim(self, request, context):  # noqa: N802
        self.callers.append(dict(context.invocation_metadata()).get("x-esis-caller", ""))
        if request.learner_register_number == "ХХ00000000":
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "bad register number")
        if request.guardian_given_name != "Оюун":
            return edu.VerifyGuardianClaimResponse(matched=False)
        return edu.VerifyGuardianClaimResponse(matched=True, learner_id="lrn-bat", guardian_id="grd-1",
                                               relationship=edu_events.RELATIONSHIP_GRANDPARENT)

    def GetTimetable(self, request, context):  # noqa: N802
        self.callers.append(request.class_id)
        if request.class_id == "cls-gone":
            context.abort(grpc.StatusCode.NOT_FOUND, "no such class")
        if request.class_id == "cls-draft":
            return edu.Timetable(class_id=request.class_id, published=False)
        return edu.Timetable(class_id=request.class_id, published=True, lessons=[
            edu_events.TimetableLesson(day=2, period=1, subject_id="subj-1", subject_code="MATH", room="204"),
            edu_events.TimetableLesson(day=1, period=4, subject_id="subj-2", subject_code="", teacher_id="stf-1")])


@pytest.fixture
def register() -> Iterator[tuple[Register, str]]:
    servicer, port = Register(), free_port()
    server = create_grpc_server(port, service="education-fake", service_names=[],
                                register=lambda s: edu_grpc.add_EducationServiceServicer_to_server(servicer, s))
    server.start()
    try:
        yield servicer, f"127.0.0.1:{port}"
    finally:
        server.stop(0)


def test_a_match_comes_back_with_the_relationship_and_parent_names_itself(register) -> None:
    servicer, target = register
    found = EducationClient(target).verify_claim(CLAIM, "acc-mother")

    assert (found.learner_id, found.guardian_id, found.relationship) == ("lrn-bat", "grd-1", "grandparent")
    assert servicer.callers == ["parent"]


def test_a_miss_is_none_and_a_refused_number_names_the_field(register) -> None:
    _, target = register
    client = EducationClient(target)
    wrong = Claim.of(learner_register_number="УБ14230211", guardian_given_name="Болд", guardian_phone="99112233")
    bad = Claim("ХХ00000000", "Оюун", "99112233")

    assert client.verify_claim(wrong, "acc-mother") is None
    with pytest.raises(Invalid) as refused:
        client.verify_claim(bad, "acc-mother")
    assert refused.value.details["fields"][0]["field"] == "learner_register_number"


def test_a_published_timetable_comes_back_in_week_order(register) -> None:
    _, target = register

    assert EducationClient(target).lessons("cls-5b") == [Lesson(1, 4, "subj-2"), Lesson(2, 1, "MATH", "204")]


def test_a_class_without_a_published_timetable_has_none_and_is_not_asked_again_at_once(register) -> None:
    servicer, target = register
    client = EducationClient(target)

    assert [client.lessons("cls-draft"), client.lessons("cls-gone"), client.lessons("cls-draft")] == [[], [], []]
    assert servicer.callers == ["cls-draft", "cls-gone"]


def test_education_down_leaves_the_timetable_unknown() -> None:
    assert EducationClient(f"127.0.0.1:{free_port()}", timeout_s=1).lessons("cls-5b") is None


def test_education_down_is_unavailable() -> None:
    with pytest.raises(Unavailable):
        EducationClient(f"127.0.0.1:{free_port()}", timeout_s=1).verify_claim(CLAIM, "acc-mother")


def test_parent_service_lists_the_linked_guardians(tmp_path) -> None:
    built = sql_container(f"sqlite:///{tmp_path / 'parent.db'}")
    claim_child(ClaimChild(MOTHER.subject, claim()), built.deps)
    port = free_port()
    server = build_grpc_server(built, port)
    server.start()
    try:
        stub = pb_grpc.ParentServiceStub(grpc_channel(f"127.0.0.1:{port}"))
        found = stub.ListLinkedGuardians(pb.ListLinkedGuardiansRequest(learner_id="lrn-bat"))
        nobody = stub.ListLinkedGuardians(pb.ListLinkedGuardiansRequest(learner_id="lrn-other"))
    finally:
        server.stop(0)
        built.close()

    assert [(g.account_id, g.relationship) for g in found.guardians] == [("acc-mother", "mother")]
    assert list(nobody.guardians) == []
