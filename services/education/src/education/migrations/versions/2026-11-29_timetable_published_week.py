"""Timetables keep the week as last published (``published_week``) beside the draft the school edits, so other
services (gRPC GetTimetable) still see the published week while a new version is a draft.

Filled from what is on record: a timetable whose draft is published gets its lessons (with today's subject codes);
one being edited gets the lessons of its latest TimetablePublished event in the outbox (events staged before the
event carried its lessons give none: such a class shows no timetable outside the school until it is published
again).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 16:45:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMETABLE_PUBLISHED = 'esis.education.v1.TimetablePublished'

timetables = sa.table('timetables', sa.column('id', sa.String), sa.column('lessons', sa.JSON),
                      sa.column('published', sa.Boolean), sa.column('published_week', sa.JSON))
subjects = sa.table('subjects', sa.column('id', sa.String), sa.column('code', sa.String))
outbox = sa.table('outbox', sa.column('seq', sa.Integer), sa.column('key', sa.String),
                  sa.column('event_type', sa.String), sa.column('payload', sa.LargeBinary))


def upgrade() -> None:
    with op.batch_alter_table('timetables', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_week', sa.JSON(), nullable=True))
    bind = op.get_bind()
    codes = {row.id: row.code for row in bind.execute(sa.select(subjects.c.id, subjects.c.code))}
    last_events = _last_published_events(bind)
    rows = bind.execute(sa.select(timetables.c.id, timetables.c.lessons, timetables.c.published)).all()
    for row in rows:
        week = _week_of_lessons(row.lessons, codes) if row.published else last_events.get(row.id, [])
        bind.execute(sa.update(timetables).where(timetables.c.id == row.id).values(published_week=week))
    with op.batch_alter_table('timetables', schema=None) as batch_op:
        batch_op.alter_column('published_week', existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('timetables', schema=None) as batch_op:
        batch_op.drop_column('published_week')


def _week_of_lessons(lessons: list[dict[str, Any]], codes: dict[str, str]) -> list[dict[str, Any]]:
    ordered = sorted(lessons, key=lambda x: (x['day'], x['period']))
    return [{'day': x['day'], 'period': x['period'], 'subject_id': x['subject_id'],
             'subject_code': codes.get(x['subject_id'], ''), 'teacher_id': x['teacher_id'],
             'room': x.get('room', '')} for x in ordered]


def _last_published_events(bind: sa.Connection) -> dict[str, list[dict[str, Any]]]:
    """Class id → the lessons of its latest TimetablePublished event still in the outbox."""
    from esis.education.v1 import education_events_pb2 as pb

    found: dict[str, list[dict[str, Any]]] = {}
    stmt = sa.select(outbox.c.key, outbox.c.payload).where(outbox.c.event_type == TIMETABLE_PUBLISHED)
    for row in bind.execute(stmt.order_by(outbox.c.seq)):
        message = pb.TimetablePublished.FromString(row.payload)
        found[message.class_id or row.key] = [
            {'day': x.day, 'period': x.period, 'subject_id': x.subject_id, 'subject_code': x.subject_code,
             'teacher_id': x.teacher_id, 'room': x.room}
            for x in sorted(message.weekly_lessons, key=lambda x: (x.day, x.period))]
    return found
