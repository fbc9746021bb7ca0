"""threat acts gain s_cregion and s_resp for R6 (current regions) and R9

R6 with "current regions" and R9 used to join every act of a split region, or every
physical attack, to its incident (a lookup by UUID each: seconds at a million acts).
The act now carries its region today (mapped by its incident's locality through the
2018 and 2022 splits, kkdesk.reporting.regions) and its incident's state response,
as stat_code numbers, and the two report indexes hold them. Existing acts are filled
in here: the two indexes are dropped first so that the update does not maintain them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def _code(conn, vocab: str, code: str) -> int:
    conn.exec_driver_sql("INSERT OR IGNORE INTO stat_code (vocab, code) VALUES (?, ?)", (vocab, code))
    return conn.exec_driver_sql("SELECT num FROM stat_code WHERE vocab = ? AND code = ?", (vocab, code)).scalar()


def _create(names, definitions) -> None:
    for name in names:
        table, columns, where = definitions[name]
        op.create_index(name, table, list(columns), unique=False,
                        **({"sqlite_where": sa.text(where)} if where else {}))  # type: ignore[arg-type]


def upgrade() -> None:
    from kkdesk.db.report_indexes import CHANGED_IN_0009, REPORT_INDEXES
    from kkdesk.reporting.regions import OLD_REGIONS, current_region

    for name in CHANGED_IN_0009:
        op.drop_index(name, table_name='threat_act')
    op.add_column('threat_act', sa.Column('s_cregion', sa.Integer(), nullable=True))
    op.add_column('threat_act', sa.Column('s_resp', sa.Integer(), nullable=True))
    conn = op.get_bind()
    for (response,) in conn.exec_driver_sql(
            "SELECT DISTINCT state_response FROM threat_incident WHERE state_response IS NOT NULL").all():
        _code(conn, 'state_response', response)
    conn.exec_driver_sql(
        "UPDATE threat_act SET s_resp = (SELECT sc.num FROM threat_incident i JOIN stat_code sc "
        "ON sc.vocab = 'state_response' AND sc.code = i.state_response WHERE i.id = threat_act.parent_id)")
    region = {num: code for num, code in conn.exec_driver_sql("SELECT num, code FROM stat_code WHERE vocab = 'region'")}
    old = [num for num, code in region.items() if code in OLD_REGIONS]
    marks = ", ".join("?" * len(old)) or "NULL"
    conn.exec_driver_sql(f"UPDATE threat_act SET s_cregion = s_region WHERE s_region NOT IN ({marks})", tuple(old))
    if old:
        found = conn.exec_driver_sql(
            f"SELECT a.rid, a.s_region, i.locality FROM threat_act a JOIN threat_incident i ON i.id = a.parent_id "
            f"WHERE a.s_region IN ({marks})", tuple(old)).all()
        nums: dict[str, int] = {}
        updates = []
        for rid, num, locality in found:
            new = current_region(region[num], locality) or region[num]
            if new not in nums:
                nums[new] = _code(conn, 'region', new)
            updates.append((nums[new], rid))
        if updates:
            conn.exec_driver_sql("UPDATE threat_act SET s_cregion = ? WHERE rid = ?", updates)
    _create(CHANGED_IN_0009, REPORT_INDEXES)
    if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
        conn.exec_driver_sql("ANALYZE threat_act")  # statistics, where someone made them, stay whole


def downgrade() -> None:
    from kkdesk.db.report_indexes import CHANGED_IN_0009, INDEXES_0007

    for name in CHANGED_IN_0009:
        op.drop_index(name, table_name='threat_act')
    with op.batch_alter_table('threat_act', schema=None) as batch_op:
        batch_op.drop_column('s_resp')
        batch_op.drop_column('s_cregion')
    _create(CHANGED_IN_0009, INDEXES_0007)
