"""the full-text index holds folded text (kkdesk.searchtext)

Index rows written before hold text as it was typed: decomposed Unicode, ё, and
titles without their Kazakh words in Russian letters. Queries are now folded, so
those rows are rewritten from their own content (only rows that change).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""
from alembic import op

from kkdesk.db.fts import FTS_TABLE
from kkdesk.searchtext import fold, index_title

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade() -> None:
    conn = op.get_bind()
    last = -1
    while True:
        rows = conn.exec_driver_sql(
            f"SELECT rowid, title, body FROM {FTS_TABLE} WHERE rowid > ? ORDER BY rowid LIMIT {BATCH}", (last,)).all()
        if not rows:
            break
        last = rows[-1][0]
        changed = []
        for rowid, title, body in rows:
            title, body = title or "", body or ""
            new_title, new_body = index_title(title.split("\n", 1)[0]), fold(body)
            if (new_title, new_body) != (title, body):
                changed.append((new_title, new_body, rowid))
        if changed:
            conn.exec_driver_sql(f"UPDATE {FTS_TABLE} SET title = ?, body = ? WHERE rowid = ?", changed)


def downgrade() -> None:
    """Nothing to undo in the schema. The rows stay folded: the older code's queries then
    find a word with ё or decomposed letters only in its folded spelling."""
