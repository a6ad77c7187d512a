"""Roster facts from education and hr events, applied to the local read models.

The consumer turns each protobuf message into one of these facts; applying a fact twice leaves the same state,
and facts of different topics may arrive in any order (an enrolment before its class is known is kept).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from teacher.adapters.repository import RosterRepository
from teacher.domain.rosters import Assignment, ClassInfo, Enrolment


@dataclass(frozen=True)
class LearnerEnrolled:
    learner_id: str
    class_id: str
    on: date  # first day in the class


@dataclass(frozen=True)
class LearnerLeftClass:
    learner_id: str
    class_id: str
    on: date  # first day no longer in the class (withdrawn, transferred out or moved)


def record_class(rosters: RosterRepository, info: ClassInfo) -> None:
    known = rosters.class_info(info.class_id)
    if known is not None and info.aimag is None:
        info = replace(info, aimag=known.aimag)
    rosters.save_class(info)


def enrol(rosters: RosterRepository, fact: LearnerEnrolled) -> None:
    """Enrol; any other open enrolment of the learner ends the day before (one class at a time)."""
    current = rosters.enrolments_of_learner(fact.learner_id)
    if any(e.class_id == fact.class_id and e.starts_on == fact.on for e in current):
        return
    for enrolment in current:
        if enrolment.ends_on is None and enrolment.starts_on < fact.on:
            rosters.replace_enrolment(enrolment, replace(enrolment, ends_on=fact.on - timedelta(days=1)))
    rosters.add_enrolment(Enrolment(fact.learner_id, fact.class_id, fact.on))


def leave(rosters: RosterRepository, fact: LearnerLeftClass) -> None:
    last_day = fact.on - timedelta(days=1)
    for enrolment in rosters.enrolments_of_learner(fact.learner_id):
        if enrolment.class_id == fact.class_id and enrolment.ends_on is None:
            rosters.replace_enrolment(enrolment, replace(enrolment, ends_on=max(last_day, enrolment.starts_on)))


def assign(rosters: RosterRepository, assignment: Assignment) -> None:
    rosters.save_assignment(assignment)


def unassign(rosters: RosterRepository, assignment_id: str, last_day: date, fallback: Assignment) -> None:
    """End an assignment after ``last_day``; an unknown one is stored already ended (events may come late)."""
    known = rosters.assignment(assignment_id) or fallback
    rosters.save_assignment(replace(known, last_day=last_day))
