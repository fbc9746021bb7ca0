"""Public mode (SPEC §7 rule 10, §8): only public records; persons without consent by
alias or initials; never contact data; medical details only with the subject's consent."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from kkdesk.errors import InputError
from kkdesk.interchange import author_of, import_document
from kkdesk.normalize import map_id
from kkdesk.reports import render

NS = "kkdesk-test-public"

DOC = {
    "format": "kkdesk-interchange", "version": 1, "id_namespace": NS,
    "persons": [
        {"id": "nurlan", "name_kk": "Нұрлан Сапаров", "name_ru": "Нурлан Сапаров", "name_latin": "Nurlan Saparov",
         "gender": "male", "primary_target_group": "civic_activist", "consent_to_publish": "yes",
         "consent_date": "2024-01-05", "birth_date": "1985-07-14", "phone": "+7 705 123 45 67",
         "email": "nurlan@example.kz", "messenger": "@nurlan_s", "confidentiality": "public"},
        {"id": "gulnara", "name_kk": "Гүлнара Әлиева", "name_ru": "Гульнара Алиева", "name_latin": "Gulnara Aliyeva",
         "public_alias": "Свидетель Г.", "gender": "female", "primary_target_group": "journalist",
         "birth_date": "1990-03-02", "consent_to_publish": "no", "consent_date": "2024-01-05",
         "confidentiality": "public", "phone": "+7 777 765 43 21"},
        {"id": "daniyar", "name_kk": "Данияр Ермеков", "name_ru": "Данияр Ермеков", "name_latin": "Daniyar Yermekov",
         "gender": "male", "primary_target_group": "lawyer", "consent_to_publish": "unknown"},
        {"id": "zhanna", "name_kk": "Жанна Бекова", "name_ru": "Жанна Бекова", "name_latin": "Zhanna Bekova",
         "gender": "female", "primary_target_group": "hrd", "consent_to_publish": "yes", "consent_date": "2024-01-05",
         "confidentiality": "public"},
    ],
    "courts": [{"id": "taraz", "name_kk": "Тараз қалалық соты", "name_ru": "Таразский городской суд",
                "name_en": "Taraz City Court", "court_type": "district_city", "region": "jambyl"}],
    "cases": [
        {"id": "pub", "title": "Сапаров — ст. 274 УК", "procedure_type": "criminal", "status": "at_trial",
         "opened_date": "2024-01-20", "region": "jambyl", "summary": "Публичное дело.", "confidentiality": "public",
         "entry_language": "ru",
         "parties": [{"person": "nurlan", "role": "defendant",
                      "charges": [{"legal_article": "CC-274", "charge_status": "sent_to_court"}]},
                     {"person": "gulnara", "role": "witness"},
                     {"person": "daniyar", "role": "defence_lawyer"}]},
    ],
    "threats": [
        {"id": "t-pub", "title": "Публичная угроза в соцсетях", "description": "Угрозы после публикации.",
         "start_date": "2024-02-01", "region": "jambyl", "confidentiality": "public", "entry_language": "ru",
         "acts": [{"victim_person": "nurlan", "threat_type": "death_threat", "case": "pub"}]},
        {"id": "t-int", "title": "Внутренний инцидент с источником", "description": "Сведения от источника.",
         "start_date": "2024-02-05", "region": "jambyl", "entry_language": "ru",
         "acts": [{"victim_person": "nurlan", "threat_type": "surveillance", "case": "pub"}]},
    ],
    "hearings": [
        {"id": "h-pub", "case": "pub", "court": "taraz", "instance": "first_instance", "stage": "main_trial",
         "hearing_format": "in_person", "actual_start": "2024-03-04T10:00+05:00", "monitors": ["Мониторщица Ж."],
         "observer_access": "admitted_courtroom", "proceedings_summary": "Допрошен свидетель.",
         "outcome": "continued", "confidentiality": "public", "entry_language": "ru",
         "participants": [{"name": "Судья Т. Омаров", "role": "judge", "presence": "in_person"},
                          {"name": "Айбек Серіков", "role": "witness", "presence": "in_person"},
                          {"person": "gulnara", "role": "witness", "presence": "in_person"}]},
    ],
    "medical": [
        {"id": "m-nocons", "subject": "gulnara", "examination_type": "ip_physical", "examiner_affiliation": "independent",
         "exam_datetime": "2024-03-10T12:00+05:00", "place": "Тараз", "clinicians": [{"name": "Dr. A."}],
         "informed_consent": "yes", "interpreter_used": "no", "security_present": "no", "subject_restrained": "no",
         "evaluation_unrestricted": "yes", "allegation_summary": "Ударили дубинкой по спине при задержании.",
         "confidentiality": "public", "entry_language": "ru"},
        {"id": "m-cons", "subject": "zhanna", "examination_type": "ip_physical", "examiner_affiliation": "independent",
         "exam_datetime": "2024-03-11T12:00+05:00", "place": "Тараз", "clinicians": [{"name": "Dr. A."}],
         "informed_consent": "yes", "interpreter_used": "no", "security_present": "no", "subject_restrained": "no",
         "evaluation_unrestricted": "yes", "allegation_summary": "Сжимали запястья наручниками несколько часов.",
         "confidentiality": "public", "entry_language": "ru"},
        {"id": "m-restricted", "subject": "nurlan", "case": "pub", "examination_type": "post_detention_check",
         "examiner_affiliation": "detention_medical", "exam_datetime": "2024-02-10T12:00+05:00", "place": "ИВС",
         "clinicians": [{"name": "Dr. B."}], "informed_consent": "yes", "interpreter_used": "no",
         "security_present": "yes", "subject_restrained": "no", "evaluation_unrestricted": "no",
         "allegation_summary": "Секретная медицинская запись.", "entry_language": "ru"},
    ],
    "sources": [
        {"id": "s-pub", "source_type": "media", "title": "Публикация в СМИ о деле", "reliability": "likely_reliable",
         "confidentiality": "public", "links": [{"target": "pub"}]},
        {"id": "s-int", "source_type": "victim_testimony", "title": "Закрытое интервью с семьёй",
         "reliability": "likely_reliable", "links": [{"target": "pub"}]},
    ],
}
CONTACTS = ("+7 705 123 45 67", "nurlan@example.kz", "@nurlan_s", "+7 777 765 43 21")


def rid(list_name: str, ident: str) -> str:
    return map_id(NS, list_name, ident)


def text_of(data: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture
def pub_store(store):
    with store.session() as session:
        import_document(session, author_of(store), DOC, "ru")
    return store


def pdf(store, doc, ref, lang="ru", public=True) -> str:
    with store.session() as session:
        return text_of(render(session, doc, ref, lang, public=public, org_name="НПО"))


def test_public_case_sheet(pub_store):
    text = pdf(pub_store, "case", rid("cases", "pub"))
    assert "ПУБЛИЧНАЯ ВЕРСИЯ" in text and "Публичная версия: включены только записи" in text
    assert "Нурлан Сапаров" in text  # consented, public record
    assert "Свидетель Г." in text and "Гульнара" not in text and "Алиева" not in text  # alias
    assert "Д. Е." in text and "Данияр" not in text and "Ермеков" not in text  # no consent, no alias: initials
    assert "Публичная угроза в соцсетях" in text
    assert "Внутренний инцидент" not in text and "Слежка" not in text  # an internal incident is left out
    assert "Публикация в СМИ о деле" in text and "Закрытое интервью" not in text
    assert "Секретная медицинская запись" not in text and "ИВС" not in text
    for contact in CONTACTS:
        assert contact not in text


def test_internal_case_sheet_shows_everything_but_contacts(pub_store):
    text = pdf(pub_store, "case", rid("cases", "pub"), public=False)
    assert "КОНФИДЕНЦИАЛЬНО" in text and "ПУБЛИЧНАЯ ВЕРСИЯ" not in text
    assert "Гульнара Алиева" in text and "Данияр Ермеков" in text
    assert "Внутренний инцидент с источником" in text and "Закрытое интервью с семьёй" in text
    assert "СТРОГО КОНФИДЕНЦИАЛЬНО" in text  # the restricted examination raises the marking
    for contact in CONTACTS:
        assert contact not in text


def test_public_hearing_hides_private_names_and_monitors(pub_store):
    text = pdf(pub_store, "hearing", rid("hearings", "h-pub"), "kk")
    assert "Судья Т. Омаров" in text  # officials by name
    assert "А. С." in text and "Айбек" not in text and "Серіков" not in text
    assert "Свидетель Г." in text and "Гүлнара" not in text
    assert "Мониторщица" not in text


def test_public_medical_report_needs_the_subjects_consent(pub_store):
    withheld = pdf(pub_store, "medical", rid("medical", "m-nocons"), "en")
    assert "Medical details are withheld" in withheld
    assert "Ударили дубинкой" not in withheld and "Gulnara" not in withheld and "Свидетель Г." in withheld
    shown = pdf(pub_store, "medical", rid("medical", "m-cons"), "en")
    assert "Сжимали запястья наручниками" in shown and "Zhanna Bekova" in shown
    internal = pdf(pub_store, "medical", rid("medical", "m-nocons"), "en", public=False)
    assert "Ударили дубинкой" in internal and "Gulnara Aliyeva" in internal


def test_public_person_sheets(pub_store):
    nurlan = pdf(pub_store, "person", rid("persons", "nurlan"))
    assert "Нурлан Сапаров" in nurlan and "14 июля 1985 г." in nurlan
    assert "Публичная угроза в соцсетях" in nurlan and "Внутренний инцидент" not in nurlan
    assert "Секретная медицинская запись" not in nurlan and "Медицинские данные" not in nurlan
    gulnara = pdf(pub_store, "person", rid("persons", "gulnara"))
    assert "Свидетель Г." in gulnara
    assert "Гульнара" not in gulnara and "Aliyeva" not in gulnara and "1990" not in gulnara
    for contact in CONTACTS:
        assert contact not in nurlan and contact not in gulnara


def test_records_that_are_not_public_cannot_be_printed_in_public_mode(pub_store):
    with pub_store.session() as session:
        for doc, ref in (("person", rid("persons", "daniyar")), ("medical", rid("medical", "m-restricted")),
                         ("case", rid("cases", "pub"))):
            if doc == "case":
                render(session, doc, ref, "en", public=True)  # public: fine
                continue
            with pytest.raises(InputError) as err:
                render(session, doc, ref, "en", public=True)
            assert "not marked public" in str(err.value)


def _images(store, ref, public) -> int:
    with store.session() as session:
        data = render(session, "person", ref, "ru", public=public, org_name="НПО")
    return sum(len(page.images) for page in PdfReader(io.BytesIO(data)).pages)


def _give_photo(store, tmp_path, person: str, name: str, content: bytes, **fields) -> None:
    """Attach `content` as the person's photo (set on the person record)."""
    from kkdesk import records
    from kkdesk.attachments import add_file
    from kkdesk.interchange import save

    path = tmp_path / name
    path.write_bytes(content)
    with store.session() as session:
        author = author_of(store)
        att = add_file(session, author, path, person, kind="photo", **fields)
        person_content = records.get(session, person).content
        save(session, author, "person", {**person_content, "photo": att.id}, record_id=person)


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (300, 400), (120, 90, 60)).save(out, "JPEG")
    return out.getvalue()


def test_person_photo_is_printed_only_where_it_may_be(pub_store, tmp_path):
    nurlan, gulnara = rid("persons", "nurlan"), rid("persons", "gulnara")
    assert _images(pub_store, nurlan, public=False) == 0
    _give_photo(pub_store, tmp_path, nurlan, "nurlan.jpg", _jpeg(), confidentiality="public")
    _give_photo(pub_store, tmp_path, gulnara, "gulnara.jpg", _jpeg(), confidentiality="public")
    assert _images(pub_store, nurlan, public=False) == 1
    assert _images(pub_store, nurlan, public=True) == 1      # consented, public record and attachment
    assert _images(pub_store, gulnara, public=False) == 1
    assert _images(pub_store, gulnara, public=True) == 0     # no consent: shown by alias, without a face


def test_a_photo_that_is_not_public_intimate_or_not_a_picture_is_left_out(pub_store, tmp_path):
    zhanna, nurlan = rid("persons", "zhanna"), rid("persons", "nurlan")
    _give_photo(pub_store, tmp_path, zhanna, "zhanna.jpg", _jpeg())  # the attachment stays internal
    assert _images(pub_store, zhanna, public=False) == 1
    assert _images(pub_store, zhanna, public=True) == 0
    _give_photo(pub_store, tmp_path, nurlan, "scan.jpg", b"\xff\xd8 not really a picture", confidentiality="public")
    assert _images(pub_store, nurlan, public=False) == 0
    assert "Нурлан Сапаров" in pdf(pub_store, "person", nurlan, public=False)  # the sheet itself is fine
    _give_photo(pub_store, tmp_path, nurlan, "private.jpg", _jpeg(), sensitive_intimate=True)
    assert _images(pub_store, nurlan, public=False) == 0


def test_a_restricted_photo_marks_the_sheet_restricted(pub_store, tmp_path):
    zhanna = rid("persons", "zhanna")
    assert "СТРОГО КОНФИДЕНЦИАЛЬНО" not in pdf(pub_store, "person", zhanna, public=False)
    _give_photo(pub_store, tmp_path, zhanna, "zhanna.jpg", _jpeg(), confidentiality="restricted")
    assert "СТРОГО КОНФИДЕНЦИАЛЬНО" in pdf(pub_store, "person", zhanna, public=False)


def test_a_long_identity_block_puts_the_photo_above_it(pub_store, tmp_path):
    """Beside the identity block the photo shares a table cell, which cannot break across
    pages: a block longer than that goes below the photo and may flow on."""
    from kkdesk import records
    from kkdesk.interchange import save

    nurlan = rid("persons", "nurlan")
    with pub_store.session() as session:
        content = records.get(session, nurlan).content
        save(session, author_of(pub_store), "person",
             {**content, "disability_notes": "Длинное описание последствий. " * 400}, record_id=nurlan)
    _give_photo(pub_store, tmp_path, nurlan, "nurlan.jpg", _jpeg(), confidentiality="public")
    assert _images(pub_store, nurlan, public=False) == 1
    assert pdf(pub_store, "person", nurlan, public=False).count("Длинное описание последствий.") == 400
