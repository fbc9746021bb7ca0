"""published statistics (SPEC §3.13), the figures of SPEC §6.3 pre-loaded, report indexes

A new record kind `published_stat` with its projection table. The shipped
figures (resources/published_statistics.json) are written as records into every
store: a new profile gets them when `init` creates its store, an existing one when
this version opens it. They are authored by a fixed pseudo-author with fixed ids and
record numbers (kkdesk.reporting.published), so every profile holds the same
revisions and a sync does not duplicate them. The covering indexes of the yearly
reports (kkdesk.db.report_indexes) let R1–R9 stream their groups at a million acts.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('published_statistic',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('record_no', sa.Text(), nullable=True),
    sa.Column('indicator', sa.Text(), nullable=True),
    sa.Column('period_start', sa.String(length=10), nullable=True),
    sa.Column('period_start_from', sa.String(length=10), nullable=True),
    sa.Column('period_end', sa.String(length=10), nullable=True),
    sa.Column('period_end_from', sa.String(length=10), nullable=True),
    sa.Column('dimension', sa.Text(), nullable=True),
    sa.Column('dimension_value', sa.Text(), nullable=True),
    sa.Column('value', sa.String(length=40), nullable=True),
    sa.Column('value_text', sa.Text(), nullable=True),
    sa.Column('unit', sa.String(length=64), nullable=True),
    sa.Column('publisher', sa.Text(), nullable=True),
    sa.Column('source_ref', sa.Text(), nullable=True),
    sa.Column('comparable_with_live', sa.Boolean(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('confidentiality', sa.String(length=64), nullable=True),
    sa.Column('record_status', sa.String(length=64), nullable=True),
    sa.Column('entry_language', sa.String(length=64), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['id'], ['record.id'], name=op.f('fk_published_statistic_id_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_statistic'))
    )
    from kkdesk.db.report_indexes import INDEXES_0007

    for name, (table, columns, where) in INDEXES_0007.items():
        op.create_index(name, table, list(columns), unique=False,
                        **({"sqlite_where": sa.text(where)} if where else {}))  # type: ignore[arg-type]
    from sqlalchemy.orm import Session

    from kkdesk.reporting.published import load_shipped

    with Session(bind=op.get_bind()) as session:  # joins the migration's transaction
        load_shipped(session)
        session.flush()


def downgrade() -> None:
    conn = op.get_bind()
    for table in ('head', 'revision'):
        conn.exec_driver_sql(f"DELETE FROM {table} WHERE record_id IN (SELECT id FROM record WHERE kind = 'published_stat')")
    conn.exec_driver_sql("DELETE FROM search_index WHERE rowid IN (SELECT num FROM record WHERE kind = 'published_stat')")
    conn.exec_driver_sql("DELETE FROM record WHERE kind = 'published_stat'")
    op.drop_table('published_statistic')
    from kkdesk.db.report_indexes import INDEXES_0007

    for name, (table, _columns, _where) in INDEXES_0007.items():
        op.drop_index(name, table_name=table)
