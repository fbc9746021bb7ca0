"""detention episodes and interventions: their projection tables

SPEC §3.8 DetentionEpisode (with its transfers and safeguard answers) and §3.10
Intervention (with its links) become record kinds; threat acts and medical
examinations gain `detention_episode`. Existing rows are untouched: the new columns
start empty (no earlier version wrote these fields), and adding a column to a big
table is a constant-time ALTER in SQLite.

Revision ID: 0008
Revises: 0006 (re-chained after 0007 at merge)
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def _child(name: str, *columns: sa.Column) -> None:
    op.create_table(name,
                    sa.Column('rid', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('id', sa.String(length=36), nullable=False),
                    sa.Column('parent_id', sa.String(length=36), nullable=True),
                    sa.Column('position', sa.Integer(), nullable=True),
                    *columns,
                    sa.PrimaryKeyConstraint('rid', name=op.f(f'pk_{name}')))


def _partial(batch_op, table: str, column: str) -> None:
    batch_op.create_index(f'ix_{table}_{column}', [column], unique=False, sqlite_where=sa.text(f'"{column}" IS NOT NULL'))


def upgrade() -> None:
    _child('detention_transfer',
           sa.Column('date', sa.String(length=10), nullable=True),
           sa.Column('date_from', sa.String(length=10), nullable=True),
           sa.Column('place_type', sa.String(length=64), nullable=True),
           sa.Column('place_name', sa.Text(), nullable=True))
    _child('safeguard_answer',
           sa.Column('item', sa.String(length=64), nullable=True),
           sa.Column('answer', sa.String(length=64), nullable=True),
           sa.Column('note', sa.Text(), nullable=True))
    _child('intervention_link',
           sa.Column('target', sa.String(length=36), nullable=True),
           sa.Column('target_entity', sa.Text(), nullable=True))
    with op.batch_alter_table('intervention_link', schema=None) as batch_op:
        _partial(batch_op, 'intervention_link', 'target')

    op.create_table('detention_episode',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('record_no', sa.Text(), nullable=True),
    sa.Column('person', sa.String(length=36), nullable=True),
    sa.Column('case', sa.String(length=36), nullable=True),
    sa.Column('incident', sa.String(length=36), nullable=True),
    sa.Column('legal_basis', sa.String(length=64), nullable=True),
    sa.Column('actual_detention_at', sa.String(length=40), nullable=True),
    sa.Column('actual_detention_at_utc', sa.String(length=32), nullable=True),
    sa.Column('actual_detention_precision', sa.String(length=64), nullable=True),
    sa.Column('protocol_detention_time', sa.String(length=40), nullable=True),
    sa.Column('protocol_detention_time_utc', sa.String(length=32), nullable=True),
    sa.Column('detaining_body', sa.String(length=64), nullable=True),
    sa.Column('place_type', sa.String(length=64), nullable=True),
    sa.Column('place_name', sa.Text(), nullable=True),
    sa.Column('region', sa.String(length=64), nullable=True),
    sa.Column('released_at', sa.String(length=40), nullable=True),
    sa.Column('released_at_utc', sa.String(length=32), nullable=True),
    sa.Column('release_reason', sa.Text(), nullable=True),
    sa.Column('confidentiality', sa.String(length=64), nullable=True),
    sa.Column('record_status', sa.String(length=64), nullable=True),
    sa.Column('entry_language', sa.String(length=64), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['id'], ['record.id'], name=op.f('fk_detention_episode_id_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_detention_episode'))
    )
    with op.batch_alter_table('detention_episode', schema=None) as batch_op:
        for column in ('case', 'incident', 'person'):
            _partial(batch_op, 'detention_episode', column)

    op.create_table('intervention',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('record_no', sa.Text(), nullable=True),
    sa.Column('intervention_type', sa.String(length=64), nullable=True),
    sa.Column('date', sa.String(length=10), nullable=True),
    sa.Column('date_from', sa.String(length=10), nullable=True),
    sa.Column('by_organisation', sa.String(length=36), nullable=True),
    sa.Column('by_person', sa.String(length=36), nullable=True),
    sa.Column('addressee', sa.Text(), nullable=True),
    sa.Column('reference_number', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=64), nullable=True),
    sa.Column('response_date', sa.String(length=10), nullable=True),
    sa.Column('response_date_from', sa.String(length=10), nullable=True),
    sa.Column('response_summary', sa.Text(), nullable=True),
    sa.Column('follow_up_date', sa.String(length=10), nullable=True),
    sa.Column('follow_up_date_from', sa.String(length=10), nullable=True),
    sa.Column('confidentiality', sa.String(length=64), nullable=True),
    sa.Column('record_status', sa.String(length=64), nullable=True),
    sa.Column('entry_language', sa.String(length=64), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['id'], ['record.id'], name=op.f('fk_intervention_id_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intervention'))
    )
    with op.batch_alter_table('intervention', schema=None) as batch_op:
        _partial(batch_op, 'intervention', 'by_organisation')
        _partial(batch_op, 'intervention', 'by_person')
        batch_op.create_index('ix_intervention_follow_up', ['follow_up_date_from'], unique=False,
                              sqlite_where=sa.text('"follow_up_date_from" IS NOT NULL'))

    for table in ('medical_examination', 'threat_act'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('detention_episode', sa.String(length=36), nullable=True))
            _partial(batch_op, table, 'detention_episode')


def downgrade() -> None:
    for table in ('threat_act', 'medical_examination'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_detention_episode')
            batch_op.drop_column('detention_episode')
    for table in ('intervention', 'detention_episode', 'safeguard_answer', 'intervention_link', 'detention_transfer'):
        op.drop_table(table)
