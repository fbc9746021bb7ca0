"""PDF case sheets and reports: every document in kk, ru and en, read back with pypdf.

The example document (tests/data/interchange-example.json) plus a Kazakh/Russian
case with a ban on public activity decided on 22 February 2024."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from kkdesk.interchange import author_of, import_document
from kkdesk.normalize import map_id
from kkdesk.reports import render

EX = "kkdesk-example"
KZ = "kkdesk-test-kz"
CONTACTS = ("+7 700 000 00 00", "aigerim@example.org", "@aigerim_s", "+7 701 111 22 33", "bolat@example.kz")


def ex(list_name: str, ident: str) -> str:
    return map_id(EX, list_name, ident)


def kz(list_name: str, ident: str) -> str:
    return map_id(KZ, list_name, ident)


def pdf_text(data: bytes) -> str:
    """All text of the PDF, whitespace collapsed (cell line breaks become spaces)."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


KZ_DOC = {
    "format": "kkdesk-interchange", "version": 1, "id_namespace": KZ,
    "persons": [
        {"id": "bolat", "name_kk": "Болат Жұмабаев", "name_ru": "Болат Жумабаев", "name_latin": "Bolat Zhumabayev",
         "gender": "male", "primary_target_group": "political_activist", "residence_region": "almaty_region",
         "consent_to_publish": "yes", "consent_date": "2024-01-10", "phone": "+7 701 111 22 33",
         "email": "bolat@example.kz", "entry_language": "kk", "record_status": "verified"},
        {"id": "maria", "name_latin": "Maria Svensson", "gender": "female", "primary_target_group": "hrd",
         "consent_to_publish": "unknown", "entry_language": "en"},
        {"id": "asem", "name_kk": "Әсем Нұрғалиқызы", "gender": "female", "primary_target_group": "journalist",
         "consent_to_publish": "unknown", "entry_language": "kk"},
    ],
    "courts": [
        {"id": "konaev", "name_kk": "Қонаев қалалық соты", "name_ru": "Конаевский городской суд",
         "name_en": "Konaev City Court", "court_type": "district_city", "region": "almaty_region"},
    ],
    "cases": [
        {"id": "ban", "title": "Жұмабаев — ҚК 405-бабы", "procedure_type": "criminal", "status": "closed_convicted",
         "opened_date": "2023-09-14", "region": "almaty_region", "entry_language": "kk",
         "summary": "Белсенді тыйым салынған ұйымның қызметіне қатысты деп айыпталды.",
         "parties": [
             {"person": "bolat", "role": "defendant", "charges": [
                 {"legal_article": "CC-405", "article_part": "2", "charge_status": "convicted",
                  "status_date": "2024-02-22"}],
              "sentences": [
                  {"instance": "first_instance", "decision_date": "2024-02-22", "sentence_type": "restricted_freedom",
                   "term_years": 3},
                  {"instance": "first_instance", "decision_date": "2024-02-22",
                   "sentence_type": "ban_public_activity", "ban_months": 60,
                   "ban_scope": "қоғамдық және саяси қызмет, әлеуметтік желілердегі жарияланымдар",
                   "in_force": True}]},
             {"person": "maria", "role": "observer"},
             {"person": "asem", "role": "witness"},
         ]},
    ],
    "hearings": [
        {"id": "verdict", "case": "ban", "court": "konaev", "instance": "first_instance", "stage": "verdict_announcement",
         "hearing_format": "semi_closed_video_room", "scheduled_start": "2024-02-22T10:00+05:00",
         "actual_start": "2024-02-22T11:30+05:00", "actual_end": "2024-02-22T13:05+05:00",
         "monitors": ["Мониторшы Ә."], "observer_access": "admitted_video_room",
         "proceedings_summary": "Сот үкімді жариялады; бақылаушылар бөлек бейне бөлмеде отырды.",
         "outcome": "verdict_guilty", "entry_language": "kk",
         "checklist": {
             "A09_video_room_adequate": {"answer": "no", "note": "Дыбыс естілмеді, экран сөніп қалды."},
             "F05_ban_public_activity_imposed": {"answer": "yes", "note": "Бес жылға қоғамдық қызметке тыйым."},
             "F01_judgment_public": {"answer": "yes"}},
         "notes": [{"time": "11:30", "text": "Судья үкімді оқи бастады."},
                   {"time": "12:10", "text": "Бейне бөлмеде байланыс үзілді."}],
         "participants": [{"name": "Судья Қ. Ахметов", "role": "judge", "presence": "in_person"},
                          {"person": "bolat", "role": "defendant", "presence": "in_person"}]},
    ],
    "threats": [
        {"id": "summons", "title": "Полицияға шақыру", "description": "Белсендіні әңгімелесуге шақырды.",
         "start_date": "2023-08-30", "region": "almaty_region", "state_response": "not_registered",
         "entry_language": "kk", "record_status": "verified",
         "acts": [{"victim_person": "bolat", "threat_type": "summons", "case": "ban",
                   "perpetrators": [{"perpetrator_type": "police", "involvement_degree": "direct"}]}]},
    ],
}


@pytest.fixture
def kz_store(example_store):
    with example_store.session() as session:
        import_document(session, author_of(example_store), KZ_DOC, "kk")
    return example_store


def render_doc(store, doc, ref, lang, **kw) -> bytes:
    with store.session() as session:
        return render(session, doc, ref, lang, org_name="«Әділет көзі» қоғамдық бірлестігі", **kw)


# --- person sheets ---------------------------------------------------------------------

PERSON_EXPECT = {
    "kk": ["Тұлға карточкасы", "Айгерім Сейітқали", "ҚР ӘҚБтК 488-бабының 6-бөлігі", "2024 ж. 17 сәуір",
           "Әкімшілік қамаққа алу", "10 тәулік", "Журналистер", "«Әділет көзі» қоғамдық бірлестігі", "Қауіптер мен оқиғалар"],
    "ru": ["Карточка лица", "Айгерим Сеиткали", "ч. 6 ст. 488 КоАП РК", "17 апреля 2024 г.",
           "Административный арест", "10 суток", "Журналисты", "Угрозы и инциденты"],
    "en": ["Case sheet: person", "Aigerim Seitkali", "Art. 488, part 6, CAO RK", "April 17, 2024",
           "Administrative arrest", "10 days", "Journalists", "Threats and incidents"],
}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_person_sheet_in_each_language(example_store, lang):
    text = pdf_text(render_doc(example_store, "person", ex("persons", "ex-person-aigerim"), lang))
    for expected in PERSON_EXPECT[lang]:
        assert expected in text, expected
    for contact in CONTACTS:
        assert contact not in text
    # the footer: record number, revision, page x of y
    with example_store.session() as session:
        from kkdesk import records

        view = records.get(session, ex("persons", "ex-person-aigerim"))
    assert view.record_no in text and view.head[:12] in text
    assert {"kk": "2 беттің 1-беті", "ru": "Страница 1 из 2", "en": "Page 1 of 2"}[lang] in text


@pytest.mark.parametrize("lang, name, absent", [
    ("kk", "Ерлан Токтаров", "Yerlan Toktarov"),  # no name_kk: kk falls back to name_ru
    ("ru", "Ерлан Токтаров", "Yerlan Toktarov"),
    ("en", "Yerlan Toktarov", "Ерлан Токтаров"),
])
def test_person_name_fallback(example_store, lang, name, absent):
    text = pdf_text(render_doc(example_store, "case", ex("cases", "ex-case-toktarov"), lang))
    assert name in text
    assert absent not in text


def test_name_fallback_to_latin_and_kazakh(kz_store):
    kk = pdf_text(render_doc(kz_store, "case", kz("cases", "ban"), "kk"))
    en = pdf_text(render_doc(kz_store, "case", kz("cases", "ban"), "en"))
    ru = pdf_text(render_doc(kz_store, "case", kz("cases", "ban"), "ru"))
    assert "Maria Svensson" in kk and "Maria Svensson" in ru  # only a Latin name
    assert "Әсем Нұрғалиқызы" in en and "Әсем Нұрғалиқызы" in ru  # only a Kazakh name
    assert "Bolat Zhumabayev" in en and "Болат Жұмабаев" in kk and "Болат Жумабаев" in ru


def test_person_sheet_lists_hearing_concerns_and_medical(example_store):
    text = pdf_text(render_doc(example_store, "person", ex("persons", "ex-person-yerlan"), "en"))
    assert "Aktobe City Court" in text
    assert "Was the hearing listed in advance in the public court schedule" in text
    assert "В графике суда заседание не значилось." in text  # the concern's note, as entered
    assert "[Russian]" in text  # Russian notes on an English sheet carry a language marker
    assert "Istanbul Protocol physical evaluation only" in text
    assert "Highly consistent with" in text
    assert "Online threats after a post about the trial" in text and "Death threat" in text


# --- case sheets -----------------------------------------------------------------------

CASE_EXPECT = {
    "kk": ["Іс карточкасы", "ҚР ҚК 405-бабының 2-бөлігі", "2024 ж. 22 ақпан", "60 ай",
           "Қызметке тыйым салу: қоғамдық және саяси қызмет", "Хронология", "Қонаев қалалық соты", "3 жыл",
           "заңды күшіне енген"],
    "ru": ["Карточка дела", "ч. 2 ст. 405 УК РК", "22 февраля 2024 г.", "на срок 60 месяцев",
           "Запрет на деятельность: қоғамдық және саяси қызмет", "Хронология", "Конаевский городской суд", "3 года"],
    "en": ["Case sheet", "Art. 405, part 2, CC RK", "February 22, 2024", "for 60 months",
           "Ban on activity: қоғамдық және саяси қызмет", "Chronology", "Konaev City Court", "3 years"],
}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_case_sheet_with_ban_on_public_activity(kz_store, lang):
    text = pdf_text(render_doc(kz_store, "case", kz("cases", "ban"), lang))
    for expected in CASE_EXPECT[lang]:
        assert expected in text, expected
    for contact in CONTACTS:
        assert contact not in text
    # the linked threat and the fair-trial concern of the verdict hearing
    assert "Полицияға шақыру" in text
    assert "Бес жылға қоғамдық қызметке тыйым." in text


def test_case_sheet_sections_follow_the_vocabulary_order(example_store):
    from kkdesk.vocab import vocabularies

    text = pdf_text(render_doc(example_store, "case", ex("cases", "ex-case-toktarov"), "ru"))
    order = [t.label("ru") for t in vocabularies().terms("case_sheet_section")]
    found = [text.index(label) for label in order if label in text]
    assert len(found) >= 6
    assert found == sorted(found)
    assert "ч. 2 ст. 274 УК РК" in text and "Распространение заведомо ложной информации" in text
    assert "Подсудимый" in text and "Отложено" in text and "10 июня 2024 г., 10:40 (UTC+05:00)" in text


# --- hearing reports -------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_hearing_report_has_the_whole_checklist(example_store, lang):
    from kkdesk.checklist import groups, items

    text = pdf_text(render_doc(example_store, "hearing", ex("hearings", "ex-hearing-1"), lang))
    for group in groups():
        assert group.label(lang) in text
    assert sum(1 for item in items() if item.label(lang)[:40] in text) == len(items())
    assert "Звук пропадал, секретарь подключался с мобильного телефона." in text
    assert "Связь прервалась, переподключение через 7 минут." in text and "11:05" in text
    next_date = {"kk": "2024 ж. 17 маусым, 10:00 (UTC+05:00)", "ru": "17 июня 2024 г., 10:00 (UTC+05:00)",
                 "en": "June 17, 2024, 10:00 (UTC+05:00)"}[lang]
    assert next_date in text
    assert {"kk": "3 жауап алаңдаушылық туғызады.", "ru": "3 ответа указывают на возможное нарушение.",
            "en": "3 answers signal a concern."}[lang] in text


def test_long_hearing_spans_pages_and_loses_nothing(example_store):
    from kkdesk import records
    from kkdesk.interchange import save

    base = {"case": ex("cases", "ex-case-toktarov"), "court": ex("courts", "ex-court-aktobe"),
            "instance": "first_instance", "stage": "main_trial", "hearing_format": "in_person",
            "monitors": ["Monitor A"], "observer_access": "admitted_courtroom", "outcome": "continued",
            "proceedings_summary": "Судебное следствие продолжено. " * 40, "entry_language": "ru",
            "actual_start": "2024-06-17T10:00+05:00"}
    words = "свидетель показал, что протокол был составлен без участия адвоката и без понятых; "
    long = dict(base, notes=[{"time": f"{10 + i // 60:02d}:{i % 60:02d}", "text": f"Q{i:03d}Z " + words * 6}
                             for i in range(200)])
    huge = dict(base, notes=[{"time": "10:00", "text": "H0Z " + words * 400 + " H1Z"}])
    with example_store.session() as session:
        author = author_of(example_store)
        long_id = save(session, author, "hearing", long).id
        huge_id = save(session, author, "hearing", huge).id
        short = records.get(session, ex("hearings", "ex-hearing-1")).record_no
    short_pages = pages(render_doc(example_store, "hearing", short, "ru"))
    data = render_doc(example_store, "hearing", long_id, "ru")
    text = pdf_text(data)
    assert pages(data) > short_pages + 5
    assert all(f"Q{i:03d}Z" in text for i in range(200))
    huge_text = pdf_text(render_doc(example_store, "hearing", huge_id, "ru"))  # one note longer than a page
    assert "H0Z" in huge_text and "H1Z" in huge_text


# --- medical reports -------------------------------------------------------------------

ANNEX_IV = ["1. Case information", "2. Background", "3. Allegations of torture and ill-treatment",
            "4. Physical symptoms and disabilities", "5. Physical examination",
            "6. Psychological history and examination", "7. Diagnostic tests", "8. Consultations",
            "9. Interpretation of findings", "10. Conclusions and recommendations",
            "11. Statement of truthfulness and restrictions", "12. Signature"]


def test_medical_report_follows_annex_iv(example_store):
    text = pdf_text(render_doc(example_store, "medical", ex("medical", "ex-medical-1"), "en"))
    positions = [text.index(h) for h in ANNEX_IV]
    assert positions == sorted(positions)
    assert "Yerlan Toktarov" in text and "Dr. K. — Forensic physician" in text
    assert "Body diagram" in text and "Front" in text and "Back" in text
    assert "60 × 15 mm" in text and "Bruise / contusion × 2" in text
    # every level with its Istanbul Protocol definition, the overall evaluation defined again
    from kkdesk.reports.medical import DEFINITIONS

    for definition in DEFINITIONS.values():
        assert definition in text
    assert text.count(DEFINITIONS["highly_consistent"]) == 2
    assert "The physical findings as a whole are highly consistent" in text


@pytest.mark.parametrize("lang, title, level, definition", [
    ("kk", "Медициналық куәландыру туралы есеп", "Жоғары дәрежеде сәйкес келеді",
     "оның басқа ықтимал себептері аз"),
    ("ru", "Отчёт о медицинском освидетельствовании", "В значительной степени соответствует",
     "и других возможных причин у него немного"),
])
def test_medical_report_in_kazakh_and_russian(example_store, lang, title, level, definition):
    text = pdf_text(render_doc(example_store, "medical", ex("medical", "ex-medical-1"), lang))
    assert title in text and level in text and definition in text
    assert {"kk": "2024 ж. 12 наурыз, 15:00 (UTC+05:00)", "ru": "12 марта 2024 г., 15:00 (UTC+05:00)"}[lang] in text


def test_medical_definitions_are_the_vocabulary_definitions():
    from kkdesk.reports.medical import DEFINITIONS
    from kkdesk.vocab import vocabularies

    for code, text in DEFINITIONS.items():
        assert vocabularies().get("istanbul_consistency", code).extra["definition_en"] == text


def _exam(**extra) -> dict:
    base = {"subject": ex("persons", "ex-person-yerlan"), "examination_type": "ip_physical",
            "examiner_affiliation": "independent", "exam_datetime": "2024-04-02T09:00+05:00",
            "place": "Ақтөбе", "clinicians": [{"name": "Dr. K."}], "informed_consent": "yes",
            "interpreter_used": "no", "security_present": "no", "subject_restrained": "no",
            "evaluation_unrestricted": "yes", "entry_language": "en"}
    return dict(base, **extra)


def test_absent_findings_are_never_no_torture(example_store):
    from kkdesk.interchange import save

    with example_store.session() as session:
        author = author_of(example_store)
        none_id = save(session, author, "medical", _exam()).id
        nothing_id = save(session, author, "medical", _exam(findings=[
            {"body_region": "chest", "laterality": "midline", "lesion_type": "no_visible_finding", "stage": "undetermined",
             "consistency": "not_assessed"}])).id
    for ref in (none_id, nothing_id):
        text = pdf_text(render_doc(example_store, "medical", ref, "en"))
        assert "does not mean that torture or ill-treatment did not occur" in text
        assert "no torture" not in text.lower()
    kk = pdf_text(render_doc(example_store, "medical", none_id, "kk"))
    assert "азаптау немесе қатыгез қарау болмады дегенді білдірмейді" in kk


def test_intimate_attachments_are_never_printed(example_store, tmp_path):
    from kkdesk.attachments import add_file

    photo, intimate = tmp_path / "forearm-scale.jpg", tmp_path / "intimate-exam.jpg"
    photo.write_bytes(b"\xff\xd8 forearm photo with ruler")
    intimate.write_bytes(b"\xff\xd8 intimate image")
    medical = ex("medical", "ex-medical-1")
    with example_store.session() as session:
        author = author_of(example_store)
        add_file(session, author, photo, medical, kind="photo", scale_included=True)
        secret = add_file(session, author, intimate, medical, kind="photo", sensitive_intimate=True)
        from kkdesk import records

        secret_sha = records.get(session, secret.id).content["sha256"]
    text = pdf_text(render_doc(example_store, "medical", medical, "en"))
    import hashlib

    assert "forearm-scale.jpg" in text
    assert hashlib.sha256(photo.read_bytes()).hexdigest()[:40] in text.replace(" ", "")
    assert "intimate-exam.jpg" not in text and secret_sha[:16] not in text.replace(" ", "")
    person = pdf_text(render_doc(example_store, "person", ex("persons", "ex-person-yerlan"), "en"))
    assert "intimate-exam.jpg" not in person


def test_body_diagram_markers_sit_where_the_findings_are():
    from kkdesk import bodymap
    from kkdesk.reports import bodydiagram
    from reportlab.graphics.shapes import Circle

    findings = [{"finding_no": 1, "diagram_view": "back", "diagram_x": "0.22", "diagram_y": "0.48"},
                {"finding_no": 2, "diagram_view": "front", "diagram_x": "0.47", "diagram_y": "0.08"},
                {"finding_no": 3, "body_region": "knee", "laterality": "right"},  # no position: region centre
                {"finding_no": 4, "body_region": "internal_systemic", "laterality": "not_applicable"}]
    markers = [bodydiagram.place(f) for f in findings]
    assert markers[3] is None
    assert markers[2].view == "front"
    assert bodymap.region_at("front", markers[2].x, markers[2].y) == ("knee", "right")
    width, height = 480.0, 255.0
    drawing = bodydiagram.drawing(markers[:3], {"front": "Front", "back": "Back"}, ("Right", "Left"), width, height)
    circles = sorted((c for c in drawing.contents if isinstance(c, Circle)), key=lambda c: -c.cx)
    assert len(circles) == 3  # back view (right half) first
    vw, vh = bodymap.load().viewbox
    scale = (height - 24) / vh
    view_w = vw * scale
    gap = max(24.0, (width - 2 * view_w) / 3)
    left = (width - 2 * view_w - gap) / 2
    back = left + view_w + gap
    assert circles[0].cx == pytest.approx(back + 0.22 * view_w)
    assert circles[0].cy == pytest.approx(10 + (1 - 0.48) * vh * scale)
    assert circles[1].cx == pytest.approx(left + 0.47 * view_w)  # person's right face: viewer's left of centre
    assert circles[1].cx < left + view_w / 2



def _pages_of(story) -> list[str]:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build(story)
    return [page.extract_text() for page in PdfReader(io.BytesIO(buf.getvalue())).pages]


def test_body_diagram_shrinks_to_finish_a_page_instead_of_leaving_it_half_blank():
    """A heading kept with the diagram used to go to the next page whenever the full
    255-point diagram did not fit. It now takes what is left, down to 190 points."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, Spacer

    from kkdesk.reports import bodydiagram, fonts

    fonts.register()
    markers = [bodydiagram.Marker("1", "front", 0.5, 0.5)]
    args = (markers, {"front": "Front", "back": "Back"}, ("Right", "Left"), 400.0)
    fit = bodydiagram.FittingDiagram(*args)
    assert fit.wrap(400, fit.UNBOUNDED)[1] == 190  # what KeepTogether measures
    assert fit.wrap(400, 600)[1] == 255 and fit.wrap(400, 220)[1] == 220
    assert fit.wrap(400, 150)[1] == 255  # too little room: full size on the next page

    heading = ParagraphStyle("heading", parent=getSampleStyleSheet()["Heading2"], keepWithNext=1)  # as ours
    frame_height = A4[1] - 2 * 72 - 12  # SimpleDocTemplate's margins and frame padding
    filler = Spacer(1, frame_height - 250)  # ~250 points left: a heading and a shrunk diagram fit

    def story(diagram):
        return [filler, Paragraph("Physical examination", heading), diagram, Paragraph("Findings table")]

    pages = _pages_of(story(bodydiagram.FittingDiagram(*args)))
    assert "Physical examination" in pages[0] and "Front" in pages[0]
    # the fixed-size drawing, with the same room, moves (and its heading with it) to page 2
    pages = _pages_of(story(bodydiagram.drawing(*args)))
    assert "Physical examination" not in pages[0] and "Front" in pages[1]
    # with too little room for even the smallest diagram, heading and diagram move together
    filler = Spacer(1, frame_height - 150)
    pages = _pages_of(story(bodydiagram.FittingDiagram(*args)))
    assert "Physical examination" not in pages[0] and "Physical examination" in pages[1] and "Front" in pages[1]


# --- statistics ------------------------------------------------------------------------

def test_statistics_report_r1_to_r6(kz_store):
    with kz_store.session() as session:
        data = render(session, "stats", None, "en", all_statuses=True, date_from="2023", date_to="2024")
    text = pdf_text(data)
    for code in ("R1.", "R2.", "R3.", "R4.", "R5.", "R6."):
        assert code in text
    assert "Counting rule: one threat case is one threat act" in text
    assert "Period: 2023 – 2024" in text and "Records counted: all record statuses" in text
    assert "Human rights defenders" in text  # the eight groups are listed even without cases
    assert "Other / not classified" not in text.split("R3.")[0]
    assert "Share of women" in text and "75 %" in text  # 3 of the 4 acts against persons of known gender in 2024
    # the total row: 6 acts against 3 distinct persons (Aigerim 3, Yerlan 1, Bolat 1) and 1 organisation;
    # women: 3 of the 5 acts against persons of known gender
    assert "Total 6 3 1 60 % 0" in text
    assert "An act counts once for each distinct perpetrator type" in text


@pytest.mark.parametrize("lang, expected", [
    ("kk", ["Қауіптер статистикасы", "Есептеу ережесі", "Қауіп жағдайлары жылдар бойынша"]),
    ("ru", ["Статистика угроз", "Правило подсчёта", "Случаи угроз по годам", "город Алматы"]),
])
def test_statistics_report_languages(kz_store, lang, expected):
    with kz_store.session() as session:
        text = pdf_text(render(session, "stats", None, lang, all_statuses=True))
    for phrase in expected:
        assert phrase in text


def test_statistics_custom_table_and_verified_only(kz_store):
    with kz_store.session() as session:
        custom = pdf_text(render(session, "stats", None, "en", by="year,gender", all_statuses=True))
        verified = pdf_text(render(session, "stats", None, "en", by=["year"]))
    assert "Threat cases by Year, Gender at the time" in custom
    assert "Female" in custom and "Male" in custom and "R1." not in custom
    # verified only: the example's verified incident (3 acts, 2024) and the Kazakh summons (1 act, 2023)
    assert "Records counted: verified only" in verified
    assert "Total threat cases: 4" in verified


def test_statistics_bad_options_are_input_errors(kz_store):
    from kkdesk.errors import InputError

    with kz_store.session() as session, pytest.raises(InputError):
        render(session, "stats", None, "en", by="year,colour")
    with kz_store.session() as session, pytest.raises(InputError):
        render(session, "stats", None, "en", date_from="2024-13-99x")


# --- errors, fonts, reproducibility --------------------------------------------------------

def test_wrong_kind_unknown_record_and_language(example_store):
    from kkdesk.errors import InputError, NotFoundError

    with example_store.session() as session:
        with pytest.raises(InputError) as wrong:
            render(session, "case", ex("persons", "ex-person-aigerim"), "ru")
        with pytest.raises(NotFoundError):
            render(session, "person", "PE-1999-XXX-0001", "ru")
        with pytest.raises(InputError):
            render(session, "person", ex("persons", "ex-person-aigerim"), "de")
    from kkdesk.i18n import gettext_for

    assert wrong.value.user_message(gettext_for("ru")).startswith("Запись")


def _fonts(data: bytes) -> list[dict]:
    reader = PdfReader(io.BytesIO(data))
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            found[font["/BaseFont"]] = font
    return list(found.values())


BASE14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")


@pytest.mark.parametrize("doc, ident", [("person", ("persons", "ex-person-yerlan")),
                                        ("hearing", ("hearings", "ex-hearing-1")),
                                        ("medical", ("medical", "ex-medical-1")), ("stats", None)])
def test_every_font_is_embedded_dejavu(example_store, doc, ident):
    data = render_doc(example_store, doc, ex(*ident) if ident else None, "kk")
    fonts = _fonts(data)
    assert fonts
    for font in fonts:
        name = str(font["/BaseFont"])
        assert not any(base in name for base in BASE14), name
        assert "DejaVuSans" in name
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, name


def test_same_clock_same_bytes(example_store):
    from kkdesk.clock import set_clock

    set_clock(lambda: dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=5))))
    try:
        first = render_doc(example_store, "case", ex("cases", "ex-case-toktarov"), "kk")
        second = render_doc(example_store, "case", ex("cases", "ex-case-toktarov"), "kk")
    finally:
        set_clock(None)
    assert first == second
    assert "2025 ж. 1 наурыз" in pdf_text(first)
