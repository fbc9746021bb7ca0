"""Migration 0004 (child rows keyed by their record) on a store of the previous
release: every child row kept, keyed in its record's range, and back again."""

from alembic import command
from sqlalchemy import create_engine, text

from kkdesk.db import migrations
from kkdesk.db.models import RID_SHIFT

INCIDENT, OTHER = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"


def _old_store(path):
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys = ON")
        command.upgrade(migrations.alembic_config(conn), "0003")
        for num, rid in ((7, INCIDENT), (9, OTHER)):
            conn.execute(text("INSERT INTO record (num, id, kind, head, created_at, created_by, updated_at, updated_by, "
                              "conflict, deleted, sealed, incomplete, title) VALUES (:n, :id, 'threat', 'h', 't', 'a', "
                              "'t', 'a', 0, 0, 0, 0, 'x')"), {"n": num, "id": rid})
            conn.execute(text("INSERT INTO threat_incident (id, title) VALUES (:id, 'x')"), {"id": rid})
        acts = [("a1", INCIDENT, 0, "p1"), ("a2", INCIDENT, 1, "p2"), ("b1", OTHER, 0, "p1")]
        for aid, parent, pos, person in acts:
            conn.execute(text("INSERT INTO threat_act (id, parent_id, position, victim_person, threat_type) "
                              "VALUES (:id, :p, :pos, :v, 'threat')"), {"id": aid, "p": parent, "pos": pos, "v": person})
        for pid, act in (("x1", "a2"), ("x2", "a2"), ("x3", "b1")):
            conn.execute(text("INSERT INTO act_perpetrator (id, parent_id, position, perpetrator_type) "
                              "VALUES (:id, :p, 0, 'police')"), {"id": pid, "p": act})
    return engine


def test_upgrade_keys_child_rows_by_record_and_downgrade_restores_them(tmp_path):
    engine = _old_store(tmp_path / "old.db")
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys = ON")
        migrations.upgrade(conn)
    with engine.connect() as conn:
        acts = conn.execute(text("SELECT rid, id, parent_id, position, victim_person FROM threat_act ORDER BY rid")).all()
        perps = conn.execute(text("SELECT rid >> :s, id, parent_id FROM act_perpetrator ORDER BY rid"),
                             {"s": RID_SHIFT}).all()
        plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN SELECT id FROM threat_act WHERE rid BETWEEN 1 AND 2").all()
    assert [(r.rid >> RID_SHIFT, r.id, r.parent_id, r.position, r.victim_person) for r in acts] == [
        (7, "a1", INCIDENT, 0, "p1"), (7, "a2", INCIDENT, 1, "p2"), (9, "b1", OTHER, 0, "p1")]
    assert len({r.rid for r in acts}) == 3
    assert [tuple(p) for p in perps] == [(7, "x1", "a2"), (7, "x2", "a2"), (9, "x3", "b1")]
    assert "INTEGER PRIMARY KEY" in plan[0][-1]  # a record's rows are one range of the table's own key
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys = ON")
        command.downgrade(migrations.alembic_config(conn), "0003")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT id, parent_id FROM threat_act ORDER BY id")).all() == [
            ("a1", INCIDENT), ("a2", INCIDENT), ("b1", OTHER)]
        assert conn.execute(text("SELECT id, parent_id FROM act_perpetrator ORDER BY id")).all() == [
            ("x1", "a2"), ("x2", "a2"), ("x3", "b1")]
        assert conn.execute(text("SELECT count(*) FROM pragma_foreign_key_list('act_perpetrator')")).scalar() == 1
