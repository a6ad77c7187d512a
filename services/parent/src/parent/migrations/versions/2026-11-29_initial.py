"""initial: guardians, links, claims, read models, messages, preferences, receipts, outboxes

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
    op.create_table('attendance',
    sa.Column('learner_id', sa.String(length=64), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('lesson', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('subject_code', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('learner_id', 'day', 'lesson')
    )
    op.create_table('child_links',
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('learner_id', sa.String(length=64), nullable=False),
    sa.Column('guardian_id', sa.String(length=64), nullable=False),
    sa.Column('relationship', sa.String(length=20), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('account_id', 'learner_id')
    )
    with op.batch_alter_table('child_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_links_learner_id'), ['learner_id'], unique=False)

    op.create_table('children',
    sa.Column('learner_id', sa.String(length=64), nullable=False),
    sa.Column('given_name', sa.String(length=100), nullable=False),
    sa.Column('family_name', sa.String(length=100), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('sex', sa.String(length=8), nullable=False),
    sa.Column('school_id', sa.String(length=64), nullable=False),
    sa.Column('class_id', sa.String(length=64), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('learner_id')
    )
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_children_class_id'), ['class_id'], unique=False)

    op.create_table('claim_history',
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.JSON(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('account_id')
    )
    op.create_table('classes',
    sa.Column('class_id', sa.String(length=64), nullable=False),
    sa.Column('school_id', sa.String(length=64), nullable=False),
    sa.Column('year_id', sa.String(length=9), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('letter', sa.String(length=4), nullable=False),
    sa.Column('shift', sa.Integer(), nullable=False),
    sa.Column('room', sa.String(length=32), nullable=False),
    sa.Column('class_teacher_id', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('class_id')
    )
    op.create_table('consultations',
    sa.Column('consultation_id', sa.String(length=64), nullable=False),
    sa.Column('learner_id', sa.String(length=64), nullable=False),
    sa.Column('guardian_account_id', sa.String(length=64), nullable=False),
    sa.Column('teacher_account_id', sa.String(length=64), nullable=False),
    sa.Column('topic', sa.String(length=500), nullable=False),
    sa.Column('preferred_times', sa.String(length=200), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('scheduled_for', sa.DateTime(timezone=True), nullable=True),
    sa.Column('teacher_note', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('consultation_id')
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultations_guardian_account_id'), ['guardian_account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultations_teacher_account_id'), ['teacher_account_id'], unique=False)

    op.create_table('development_notes',
    sa.Column('observation_id', sa.String(length=64), nullable=False),
    sa.Column('learner_id', sa.String(length=64), nullable=False),
    sa.Column('observed_on', sa.Date(), nullable=False),
    sa.Column('domain', sa.String(length=32), nullable=False),
    sa.Column('level', sa.String(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('observation_id')
    )
    with op.batch_alter_table('development_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_development_notes_learner_id'), ['learner_id'], unique=False)

    op.create_table('grades',
    sa.Column('learner_id', sa.String(length=64), nullable=False),
    sa.Column('subject_code', sa.String(length=32), nullable=False),
    sa.Column('school_year', sa.String(length=9), nullable=False),
    sa.Column('term', sa.Integer(), nullable=False),
    sa.Column('percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('scale', sa.String(length=16), nullable=False),
    sa.Column('band', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('learner_id', 'subject_code', 'school_year', 'term')
    )
    op.create_table('growth',
    sa.Column('measurement_id', sa.String(length=64), nullable=False),
    sa.Column('learner_id', sa.String(length=64), nullable=False),
    sa.Column('measured_on', sa.Date(), nullable=False),
    sa.Column('height_cm', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('weight_kg', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.PrimaryKeyConstraint('measurement_id')
    )
    with op.batch_alter_table('growth', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_growth_learner_id'), ['learner_id'], unique=False)

    op.create_table('guardians',
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('push_token', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('account_id')
    )
    op.create_table('homework',
    sa.Column('homework_id', sa.String(length=64), nullable=False),
    sa.Column('class_id', sa.String(length=64), nullable=False),
    sa.Column('subject_code', sa.String(length=32), nullable=False),
    sa.Column('assigned_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('homework_id')
    )
    with op.batch_alter_table('homework', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_homework_class_id'), ['class_id'], unique=False)

    op.create_table('marks',
    sa.Column('assessment_id', sa.String(length=64), nullable=False),
    sa.Column('learner_id', sa.String(length=64), nullable=False),
    sa.Column('subject_code', sa.String(length=32), nullable=False),
    sa.Column('school_year', sa.String(length=9), nullable=False),
    sa.Column('term', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('weight', sa.Numeric(precision=6, scale=3), nullable=False),
    sa.PrimaryKeyConstraint('assessment_id', 'learner_id')
    )
    with op.batch_alter_table('marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_marks_learner_id'), ['learner_id'], unique=False)

    op.create_table('messages',
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('thread_id', sa.String(length=64), nullable=False),
    sa.Column('author_role', sa.String(length=10), nullable=False),
    sa.Column('author_account_id', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('message_id')
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_thread_id'), ['thread_id'], unique=False)

    op.create_table('notification_outbox',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('seq')
    )
    with op.batch_alter_table('notification_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_notification_outbox_unsent', ['sent_at', 'seq'], unique=False)

    op.create_table('outbox',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
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
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('event_id')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_unsent', ['sent_at', 'seq'], unique=False)

    op.create_table('preferences',
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('quiet_start', sa.String(length=5), nullable=True),
    sa.Column('quiet_end', sa.String(length=5), nullable=True),
    sa.Column('digest_at', sa.String(length=5), nullable=False),
    sa.Column('types', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('account_id')
    )
    op.create_table('processed_events',
    sa.Column('consumer', sa.String(length=100), nullable=False),
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('consumer', 'event_id')
    )
    op.create_table('receipts',
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('event_type', sa.String(length=16), nullable=False),
    sa.Column('learner_id', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipts_account_id'), ['account_id'], unique=False)

    op.create_table('schools',
    sa.Column('school_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('aimag_code', sa.String(length=8), nullable=False),
    sa.PrimaryKeyConstraint('school_id')
    )
    op.create_table('threads',
    sa.Column('thread_id', sa.String(length=64), nullable=False),
    sa.Column('learner_id', sa.String(length=64), nullable=False),
    sa.Column('guardian_account_id', sa.String(length=64), nullable=False),
    sa.Column('teacher_account_id', sa.String(length=64), nullable=False),
    sa.Column('teacher_name', sa.String(length=120), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_message_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('thread_id')
    )
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.create_index('ix_threads_guardian', ['guardian_account_id', 'learner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_threads_teacher_account_id'), ['teacher_account_id'], unique=False)

    op.create_table('timetable_lessons',
    sa.Column('class_id', sa.String(length=64), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('subject_code', sa.String(length=32), nullable=False),
    sa.Column('room', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('class_id', 'weekday', 'period')
    )


def downgrade() -> None:
    op.drop_table('timetable_lessons')
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_threads_teacher_account_id'))
        batch_op.drop_index('ix_threads_guardian')

    op.drop_table('threads')
    op.drop_table('schools')
    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipts_account_id'))

    op.drop_table('receipts')
    op.drop_table('processed_events')
    op.drop_table('preferences')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_unsent')

    op.drop_table('outbox')
    with op.batch_alter_table('notification_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_outbox_unsent')

    op.drop_table('notification_outbox')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_thread_id'))

    op.drop_table('messages')
    with op.batch_alter_table('marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_marks_learner_id'))

    op.drop_table('marks')
    with op.batch_alter_table('homework', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_homework_class_id'))

    op.drop_table('homework')
    op.drop_table('guardians')
    with op.batch_alter_table('growth', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_growth_learner_id'))

    op.drop_table('growth')
    op.drop_table('grades')
    with op.batch_alter_table('development_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_development_notes_learner_id'))

    op.drop_table('development_notes')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultations_teacher_account_id'))
        batch_op.drop_index(batch_op.f('ix_consultations_guardian_account_id'))

    op.drop_table('consultations')
    op.drop_table('classes')
    op.drop_table('claim_history')
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_children_class_id'))

    op.drop_table('children')
    with op.batch_alter_table('child_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_child_links_learner_id'))

    op.drop_table('child_links')
    op.drop_table('attendance')
