"""A name is found however it was typed: decomposed Unicode, ё or е, Kazakh letters or
their Russian stand-ins (kkdesk.searchtext), and migration 0006 folds an older index."""

from __future__ import annotations

import unicodedata

from alembic import command
from sqlalchemy import create_engine

from kkdesk.db import migrations
from kkdesk.db.fts import FTS_TABLE
from kkdesk.interchange import author_of, save
from kkdesk.search import search


def _person(store, **names):
    with store.session() as s:
        return save(s, author_of(store), "person", {"primary_target_group": "hrd", "gender": "male", **names}).record_no


def _found(store, query):
    with store.session() as s:
        return [h.record_no for h in search(s, query)]


def test_decomposed_text_is_stored_composed_and_found_by_the_usual_spelling(store):
    typed = unicodedata.normalize("NFD", "Алексей Қайратұлы")  # as pasted from a Mac or a PDF
    assert typed != "Алексей Қайратұлы"
    no = _person(store, name_ru=typed)
    assert _found(store, "Алексей") == [no] and _found(store, "Қайратұлы") == [no]
    from kkdesk.records import get

    with store.session() as s:
        assert get(s, no).content["name_ru"] == "Алексей Қайратұлы"  # composed in the record itself
    assert _found(store, unicodedata.normalize("NFD", "Алексей")) == [no]  # and a decomposed query


def test_yo_and_ye_find_each_other(store):
    no = _person(store, name_ru="Пётр Семёнов")
    assert _found(store, "Петр Семенов") == [no] and _found(store, "Пётр") == [no]
    other = _person(store, name_ru="Фёдор Петров")
    assert _found(store, "петр*") == [other, no]


def test_kazakh_names_are_found_typed_with_russian_letters(store):
    no = _person(store, name_kk="Болат Жұмабайұлы Әбілқасымов")
    assert _found(store, "Жумабайулы") == [no] and _found(store, "Абилкасымов") == [no]
    assert _found(store, "жумаб") == [] and _found(store, "жумаб*") == [no]  # search as you type
    assert _found(store, "Жұмабайұлы") == [no]  # the Kazakh spelling itself
    # a word typed with Kazakh letters is not folded: it finds that spelling only
    plain = _person(store, name_ru="Болат Жумабаев")
    assert _found(store, "Жұмабаев") == [] and _found(store, "Жумабаев") == [plain]


def test_migration_0006_folds_an_index_written_before(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        command.upgrade(migrations.alembic_config(conn), "0005")
        nfd = unicodedata.normalize("NFD", "Алексей")
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (1, 'Пётр Жұмабайұлы', ?)",
                             (f"{nfd} Семёнов",))
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (2, 'Court 2', 'plain')")
    with engine.begin() as conn:
        migrations.upgrade(conn)
        rows = conn.exec_driver_sql(f"SELECT rowid, title, body FROM {FTS_TABLE} ORDER BY rowid").all()
        match = conn.exec_driver_sql(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?",
                                     ('"петр" AND "жумабайулы" AND "алексей" AND "семенов"',)).all()
    assert [tuple(r) for r in rows] == [(1, "Петр Жұмабайұлы\nЖумабайулы", "Алексей Семенов"),
                                        (2, "Court 2", "plain")]
    assert [r[0] for r in match] == [1]
    with engine.begin() as conn:  # running it again changes nothing
        command.downgrade(migrations.alembic_config(conn), "0005")
        migrations.upgrade(conn)
        assert [tuple(r) for r in conn.exec_driver_sql(f"SELECT rowid, title, body FROM {FTS_TABLE} ORDER BY rowid")] \
            == [tuple(r) for r in rows]
