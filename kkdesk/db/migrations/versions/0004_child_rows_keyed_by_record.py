"""child rows keyed by their record: rid = record.num << 20 | n

A child row (an act, a perpetrator, a case party, a checklist answer, ...) had its
random UUID as primary key, an index on its parent's UUID and a foreign key to it:
three random-key writes per act on import, and at a million acts most of the time
went to rewriting those index pages. Now the key is the record's number and the
row's order in the record, so a record's rows are one key range (an import
appends, an update deletes a range); `id` and `parent_id` stay as plain columns.

The tables are rebuilt (SQLite cannot change a primary key in place); their rows
are copied with keys numbered in their old order within each record.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# (child table, parent table) as of this revision; parents before their children
CHILD_TABLES = [
    ('affiliation', 'organisation'),
    ('case_party', 'case_record'),
    ('charge', 'case_party'),
    ('sentence', 'case_party'),
    ('threat_act', 'threat_incident'),
    ('act_perpetrator', 'threat_act'),
    ('fair_trial_answer', 'hearing_observation'),
    ('hearing_note', 'hearing_observation'),
    ('hearing_participant', 'hearing_observation'),
    ('clinician', 'medical_examination'),
    ('alleged_method', 'medical_examination'),
    ('physical_finding', 'medical_examination'),
    ('psychological_finding', 'medical_examination'),
    ('source_link', 'source'),
]
CHILDREN = {child for child, _ in CHILD_TABLES}
SHIFT = 20


def _columns(conn, table: str) -> list[tuple[str, str, bool]]:
    """(name, declared type, NOT NULL) of the table's columns other than the keys rebuilt here."""
    return [(name, ctype, bool(notnull)) for _cid, name, ctype, notnull, _default, _pk
            in conn.exec_driver_sql(f'PRAGMA table_info("{table}")') if name not in ("rid", "id", "parent_id")]


def _indexes(conn, table: str) -> list[str]:
    """CREATE INDEX statements of the table's own indexes (not the automatic ones)."""
    return [sql for (sql,) in conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,))]


def _column_sql(columns) -> str:
    return "".join(f', "{name}" {ctype}{" NOT NULL" if notnull else ""}' for name, ctype, notnull in columns)


def upgrade() -> None:
    conn = op.get_bind()
    plan = []
    for child, parent in CHILD_TABLES:
        columns = _columns(conn, child)
        indexes = [sql for sql in _indexes(conn, child) if f"ix_{child}_parent_id" not in sql]
        names = ", ".join(f'"{name}"' for name, _, _ in columns)
        conn.exec_driver_sql(f'CREATE TABLE "{child}__new" (rid INTEGER NOT NULL, id VARCHAR(36) NOT NULL, '
                             f'parent_id VARCHAR(36){_column_sql(columns)}, CONSTRAINT pk_{child} PRIMARY KEY (rid))')
        if parent in CHILDREN:  # the record's number from the parent row, already rebuilt
            conn.exec_driver_sql(f'CREATE INDEX IF NOT EXISTS "tmp_{parent}_id" ON "{parent}__new" (id)')
            num = f'(SELECT p.rid >> {SHIFT} FROM "{parent}__new" p WHERE p.id = c.parent_id)'
        else:
            num = '(SELECT r.num FROM record r WHERE r.id = c.parent_id)'
        conn.exec_driver_sql(
            f'INSERT INTO "{child}__new" (rid, id, parent_id{", " if names else ""}{names}) '
            f'SELECT (num << {SHIFT}) + row_number() OVER (PARTITION BY num ORDER BY old_rowid) - 1, '
            f'id, parent_id{", " if names else ""}{names} FROM '
            f'(SELECT c.*, c.rowid AS old_rowid, {num} AS num FROM "{child}" c) WHERE num IS NOT NULL')
        plan.append((child, indexes))
    for parent in {parent for _, parent in CHILD_TABLES if parent in CHILDREN}:
        conn.exec_driver_sql(f'DROP INDEX "tmp_{parent}_id"')
    for child, _ in reversed(CHILD_TABLES):  # children of children first: nothing refers to them
        conn.exec_driver_sql(f'DROP TABLE "{child}"')
    for child, indexes in plan:
        conn.exec_driver_sql(f'ALTER TABLE "{child}__new" RENAME TO "{child}"')
        for sql in indexes:
            conn.exec_driver_sql(sql)


def downgrade() -> None:
    # table by table, parents first: a child table with its foreign key is created only
    # once its parent is back in the old shape (dropping a parent that rows refer to
    # with ON DELETE CASCADE would delete them)
    conn = op.get_bind()
    for child, parent in CHILD_TABLES:
        columns = _columns(conn, child)
        indexes = _indexes(conn, child)
        names = ", ".join(f'"{name}"' for name, _, _ in columns)
        conn.exec_driver_sql(
            f'CREATE TABLE "{child}__old" (id VARCHAR(36) NOT NULL, parent_id VARCHAR(36){_column_sql(columns)}, '
            f'CONSTRAINT pk_{child} PRIMARY KEY (id), CONSTRAINT fk_{child}_parent_id_{parent} FOREIGN KEY(parent_id) '
            f'REFERENCES "{parent}" (id) ON DELETE CASCADE)')
        conn.exec_driver_sql(f'INSERT OR IGNORE INTO "{child}__old" (id, parent_id{", " if names else ""}{names}) '
                             f'SELECT id, parent_id{", " if names else ""}{names} FROM "{child}" ORDER BY rid')
        conn.exec_driver_sql(f'DROP TABLE "{child}"')
        conn.exec_driver_sql(f'ALTER TABLE "{child}__old" RENAME TO "{child}"')
        for sql in indexes:
            conn.exec_driver_sql(sql)
        conn.exec_driver_sql(f'CREATE INDEX ix_{child}_parent_id ON "{child}" (parent_id)')
