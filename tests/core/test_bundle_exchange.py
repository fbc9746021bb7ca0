"""Bundles between profiles: round trip, idempotence, order independence, the scopes
(incremental with self-repair, since-last, all), filters, attachments, passphrase
bundles, no plaintext, interop with the `age` tool, progress and cancel."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest
from sqlalchemy import select, text

from kkdesk import attachments
from kkdesk.db.models import Blob, Record
from kkdesk.db.sync_models import Contact
from kkdesk.errors import Cancelled, InputError
from kkdesk.interchange import author_of, import_file
from kkdesk.normalize import map_id
from kkdesk.records import content_of, delete_record, find
from kkdesk.sync import age_io, contacts
from kkdesk.sync.errors import (BundleNeedsPassphraseError, BundlePassphraseError, BundleTooLargeError,
                                UnknownSignerError)
from kkdesk.sync.export import ExportRequest, export_bundle
from kkdesk.sync.importer import import_bundle, inspect_bundle
from tests.conftest import EXAMPLE
from tests.core.test_sync_support import (decrypt, edit_person, export, import_, person, state_digest,
                                          trio, trio_template)  # noqa: F401 (fixtures)

NS = "kkdesk-example"


def synced_state(store) -> dict:
    """What must be equal on two machines that hold the same history (local row
    numbers, timestamps of receipt and the search index's rowids aside)."""
    with store.engine.connect() as conn:
        def rows(sql: str) -> list:
            return sorted(tuple(r) for r in conn.execute(text(sql)))
        return {
            "revision": rows("SELECT rev_id, record_id, kind, parents, deleted, content_sha256, content, author, "
                             "author_seq, created_at, schema_version FROM revision"),
            "head": rows("SELECT record_id, rev_id FROM head"),
            "record": rows("SELECT id, kind, record_no, created_by, created_at, updated_at, updated_by, head, conflict, "
                           "deleted, sealed, incomplete, warnings, title, sort_date, confidentiality FROM record"),
            "seal": rows("SELECT * FROM seal"),
            "alias": rows("SELECT * FROM sync_revision_alias"),
            "blob": rows("SELECT sha256, size, chunks FROM blob"),
        }


def count(store, sql: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def test_round_trip_and_reimport_changes_nothing(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    ids = [person(a, f"Person {i}") for i in range(3)]
    bundle = export(a, "b", tmp_path / "ab.kkb")
    report = import_(b, bundle)
    assert (report.status, report.new, report.updated, report.unchanged, report.conflicts) == ("imported", 3, 0, 0, 0)
    assert report.sender_name == "Aigerim" and report.sender_fingerprint == a.identity.fingerprint
    with a.session() as sa, b.session() as sb:
        for rid in ids:
            assert find(sb, rid).head == find(sa, rid).head
            assert content_of(sb, find(sb, rid).head) == content_of(sa, find(sa, rid).head)
    assert synced_state(a)["revision"] == synced_state(b)["revision"]
    before = state_digest(b)
    again = import_(b, bundle)
    assert again.status == "already-imported" and again.new == again.updated == 0
    assert state_digest(b) == before
    info = inspect_bundle(b, bundle)
    assert (info.format_version, info.sender, info.records, info.attachments) == (1, a.identity.fingerprint, 3, 0)
    assert info.contact == "Aigerim" and info.verified and info.already_imported


def test_same_revisions_in_a_new_bundle_are_unchanged(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    person(a, "Once")
    import_(b, export(a, "b", tmp_path / "1.kkb"))
    before = synced_state(b)
    report = import_(b, export(a, "b", tmp_path / "2.kkb", mode="all"))
    assert (report.status, report.new, report.updated, report.unchanged, report.revisions_new) == ("imported", 0, 0, 1, 0)
    assert synced_state(b) == before


def test_import_order_does_not_matter(trio, tmp_path, trio_template):
    from tests.core.test_sync_support import open_copies

    a, b, c = trio["a"], trio["b"], trio["c"]
    shared = person(a, "Shared")
    import_(b, export(a, "b", tmp_path / "seed.kkb"))
    edit_person(a, shared, "Edited by A")
    edit_person(b, shared, "Edited by B")
    person(b, "Only B")
    x = export(a, "c", tmp_path / "x.kkb")
    y = export(b, "c", tmp_path / "y.kkb")
    other = open_copies(trio_template, tmp_path / "other", which="c")["c"]
    try:
        import_(c, x)
        import_(c, y)
        import_(other, y)
        import_(other, x)
        assert synced_state(c) == synced_state(other)
        with c.session() as s:
            assert find(s, shared).conflict
    finally:
        other.close()


def test_lost_bundle_is_repaired_by_the_next(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    first = person(a, "First")
    export(a, "b", tmp_path / "lost.kkb")  # never arrives
    second = person(a, "Second")
    import_(a, export(b, "a", tmp_path / "ack.kkb"))  # nothing new from B, but it acknowledges what B holds
    report = import_(b, export(a, "b", tmp_path / "next.kkb"))
    assert report.new == 2
    with b.session() as s:
        assert find(s, first) and find(s, second)
    import_(a, export(b, "a", tmp_path / "ack2.kkb"))
    result = export_bundle(a, ExportRequest(out=tmp_path / "empty.kkb", to=["Bolat"]))
    assert result.revisions == 0  # B acknowledged everything


def test_bundle_with_nothing_new_still_acknowledges(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    person(a, "Acked")
    import_(b, export(a, "b", tmp_path / "1.kkb"))
    empty = export_bundle(b, ExportRequest(out=tmp_path / "ack.kkb", to=["Aigerim"]))
    assert empty.revisions == 0
    report = import_(a, tmp_path / "ack.kkb")
    assert report.status == "imported" and report.revisions_new == 0
    with a.session() as s:
        assert contacts.find(s, "Bolat").ack_bundle_seq == 1
    assert export_bundle(a, ExportRequest(out=tmp_path / "2.kkb", to=["Bolat"])).revisions == 0


def test_since_last_sends_only_what_was_never_sent(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    person(a, "First")
    r1 = export_bundle(a, ExportRequest(out=tmp_path / "1.kkb", to=["Bolat"], mode="since-last"))
    second = person(a, "Second")
    r2 = export_bundle(a, ExportRequest(out=tmp_path / "2.kkb", to=["Bolat"], mode="since-last"))
    r3 = export_bundle(a, ExportRequest(out=tmp_path / "3.kkb", to=["Bolat"], mode="incremental"))
    r4 = export_bundle(a, ExportRequest(out=tmp_path / "4.kkb", to=["Bolat"], mode="all"))
    assert (r1.revisions, r2.revisions, r3.revisions, r4.revisions) == (1, 1, 2, 2)
    report = import_(b, tmp_path / "2.kkb")  # the first one was lost: one-way channels lose it for good
    assert report.new == 1
    with b.session() as s:
        assert find(s, second)


def test_older_bundle_replayed_after_newer_changes_nothing(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    rid = person(a, "Version 1")
    old = export(a, "b", tmp_path / "old.kkb")
    edit_person(a, rid, "Version 2")
    new = export(a, "b", tmp_path / "new.kkb")
    import_(b, new)
    before = synced_state(b)
    with b.session() as s:
        seq_before = contacts.find(s, "Aigerim").ack_bundle_seq
    report = import_(b, old)
    assert report.status == "imported" and report.older and report.revisions_new == 0
    assert (report.new, report.updated, report.unchanged) == (0, 0, 1)
    assert synced_state(b) == before
    with b.session() as s:
        assert contacts.find(s, "Aigerim").ack_bundle_seq == seq_before
        assert content_of(s, find(s, rid).head)["name_latin"] == "Version 2"


def test_tombstones_travel(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    rid = person(a, "To delete")
    import_(b, export(a, "b", tmp_path / "1.kkb"))
    with a.session() as s:
        delete_record(s, author_of(a), rid)
    report = import_(b, export(a, "b", tmp_path / "2.kkb"))
    assert report.updated == 1
    with b.session() as s:
        assert find(s, rid).deleted and not find(s, rid).conflict


def _example_into(store):
    import_file(store, EXAMPLE)


def test_case_filter_takes_the_case_and_what_links_to_it(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    _example_into(a)
    case = map_id(NS, "cases", "ex-case-aigerim-admin")
    export(a, "b", tmp_path / "case.kkb", case=case)
    import_(b, tmp_path / "case.kkb")
    with b.session() as s:
        held = set(s.execute(select(Record.id)).scalars())
    assert case in held
    assert map_id(NS, "persons", "ex-person-aigerim") in held
    assert map_id(NS, "threats", "ex-threat-2024-01") in held
    for other in (map_id(NS, "cases", "ex-case-toktarov"), map_id(NS, "persons", "ex-person-yerlan"),
                  map_id(NS, "hearings", "ex-hearing-1"), map_id(NS, "medical", "ex-medical-1")):
        assert other not in held
    with pytest.raises(Exception) as err:
        export(a, "b", tmp_path / "none.kkb", case="CS-0000-XXX-9999")
    assert "CS-0000-XXX-9999" in str(err.value)


def test_max_confidentiality_keeps_sensitive_records_off_the_laptop(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    public = person(a, "Public person", confidentiality="public")
    internal = person(a, "Internal person")
    restricted = person(a, "Restricted person", confidentiality="restricted")
    evidence = tmp_path / "photo.bin"
    evidence.write_bytes(b"restricted-photo-bytes" * 100)
    with a.session() as s:
        att = attachments.add_file(s, author_of(a), evidence, restricted, kind="document", confidentiality="internal")
        own = attachments.add_file(s, author_of(a), evidence, internal, kind="document", confidentiality="internal")
    _example_into(a)  # the medical record (restricted) refers to a restricted person
    export(a, "b", tmp_path / "field.kkb", max_confidentiality="internal")
    report = import_(b, tmp_path / "field.kkb")
    with b.session() as s:
        held = set(s.execute(select(Record.id)).scalars())
        assert {public, internal, own.id} <= held
        assert restricted not in held and att.id not in held
        assert map_id(NS, "medical", "ex-medical-1") not in held
        assert map_id(NS, "persons", "ex-person-yerlan") not in held  # restricted in the example
        # a case that names the restricted person arrives and keeps the reference it cannot resolve
        case = find(s, map_id(NS, "cases", "ex-case-toktarov"))
        parties = content_of(s, case.head)["parties"]
        assert map_id(NS, "persons", "ex-person-yerlan") in {p.get("person") for p in parties}
    assert report.new == len(held)


def test_attachments_travel_once(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    rid = person(a, "With photo")
    payload = os.urandom(3 * 1024 * 1024 + 17)
    src = tmp_path / "photo.jpg"
    src.write_bytes(payload)
    with a.session() as s:
        att = attachments.add_file(s, author_of(a), src, rid, kind="photo", consent_recorded="yes")
    report = import_(b, export(a, "b", tmp_path / "1.kkb"))
    assert report.attachments_new == 1 and report.new == 2
    with b.session() as s:
        sha = content_of(s, find(s, att.id).head)["sha256"]
        assert b"".join(attachments.iter_chunks(s, sha)) == payload
    again = import_(b, export(a, "b", tmp_path / "2.kkb", mode="all"))
    assert again.attachments_new == 0 and again.revisions_new == 0


def test_passphrase_bundle(trio, tmp_path, monkeypatch):
    a, b = trio["a"], trio["b"]
    person(a, "By passphrase")
    secret = "a long shared passphrase"
    with pytest.raises(InputError):
        export_bundle(a, ExportRequest(out=tmp_path / "x.kkb", to=["Bolat"], passphrase=secret))
    result = export_bundle(a, ExportRequest(out=tmp_path / "p.kkb", passphrase=secret))
    assert result.revisions == 1 and result.recipients == []
    assert b"-> scrypt " in (tmp_path / "p.kkb").read_bytes()[:200]
    before = state_digest(b)
    with pytest.raises(BundleNeedsPassphraseError):
        import_bundle(b, tmp_path / "p.kkb")
    with pytest.raises(BundlePassphraseError) as wrong:
        import_bundle(b, tmp_path / "p.kkb", passphrase="not the passphrase")
    assert "Wrong passphrase" in wrong.value.user_message()
    assert state_digest(b) == before
    report = import_bundle(b, tmp_path / "p.kkb", passphrase=secret)
    assert report.new == 1 and report.sender_name == "Aigerim"
    monkeypatch.setattr(age_io, "PASSPHRASE_CAP", 4096)
    with pytest.raises(BundleTooLargeError) as big:
        export_bundle(a, ExportRequest(out=tmp_path / "big.kkb", passphrase=secret))
    assert "MiB" in big.value.user_message() and not (tmp_path / "big.kkb").exists()


def test_bundle_file_holds_no_plaintext(trio, tmp_path):
    a = trio["a"]
    _example_into(a)
    marker = b"EVIDENCE-BYTES-5f2c" * 500
    (tmp_path / "doc.bin").write_bytes(marker)
    with a.session() as s:
        attachments.add_file(s, author_of(a), tmp_path / "doc.bin", map_id(NS, "persons", "ex-person-aigerim"))
    (tmp_path / "doc.bin").unlink()
    out_dir = tmp_path / "stick"
    out_dir.mkdir()
    start = time.time()
    export(a, "bc", out_dir / "bundle.kkb")
    data = (out_dir / "bundle.kkb").read_bytes()
    for needle in ("Айгерім Сейітқали", "Aigerim Seitkali", "Тәуелсіз журналист", "tramline", "Ерлан", "records.jsonl",
                   "manifest.json", a.identity.fingerprint, "Aigerim"):
        assert needle.encode("utf-8") not in data, needle
    assert b"EVIDENCE-BYTES" not in data
    assert os.listdir(out_dir) == ["bundle.kkb"]  # no temp file left beside it
    assert _recent_files_holding(Path(tempfile.gettempdir()), start - 1, b"EVIDENCE-BYTES") == []


def _recent_files_holding(folder: Path, since: float, needle: bytes) -> list[str]:
    """Files under `folder` changed since `since` that contain `needle`. Other programs
    create and delete files in the temp folder meanwhile: those races are not findings."""
    found = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            try:
                if os.stat(path).st_mtime >= since:
                    with open(path, "rb") as fh:
                        if needle in fh.read(1 << 20):
                            found.append(path)
            except OSError:
                continue
    return found


def test_age_tool_opens_a_bundle_with_the_exported_key(trio, tmp_path):
    from kkdesk.sync.identity import export_age_key

    a, b = trio["a"], trio["b"]
    rid = person(a, "Readable with age")
    (tmp_path / "f.bin").write_bytes(b"attachment")
    with a.session() as s:
        attachments.add_file(s, author_of(a), tmp_path / "f.bin", rid)
    bundle = export(a, "b", tmp_path / "b.kkb")
    key = export_age_key(b, tmp_path / "b.key")
    assert os.name != "posix" or oct(key.stat().st_mode & 0o777) == "0o600"  # Windows: no modes
    plain = subprocess.run(["age", "-d", "-i", str(key), str(bundle)], capture_output=True, check=True).stdout
    listing = subprocess.run(["tar", "-t"], input=plain, capture_output=True, check=True).stdout.decode().split()
    assert listing[:3] == ["manifest.json", "signature", "records.jsonl"]
    assert len(listing) == 4 and listing[3].startswith("attachments/")
    entries = decrypt(bundle, b)
    manifest = json.loads(entries["manifest.json"])
    assert manifest["format"] == "kkdesk-bundle" and manifest["sender"]["fingerprint"] == a.identity.fingerprint
    assert [r["age_recipient"] for r in manifest["encryption"]["recipients"]] == [b.identity.age_recipient]


def test_progress_and_cancel(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    rid = person(a, "Big one")
    (tmp_path / "big.bin").write_bytes(os.urandom(4 * 1024 * 1024))
    with a.session() as s:
        attachments.add_file(s, author_of(a), tmp_path / "big.bin", rid)
    stick = tmp_path / "stick"
    stick.mkdir()
    seen: list[tuple[int, int]] = []
    export_bundle(a, ExportRequest(out=stick / "ok.kkb", to=["Bolat"]), lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1] and all(d <= t for d, t in seen)
    with pytest.raises(Cancelled):
        export_bundle(a, ExportRequest(out=stick / "no.kkb", to=["Bolat"]), lambda d, t: d < t // 2)
    assert os.listdir(stick) == ["ok.kkb"]  # neither the bundle nor its temp file
    before = state_digest(b)
    with pytest.raises(Cancelled):
        import_bundle(b, stick / "ok.kkb", progress=lambda d, t: d < t // 2)
    assert state_digest(b) == before
    assert import_bundle(b, stick / "ok.kkb").attachments_new == 1


def test_unknown_signer_is_refused_unless_trusted(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    person(a, "From a stranger")
    bundle = export(a, "b", tmp_path / "a.kkb")
    with b.session() as s:
        contacts.remove(s, "Aigerim")
    before = state_digest(b)
    with pytest.raises(UnknownSignerError) as err:
        import_bundle(b, bundle)
    assert a.identity.fingerprint in err.value.user_message()
    assert err.value.sender["name"] == "Aigerim"
    assert state_digest(b) == before
    report = import_bundle(b, bundle, trust=True)
    assert report.contact_added and report.new == 1
    with b.session() as s:
        added = contacts.find(s, "Aigerim")
        assert added.fingerprint == a.identity.fingerprint and not added.verified


def test_export_streams_with_bounded_memory(trio, tmp_path):
    """Python-side allocations stay small while a 40 MiB attachment goes out and in."""
    a, b = trio["a"], trio["b"]
    rid = person(a, "Large evidence")
    src = tmp_path / "video.bin"
    with open(src, "wb") as fh:
        for _ in range(40):
            fh.write(os.urandom(1 << 20))
    with a.session() as s:
        attachments.add_file(s, author_of(a), src, rid, kind="video", consent_recorded="yes")
    tracemalloc.start()
    try:
        export(a, "b", tmp_path / "v.kkb")
        _, peak_export = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        import_(b, tmp_path / "v.kkb")
        _, peak_import = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak_export < 12 * 1024 * 1024, peak_export
    assert peak_import < 12 * 1024 * 1024, peak_import
    with b.session() as s:
        assert s.execute(select(Blob.size)).scalars().all() == [40 << 20]


def test_export_to_two_contacts_updates_both(trio, tmp_path):
    a, b, c = trio["a"], trio["b"], trio["c"]
    person(a, "For both")
    bundle = export(a, "bc", tmp_path / "both.kkb")
    assert import_(b, bundle).new == 1
    assert import_(c, bundle).new == 1
    with a.session() as s:
        sent = [row.sent_vector for row in s.execute(select(Contact)).scalars()]
    assert all(sent)
