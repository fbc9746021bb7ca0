"""sync tables: contacts, revision aliases, seal origins, bundle log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sync_contact',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('age_recipient', sa.String(length=100), nullable=False),
        sa.Column('signing_key', sa.String(length=128), nullable=False),
        sa.Column('fingerprint', sa.String(length=32), nullable=False),
        sa.Column('verified', sa.Boolean(), nullable=False),
        sa.Column('added_at', sa.String(length=32), nullable=False),
        sa.Column('verified_at', sa.String(length=32), nullable=True),
        sa.Column('profile_ids', sa.Text(), nullable=False),
        sa.Column('ack_vector', sa.Text(), nullable=True),
        sa.Column('ack_bundle_seq', sa.Integer(), nullable=False),
        sa.Column('ack_received_at', sa.String(length=32), nullable=True),
        sa.Column('sent_vector', sa.Text(), nullable=True),
        sa.Column('last_sent_at', sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_contact')),
        sa.UniqueConstraint('age_recipient', name=op.f('uq_sync_contact_age_recipient')),
        sa.UniqueConstraint('name', name=op.f('uq_sync_contact_name')),
        sa.UniqueConstraint('signing_key', name=op.f('uq_sync_contact_signing_key')),
    )
    op.create_table(
        'sync_revision_alias',
        sa.Column('author', sa.String(length=36), nullable=False),
        sa.Column('author_seq', sa.Integer(), nullable=False),
        sa.Column('rev_id', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('author', 'author_seq', name=op.f('pk_sync_revision_alias')),
    )
    with op.batch_alter_table('sync_revision_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_revision_alias_rev_id'), ['rev_id'], unique=False)
    op.create_table(
        'sync_seal_origin',
        sa.Column('origin', sa.String(length=36), nullable=False),
        sa.Column('origin_seq', sa.Integer(), nullable=False),
        sa.Column('rev_id', sa.String(length=64), nullable=False),
        sa.Column('signer_key', sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint('origin', 'origin_seq', name=op.f('pk_sync_seal_origin')),
    )
    with op.batch_alter_table('sync_seal_origin', schema=None) as batch_op:
        batch_op.create_index('ix_sync_seal_origin_seal', ['rev_id', 'signer_key'], unique=False)
    op.create_table(
        'sync_bundle_log',
        sa.Column('manifest_sha256', sa.String(length=64), nullable=False),
        sa.Column('direction', sa.String(length=3), nullable=False),
        sa.Column('bundle_id', sa.String(length=36), nullable=False),
        sa.Column('sender_fingerprint', sa.String(length=32), nullable=False),
        sa.Column('bundle_seq', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.String(length=32), nullable=False),
        sa.Column('processed_at', sa.String(length=32), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('manifest_sha256', name=op.f('pk_sync_bundle_log')),
    )


def downgrade() -> None:
    op.drop_table('sync_bundle_log')
    with op.batch_alter_table('sync_seal_origin', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_seal_origin_seal')
    op.drop_table('sync_seal_origin')
    with op.batch_alter_table('sync_revision_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_revision_alias_rev_id'))
    op.drop_table('sync_revision_alias')
    op.drop_table('sync_contact')
