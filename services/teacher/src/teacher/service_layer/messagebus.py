"""Dispatches a command to its handler with a fresh unit of work and the shared context."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from teacher.service_layer import commands
from teacher.service_layer.handlers import attendance, feedback, grades, journal, kindergarten
from teacher.service_layer.handlers.common import Context
from teacher.service_layer.unit_of_work import AbstractUnitOfWork

Handler = Callable[[Any, AbstractUnitOfWork, Context], Any]

HANDLERS: dict[type[commands.Command], Handler] = {
    commands.MarkAttendance: attendance.mark_attendance,
    commands.CorrectAttendance: attendance.correct_attendance,
    commands.SetAttendanceMode: attendance.set_attendance_mode,
    commands.CreateAssessment: grades.create_assessment,
    commands.RecordMarks: grades.record_marks,
    commands.OverrideGrade: grades.override_grade,
    commands.SubmitGrades: grades.submit_grades,
    commands.ApproveGrades: grades.approve_grades,
    commands.ReturnGrades: grades.return_grades,
    commands.AssignHomework: journal.assign_homework,
    commands.LogLessonTopic: journal.log_lesson_topic,
    commands.RecordGrowth: kindergarten.record_growth,
    commands.RecordObservation: kindergarten.record_observation,
    commands.SendFeedback: feedback.send_feedback,
    commands.ReviewFeedback: feedback.review_feedback,
    commands.ForwardFeedback: feedback.forward_feedback,
    commands.AnswerFeedback: feedback.answer_feedback,
}


class MessageBus:
    def __init__(self, uow_factory: Callable[[], AbstractUnitOfWork], context: Context) -> None:
        self.uow_factory = uow_factory
        self.context = context

    def handle(self, command: commands.Command) -> Any:
        return HANDLERS[type(command)](command, self.uow_factory(), self.context)
