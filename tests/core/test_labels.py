"""Field and kind labels, form sections, their kk/ru translations and value display."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from kkdesk import labels, schema
from kkdesk.labels import field_help, field_label, kind_label, kind_plural, sections, value_label

ROOT = Path(__file__).resolve().parent.parent.parent
PENDING = ROOT / "translations" / "pending" / "labels.json"
# label modules merged into kkdesk.labels, with the pending file of their translations
EXTENSIONS = {"labels_detentions.py": ROOT / "translations" / "pending" / "detentions.json"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{\w*\}")
# Latin allowed in Kazakh/Russian text: technical abbreviations and codes only
ALLOWED_LATIN = re.compile(r"SHA|MIME|ISO|KZ")
KAZAKH_ONLY = set("ӘәҒғҚқҢңӨөҰұҮүҺһІі")
# words that are the same in Kazakh and Russian (loanwords)
SAME_IN_KK_AND_RU = {"Context", "Phone", "Messenger", "Website", "Online", "File", "Statistics", "Scan"}
ENTITIES = schema.all_entities()
NNBSP = "\u202f"  # Babel/CLDR put a narrow no-break space before "ж." / "г."
NBSP = "\xa0"


@pytest.fixture(scope="module")
def own_pending():
    return json.loads(PENDING.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pending(own_pending):
    """The translations of every label: labels.json, and of the extension modules' labels."""
    merged = dict(own_pending)
    known = labels.all_msgids()
    for path in EXTENSIONS.values():
        merged.update({k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items() if k in known})
    return merged


def test_every_field_and_kind_has_an_explicit_label():
    known = labels.all_msgids()
    for entity in ENTITIES:
        assert kind_label(entity.kind) in known, entity.kind
        assert kind_plural(entity.kind) in known, entity.kind
        assert kind_label(entity.kind) != kind_plural(entity.kind)
        for f in entity.fields:
            label = field_label(entity.kind, f.name)
            assert label and label in known, (entity.kind, f.name)


def test_shared_names_fall_back_and_differing_meanings_are_overridden():
    assert field_label("person", "name_kk") == "Name in Kazakh"
    assert field_label("court", "name_kk") == "Name in Kazakh"
    assert field_label("hearing", "notes") == "Notes taken in court"
    assert field_label("physical_finding", "notes") == "Notes"
    assert field_label("hearing", "stage") != field_label("physical_finding", "stage")
    assert field_label("case_party", "role") == "Role in the case"
    assert field_label("threat_act", "victim_person") == "Victim (person)"
    assert kind_label("threat") == "Threat incident" and kind_plural("threat") == "Threat incidents"
    assert kind_label("case_party") == "Party to the case"
    # an unknown field still gets a readable label rather than an exception
    assert field_label("person", "some_new_field") == "Some new field"


@pytest.mark.parametrize("entity", ENTITIES, ids=lambda e: e.kind)
def test_sections_cover_every_field_exactly_once(entity):
    secs = sections(entity.kind)
    names = [n for _, fields in secs for n in fields]
    assert Counter(names) == Counter(f.name for f in entity.fields)
    titles = [t for t, _ in secs]
    assert len(set(titles)) == len(titles) and "Other" not in titles
    assert titles[-1] == "Record"
    for title in titles:
        assert title in labels.all_msgids()
    if entity.top_level:
        assert secs[-1][1] == ["record_no", "confidentiality", "record_status", "entry_language", "remarks"]
    else:
        assert secs[-1][1] == ["id"]


def test_section_order_follows_the_spec():
    assert [t for t, _ in sections("threat")] == ["Incident", "Place", "State response", "Acts", "Record"]
    medical = [t for t, _ in sections("medical")]
    annex_iv = ["Case information", "Background", "Allegations of torture and ill-treatment",
                "Physical symptoms and disabilities", "Physical examination", "Psychological history and examination",
                "Diagnostic tests", "Consultations", "Interpretation of findings", "Conclusions and recommendations",
                "Statement of truthfulness and restrictions", "Signature", "Record"]
    assert [t for t in medical if t in annex_iv] == annex_iv
    hearing = dict(sections("hearing"))
    assert hearing["Fair-trial checklist"] == ["checklist"]
    # a precision companion follows its date
    for entity in ENTITIES:
        for _, fields in sections(entity.kind):
            for f in entity.fields:
                if f.precision and f.name in fields:
                    assert fields[fields.index(f.name) + 1] == f.precision, (entity.kind, f.name)
    with pytest.raises(KeyError):
        sections("no_such_kind")


def test_help_lines():
    assert field_help("person", "birth_date") == "Year, year and month, or full date (e.g. 2024, 2024-03 or 2024-03-05)."
    assert field_help("threat", "start_precision") == "How exactly the date is known."
    assert "verified" in field_help("case", "record_status")
    assert "counts" in field_help("threat_act", "counted_in_statistics")
    assert "alias" in field_help("person", "consent_to_publish")
    assert field_help("case", "title") is None
    for entity in ENTITIES:
        for f in entity.fields:
            hint = field_help(entity.kind, f.name)
            assert hint is None or hint in labels.all_msgids()


def test_every_msgid_is_marked_for_extraction():
    extracted = set()
    for name in ("labels.py", *EXTENSIONS):
        source = str(ROOT / "kkdesk" / name)
        extracted |= {msg for _, msg, _, _ in extract_from_file("python", source, keywords={"N_": None})}
    assert labels.all_msgids() <= extracted
    assert extracted <= labels.all_msgids()


def test_every_msgid_has_kk_and_ru_translations(pending, own_pending):
    for msgid in labels.all_msgids():
        tr = pending.get(msgid)
        assert tr and tr.get("kk", "").strip() and tr.get("ru", "").strip(), msgid
        for lang in ("kk", "ru"):
            assert sorted(PLACEHOLDER.findall(tr[lang])) == sorted(PLACEHOLDER.findall(msgid)), (lang, msgid)
    assert set(own_pending) <= labels.all_msgids(), "labels.json holds only label messages"


def test_translations_use_cyrillic_and_kazakh_letters(pending):
    for msgid, tr in pending.items():
        for lang in ("kk", "ru"):
            rest = ALLOWED_LATIN.sub("", tr[lang])
            assert not re.search(r"[A-Za-z]", rest), (lang, msgid, tr[lang])
        assert not set(tr["ru"]) & KAZAKH_ONLY, msgid
        if msgid not in SAME_IN_KK_AND_RU:
            assert tr["kk"] != tr["ru"], msgid
    kk_text = "".join(tr["kk"] for tr in pending.values())
    assert set("әғқңөұүі") <= set(kk_text)
    with_kazakh_letters = sum(1 for tr in pending.values() if set(tr["kk"]) & KAZAKH_ONLY)
    assert with_kazakh_letters > 0.8 * len(pending)


def test_labels_translate_through_the_catalogue():
    from kkdesk.i18n import gettext_for

    assert gettext_for("kk")(field_label("threat_act", "victim_person")) == "Жәбірленуші (тұлға)"
    assert gettext_for("ru")(field_label("threat_act", "victim_person")) == "Пострадавший (лицо)"
    assert gettext_for("kk")(kind_plural("hearing")) == "Сот отырыстарын бақылау"
    assert gettext_for("ru")(sections("medical")[0][0]) == "Сведения о случае"


def test_value_label_code_bool_enum():
    assert [value_label("person", "gender", "female", lang) for lang in ("kk", "ru", "en")] == ["Әйел", "Женский", "Female"]
    assert [value_label("person", "deceased", True, lang) for lang in ("kk", "ru", "en")] == ["Иә", "Да", "Yes"]
    assert [value_label("person", "deceased", False, lang) for lang in ("kk", "ru", "en")] == ["Жоқ", "Нет", "No"]
    assert [value_label("person", "consent_to_publish", "no", lang) for lang in ("kk", "ru", "en")] == ["Жоқ", "Нет", "No"]
    assert [value_label("physical_finding", "elevation", "raised", lang) for lang in ("kk", "ru", "en")] == [
        "Тері деңгейінен көтеріңкі", "Выступает над кожей", "Raised"]
    assert [value_label("attachment", "kind", "body_diagram", lang) for lang in ("kk", "ru", "en")] == [
        "Дене сызбасы", "Схема тела", "Body diagram"]
    assert value_label("physical_finding", "diagram_view", "back", "ru") == "Сзади"
    assert value_label("source_link", "target_entity", "hearing", "ru") == "Наблюдение за судебным заседанием"
    # an unknown code is shown as stored, never dropped
    assert value_label("person", "gender", "x_local", "kk") == "x_local"


def test_value_label_dates():
    assert [value_label("person", "birth_date", "2024-03", lang) for lang in ("kk", "ru", "en")] == [
        f"2024{NNBSP}ж. наурыз", f"март 2024{NNBSP}г.", "March 2024"]
    assert value_label("person", "birth_date", "1975", "ru") == "1975"
    assert [value_label("threat", "start_date", "2024-03-05", lang) for lang in ("kk", "ru", "en")] == [
        f"2024{NNBSP}ж. 5 наурыз", f"5 марта 2024{NNBSP}г.", "March 5, 2024"]


def test_value_label_datetime_keeps_its_offset():
    # before March 2024 Almaty was UTC+6: the stored offset is shown, not converted
    value = "2022-01-05T10:40:00+06:00"
    assert [value_label("hearing", "actual_start", value, lang) for lang in ("kk", "ru", "en")] == [
        f"2022{NNBSP}ж. 5 қаңтар, 10:40 (UTC+06:00)",
        f"5 января 2022{NNBSP}г., 10:40 (UTC+06:00)",
        "January 5, 2022, 10:40 (UTC+06:00)"]
    assert value_label("medical", "exam_datetime", "2024-03-05T09:05:30+05:00", "en") == "March 5, 2024, 09:05:30 (UTC+05:00)"
    assert value_label("hearing", "actual_end", "2024-03-05T07:00:00Z", "en") == "March 5, 2024, 07:00 (UTC+00:00)"
    assert value_label("hearing_note", "time", "10:40", "kk") == "10:40"
    # a malformed stored value is displayed as it is, without a traceback
    assert value_label("hearing", "actual_start", "not a date", "ru") == "not a date"


def test_value_label_numbers_lists_and_empty():
    assert [value_label("physical_finding", "length_mm", "12.5", lang) for lang in ("kk", "ru", "en")] == ["12.5"] * 3
    assert [value_label("attachment", "size_bytes", 1234567, lang) for lang in ("kk", "ru", "en")] == [
        f"1{NBSP}234{NBSP}567", f"1{NBSP}234{NBSP}567", "1,234,567"]
    assert [value_label("person", "other_target_groups", ["journalist", "lawyer"], lang) for lang in ("kk", "ru", "en")] == [
        "Журналистер (блогерлерді қоса алғанда), Адвокаттар мен заңгерлер",
        "Журналисты (включая блогеров), Адвокаты и юристы",
        "Journalists (incl. bloggers), Lawyers (advocates, legal consultants)"]
    assert [value_label("person", "citizenship", ["KZ", "UZ"], lang) for lang in ("kk", "ru", "en")] == [
        "Қазақстан, Өзбекстан", "Казахстан, Узбекистан", "Kazakhstan, Uzbekistan"]
    assert value_label("person", "name_variants", ["Zhylanbaev", "Жыланбаев"], "en") == "Zhylanbaev, Жыланбаев"
    assert value_label("person", "gender", None, "kk") == ""
    assert value_label("person", "other_target_groups", [], "ru") == ""
    assert value_label("threat", "acts", [{"threat_type": "death_threat"}], "en") == ""
