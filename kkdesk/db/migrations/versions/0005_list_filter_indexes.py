"""indexes for list filters: region, status, confidentiality, act type and group

A list filtered on a rare value walked every record of the kind (seconds at a
million records); listing.py now collects the matching records from these
indexes when that is cheaper. Each grows at the end of its value's range.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

INDEXES = [
    ('ix_record_kind_region', 'record', ['kind', 'deleted', 'region']),
    ('ix_record_kind_status', 'record', ['kind', 'deleted', 'record_status']),
    ('ix_record_kind_confidentiality', 'record', ['kind', 'deleted', 'confidentiality']),
    ('ix_threat_act_type', 'threat_act', ['threat_type', 'target_group_at_time']),
    ('ix_threat_act_group', 'threat_act', ['target_group_at_time']),
    ('ix_person_group', 'person', ['primary_target_group']),
    ('ix_organisation_group', 'organisation', ['primary_target_group']),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
