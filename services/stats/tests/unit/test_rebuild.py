"""Replaying the event log into empty tables gives identical projections (the rebuild checksum)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2 as edu
from esis_shared.db import transaction
from esis_shared.kafka import Envelope
from sqlalchemy import select
from stats.adapters.orm import classes, spells
from stats.adapters.readers import checksum
from stats.bootstrap import Container
from stats.entrypoints.consumer import BATCH_HANDLERS, HANDLERS

Fresh = Callable[[], Container]


def digest(container: Container) -> str:
    with transaction(container.sessions) as session:
        return checksum(session)


def test_replay_into_empty_tables_gives_the_same_checksum(event_log: Any, fresh_container: Fresh,
                                                          container: Container) -> None:
    rebuilt = fresh_container()
    assert event_log.apply(rebuilt, group="rebuild") == 141
    assert digest(rebuilt) == digest(container)


def test_batch_handlers_build_the_same_tables_as_one_event_at_a_time(event_log: Any, fresh_container: Fresh,
                                                                      container: Container) -> None:
    batched = fresh_container()
    assert event_log.apply(batched, group="batched", batched=True) == 141
    assert digest(batched) == digest(container)
    event_log.apply(batched, group="batched-again", batched=True)  # redelivered through the batch handlers
    assert digest(batched) == digest(container)


def test_a_learner_enrolled_twice_in_one_batch_keeps_both_spells(fresh_container: Fresh, world_tools: Any) -> None:
    log = world_tools.EventLog()
    world_tools.build_world(log)
    world_tools.enrol(log, "lrn-K9-00", "K9", "2", 2024)  # the same learner's 2023 and 2024 enrolments, one poll
    one_by_one, batched = fresh_container(), fresh_container()
    log.apply(one_by_one, group="single")
    log.apply(batched, group="batched", batched=True)
    assert digest(batched) == digest(one_by_one)
    with transaction(batched.sessions) as session:
        rows = session.execute(select(spells.c.start, spells.c.end).where(spells.c.learner_id == "lrn-K9-00")
                               .order_by(spells.c.start)).all()
    assert [(r.start.year, r.end.year if r.end else None) for r in rows] == [(2023, 2024), (2024, None)]


def test_redelivered_events_change_nothing(event_log: Any, container: Container) -> None:
    before = digest(container)
    event_log.apply(container, group="stats-again")  # every event delivered a second time
    assert digest(container) == before


def test_one_more_event_changes_the_checksum(event_log: Any, fresh_container: Fresh, container: Container,
                                             world_tools: Any) -> None:
    changed = world_tools.EventLog()
    world_tools.build_world(changed)
    world_tools.enrol(changed, "lrn-K9-00", "K9", "2", 2024)
    rebuilt = fresh_container()
    changed.apply(rebuilt, group="changed")
    assert digest(rebuilt) != digest(container)


def test_class_openings_and_changes_in_one_run_apply_in_their_order(fresh_container: Fresh) -> None:
    school = common_pb2.OrgRef(org_id="K1", aimag_code="65")
    events = [edu.ClassOpened(class_id="Y", school=school, year_id="2023-2024", level="1", capacity=10),
              edu.ClassOpened(class_id="X", school=school, year_id="2023-2024", level="1", capacity=30),
              edu.ClassChanged(class_id="X", school=school, capacity=25),
              edu.ClassChanged(class_id="Y", school=school, capacity=20),
              edu.ClassOpened(class_id="Y", school=school, year_id="2023-2024", level="2", capacity=35),
              edu.ClassChanged(class_id="Z", school=school, capacity=99)]  # never opened: nothing to change
    pairs = [(m, Envelope.for_message(m, source="education", topic="education.classes.v1", key=m.class_id))
             for m in events]
    one_by_one, batched = fresh_container(), fresh_container()
    with transaction(one_by_one.sessions) as session:
        for m, envelope in pairs:
            HANDLERS[envelope.type](session, m, envelope)
    with transaction(batched.sessions) as session:
        BATCH_HANDLERS["esis.education.v1.ClassOpened"](session, pairs[:1])
        BATCH_HANDLERS["esis.education.v1.ClassOpened"](session, pairs[1:])  # one run of both types
    for built in (one_by_one, batched):
        with transaction(built.sessions) as session:
            rows = {r.id: (r.level, r.capacity) for r in session.execute(select(classes))}
        assert rows == {"X": ("1", 25), "Y": ("2", 35)}
