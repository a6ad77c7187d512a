"""initial: analytic projections, offsets, population reference, approval revisions, outbox and processed events

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('appointments',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('staff_id', sa.String(length=64), nullable=False),
    sa.Column('org_id', sa.String(length=64), nullable=False),
    sa.Column('position_kind', sa.String(length=32), nullable=False),
    sa.Column('fte_percent', sa.Integer(), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('end', sa.Date(), nullable=True),
    sa.Column('sex', sa.String(length=8), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments'))
    )
    op.create_table('attendance',
    sa.Column('learner_id', sa.String(length=64), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('lesson', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.String(length=64), nullable=False),
    sa.Column('org_id', sa.String(length=64), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('learner_id', 'day', 'lesson', name=op.f('pk_attendance'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index('ix_attendance_org_day', ['org_id', 'day'], unique=False)

    op.create_table('classes',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('school_id', sa.String(length=64), nullable=False),
    sa.Column('year_id', sa.String(length=16), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_classes'))
    )
    op.create_table('grades',
    sa.Column('learner_id', sa.String(length=64), nullable=False),
    sa.Column('subject_code', sa.String(length=32), nullable=False),
    sa.Column('school_year', sa.String(length=16), nullable=False),
    sa.Column('term', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.String(length=64), nullable=False),
    sa.Column('class_id', sa.String(length=64), nullable=False),
    sa.Column('grade', sa.String(length=32), nullable=False),
    sa.Column('percent', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('learner_id', 'subject_code', 'school_year', 'term', name=op.f('pk_grades'))
    )
    op.create_table('learners',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('sex', sa.String(length=8), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learners'))
    )
    op.create_table('offsets',
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('partition', sa.Integer(), nullable=False),
    sa.Column('next_offset', sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
    sa.PrimaryKeyConstraint('topic', 'partition', name=op.f('pk_offsets'))
    )
    op.create_table('org_links',
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('parent_id', sa.String(length=64), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('unit_id', 'valid_from', name=op.f('pk_org_links'))
    )
    op.create_table('org_units',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_units'))
    )
    op.create_table('outbox',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('event_type', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('aimag', sa.String(length=10), nullable=True),
    sa.Column('traceparent', sa.String(length=64), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_outbox')),
    sa.UniqueConstraint('event_id', name=op.f('uq_outbox_event_id'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_unsent', ['sent_at', 'seq'], unique=False)

    op.create_table('population',
    sa.Column('area_code', sa.String(length=16), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('age', sa.Integer(), nullable=False),
    sa.Column('sex', sa.String(length=8), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('area_code', 'year', 'age', 'sex', name=op.f('pk_population'))
    )
    op.create_table('processed_events',
    sa.Column('consumer', sa.String(length=100), nullable=False),
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('consumer', 'event_id', name=op.f('pk_processed_events'))
    )
    op.create_table('qualifications',
    sa.Column('staff_id', sa.String(length=64), nullable=False),
    sa.Column('rank_code', sa.String(length=32), nullable=False),
    sa.Column('licence_valid_until', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('staff_id', name=op.f('pk_qualifications'))
    )
    op.create_table('report_revisions',
    sa.Column('census_id', sa.String(length=16), nullable=False),
    sa.Column('org_id', sa.String(length=64), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=2000), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('approved_by', sa.String(length=64), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('census_id', 'org_id', 'number', name=op.f('pk_report_revisions'))
    )
    op.create_table('spells',
    sa.Column('learner_id', sa.String(length=64), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('class_id', sa.String(length=64), nullable=False),
    sa.Column('org_id', sa.String(length=64), nullable=False),
    sa.Column('grade', sa.String(length=16), nullable=False),
    sa.Column('end', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('learner_id', 'start', 'class_id', name=op.f('pk_spells'))
    )
    with op.batch_alter_table('spells', schema=None) as batch_op:
        batch_op.create_index('ix_spells_org', ['org_id'], unique=False)

    op.create_table('teaching',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('staff_id', sa.String(length=64), nullable=False),
    sa.Column('class_id', sa.String(length=64), nullable=False),
    sa.Column('org_id', sa.String(length=64), nullable=False),
    sa.Column('subject_code', sa.String(length=32), nullable=False),
    sa.Column('weekly_hours', sa.Integer(), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teaching'))
    )
    op.create_table('transfers',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('learner_id', sa.String(length=64), nullable=False),
    sa.Column('from_org_id', sa.String(length=64), nullable=False),
    sa.Column('to_org_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfers'))
    )
    op.create_table('withdrawals',
    sa.Column('learner_id', sa.String(length=64), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('org_id', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('learner_id', 'on', name=op.f('pk_withdrawals'))
    )


def downgrade() -> None:
    op.drop_table('withdrawals')
    op.drop_table('transfers')
    op.drop_table('teaching')
    with op.batch_alter_table('spells', schema=None) as batch_op:
        batch_op.drop_index('ix_spells_org')

    op.drop_table('spells')
    op.drop_table('report_revisions')
    op.drop_table('qualifications')
    op.drop_table('processed_events')
    op.drop_table('population')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_unsent')

    op.drop_table('outbox')
    op.drop_table('org_units')
    op.drop_table('org_links')
    op.drop_table('offsets')
    op.drop_table('learners')
    op.drop_table('grades')
    op.drop_table('classes')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_org_day')

    op.drop_table('attendance')
    op.drop_table('appointments')
