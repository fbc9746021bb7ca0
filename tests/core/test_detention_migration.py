"""Migration 0008 (detentions, interventions) on a store of the previous release, and back."""

from alembic import command
from sqlalchemy import create_engine, inspect, text

from kkdesk.db import migrations

NEW_TABLES = {"detention_episode", "detention_transfer", "safeguard_answer", "intervention", "intervention_link"}
PREVIOUS = "0006"  # the head this migration was written on (re-chained after 0007 at merge)


def columns(conn, table: str) -> set[str]:
    return {c["name"] for c in inspect(conn).get_columns(table)}


def test_upgrade_keeps_acts_and_examinations_and_downgrade_removes_the_tables(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        command.upgrade(migrations.alembic_config(conn), PREVIOUS)
        assert not NEW_TABLES & set(inspect(conn).get_table_names())
        conn.execute(text("INSERT INTO threat_act (rid, id, parent_id, threat_type) VALUES (1, 'a', 'p', 'threat')"))
    with engine.begin() as conn:
        migrations.upgrade(conn)
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= NEW_TABLES
        assert "detention_episode" in columns(conn, "threat_act") and "detention_episode" in columns(conn, "medical_examination")
        assert conn.execute(text("SELECT threat_type, detention_episode FROM threat_act")).one() == ("threat", None)
    with engine.begin() as conn:
        command.downgrade(migrations.alembic_config(conn), PREVIOUS)
        assert not NEW_TABLES & set(inspect(conn).get_table_names())
        assert "detention_episode" not in columns(conn, "threat_act")
        assert conn.execute(text("SELECT threat_type FROM threat_act")).scalar() == "threat"
