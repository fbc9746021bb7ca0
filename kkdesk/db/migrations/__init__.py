"""Alembic migrations of the store (batch mode for SQLite)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection

HEAD = "0009"  # the newest revision; a test checks it matches the scripts


def script_location() -> str:
    return str(Path(__file__).resolve().parent)


def current_revision(conn: Connection) -> str | None:
    has = conn.execute(text("SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'")).first()
    if not has:
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return row[0] if row else None


def alembic_config(conn: Connection | None = None):
    """Alembic's configuration for these scripts, running on `conn` when given."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", script_location())
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def upgrade(conn: Connection) -> None:
    """Bring the store to HEAD. Alembic is imported only when there is work to do."""
    if current_revision(conn) == HEAD:
        return
    from alembic import command

    command.upgrade(alembic_config(conn), "head")
