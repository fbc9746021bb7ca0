"""The schema built by the migrations equals the models; HEAD names the newest script."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from kkdesk.db import migrations
from kkdesk.db.base import Base


def include_object(obj, name, type_, reflected, compare_to):
    return not (type_ == "table" and name and (name.startswith("search_index") or name == "alembic_version"))


def test_head_constant_matches_scripts():
    assert ScriptDirectory.from_config(migrations.alembic_config()).get_current_head() == migrations.HEAD


def test_migrated_schema_matches_models(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.begin() as conn:
        migrations.upgrade(conn)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": include_object, "compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
        assert diff == []
        assert migrations.current_revision(conn) == migrations.HEAD
        tables = set(inspect(conn).get_table_names())
    assert "search_index" in tables and "revision" in tables


def test_store_opened_twice_does_not_migrate_again(home):
    from kkdesk.store import open_profile
    from tests.conftest import PASSPHRASE

    s = open_profile(home, PASSPHRASE)
    with s.engine.connect() as conn:
        assert migrations.current_revision(conn) == migrations.HEAD
    s.close()


def test_migrated_partial_indexes_match_models(tmp_path):
    """compare_metadata does not look at an index's WHERE clause: compare it here."""
    from sqlalchemy.schema import CreateIndex

    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.begin() as conn:
        migrations.upgrade(conn)
        stored = {name: " ".join(sql.split()) for name, sql in conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    partial = 0
    for table in Base.metadata.tables.values():
        for index in table.indexes:
            where = index.dialect_options["sqlite"]["where"]
            if where is None:
                assert " WHERE " not in stored[index.name], index.name
                continue
            partial += 1
            expected = " ".join(str(CreateIndex(index).compile(engine)).split())
            assert stored[index.name].split(" WHERE ", 1)[1] == expected.split(" WHERE ", 1)[1], index.name
    assert partial >= 20
