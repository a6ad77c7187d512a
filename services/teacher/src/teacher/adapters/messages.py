"""Domain events → protobuf messages of ``esis.teacher.v1``, with their topic, key and routing aimag.

Keys: a class's attendance and homework go in order per class; marks, grades and kindergarten records per
learner (they follow the learner across classes and schools); feedback per item.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import singledispatch

from esis.common.v1 import common_pb2
from esis.teacher.v1 import teacher_events_pb2 as pb
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from teacher.domain import events

ATTENDANCE = "teacher.attendance.v1"
GRADES = "teacher.grades.v1"
HOMEWORK = "teacher.homework.v1"
KINDERGARTEN = "teacher.kindergarten.v1"
FEEDBACK = "teacher.feedback.v1"
TOPICS = (ATTENDANCE, GRADES, HOMEWORK, KINDERGARTEN, FEEDBACK)
STATUSES = {"received": pb.FEEDBACK_STATUS_RECEIVED, "in_review": pb.FEEDBACK_STATUS_IN_REVIEW,
            "forwarded": pb.FEEDBACK_STATUS_FORWARDED, "answered": pb.FEEDBACK_STATUS_ANSWERED}
HANDLERS = {"": pb.FEEDBACK_HANDLER_UNSPECIFIED, "ministry": pb.FEEDBACK_HANDLER_MINISTRY,
            "aimag": pb.FEEDBACK_HANDLER_AIMAG, "school": pb.FEEDBACK_HANDLER_SCHOOL}


@dataclass(frozen=True)
class Outgoing:
    topic: str
    key: str
    subject: str
    message: Message
    aimag: str | None


def timestamp(value: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def day(value: date) -> common_pb2.Date:
    return common_pb2.Date(year=value.year, month=value.month, day=value.day)


def school(where: events.Where) -> common_pb2.OrgRef:
    return common_pb2.OrgRef(org_id=where.school_id, aimag_code=where.aimag or "")


@singledispatch
def to_outgoing(event: object) -> Outgoing:
    raise TypeError(f"no protobuf message for {type(event).__name__}")


@to_outgoing.register
def _(e: events.AttendanceMarked) -> Outgoing:
    marks = [pb.AttendanceMark(learner_id=m.learner_id, code=m.code, category=m.category) for m in e.marks]
    message = pb.AttendanceMarked(sheet_id=e.sheet_id, class_id=e.where.class_id, school=school(e.where),
                                  day=day(e.day), lesson=e.lesson, subject_code=e.subject_code, marks=marks,
                                  marked_by_account_id=e.marked_by, occurred_at=timestamp(e.occurred_at))
    return Outgoing(ATTENDANCE, e.where.class_id, e.sheet_id, message, e.where.aimag)


@to_outgoing.register
def _(e: events.AttendanceCorrected) -> Outgoing:
    changes = [pb.AttendanceChange(learner_id=c.learner_id, previous_code=c.previous_code, code=c.code,
                                   category=c.category) for c in e.changes]
    message = pb.AttendanceCorrected(sheet_id=e.sheet_id, class_id=e.where.class_id, school=school(e.where),
                                     day=day(e.day), lesson=e.lesson, subject_code=e.subject_code, changes=changes,
                                     reason=e.reason, corrected_by_account_id=e.corrected_by,
                                     occurred_at=timestamp(e.occurred_at))
    return Outgoing(ATTENDANCE, e.where.class_id, e.sheet_id, message, e.where.aimag)


@to_outgoing.register
def _(e: events.MarkRecorded) -> Outgoing:
    message = pb.MarkRecorded(assessment_id=e.assessment_id, learner_id=e.learner_id, class_id=e.where.class_id,
                              school=school(e.where), subject_code=e.subject_code, school_year=e.school_year,
                              term=e.term, assessment_name=e.assessment_name, held_on=day(e.held_on),
                              weight=float(e.weight), percent=float(e.percent), recorded_by_account_id=e.recorded_by,
                              occurred_at=timestamp(e.occurred_at))
    return Outgoing(GRADES, e.learner_id, e.learner_id, message, e.where.aimag)


@to_outgoing.register
def _(e: events.TermGradePublished) -> Outgoing:
    message = pb.TermGradePublished(learner_id=e.learner_id, class_id=e.where.class_id, school=school(e.where),
                                    subject_code=e.subject_code, school_year=e.school_year, term=e.term,
                                    percent=float(e.percent), scale=e.scale, grade=e.band, overridden=e.overridden,
                                    approved_by_account_id=e.approved_by, occurred_at=timestamp(e.occurred_at))
    return Outgoing(GRADES, e.learner_id, e.learner_id, message, e.where.aimag)


@to_outgoing.register
def _(e: events.AnnualGradeFinalized) -> Outgoing:
    message = pb.AnnualGradeFinalized(learner_id=e.learner_id, class_id=e.where.class_id, school=school(e.where),
                                      subject_code=e.subject_code, school_year=e.school_year,
                                      percent=float(e.percent), scale=e.scale, grade=e.band, overridden=e.overridden,
                                      approved_by_account_id=e.approved_by, occurred_at=timestamp(e.occurred_at))
    return Outgoing(GRADES, e.learner_id, e.learner_id, message, e.where.aimag)


@to_outgoing.register
def _(e: events.HomeworkAssigned) -> Outgoing:
    message = pb.HomeworkAssigned(homework_id=e.homework_id, class_id=e.where.class_id, school=school(e.where),
                                  subject_code=e.subject_code, assigned_on=day(e.assigned_on), due_on=day(e.due_on),
                                  text=e.text, content_ids=list(e.content_ids), assigned_by_account_id=e.assigned_by,
                                  occurred_at=timestamp(e.occurred_at))
    return Outgoing(HOMEWORK, e.where.class_id, e.homework_id, message, e.where.aimag)


@to_outgoing.register
def _(e: events.GrowthMeasured) -> Outgoing:
    message = pb.GrowthMeasured(measurement_id=e.measurement_id, learner_id=e.learner_id, class_id=e.where.class_id,
                                school=school(e.where), measured_on=day(e.measured_on), height_cm=float(e.height_cm),
                                weight_kg=float(e.weight_kg), occurred_at=timestamp(e.occurred_at))
    return Outgoing(KINDERGARTEN, e.learner_id, e.learner_id, message, e.where.aimag)


@to_outgoing.register
def _(e: events.DevelopmentObserved) -> Outgoing:
    message = pb.DevelopmentObserved(observation_id=e.observation_id, learner_id=e.learner_id,
                                     class_id=e.where.class_id, school=school(e.where),
                                     observed_on=day(e.observed_on), domain=e.domain, level=e.level, note=e.note,
                                     occurred_at=timestamp(e.occurred_at))
    return Outgoing(KINDERGARTEN, e.learner_id, e.learner_id, message, e.where.aimag)


@to_outgoing.register
def _(e: events.FeedbackReceived) -> Outgoing:
    message = pb.FeedbackReceived(feedback_id=e.feedback_id, category=e.category, aimag_code=e.aimag or "",
                                  school_id=e.school_id, has_attachment=e.has_attachment,
                                  occurred_at=timestamp(e.occurred_at))
    return Outgoing(FEEDBACK, e.feedback_id, e.feedback_id, message, e.aimag)


@to_outgoing.register
def _(e: events.FeedbackStatusChanged) -> Outgoing:
    message = pb.FeedbackStatusChanged(feedback_id=e.feedback_id, category=e.category, aimag_code=e.aimag or "",
                                       school_id=e.school_id, status=STATUSES[e.status],
                                       forwarded_to=HANDLERS[e.forwarded_to_kind], forwarded_to_id=e.forwarded_to_id,
                                       occurred_at=timestamp(e.occurred_at))
    return Outgoing(FEEDBACK, e.feedback_id, e.feedback_id, message, e.aimag)


@to_outgoing.register
def _(e: events.FeedbackAnswered) -> Outgoing:
    message = pb.FeedbackAnswered(feedback_id=e.feedback_id, category=e.category, aimag_code=e.aimag or "",
                                  school_id=e.school_id, answered_by=HANDLERS[e.answered_by_kind],
                                  occurred_at=timestamp(e.occurred_at))
    return Outgoing(FEEDBACK, e.feedback_id, e.feedback_id, message, e.aimag)
