"""Contract: a text value that crosses a service boundary in an event fits every consumer's column.

Each crossing names the event that carries the value, the producer's declared limit (its column, constant or API
schema — read from the code, not parsed from text) and the consumers' columns (their SQLAlchemy tables). A consumer
column shorter than the producer's limit makes PostgreSQL refuse the row, and the event is dead-lettered (found by the
national-load benchmark for an org code of 33–40 characters: stats kept 32, hr 20). The consumers of each crossing
are checked against the topic registry, so a service that starts consuming a topic shows up here. Pure: no servers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from education.adapters import orm as education
from education.domain.org import FIRST_LEVEL_CODE_MAX
from education.domain.timetable import MAX_ROOM
from education.entrypoints.api import bulk as education_bulk
from education.entrypoints.api import schemas as education_schemas
from esis_shared.registry import TopicRegistry
from feeds.adapters import orm as feeds
from hr.adapters import orm as hr
from identity.adapters import orm as identity
from parent.adapters import orm as parent
from sqlalchemy import Column, MetaData
from stats.adapters import orm as stats
from teacher.adapters import orm as teacher

REGISTRY = TopicRegistry.load(Path(__file__).resolve().parents[2] / "proto" / "topics")
# every service's tables that may keep an aimag code (outboxes keep each event's ``aimag`` header)
METADATA: dict[str, MetaData] = {"education": education.metadata, "stats": stats.metadata, "hr": hr.metadata,
                                 "parent": parent.metadata, "teacher": teacher.metadata,
                                 "identity": identity.metadata, "feeds": feeds.metadata}


def length(column: Column) -> int:
    return column.type.length  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Crossing:
    what: str
    message: str  # full protobuf name of the event carrying the value
    producer_limit: int
    consumers: tuple[tuple[str, Column], ...]  # (service, its column)


ORG_CODE = length(education.org_units.c.code)
SUBJECT_CODE = length(education.subjects.c.code)
# teacher accepts marks, grades, attendance and homework only for a subject the teacher is assigned (hr's assignment,
# require_teaches), so teacher's events carry at most the subject codes hr's assignments hold.
ASSIGNED_SUBJECT_CODE = length(hr.teaching_assignments.c.subject_code)

CROSSINGS = (
    Crossing("org unit code", "esis.education.v1.OrgUnitCreated", ORG_CODE,
             (("stats", stats.org_units.c.code), ("hr", hr.orgs.c.code), ("parent", parent.schools.c.code))),
    Crossing("org unit name", "esis.education.v1.OrgUnitCreated", length(education.org_units.c.name_mn),
             (("stats", stats.org_units.c.name), ("hr", hr.orgs.c.name), ("parent", parent.schools.c.name))),
    Crossing("subject code", "esis.education.v1.SubjectDefined", SUBJECT_CODE, (("hr", hr.subjects.c.code),)),
    Crossing("timetable subject code", "esis.education.v1.TimetablePublished", SUBJECT_CODE,
             (("parent", parent.timetable_lessons.c.subject_code),)),
    Crossing("timetable room", "esis.education.v1.TimetablePublished", MAX_ROOM,
             (("parent", parent.timetable_lessons.c.room),)),
    Crossing("class room", "esis.education.v1.ClassChanged", length(education.classes.c.room),
             (("parent", parent.classes.c.room),)),
    Crossing("class level", "esis.education.v1.ClassOpened", length(education.classes.c.level_code),
             (("stats", stats.classes.c.level), ("hr", hr.classes.c.level), ("teacher", teacher.classes.c.level),
              ("parent", parent.classes.c.level))),
    Crossing("class letter", "esis.education.v1.ClassOpened", length(education.classes.c.letter),
             (("parent", parent.classes.c.letter),)),
    Crossing("school year", "esis.education.v1.ClassOpened", length(education.school_years.c.id),
             (("stats", stats.classes.c.year_id), ("hr", hr.classes.c.school_year),
              ("teacher", teacher.classes.c.school_year), ("parent", parent.classes.c.year_id))),
    Crossing("assigned subject code", "esis.hr.v1.TeachingAssigned", ASSIGNED_SUBJECT_CODE,
             (("stats", stats.teaching.c.subject_code), ("teacher", teacher.assignments.c.subject_code))),
    Crossing("graded subject code", "esis.teacher.v1.TermGradePublished", ASSIGNED_SUBJECT_CODE,
             (("stats", stats.grades.c.subject_code), ("parent", parent.grades.c.subject_code))),
    Crossing("marked subject code", "esis.teacher.v1.MarkRecorded", ASSIGNED_SUBJECT_CODE,
             (("parent", parent.marks.c.subject_code),)),
    Crossing("assessment name", "esis.teacher.v1.MarkRecorded", length(teacher.assessments.c.name),
             (("parent", parent.marks.c.name),)),
    Crossing("attendance subject code", "esis.teacher.v1.AttendanceMarked", ASSIGNED_SUBJECT_CODE,
             (("parent", parent.attendance.c.subject_code),)),
    Crossing("homework subject code", "esis.teacher.v1.HomeworkAssigned", ASSIGNED_SUBJECT_CODE,
             (("parent", parent.homework.c.subject_code),)),
)
CASES = [pytest.param(c, service, column, id=f"{c.what}: {service}.{column.table.name}.{column.name}")
         for c in CROSSINGS for service, column in c.consumers]


@pytest.mark.parametrize(("crossing", "service", "column"), CASES)
def test_a_consumer_column_holds_the_producers_longest_value(crossing: Crossing, service: str, column: Column) -> None:
    assert length(column) >= crossing.producer_limit, (
        f"{service}.{column.table.name}.{column.name} keeps {length(column)} characters, but {crossing.message} "
        f"carries a {crossing.what} of up to {crossing.producer_limit}: widen the column (a migration) or tighten "
        "the producer's validation")


@pytest.mark.parametrize(("crossing", "service", "column"), CASES)
def test_the_consumer_is_declared_on_the_events_topic(crossing: Crossing, service: str, column: Column) -> None:
    [topic] = [t for t in REGISTRY.topics if crossing.message in t.messages and t.family is None]
    assert service in topic.consumers, f"{service} reads {crossing.message} but is not a consumer of {topic.name}"


def test_educations_api_accepts_no_longer_org_code_than_its_column() -> None:
    limits = {model.__name__: next(m.max_length for m in model.model_fields["code"].metadata
                                   if hasattr(m, "max_length"))
              for model in (education_schemas.OrgUnitCreate, education_bulk.OrgUnitRow)}
    assert limits == {"OrgUnitCreate": ORG_CODE, "OrgUnitRow": ORG_CODE}


def test_every_kept_aimag_code_holds_a_first_level_units_code() -> None:
    # OrgRef.aimag_code (and the ``aimag`` header, feeds' topic per aimag) is the code of the aimag or capital above
    # a unit, which education holds to FIRST_LEVEL_CODE_MAX characters
    columns = [(service, column) for service, metadata in METADATA.items()
               for table in metadata.tables.values() for column in table.columns
               if column.name in ("aimag", "aimag_code")]
    assert {s for s, _ in columns} == set(METADATA)
    short = [f"{s}.{c.table.name}.{c.name} ({length(c)})" for s, c in columns if length(c) < FIRST_LEVEL_CODE_MAX]
    assert short == [], f"shorter than an aimag's code may be ({FIRST_LEVEL_CODE_MAX}): {short}"
