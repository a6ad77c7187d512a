"""parent on SQLite and PostgreSQL: migrations, claims, the outbox for identity, event handlers staging notification
requests, the timetable read model, receipts, and threads, through the real SQL unit of work."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2 as edu
from esis.parent.v1 import parent_events_pb2 as pb
from esis_shared.db import alembic_config
from parent.adapters import orm
from parent.bootstrap import MIGRATIONS_DIR
from parent.domain.receipts import Receipt
from parent.domain.school import Lesson
from parent.entrypoints.consumer import build_handlers
from parent.service_layer import views
from parent.service_layer.handlers import messaging as m
from parent.service_layer.handlers.claims import ClaimChild, claim_child
from parent.service_layer.handlers.settings import UpdateProfile, record_receipt, update_profile
from sqlalchemy import inspect, select

from ..unit.conftest import MOTHER, STRANGER, TEACHER, claim
from .helpers import attendance_marked, sql_container

pytestmark = pytest.mark.integration


@pytest.fixture
def container(sql_url):
    built = sql_container(sql_url)
    claim_child(ClaimChild(MOTHER.subject, claim()), built.deps)
    update_profile(UpdateProfile("Оюун", "99112233", ""), MOTHER, built.deps)
    yield built
    built.close()


def outbox_rows(container, table):
    with container.engine.connect() as conn:
        return conn.execute(select(table).order_by(table.c.seq)).all()


def test_a_verified_claim_is_staged_for_identity_in_the_outbox(container) -> None:
    [row] = outbox_rows(container, orm.outbox)

    linked = pb.ChildLinked.FromString(row.payload)
    assert (row.topic, row.key, row.event_type) == ("parent.guardians.v1", "acc-mother", "esis.parent.v1.ChildLinked")
    assert (linked.account_id, linked.learner_id, linked.relationship) == ("acc-mother", "lrn-bat", "mother")


def test_an_absence_event_stages_one_request_per_guardian_in_the_same_transaction(container) -> None:
    handle = build_handlers(container.deps)["esis.teacher.v1.AttendanceMarked"]
    for _ in range(2):  # the same absence delivered as two events (e.g. a re-submitted sheet)
        with container.deps.uow() as uow:
            handle(uow.session, attendance_marked(), None)
            uow.session.commit()

    rows = outbox_rows(container, orm.notification_outbox)
    assert {r.key for r in rows} == {"absence:lrn-bat:2026-11-30:acc-mother"}
    assert rows[0].payload["channels"] == [{"channel": "sms", "address": "99112233"}]
    assert views.day(MOTHER, "lrn-bat", container.deps).status == "unexcused"


def test_a_failing_handler_leaves_no_request_behind(container) -> None:
    handle = build_handlers(container.deps)["esis.teacher.v1.AttendanceMarked"]
    with container.deps.uow() as uow:
        handle(uow.session, attendance_marked(), None)
        uow.session.rollback()

    assert outbox_rows(container, orm.notification_outbox) == []


def test_receipts_keep_the_newest_state(container) -> None:
    key = "absence:lrn-bat:2026-11-30:acc-mother"
    later = Receipt(key, "acc-mother", "absence", "lrn-bat", "sms", "sent", 1, datetime(2026, 11, 30, 4, 1, tzinfo=UTC))
    earlier = Receipt(key, "acc-mother", "absence", "lrn-bat", "", "queued", 0, datetime(2026, 11, 30, 4, tzinfo=UTC))
    for receipt in (later, earlier):
        with container.deps.uow() as uow:
            record_receipt(uow, receipt)
            uow.commit()

    assert views.settings(MOTHER, container.deps)[2] == [later]


def test_threads_round_trip_and_stay_private(container) -> None:
    thread = m.start_thread(m.StartThread("lrn-bat", "acc-teacher", "Математик", "Сайн байна уу"), MOTHER,
                            container.deps)
    m.post_message(thread.thread_id, "Сайн, та маргааш ирээрэй.", TEACHER, container.deps)

    seen = views.thread(MOTHER, thread.thread_id, container.deps)
    assert [x.author_role for x in seen.messages] == ["guardian", "teacher"]
    assert seen.messages[0].posted_at.tzinfo is not None
    with pytest.raises(Exception) as refused:
        views.thread(STRANGER, thread.thread_id, container.deps)
    assert getattr(refused.value, "code", "") == "thread_not_found"


def test_migrations_match_the_tables(container) -> None:
    with container.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), orm.metadata) == []


CODE_40, ROOM_40 = "SCIENCE-AND-TECHNOLOGY-ELECTIVE-GRADE-12", "Лаборатори 3-р давхар, баруун жигүүр 301"


def publish_timetable(container, code: str, room: str) -> None:
    message = edu.TimetablePublished(class_id="cls-5b", school=common_pb2.OrgRef(org_id="sch-1"), year_id="2026-2027",
                                     lessons=1, weekly_lessons=[edu.TimetableLesson(day=3, period=2, subject_id="s-1",
                                                                                    subject_code=code, room=room)])
    with container.deps.uow() as uow:
        build_handlers(container.deps)["esis.education.v1.TimetablePublished"](uow.session, message, None)
        uow.session.commit()


def test_a_40_character_subject_code_and_room_arrive_whole(container) -> None:
    publish_timetable(container, CODE_40, ROOM_40)

    assert views.timetable(MOTHER, "lrn-bat", container.deps) == {3: [Lesson(3, 2, CODE_40, ROOM_40)]}


def test_migration_0002_widens_the_timetable_columns_and_downgrades_to_32(container, sql_url) -> None:
    publish_timetable(container, CODE_40, ROOM_40)
    config = alembic_config(sql_url, MIGRATIONS_DIR)
    command.downgrade(config, "0001")
    with container.engine.connect() as conn:
        narrow = {c["name"]: getattr(c["type"], "length", None) for c in inspect(conn).get_columns("timetable_lessons")}
        kept = conn.execute(select(orm.timetable_lessons.c.subject_code, orm.timetable_lessons.c.room)).one()
    command.upgrade(config, "head")
    with container.engine.connect() as conn:
        wide = {c["name"]: getattr(c["type"], "length", None) for c in inspect(conn).get_columns("timetable_lessons")}

    assert (narrow["subject_code"], narrow["room"], wide["subject_code"], wide["room"]) == (32, 32, 40, 40)
    assert tuple(kept) == (CODE_40[:32], ROOM_40[:32])
