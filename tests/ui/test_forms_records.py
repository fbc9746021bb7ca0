"""Creating, editing, deleting and sealing records through their editor windows, the
way a user fills them in; everything is read back through the core."""

from __future__ import annotations

from kkdesk.ui.editors.recordeditor import RecordEditor, open_editor
from tests.ui.conftest import answer_dialog
from tests.ui.test_forms_support import quiet_editors  # noqa: F401 - autouse fixture
from tests.ui.test_forms_support import add_row, check, choose, make, ok, person, pick_record, record, type_text


def new_editor(qtbot, ctx, kind, record_id=None) -> RecordEditor:
    editor = RecordEditor(ctx, kind, record_id)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def saved(editor) -> dict:
    assert editor.save(), editor.status_label.text()
    view = record(editor.ctx, editor.record_id)
    assert view.kind == editor.kind
    return view.content


def test_create_person(ctx, qtbot):
    editor = new_editor(qtbot, ctx, "person")
    form = editor.form
    type_text(qtbot, form, "name_kk", "Айгерім Сейітқали")
    type_text(qtbot, form, "name_latin", "Aigerim Seitkali")
    type_text(qtbot, form, "name_variants", "Aigerim Seitqali\nАйгерим Сеиткали")
    choose(form, "gender", "female")
    type_text(qtbot, form, "birth_date", "1991-04")
    type_text(qtbot, form, "citizenship", "kz")
    choose(form, "primary_target_group", "journalist")
    check(form, "other_target_groups", "civic_activist")
    choose(form, "political_prisoner_recognised", True)
    content = saved(editor)
    assert content["name_kk"] == "Айгерім Сейітқали" and content["name_variants"] == ["Aigerim Seitqali", "Айгерим Сеиткали"]
    assert content["birth_date"] == "1991-04" and content["birth_date_precision"] == "month"
    assert content["citizenship"] == ["KZ"] and content["other_target_groups"] == ["civic_activist"]
    assert content["political_prisoner_recognised"] is True and "deceased" not in content
    assert content["entry_language"] == "en" and content["confidentiality"] == "internal"
    assert editor.view.record_no.startswith("PE-") and editor.view.record_no in editor.title_label.text()


def test_create_organisation_with_affiliation_and_court(ctx, qtbot):
    dana = person(ctx, "Dana Bekova")
    editor = new_editor(qtbot, ctx, "organisation")
    form = editor.form
    type_text(qtbot, form, "name_en", "Adilet Kozi")
    choose(form, "organisation_type", "public_association")
    choose(form, "in_foreign_funding_register", True)
    dialog = add_row(form, "affiliations")
    pick_record(qtbot, dialog.form, "person", "Dana", dana)
    type_text(qtbot, dialog.form, "role", "Lawyer")
    type_text(qtbot, dialog.form, "start_date", "2019")
    ok(dialog)
    content = saved(editor)
    assert content["organisation_type"] == "public_association" and content["legal_status"] == "unknown"
    [aff] = content["affiliations"]
    assert aff["person"] == dana and aff["role"] == "Lawyer" and aff["start_date"] == "2019" and aff["id"]

    court = new_editor(qtbot, ctx, "court")
    type_text(qtbot, court.form, "name_kk", "Ақтөбе қалалық соты")
    type_text(qtbot, court.form, "name_ru", "Актюбинский городской суд")
    choose(court.form, "court_type", "district_city")
    choose(court.form, "region", "aktobe")
    content = saved(court)
    assert content["name_kk"] == "Ақтөбе қалалық соты" and content["region"] == "aktobe"


def test_create_case_with_party_charge_and_sentence(ctx, qtbot):
    yerlan = person(ctx, "Yerlan Toktarov")
    editor = new_editor(qtbot, ctx, "case")
    form = editor.form
    type_text(qtbot, form, "title", "Toktarov, art. 274")
    choose(form, "procedure_type", "criminal")
    type_text(qtbot, form, "official_numbers", "ERDR 1")
    choose(form, "status", "at_trial")
    type_text(qtbot, form, "opened_date", "2024-03")
    choose(form, "region", "aktobe")
    type_text(qtbot, form, "summary", "Detained after publishing a video.")
    party = add_row(form, "parties")
    pick_record(qtbot, party.form, "person", "Toktarov", yerlan)
    choose(party.form, "role", "defendant")
    charge = add_row(party.form, "charges")
    choose(charge.form, "legal_article", "CC-274")
    type_text(qtbot, charge.form, "article_part", "2")
    choose(charge.form, "charge_status", "sent_to_court")
    ok(charge)
    sentence = add_row(party.form, "sentences")
    choose(sentence.form, "instance", "first_instance")
    type_text(qtbot, sentence.form, "decision_date", "2024-09-10")
    choose(sentence.form, "sentence_type", "restricted_freedom")
    type_text(qtbot, sentence.form, "term_years", "2")
    type_text(qtbot, sentence.form, "amount_mci", "150.5")
    ok(sentence)
    assert party.form.fields["charges"].model.rowCount() == 1
    ok(party)
    content = saved(editor)
    [p] = content["parties"]
    assert p["person"] == yerlan and p["role"] == "defendant"
    assert p["charges"][0]["legal_article"] == "CC-274" and p["charges"][0]["article_part"] == "2"
    s = p["sentences"][0]
    assert s["sentence_type"] == "restricted_freedom" and s["term_years"] == 2 and s["amount_mci"] == "150.5"
    # child rows keep their ids when the record is edited again
    ids = (p["id"], p["charges"][0]["id"], s["id"])
    type_text(qtbot, editor.form, "summary", "Detained after publishing a video about a tailings leak.")
    content = saved(editor)
    p = content["parties"][0]
    assert (p["id"], p["charges"][0]["id"], p["sentences"][0]["id"]) == ids


def test_create_threat_with_two_acts_and_perpetrators(ctx, qtbot):
    aigerim = person(ctx, "Aigerim Seitkali")
    editor = new_editor(qtbot, ctx, "threat")
    form = editor.form
    type_text(qtbot, form, "title", "Detention outside the court")
    type_text(qtbot, form, "description", "Police detained the journalist and took her camera.")
    type_text(qtbot, form, "start_date", "2024-04-15")
    choose(form, "region", "almaty_city")
    for threat_type, perpetrators in (("detention_short", [("police", "direct")]),
                                      ("media_obstruction", [("police", "direct"), ("unidentified_persons", "suspected")])):
        act = add_row(form, "acts")
        pick_record(qtbot, act.form, "victim_person", "Aigerim", aigerim)
        choose(act.form, "threat_type", threat_type)
        assert act.form.fields["gender_at_time"].value() == "female"  # from the victim, shown to the user
        for ptype, degree in perpetrators:
            perp = add_row(act.form, "perpetrators")
            choose(perp.form, "perpetrator_type", ptype)
            choose(perp.form, "involvement_degree", degree)
            ok(perp)
        ok(act)
    assert form.fields["acts"].model.rowCount() == 2
    content = saved(editor)
    acts = content["acts"]
    assert [a["threat_type"] for a in acts] == ["detention_short", "media_obstruction"]
    assert all(a["victim_person"] == aigerim and a["target_group_at_time"] == "journalist" for a in acts)
    assert acts[0]["act_date"] == "2024-04-15"  # the core takes the incident's date
    assert [p["perpetrator_type"] for p in acts[1]["perpetrators"]] == ["police", "unidentified_persons"]
    assert acts[1]["perpetrators"][1]["involvement_degree"] == "suspected"


def test_create_source_with_a_link(ctx, qtbot):
    case = make(ctx, "case", {"title": "Toktarov case", "procedure_type": "criminal", "status": "at_trial",
                              "opened_date": "2024", "region": "aktobe", "summary": "x"})
    editor = new_editor(qtbot, ctx, "source")
    form = editor.form
    choose(form, "source_type", "ngo_report")
    type_text(qtbot, form, "title", "Annual monitoring report 2024")
    type_text(qtbot, form, "publication_date", "2025-01")
    choose(form, "reliability", "highly_reliable")
    link = add_row(form, "links")
    pick_record(qtbot, link.form, "target", "Toktarov", case)  # a link may point at any kind
    type_text(qtbot, link.form, "locator", "p. 12")
    ok(link)
    content = saved(editor)
    assert content["links"][0]["target"] == case and content["links"][0]["target_entity"] == "case"
    assert content["links"][0]["locator"] == "p. 12" and content["publication_date"] == "2025-01"


def test_edit_makes_a_new_revision(ctx, qtbot):
    from kkdesk.records import history

    rid = person(ctx, "Aigerim Seitkali")
    editor = open_editor(None, ctx, "person", rid)
    qtbot.addWidget(editor)
    assert not editor.is_dirty()
    first_rev = editor.view.head
    type_text(qtbot, editor.form, "occupation", "Journalist")
    assert editor.is_dirty() and editor.isWindowModified()
    saved(editor)
    with ctx.store.session() as s:
        revs = history(s, rid)
    assert len(revs) == 2 and revs[0].rev_id == first_rev and editor.view.head == revs[1].rev_id
    assert editor.view.head[:8] in editor.info_label.text()
    assert not editor.is_dirty()
    assert open_editor(None, ctx, "person", rid) is editor  # one window per record


def test_missing_required_field_is_shown_inline_and_nothing_is_saved(ctx, qtbot):
    from kkdesk import listing

    editor = new_editor(qtbot, ctx, "threat")
    type_text(qtbot, editor.form, "description", "Something happened.")
    assert not editor.save()
    title = editor.form.fields["title"]
    assert title.problem_label.isVisibleTo(editor) and "required" in title.problem_label.text()
    assert title.problem() == (title.problem_label.text()[2:], "error")
    acts = editor.form.fields["acts"]
    assert acts.problem_label.isVisibleTo(editor)  # "at least one entry is required"
    assert "attention" in editor.status_label.text()
    with ctx.store.session() as s:
        assert listing.count(s, "threat") == 0
    assert editor.record_id is None


def test_warning_is_shown_but_the_record_is_saved(ctx, qtbot):
    editor = new_editor(qtbot, ctx, "person")
    type_text(qtbot, editor.form, "name_latin", "Dana Bekova")
    choose(editor.form, "primary_target_group", "lawyer")
    choose(editor.form, "consent_to_publish", "yes")  # the date of consent is then expected
    content = saved(editor)
    assert content["consent_to_publish"] == "yes"
    fw = editor.form.fields["consent_date"]
    assert fw.problem() is not None and fw.problem()[1] == "warning"
    assert editor.warnings_list.count() == 1 and editor.warnings_list.isVisibleTo(editor)
    rid = editor.record_id
    assert record(ctx, rid).incomplete
    # reopened later, the stored warning is still shown next to its field
    editor.close()  # nothing unsaved: closes without asking
    again = new_editor(qtbot, ctx, "person", rid)
    assert again.form.fields["consent_date"].problem() is not None


def test_delete_asks_and_deletes(ctx, qtbot):
    rid = person(ctx, "To be deleted")
    editor = new_editor(qtbot, ctx, "person", rid)
    answer_dialog(qtbot, accept=False)
    assert not editor.delete()
    assert not record(ctx, rid).deleted
    events = []
    editor.deleted.connect(lambda kind, i: events.append((kind, i)))
    answer_dialog(qtbot, accept=True)
    assert editor.delete()
    assert record(ctx, rid).deleted and events == [("person", rid)]


def test_seal_signs_the_saved_version(ctx, qtbot):
    from kkdesk.records import history, verify

    rid = person(ctx, "Sealed person")
    editor = new_editor(qtbot, ctx, "person", rid)
    assert editor.seal_button.isEnabled()
    answer_dialog(qtbot, accept=True)
    assert editor.seal()
    assert editor.view.sealed and not editor.seal_button.isEnabled()
    assert "sealed" in editor.info_label.text()
    with ctx.store.session() as s:
        revs = history(s, rid)
        assert revs[-1].sealed_by == [ctx.store.identity.fingerprint]
        assert verify(s) == []


def test_editor_follows_changes_made_elsewhere(ctx, qtbot):
    from kkdesk.interchange import save
    from kkdesk.records import seal

    rid = person(ctx, "Aigerim Seitkali")
    editor = new_editor(qtbot, ctx, "person", rid)
    content = dict(record(ctx, rid).content)
    with ctx.store.session() as s:  # e.g. a bundle from a colleague, merged by sync
        save(s, ctx.author(), "person", {**content, "occupation": "Editor"}, rid)
    ctx.notify_changed({"person"})
    assert editor.form.fields["occupation"].value() == "Editor" and not editor.is_dirty()
    identity = ctx.store.identity
    with ctx.store.session() as s:
        seal(s, identity, rid)
    ctx.notify_changed({"person"})
    assert editor.view.sealed and "sealed" in editor.info_label.text()
    type_text(qtbot, editor.form, "occupation", "Journalist")
    content = dict(record(ctx, rid).content)
    with ctx.store.session() as s:
        save(s, ctx.author(), "person", {**content, "remarks": "changed elsewhere"}, rid)
    ctx.notify_changed({"person"})
    assert editor.form.fields["occupation"].value() == "Journalist"  # the user's typing is kept
    assert "changed elsewhere while you edited it" in editor.status_label.text()
    # saving does not lay the form over the other change: both versions are kept, in conflict
    from kkdesk.sync.conflicts import get as conflict

    assert editor.save()
    assert "marked as in conflict" in editor.status_label.text()
    view = record(ctx, rid)
    assert view.conflict and len(view.heads) == 2
    with ctx.store.session() as s:
        versions = sorted((v.content.get("occupation"), v.content.get("remarks", "")) for v in conflict(s, rid).versions)
    assert versions == [("Editor", "changed elsewhere"), ("Journalist", "")]
    # typing on and saving again goes on from the user's version: the conflict stays to be settled;
    # with Save and close the message is said in a box that outlives the window
    from tests.ui.conftest import modal_boxes

    type_text(qtbot, editor.form, "occupation", "Journalist, blogger")
    assert editor.save_and_close() and record(ctx, rid).conflict
    boxes = [b for b in modal_boxes() if b.windowTitle() == "Record in conflict"]
    assert len(boxes) == 1 and "marked as in conflict" in boxes[0].text()
    boxes[0].close()
    again = new_editor(qtbot, ctx, "person", rid)  # opened on a record in conflict, it says what Save does
    assert again.status_label.text().startswith("This record has conflicting versions.")
