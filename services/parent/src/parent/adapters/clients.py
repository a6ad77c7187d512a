"""Clients of other services: education (gRPC: claims, learner card, a class's published timetable; HTTP: the
access log with the guardian's own token) and hr (gRPC: staff contacts and a class's teachers). Failures become
``Unavailable``; nothing here logs a register number."""

from __future__ import annotations

import logging
import time
from datetime import UTC, date, datetime
from typing import Any

import grpc
import httpx
from esis.education.v1 import education_events_pb2 as edu_events
from esis.education.v1 import education_service_pb2 as edu
from esis.education.v1 import education_service_pb2_grpc as edu_grpc
from esis.hr.v1 import hr_service_pb2 as hr
from esis.hr.v1 import hr_service_pb2_grpc as hr_grpc
from esis_shared.grpc import grpc_channel

from parent.domain.errors import Unavailable, invalid
from parent.domain.guardians import Claim
from parent.domain.receipts import AccessEntry
from parent.domain.school import Child, Lesson, StaffContact
from parent.service_layer.ports import ClaimMatch

log = logging.getLogger(__name__)
CALLER = (("x-esis-caller", "parent"),)
SEXES = {edu_events.SEX_MALE: "male", edu_events.SEX_FEMALE: "female"}


def unavailable(what: str, exc: Exception) -> Unavailable:
    log.warning("%s failed: %s", what, getattr(exc, "code", lambda: type(exc).__name__)())
    return Unavailable(f"The {what} service did not answer; try again in a minute",
                       "Холбогдох үйлчилгээ хариу өгсөнгүй; хэсэг хугацааны дараа дахин оролдоно уу.")


class EducationClient:
    def __init__(self, target: str, timeout_s: float = 5.0, miss_ttl_s: float = 60.0) -> None:
        self.stub = edu_grpc.EducationServiceStub(grpc_channel(target, default_timeout_s=timeout_s))
        self.miss_ttl_s = miss_ttl_s
        self._misses: dict[str, float] = {}

    def verify_claim(self, claim: Claim, account_id: str) -> ClaimMatch | None:
        request = edu.VerifyGuardianClaimRequest(
            learner_register_number=claim.learner_register_number, guardian_given_name=claim.guardian_given_name,
            guardian_phone=claim.guardian_phone, guardian_register_number=claim.guardian_register_number,
            account_id=account_id)
        try:
            answer = self.stub.VerifyGuardianClaim(request, metadata=CALLER)
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.INVALID_ARGUMENT:
                raise invalid("learner_register_number", "This register number is not valid",
                              "Регистрийн дугаар буруу байна.", code="invalid_register_number") from None
            raise unavailable("education", exc) from None
        if not answer.matched:
            return None
        relationship = edu_events.Relationship.Name(answer.relationship).removeprefix("RELATIONSHIP_").lower()
        return ClaimMatch(answer.learner_id, answer.guardian_id, relationship)

    def learner(self, learner_id: str, on_behalf_of: str) -> Child:
        request = edu.GetLearnerRequest(learner_id=learner_id, on_behalf_of=on_behalf_of,
                                        purpose="parent portal: the guardian's verified child")
        try:
            found = self.stub.GetLearner(request, metadata=CALLER)
        except grpc.RpcError as exc:
            raise unavailable("education", exc) from None
        born = found.birth_date
        return Child(found.learner_id, found.given_name, found.family_name,
                     date(born.year, born.month, born.day) if born.year else None, SEXES.get(found.sex, ""),
                     found.school.org_id, found.class_id, found.level, found.status or "registered")

    def lessons(self, class_id: str) -> list[Lesson] | None:
        """The class's published week ([] when none is published or the class is unknown); None when education
        does not answer. A class without lessons is not asked about again for ``miss_ttl_s``."""
        missed_at = self._misses.get(class_id)
        if missed_at is not None and time.monotonic() - missed_at < self.miss_ttl_s:
            return []
        try:
            found = self.stub.GetTimetable(edu.GetTimetableRequest(class_id=class_id), metadata=CALLER)
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                found = edu.Timetable(class_id=class_id)
            else:
                log.warning("timetable of %s not read: %s", class_id, exc.code())
                return None
        lessons = lessons_of(found.lessons) if found.published else []
        if lessons:
            self._misses.pop(class_id, None)
        else:
            self._misses[class_id] = time.monotonic()
        return lessons


def lessons_of(published: Any) -> list[Lesson]:
    """``esis.education.v1.TimetableLesson`` messages (an event's or GetTimetable's) → the portal's lessons
    (whole: the read model keeps codes and rooms of up to 40 characters, as education does)."""
    return sorted((Lesson(x.day, x.period, x.subject_code or x.subject_id, x.room) for x in published),
                  key=lambda x: (x.weekday, x.period))


class HrDirectory:
    """Staff contacts, cached for a few minutes (pages ask for the same class's teachers often)."""

    def __init__(self, target: str, timeout_s: float = 3.0, ttl_s: float = 300.0) -> None:
        self.stub = hr_grpc.HrServiceStub(grpc_channel(target, default_timeout_s=timeout_s))
        self.ttl_s = ttl_s
        self._cache: dict[tuple[str, str], tuple[float, Any]] = {}

    def _cached(self, key: tuple[str, str], load: Any) -> Any:
        hit = self._cache.get(key)
        if hit and time.monotonic() - hit[0] < self.ttl_s:
            return hit[1]
        value = load()
        self._cache[key] = (time.monotonic(), value)
        return value

    def staff(self, staff_id: str) -> StaffContact | None:
        return self._cached(("staff", staff_id), lambda: self._staff(staff_id, ()))

    def _staff(self, staff_id: str, subjects: tuple[str, ...]) -> StaffContact | None:
        try:
            found = self.stub.GetStaff(hr.GetStaffRequest(staff_id=staff_id, caller="parent",
                                                          purpose="teacher contact for the child's guardian"))
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                return None
            raise unavailable("hr", exc) from None
        return StaffContact(found.staff_id, found.display_name, found.phone, found.email, found.account_id,
                            subjects or tuple(found.subject_codes))

    def teachers_of_class(self, class_id: str) -> list[StaffContact]:
        return self._cached(("class", class_id), lambda: self._teachers(class_id))

    def _teachers(self, class_id: str) -> list[StaffContact]:
        try:
            found = self.stub.ListAssignments(hr.ListAssignmentsRequest(class_id=class_id))
        except grpc.RpcError as exc:
            raise unavailable("hr", exc) from None
        subjects: dict[str, list[str]] = {}
        for a in found.assignments:
            subjects.setdefault(a.staff_id, []).append(a.subject_code)
        contacts = [self._staff(staff_id, tuple(sorted(codes))) for staff_id, codes in subjects.items()]
        return sorted((c for c in contacts if c is not None), key=lambda c: c.name)


class EducationHttp:
    """education's HTTP API: the access log, read with the guardian's own token."""

    def __init__(self, base_url: str, timeout_s: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.client = httpx.Client(timeout=timeout_s)

    def entries(self, learner_id: str, bearer_token: str) -> list[AccessEntry]:
        url = f"{self.base_url}/api/education/v1/learners/{learner_id}/access-log"
        try:
            response = self.client.get(url, headers={"Authorization": f"Bearer {bearer_token}"})
        except httpx.HTTPError as exc:
            raise unavailable("education", exc) from None
        if response.status_code in (401, 403, 404):
            raise Unavailable("The school register does not show this log to your account yet",
                              "Сургуулийн бүртгэл энэ мэдээллийг таны бүртгэлд хараахан харуулахгүй байна.",
                              code="access_log_unavailable")
        if response.status_code != 200:
            raise unavailable("education", RuntimeError(response.status_code))
        return [AccessEntry(_instant(x["at"]), x.get("actor_role", ""), x.get("what", ""), x.get("purpose", ""))
                for x in response.json()]


def _instant(text: str) -> datetime:
    found = datetime.fromisoformat(text)
    return found if found.tzinfo else found.replace(tzinfo=UTC)
