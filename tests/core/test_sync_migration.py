"""Migration 0002 (sync tables) on a store of the previous release, and back."""

from alembic import command
from sqlalchemy import create_engine, inspect, text

from kkdesk.db import migrations

SYNC_TABLES = {"sync_contact", "sync_revision_alias", "sync_seal_origin", "sync_bundle_log"}


def test_upgrade_from_0001_keeps_data_and_downgrade_removes_the_tables(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        command.upgrade(migrations.alembic_config(conn), "0001")
        conn.execute(text("INSERT INTO meta(key, value) VALUES ('profile_name', 'before sync')"))
        assert not SYNC_TABLES & set(inspect(conn).get_table_names())
    with engine.begin() as conn:
        migrations.upgrade(conn)
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= SYNC_TABLES
        assert migrations.current_revision(conn) == migrations.HEAD
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'profile_name'")).scalar() == "before sync"
    with engine.begin() as conn:
        command.downgrade(migrations.alembic_config(conn), "0001")
        assert not SYNC_TABLES & set(inspect(conn).get_table_names())
