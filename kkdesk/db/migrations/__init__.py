"""Alembic migrations of the store (batch mode for SQLite)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection

HEAD = "0005"  # the newest revision; a test checks it matches the scripts


def script_location() -> str:
    return str(Path(__file__).resolve().parent)


def current_revision(conn: Connection) -> str | None:
    has = conn.execute(text("SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'")).first()
    if not has:
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return row[0] if row else None


def upgrade(conn: Connection) -> None:
    """Bring the store to HEAD. Alembic is imported only when there is work to do."""
    if current_revision(conn) == HEAD:
        return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", script_location())
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")
