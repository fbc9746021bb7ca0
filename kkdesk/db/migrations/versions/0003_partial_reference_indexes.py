"""partial indexes on references: NULLs are not indexed

Most references are empty (an act names a person or an organisation, rarely a case);
indexing only the set ones makes imports cheaper and the store smaller, and
`ref = ?` / `ref IN (...)` lookups use the partial index all the same.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# (table, index, column) as of this revision
REFERENCE_INDEXES = [
    ('person', 'ix_person_photo', 'photo'),
    ('affiliation', 'ix_affiliation_person', 'person'),
    ('case_party', 'ix_case_party_counsel_person', 'counsel_person'),
    ('case_party', 'ix_case_party_organisation', 'organisation'),
    ('case_party', 'ix_case_party_person', 'person'),
    ('sentence', 'ix_sentence_decided_at_hearing', 'decided_at_hearing'),
    ('threat_act', 'ix_threat_act_case', 'case'),
    ('threat_act', 'ix_threat_act_victim_organisation', 'victim_organisation'),
    ('threat_act', 'ix_threat_act_victim_person', 'victim_person'),
    ('act_perpetrator', 'ix_act_perpetrator_perpetrator_organisation', 'perpetrator_organisation'),
    ('act_perpetrator', 'ix_act_perpetrator_perpetrator_person', 'perpetrator_person'),
    ('hearing_observation', 'ix_hearing_observation_case', 'case'),
    ('hearing_observation', 'ix_hearing_observation_court', 'court'),
    ('fair_trial_answer', 'ix_fair_trial_answer_attachment', 'attachment'),
    ('hearing_participant', 'ix_hearing_participant_person', 'person'),
    ('medical_examination', 'ix_medical_examination_case', 'case'),
    ('medical_examination', 'ix_medical_examination_subject', 'subject'),
    ('source', 'ix_source_archived_copy', 'archived_copy'),
    ('source_link', 'ix_source_link_target', 'target'),
    ('attachment', 'ix_attachment_target_id', 'target_id'),
]


def upgrade() -> None:
    for table, index, column in REFERENCE_INDEXES:
        op.execute(f'DROP INDEX IF EXISTS {index}')
        op.execute(f'CREATE INDEX {index} ON {table} ("{column}") WHERE "{column}" IS NOT NULL')


def downgrade() -> None:
    for table, index, column in REFERENCE_INDEXES:
        op.execute(f'DROP INDEX IF EXISTS {index}')
        op.execute(f'CREATE INDEX {index} ON {table} ("{column}")')
