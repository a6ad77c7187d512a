"""Request bodies of hr's JSON API (dates ISO 8601; FTE as a decimal string or number, 0 < fte ≤ 1)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from hr.service_layer import commands

_ID = Field(min_length=1, max_length=64)
_CODE = Field(min_length=1, max_length=40)


class PersonIn(BaseModel):
    register_number: str = Field(min_length=1, max_length=20)
    patronymic: str = Field(min_length=1, max_length=100, description="Эцэг/эхийн нэр (овог)")
    given_name: str = Field(min_length=1, max_length=100)
    clan_name: str = Field(default="", max_length=100, description="Ургийн овог")
    birth_date: date
    sex: str = Field(description="male | female (эрэгтэй | эмэгтэй)")
    phone: str = Field(default="", max_length=20)
    email: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=300)

    def details(self) -> commands.PersonDetails:
        return commands.PersonDetails(**self.model_dump())


class HireIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {
        "person": {"register_number": "УБ85031512", "patronymic": "Батын", "given_name": "Болд",
                   "birth_date": "1985-03-15", "sex": "male", "phone": "99112233"},
        "position_id": "pos-math-01", "fte": "1", "start_date": "2024-09-01"}})

    person: PersonIn
    position_id: str = _ID
    fte: str = Field(default="1", max_length=6)
    start_date: date


class MoveIn(BaseModel):
    """A change of position (same organisation) or a transfer (another organisation)."""

    appointment_id: str = _ID
    position_id: str = _ID
    fte: str = Field(default="1", max_length=6)
    effective_date: date = Field(description="The first day in the new position")


class LeaveIn(BaseModel):
    kind: str = Field(description="maternity | child_care | study | sick | other")
    start_date: date
    expected_last_day: date | None = None


class LeaveEndIn(BaseModel):
    last_day: date


class ExitIn(BaseModel):
    org_id: str = _ID
    last_day: date
    reason: str = Field(description="resigned | retired | contract_ended | dismissed | deceased | other")


class EducationIn(BaseModel):
    degree: str = Field(min_length=1, max_length=60)
    institution: str = Field(min_length=1, max_length=200)
    year: int
    speciality: str = Field(default="", max_length=200)


class LicenceIn(BaseModel):
    kind: str = Field(min_length=1, max_length=60)
    number: str = Field(min_length=1, max_length=60)
    issued_on: date
    expires_on: date | None = None


class QualificationsIn(BaseModel):
    """The whole set: what is left out is removed."""

    education: list[EducationIn] = Field(default_factory=list, max_length=20)
    rank_code: str = Field(default="", max_length=40)
    licences: list[LicenceIn] = Field(default_factory=list, max_length=20)
    subject_codes: list[str] = Field(default_factory=list, max_length=40)


class ContactIn(BaseModel):
    phone: str = Field(default="", max_length=20)
    email: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=300)


class AccountLinkIn(BaseModel):
    account_id: str = _ID


class PositionIn(BaseModel):
    org_id: str = _ID
    kind: str = Field(description="teacher | class_teacher | training_manager | director | methodologist | "
                                  "support_staff")
    fte: str = Field(default="1", max_length=6)
    subject_code: str = Field(default="", max_length=40)
    title: str = Field(default="", max_length=200)


class VacancyIn(BaseModel):
    position_id: str = _ID
    opened_on: date
    fte: str | None = Field(default=None, max_length=6)


class VacancyCancelIn(BaseModel):
    on: date


class AssignmentIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {
        "staff_id": "stf-6f1c2a9e", "class_id": "cls-5b-2024", "subject_code": "math", "school_year": "2024-2025",
        "weekly_hours": 5}})

    staff_id: str = _ID
    class_id: str = _ID
    subject_code: str = _CODE
    school_year: str = Field(min_length=9, max_length=9, description="2024-2025")
    weekly_hours: int
    start_date: date | None = Field(default=None, description="1 September of the school year when left out")
    last_day: date | None = Field(default=None, description="31 August of the school year when left out")


class UnassignIn(BaseModel):
    last_day: date
    reason: str = Field(default="reassigned", description="reassigned | staff_left | correction | other")


class OrgIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    aimag_code: str = Field(min_length=1, max_length=10)
    kind: str = Field(default="school", max_length=30)


class ClassIn(BaseModel):
    org_id: str = _ID
    school_year: str = Field(min_length=9, max_length=9)
    name: str = Field(min_length=1, max_length=50)
    grade: int = Field(ge=0, le=12)
    subject_hours: dict[str, int] = Field(default_factory=dict, description="subject code → weekly hours")
