"""Size limits per field kind, refused naming the field in import-json and in bundles;
and long texts cost linear time (defect 3 of issue 11). Timings belong to
benchmarks/bench_longtext.py; here the quadratic step is caught by counting the work
of the Kazakh-variant pass, not by a clock."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from kkdesk import limits, searchtext
from kkdesk.errors import ValidationError
from kkdesk.interchange import author_of, import_document, save
from kkdesk.sync.errors import BundleLimitError
from tests.core.test_sync_support import export, import_, person, state_digest, trio, trio_template  # noqa: F401


def person_doc(**fields):
    return {"format": "kkdesk-interchange", "version": 1, "id_namespace": "limits", "persons": [
        {"id": "p1", "name_latin": "Long Name", "primary_target_group": "journalist", **fields}]}


def revisions(store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM revision")).scalar()


@pytest.mark.parametrize("field, value, phrase", [
    ("name_kk", "Ә" * 1001, "1001 characters"),
    ("occupation", "x" * 5000, "5000 characters"),
    ("remarks", "ж" * 600_000, "1.1 MiB"),
    ("name_variants", ["ok", "y" * 1001], "1001 characters"),
])
def test_import_json_refuses_an_over_long_text_naming_the_field(store, field, value, phrase):
    before = revisions(store)
    with pytest.raises(ValidationError) as exc, store.session() as s:
        import_document(s, author_of(store), person_doc(**{field: value}), "en")
    texts = [p.text() for p in exc.value.problems]
    assert len(texts) == 1 and texts[0].startswith(f"persons[0].{field}") and phrase in texts[0], texts
    assert revisions(store) == before


def test_texts_at_the_limits_are_kept(store):
    with store.session() as s:
        report = import_document(s, author_of(store), person_doc(name_kk="Ә" * 1000, remarks="x" * (1 << 20)), "en")
    assert report.new == 1


def test_a_record_over_8_mib_is_refused(store, monkeypatch):
    monkeypatch.setattr(limits, "RECORD_MAX_BYTES", 4096)
    import kkdesk.records as R

    monkeypatch.setattr(R, "RECORD_MAX_BYTES", 4096)
    before = revisions(store)
    with pytest.raises(ValidationError) as exc, store.session() as s:
        save(s, author_of(store), "person", {"name_latin": "X", "primary_target_group": "journalist",
                                             "entry_language": "en", "confidentiality": "internal",
                                             "remarks": "z" * 5000})
    assert "too large" in exc.value.problems[0].text() and "person" in exc.value.problems[0].text()
    assert revisions(store) == before


def test_the_cli_refuses_in_one_translated_line_per_problem(home, tmp_path, capsys):
    from kkdesk.cli import main
    from tests.conftest import PASSPHRASE

    pfile = tmp_path / "p"
    pfile.write_text(PASSPHRASE)
    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps(person_doc(name_ru="Я" * 2000), ensure_ascii=False), encoding="utf-8")
    code = main(["--home", str(home), "--passphrase-file", str(pfile), "--ui-lang", "ru", "import-json", str(doc)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "persons[0].name_ru" in err and "2000" in err and "too long" not in err  # translated


def test_a_bundle_with_an_over_long_name_is_refused_naming_the_field(trio, tmp_path, monkeypatch):
    """The sender's kkdesk had no limits (an older version, or a crafted bundle)."""
    a, b = trio["a"], trio["b"]
    import kkdesk.normalize as N

    monkeypatch.setattr(N, "text_problem", lambda *_: None)
    rid = person(a, "Padded", name_kk="Қ" * 5000)
    monkeypatch.undo()
    bundle = export(a, "b", tmp_path / "ab.kkb")
    before = state_digest(b)
    with pytest.raises(BundleLimitError) as exc:
        import_(b, bundle)
    message = exc.value.user_message()
    assert "name_kk" in message and "5000" in message and rid not in message or "person" in message
    assert state_digest(b) == before


def test_the_kazakh_variant_pass_is_linear(monkeypatch):
    """The old pattern r"\\w*[әғ…]\\w*" tried every start of a long word: quadratic."""
    assert searchtext.index_title("Жұмабаев Болат Қайрат-ұлы").split("\n")[1] == "Жумабаев Кайрат улы"
    steps = {"n": 0}
    real = searchtext._WORD

    class Counting:
        def findall(self, s):
            words = real.findall(s)
            steps["n"] += sum(len(w) for w in words)
            return words

    monkeypatch.setattr(searchtext, "_WORD", Counting())
    searchtext.index_title("Абай" * 25_000)
    assert steps["n"] == 100_000


def test_index_title_of_a_long_word_is_fast_enough_to_count_as_linear():
    import time

    t = time.perf_counter()
    searchtext.index_title("Абай" * 50_000)  # the old pattern: minutes
    assert time.perf_counter() - t < 5
