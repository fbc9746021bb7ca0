"""Bundle fuzzer: N mutants of a genuine bundle, each imported into the receiver.

    nice python tools/fuzz_bundles.py --mutants 10000 [--seed N] [--work DIR] [--keep] [--json]

The genuine bundle is Monitor A's second (incremental) bundle to Office B, who already
imported A's first one: new, edited, deleted and sealed records and a two-chunk
attachment. Mutants: bit flips, truncations, appended and zeroed blocks of the file;
the same inside the encryption (re-encrypted after the edit, not re-signed); tar
entries dropped, doubled, reordered or added; manifest fields changed and re-signed with
A's own key (type swaps, oversized and deeply nested values, older and newer format
versions, wrong counts, sizes and hashes); records lines changed, with and without
their hashes recomputed; signed by a stranger or by a stranger claiming to be A;
encrypted to someone else or to one recipient too many; replays of the first bundle.

Each mutant is imported into a copy of the receiver (the copy is made afresh after any
mutant that changed it). Counted: `mutants, accepted, tracebacks, changed_after_refusal`
and more: a refusal must be a kkdesk error with a one-line message that leaves the store
exactly as it was; an accepted mutant is sorted into `accepted_replay` (changes nothing:
a replay), `accepted_as_genuine` (holds exactly the genuine bundle's records: e.g.
re-encrypted unchanged, or an unknown manifest field added) and `accepted_signed_edit`
(an edit re-signed with the sender's own key, which a receiver cannot tell from the
sender's intent; `check` must still pass). Anything else is `accepted_unexplained`.
Mutants that end in a traceback are kept under WORK/findings. Real Argon2id keys.
Importable: `run(mutants=…, seed=…)` returns the figures."""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import random
import shutil
import sys
import tarfile
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools import campaign as C  # noqa: E402

CONTENT_TABLES = ("revision", "head", "record", "seal", "blob", "blob_chunk", "sync_revision_alias",
                  "sync_seal_origin")
# everything a refused import must leave as it was (the full rows)
STATE_TABLES = CONTENT_TABLES + ("sync_contact", "sync_bundle_log", "person", "search_index", "draft", "meta")


def digest(store, tables=STATE_TABLES) -> str:
    from sqlalchemy import text

    h = hashlib.sha256()
    with store.engine.connect() as conn:
        for table in tables:
            rows = sorted(repr(tuple(r)) for r in conn.execute(text(f"SELECT * FROM {table}")))
            h.update(table.encode() + b"\0" + "\n".join(rows).encode() + b"\0")
    return h.hexdigest()


def content_digest(store) -> str:
    """The records held, without when and from which bundle they arrived."""
    from sqlalchemy import text

    h = hashlib.sha256()
    with store.engine.connect() as conn:
        for sql in ("SELECT rev_id, record_id, kind, parents, deleted, content, author, author_seq, created_at "
                    "FROM revision", "SELECT * FROM head", "SELECT id, head, conflict, deleted, sealed FROM record",
                    "SELECT rev_id, signer_key, signature FROM seal", "SELECT sha256, size FROM blob",
                    "SELECT * FROM sync_revision_alias", "SELECT * FROM sync_seal_origin"):
            rows = sorted(repr(tuple(r)) for r in conn.execute(text(sql)))
            h.update(sql.encode() + b"\0" + "\n".join(rows).encode() + b"\0")
    return h.hexdigest()


# --- the bundle at the tar and age levels ------------------------------------------

def tar_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    from kkdesk.sync import tarstream as T

    parts, offset = [], 0
    for name, data in entries:
        pad = T.padding(len(data))
        parts += [T.header(name, len(data), 0), data, pad]
        offset += T.BLOCK + len(data) + len(pad)
    parts.append(T.end_of_archive(offset))
    return b"".join(parts)


def untar(plain: bytes) -> list[tuple[str, bytes]]:
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        return [(m.name, tar.extractfile(m).read()) for m in tar.getmembers()]  # type: ignore[union-attr]


def encrypt(plain: bytes, recipients: list[str]) -> bytes:
    import pyrage

    return pyrage.encrypt(plain, [pyrage.x25519.Recipient.from_str(r) for r in recipients])


def decrypt(data: bytes, age_secret: str) -> bytes:
    import pyrage

    return pyrage.decrypt(data, [pyrage.x25519.Identity.from_str(age_secret)])


class Forge:
    """Rebuilds a bundle from its parts: manifest (dict or raw bytes), records lines,
    attachments; re-hashes, re-signs and re-encrypts as told."""

    def __init__(self, plain: bytes, signer, recipients: list[str]) -> None:
        from kkdesk.sync import manifest as M

        self.M = M
        self.entries = untar(plain)
        self.manifest = json.loads(self.entries[0][1])
        self.records = dict(self.entries)[M.RECORDS_NAME]
        self.signer, self.recipients = signer, recipients

    def lines(self) -> list[bytes]:
        return self.records.rstrip(b"\n").split(b"\n")

    def build(self, manifest: dict | bytes | None = None, records: bytes | None = None, *, rehash: bool = True,
              signer=None, recipients: list[str] | None = None, entries: list[tuple[str, bytes]] | None = None) -> bytes:
        M = self.M  # noqa: N806 - the manifest module, named as kkdesk/sync does
        records = self.records if records is None else records
        if isinstance(manifest, (bytes, bytearray)):
            mbytes = bytes(manifest)
        else:
            m = json.loads(json.dumps(self.manifest)) if manifest is None else manifest
            if rehash and isinstance(m, dict) and isinstance(m.get("entries"), list):
                for e in m["entries"]:
                    if isinstance(e, dict) and e.get("name") == M.RECORDS_NAME:
                        e["size"], e["sha256"] = len(records), hashlib.sha256(records).hexdigest()
            mbytes = M.dumps(m)
        signature = (signer or self.signer).sign(M.SIGNATURE_CONTEXT + mbytes)
        rest = [(n, d) for n, d in self.entries[2:] if n != M.RECORDS_NAME]
        body = entries if entries is not None else [(M.RECORDS_NAME, records)] + rest
        plain = tar_bytes([(M.MANIFEST_NAME, mbytes), (M.SIGNATURE_NAME, base64.b64encode(signature) + b"\n")] + body)
        return encrypt(plain, recipients or self.recipients)


def rehash_revision(obj: dict) -> dict:
    """Make a revision line's hashes match its (changed) fields, as a sender would."""
    from kkdesk.canonical import revision_id

    content = obj.get("content")
    if isinstance(content, str):
        obj["content_sha256"] = hashlib.sha256(content.encode("utf-8")).hexdigest()
    try:
        obj["rev"] = revision_id(obj["kind"], obj["id"], obj["parents"], obj["deleted"], obj["content_sha256"])
    except Exception:  # noqa: BLE001 - fields of the wrong type: leave the old id
        pass
    return obj


# --- values a fuzzer puts in ------------------------------------------------------

def nested(depth: int, leaf=1):
    """A JSON text nested `depth` deep (built as text: Python would not recurse that far)."""
    return "[" * depth + json.dumps(leaf) + "]" * depth


def odd_value(rng: random.Random):
    choices = [
        None, True, False, 0, -1, 1, 2, 2 ** 53, 2 ** 64, -(2 ** 63) - 1, 1.5, float("1e308"), "", "x" * rng.choice(
            (65, 300, 5000, 100_000)), "Қазақ\u0000тілі", "\ud7ff\ue000", [], {}, [None], {"": None}, ["x"] * 50,
        {"format": "kkdesk-bundle"}, "../../etc/passwd", "attachments/" + "0" * 64, "\u202e" * 10,
    ]
    return rng.choice(choices)


@dataclass
class Figures:
    mutants: int = 0
    accepted: int = 0
    tracebacks: int = 0
    changed_after_refusal: int = 0
    bad_messages: int = 0
    accepted_replay: int = 0
    accepted_as_genuine: int = 0
    accepted_signed_edit: int = 0
    accepted_unexplained: int = 0
    check_failures: int = 0
    by_category: dict = field(default_factory=dict)
    refusals: dict = field(default_factory=dict)
    findings: list = field(default_factory=list)
    seconds: float = 0.0

    def failures(self) -> int:
        return (self.tracebacks + self.changed_after_refusal + self.bad_messages + self.accepted_unexplained
                + self.check_failures)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


class Lab:
    """Sender A, receiver B (who holds A's first bundle), a stranger S, the genuine bundle."""

    def __init__(self, work: Path) -> None:
        from sqlalchemy import select

        from kkdesk import attachments
        from kkdesk.db.models import Record
        from kkdesk.interchange import author_of, import_file, save
        from kkdesk.records import content_of, delete_record, find, seal
        from kkdesk.store import create_profile, open_profile
        from kkdesk.sync import contacts
        from kkdesk.sync.export import ExportRequest, export_bundle
        from kkdesk.sync.importer import import_bundle

        self.work = work
        work.mkdir(parents=True, exist_ok=True)
        a = create_profile(work / "a", C.PASSPHRASE, name="Monitor A", ui_lang="en")
        b = create_profile(work / "b", C.PASSPHRASE, name="Office B", ui_lang="en")
        s = create_profile(work / "s", C.PASSPHRASE, name="Stranger", ui_lang="en")
        try:
            for x, y, name in ((a, b, "Office B"), (b, a, "Monitor A")):
                with x.session() as ss:
                    contacts.add(ss, x.identity, name, y.identity.age_recipient, y.identity.signing_key_text,
                                 verified=True)
            import_file(a, C.ROOT / "tests" / "data" / "interchange-example.json")
            first = work / "first.kkb"
            export_bundle(a, ExportRequest(out=first, to=["Office B"]))
            import_bundle(b, first)
            # the second bundle: a new person, an edit, a delete, a seal, an attachment of two age chunks
            with a.session() as ss:
                author = author_of(a)
                new = save(ss, author, "person", {"name_kk": "Жаңа Адам", "name_latin": "Zhana Adam",
                                                  "gender": "male", "primary_target_group": "lawyer",
                                                  "entry_language": "kk"})
                ids = sorted(r.id for r in ss.execute(select(Record).where(Record.kind == "person")).scalars()
                             if r.id != new.id)
                rec = find(ss, ids[0])
                fields = {k: v for k, v in content_of(ss, rec.head).items() if k != "record_no"}
                fields["remarks"] = "Өзгертілді / изменено"
                save(ss, author, "person", fields, record_id=ids[0])
                delete_record(ss, author, ids[1])
                seal(ss, a.identity, new.id)
            blob = work / "scan.bin"
            blob.write_bytes(random.Random(7).randbytes(90_000))
            with a.session() as ss:
                attachments.add_file(ss, author_of(a), blob, new.id)
            self.genuine = work / "genuine.kkb"
            export_bundle(a, ExportRequest(out=self.genuine, to=["Office B"]))
            self.first = first
            self.signer, self.stranger = a.identity, s.identity
            self.b_identity = b.identity
        finally:
            for st in (a, b, s):
                st.close()
        self.pristine = work / "b-pristine"
        shutil.copytree(work / "b", self.pristine)
        self.receiver_home = work / "b"
        self.receiver = open_profile(self.receiver_home, C.PASSPHRASE)
        self.baseline = digest(self.receiver)
        self.baseline_content = content_digest(self.receiver)
        gen_home = work / "b-genuine"
        shutil.copytree(self.pristine, gen_home)
        g = open_profile(gen_home, C.PASSPHRASE)
        try:
            import_bundle(g, self.genuine)
            self.genuine_content = content_digest(g)
        finally:
            g.close()
        shutil.rmtree(gen_home)
        plain = decrypt(self.genuine.read_bytes(), self.b_identity.age_secret)
        self.forge = Forge(plain, self.signer, [self.b_identity.age_recipient])
        self.first_plain = decrypt(self.first.read_bytes(), self.b_identity.age_secret)
        self.resets = 0

    def reset(self) -> None:
        """A fresh copy of the receiver, opened with the data key already unwrapped (the
        key derivation is measured elsewhere; here it would be most of the time)."""
        from kkdesk import store as store_mod

        key, profile = self.receiver._data_key, self.receiver.profile
        self.receiver.close()
        shutil.rmtree(self.receiver_home)
        shutil.copytree(self.pristine, self.receiver_home)
        home = self.receiver_home
        self.receiver = store_mod.Store(home, profile, store_mod._open_engine(
            home, key, store_mod.store_format(home, profile)), key)
        self.resets += 1

    def close(self) -> None:
        self.receiver.close()



# --- mutants ----------------------------------------------------------------------

def _flip(data: bytes, rng: random.Random, n: int) -> bytes:
    b = bytearray(data)
    for _ in range(n):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


def _zero(data: bytes, rng: random.Random) -> bytes:
    size = rng.choice((1, 16, 512, 4096, 65536))
    i = rng.randrange(len(data))
    return data[:i] + b"\0" * min(size, len(data) - i) + data[i + size:]


def mutate_file(lab: Lab, rng: random.Random) -> tuple[str, bytes]:
    data = lab.genuine.read_bytes()
    how = rng.choice(("bitflip", "bitflip", "truncate", "append", "zero", "splice"))
    if how == "bitflip":
        return "file-bitflip", _flip(data, rng, rng.choice((1, 1, 2, 8)))
    if how == "truncate":
        return "file-truncate", data[:rng.randrange(len(data))]
    if how == "append":
        extra = rng.choice((b"\0" * rng.choice((1, 512, 65536)), rng.randbytes(rng.choice((1, 17, 512, 70000))), data))
        return "file-append", data + extra
    if how == "zero":
        return "file-zero", _zero(data, rng)
    i, j = sorted(rng.randrange(len(data)) for _ in range(2))
    return "file-splice", data[:i] + data[j:] if rng.random() < 0.5 else data[:j] + data[i:j] + data[i:]


def mutate_plain(lab: Lab, rng: random.Random) -> tuple[str, bytes]:
    """Changed inside the encryption and re-encrypted to B, but not re-signed."""
    plain = decrypt(lab.genuine.read_bytes(), lab.b_identity.age_secret)
    how = rng.choice(("bitflip", "truncate", "zero", "append"))
    if how == "bitflip":
        plain = _flip(plain, rng, rng.choice((1, 3)))
    elif how == "truncate":
        plain = plain[:rng.randrange(len(plain))]
    elif how == "zero":
        plain = _zero(plain, rng)
    else:
        plain = plain + rng.choice((b"\0" * 512, rng.randbytes(700), tar_bytes([("extra", b"x")])))
    return f"reencrypted-{how}", encrypt(plain, lab.forge.recipients)


def mutate_tar(lab: Lab, rng: random.Random) -> tuple[str, bytes]:
    f = lab.forge
    entries = list(f.entries)
    how = rng.choice(("drop", "double", "swap", "extra", "rename"))
    i = rng.randrange(len(entries))
    if how == "drop":
        del entries[i]
    elif how == "double":
        entries.insert(i, entries[i])
    elif how == "swap":
        j = rng.randrange(len(entries))
        entries[i], entries[j] = entries[j], entries[i]
    elif how == "extra":
        entries.insert(rng.randrange(2, len(entries) + 1), (rng.choice(("extra", "attachments/" + "ab" * 32,
                                                                         "../evil", "records.jsonl")), b"x" * 10))
    else:
        name, data = entries[i]
        entries[i] = (rng.choice(("manifest.json", "signature", "records.jsonl", "attachments/x", "")) or "x", data)
    return f"tar-{how}", encrypt(tar_bytes(entries), f.recipients)


MANIFEST_PATHS = (("format",), ("format_version",), ("software",), ("bundle_id",), ("bundle_seq",), ("created_at",),
                  ("sender",), ("sender", "profile_id"), ("sender", "name"), ("sender", "age_recipient"),
                  ("sender", "signing_key"), ("sender", "fingerprint"), ("encryption",), ("encryption", "mode"),
                  ("encryption", "recipients"), ("scope",), ("vector",), ("vector", "revisions"), ("counts",),
                  ("counts", "revisions"), ("counts", "seals"), ("counts", "attachments"), ("entries",))


def _set(obj: dict, path: tuple, value, delete: bool = False) -> None:
    for key in path[:-1]:
        nxt = obj.get(key) if isinstance(obj, dict) else None
        if not isinstance(nxt, dict):
            return
        obj = nxt
    if delete:
        obj.pop(path[-1], None)
    else:
        obj[path[-1]] = value


def mutate_manifest(lab: Lab, rng: random.Random) -> tuple[str, bytes]:
    """A manifest changed and re-signed with the sender's own key (what a parser sees
    from a trusted contact's buggy or hostile kkdesk)."""
    f = lab.forge
    m = json.loads(json.dumps(f.manifest))
    how = rng.choice(("field", "field", "delete", "version", "entries", "counts", "vector", "nested", "oversized",
                      "unknown", "raw"))
    if how == "field":
        _set(m, rng.choice(MANIFEST_PATHS), odd_value(rng))
    elif how == "delete":
        _set(m, rng.choice(MANIFEST_PATHS), None, delete=True)
    elif how == "version":
        m["format_version"] = rng.choice((0, -1, 2, 99, 1.0, "1", True, None, 2 ** 70))
    elif how == "entries":
        es = m["entries"]
        e = rng.choice(es)
        key = rng.choice(("size", "sha256", "name"))
        e[key] = rng.choice((e.get(key), odd_value(rng), 0, 2 ** 40, "0" * 64, "attachments/" + "f" * 64))
        if rng.random() < 0.3:
            es.append(dict(rng.choice(es)))
        return f"manifest-{how}-{key}", f.build(m, rehash=False)
    elif how == "counts":
        c = m["counts"]
        k = rng.choice(list(c))
        c[k] = max(0, c[k] + rng.choice((-1, 1, 1000)))
    elif how == "vector":
        m["vector"] = rng.choice(({"revisions": {"x": [[5, 1]]}}, {"revisions": {m["sender"]["profile_id"]: [[1, 2 ** 62]]}},
                                  {"seals": []}, {"revisions": {"p": [[1, 2], [2, 3]]}}, [], {"revisions": {"p": [["a"]]}}))
    elif how == "nested":
        depth = rng.choice((50, 1000, 100_000))
        text = f.M.dumps(m).decode()
        key = rng.choice(('"scope"', '"vector"', '"software"'))
        start = text.index(key) + len(key) + 2
        end = text.index("\n", start)
        raw = (text[:start] + nested(depth) + ("," if text[end - 1] == "," else "") + text[end:]).encode()
        return f"manifest-nested-{depth}", f.build(raw)
    elif how == "oversized":
        size = rng.choice((500, 100_000, 3_000_000))
        _set(m, rng.choice((("sender", "name"), ("software",), ("bundle_id",), ("extra",))), "Ж" * size)
    elif how == "unknown":
        m[rng.choice(("x_future", "comment", "ext"))] = odd_value(rng)
    else:
        raw = f.M.dumps(m)
        cut = rng.randrange(len(raw))
        raw = rng.choice((raw[:cut], raw + b" junk", raw.replace(b'"', b"'", 1), b"\xff\xfe" + raw, raw * 2,
                          b"null", b"[]", b'{"format": "kkdesk-bundle", "format_version": 1}'))
        return "manifest-raw", f.build(raw)
    return f"manifest-{how}", f.build(m)


REVISION_KEYS = ("t", "rev", "kind", "id", "parents", "deleted", "content_sha256", "content", "author", "seq",
                 "created_at", "schema_version")
SEAL_KEYS = ("t", "rev", "signer_key", "signer_fingerprint", "signature", "sealed_at", "origin", "seq")
CONTENTS = ('{"name_kk":"Ж"}', "[]", "null", "1", '"x"', "{", "", '{"record_no":5}', '{"record_no":["x"]}',
            '{"name_latin":{"x":1}}', '{"gender":"alien","name_kk":"Ә"}', '{"a":' * 2000 + "1" + "}" * 2000,
            '{"name_kk":"' + "Ә" * 50_000 + '"}', '{"name_kk":1e999}', '{"name_kk":"Ә","name_kk":"Б"}',
            '{"sha256":"' + "0" * 64 + '","target_id":"x"}', '{"links":[{"to":"nowhere"}]}')


def mutate_records(lab: Lab, rng: random.Random) -> tuple[str, bytes]:
    """records.jsonl changed; hashes in the manifest recomputed and re-signed with the
    sender's key, the revision's own hashes recomputed or not."""
    f = lab.forge
    lines = f.lines()
    how = rng.choice(("field", "field", "content", "delete", "line", "dup", "drop", "nested", "long", "reorder"))
    i = rng.randrange(len(lines))
    obj = json.loads(lines[i])
    recompute = rng.random() < 0.6
    if how == "field":
        keys = REVISION_KEYS if obj.get("t") == "rev" else SEAL_KEYS
        obj[rng.choice(keys)] = odd_value(rng)
    elif how == "content" and obj.get("t") == "rev":
        obj["content"] = rng.choice(CONTENTS)
        obj["deleted"] = rng.random() < 0.1
    elif how == "delete":
        obj.pop(rng.choice(list(obj)), None)
    elif how == "dup":
        lines.insert(i, lines[i])
    elif how == "drop":
        del lines[i]
    elif how == "reorder":
        rng.shuffle(lines)
    if how in ("field", "content", "delete"):
        if recompute and obj.get("t") == "rev":
            rehash_revision(obj)
        lines[i] = json.dumps(obj, ensure_ascii=False).encode()
    elif how == "line":
        lines[i] = rng.choice((b"", b"{}", b"null", b"[1]", b'{"t":"rev"}', b"\xff", lines[i][:-3], lines[i] + b"x"))
    elif how == "nested":
        lines[i] = nested(rng.choice((100, 10_000, 200_000))).encode()
    elif how == "long":
        lines[i] = b'{"t":"rev","content":"' + b"A" * rng.choice((70_000, 1 << 20, 3 << 20)) + b'"}'
    records = b"\n".join(lines) + b"\n"
    m = json.loads(json.dumps(f.manifest))
    if rng.random() < 0.8:  # keep the counts true, so the parser goes on
        revs = sum(1 for ln in lines if b'"t":"rev"' in ln or b'"t": "rev"' in ln)
        m["counts"]["revisions"] = revs
        m["counts"]["seals"] = len(lines) - revs
    tag = f"records-{how}" + ("-rehashed" if recompute and how in ("field", "content", "delete") else "")
    return tag, f.build(m, records)


def mutate_identity(lab: Lab, rng: random.Random) -> tuple[str, bytes]:
    f = lab.forge
    how = rng.choice(("stranger-claims-a", "stranger-as-itself", "to-stranger", "to-b-and-stranger", "replay",
                      "replay-reencrypted", "genuine-reencrypted", "sender-key-swap"))
    st = lab.stranger
    if how == "stranger-claims-a":
        return how, f.build(signer=st)
    if how == "stranger-as-itself":
        m = json.loads(json.dumps(f.manifest))
        m["sender"].update(name="Stranger", age_recipient=st.age_recipient, signing_key=st.signing_key_text,
                           fingerprint=st.fingerprint, profile_id=rng.choice((m["sender"]["profile_id"],
                                                                             "00000000-0000-4000-8000-000000000000")))
        return how, f.build(m, signer=st)
    if how == "to-stranger":
        return how, f.build(recipients=[st.age_recipient])
    if how == "to-b-and-stranger":
        return how, f.build(recipients=f.recipients + [st.age_recipient])
    if how == "replay":
        return how, lab.first.read_bytes()
    if how == "replay-reencrypted":
        return how, encrypt(lab.first_plain, f.recipients)
    if how == "genuine-reencrypted":
        return how, encrypt(decrypt(lab.genuine.read_bytes(), lab.b_identity.age_secret), f.recipients)
    m = json.loads(json.dumps(f.manifest))  # names the stranger's signing key, signed by A
    m["sender"]["signing_key"] = st.signing_key_text
    return how, f.build(m)


FAMILIES = ((mutate_file, 30), (mutate_plain, 10), (mutate_tar, 8), (mutate_manifest, 22), (mutate_records, 22),
            (mutate_identity, 8))


def one_line(message: str) -> bool:
    return bool(message) and "\n" not in message and "Traceback" not in message


def try_mutant(lab: Lab, category: str, data: bytes, fig: Figures, path: Path) -> None:
    from kkdesk.errors import KkdeskError
    from kkdesk.sync.importer import import_bundle

    fig.mutants += 1
    cat = fig.by_category.setdefault(category, {"n": 0, "accepted": 0, "failures": 0})
    cat["n"] += 1
    before = fig.failures()
    path.write_bytes(data)
    try:
        import_bundle(lab.receiver, path)
    except KkdeskError as exc:
        name = type(exc).__name__
        fig.refusals[name] = fig.refusals.get(name, 0) + 1
        if not one_line(exc.user_message()):
            fig.bad_messages += 1
            _finding(lab, fig, category, data, "message", exc.user_message()[:300])
        if digest(lab.receiver) != lab.baseline:
            fig.changed_after_refusal += 1
            _finding(lab, fig, category, data, "changed after refusal", name)
            lab.reset()
    except Exception as exc:  # noqa: BLE001 - what the fuzzer is for
        fig.tracebacks += 1
        _finding(lab, fig, category, data, "traceback",
                 "".join(traceback.format_exception_only(type(exc), exc)).strip()[-400:],
                 traceback.format_exc()[-1500:])
        if digest(lab.receiver) != lab.baseline:
            lab.reset()
    else:
        fig.accepted += 1
        cat["accepted"] += 1
        content = content_digest(lab.receiver)
        if content == lab.baseline_content:
            fig.accepted_replay += 1
        elif content == lab.genuine_content:
            fig.accepted_as_genuine += 1
        elif category.startswith(("records-", "manifest-")):  # signed with A's own key
            fig.accepted_signed_edit += 1
        else:
            fig.accepted_unexplained += 1
            _finding(lab, fig, category, data, "accepted, unexplained", "")
        if content != lab.baseline_content:
            _verify(lab, fig, category, data)
        if digest(lab.receiver) != lab.baseline:
            lab.reset()
    cat["failures"] += fig.failures() - before


def _verify(lab: Lab, fig: Figures, category: str, data: bytes) -> None:
    from sqlalchemy import text

    from kkdesk.records import verify

    with lab.receiver.session() as s:
        problems = verify(s) + [r[0] for r in s.execute(text("PRAGMA integrity_check")) if r[0] != "ok"]
    if problems:
        fig.check_failures += 1
        _finding(lab, fig, category, data, "check fails after acceptance", problems[:3])


def _finding(lab: Lab, fig: Figures, category: str, data: bytes, what: str, detail, tb: str = "") -> None:
    folder = lab.work / "findings"
    folder.mkdir(exist_ok=True)
    name = f"{len(fig.findings):04d}-{category}.kkb"
    if len(fig.findings) < 200:
        (folder / name).write_bytes(data)
    fig.findings.append({"mutant": fig.mutants, "category": category, "what": what, "detail": detail,
                         "file": str(folder / name), "traceback": tb})


def crafted(lab: Lab, heavy: bool) -> list[tuple[str, bytes]]:
    """Mutants made once per run: the named cases, and (`heavy`, for long runs) the
    ones beyond the size limits, which take a second and a gigabyte of memory each."""
    f = lab.forge
    m = json.loads(json.dumps(f.manifest))
    m["software"] = "x" * (65 * 1024 * 1024)  # beyond the 64 MiB manifest limit
    old = json.loads(json.dumps(f.manifest))
    old["format_version"] = 0
    out = [("crafted-format-version-0", f.build(old)), ("crafted-replay", lab.first.read_bytes()),
           ("crafted-stranger", f.build(signer=lab.stranger)), ("crafted-empty-file", b""),
           ("crafted-age-header-only", lab.genuine.read_bytes()[:200])]
    if heavy:
        out += [("crafted-manifest-65MiB", lambda: f.build(m)),
                ("crafted-records-line-257MiB", lambda: f.build(None, f.records + b'{"t":"seal","x":"' +
                                                                b"a" * (257 << 20) + b'"}\n'))]
    return out


def run(mutants: int = 10_000, seed: int | None = None, work: Path | None = None, keep: bool = False,
        progress=None, families=FAMILIES, with_crafted: bool = True, lab: Lab | None = None) -> Figures:
    """The campaign; `lab` (a test fixture's) saves making the profiles and is left open."""
    rng = random.Random(seed)
    own = work is None
    work = Path(tempfile.mkdtemp(prefix="kkdesk-fuzz-")) if own else Path(work)
    work.mkdir(parents=True, exist_ok=True)
    fig = Figures()
    t0 = time.perf_counter()
    own_lab = lab is None
    lab = lab or Lab(work / "lab")
    try:
        path = work / "mutant.kkb"
        todo = crafted(lab, heavy=mutants >= 1000) if with_crafted else []
        funcs = [fn for fn, _w in families]
        weights = [w for _fn, w in families]
        while fig.mutants < mutants:
            if todo:
                category, data = todo.pop(0)
                data = data() if callable(data) else data
            else:
                category, data = rng.choices(funcs, weights)[0](lab, rng)
            try_mutant(lab, category, data, fig, path)
            if progress is not None and fig.mutants % 500 == 0:
                progress(fig)
    finally:
        if own_lab:
            lab.close()
        fig.seconds = round(time.perf_counter() - t0, 1)
        if own and not keep and not fig.findings:
            shutil.rmtree(work, ignore_errors=True)
    return fig


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="bundle fuzzer (see the module docstring)")
    p.add_argument("--mutants", type=int, default=10_000)
    p.add_argument("--seed", type=int)
    p.add_argument("--work", type=Path)
    p.add_argument("--keep", action="store_true")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)

    def progress(fig):
        print(f"… {fig.mutants} mutants, {fig.accepted} accepted, {fig.tracebacks} tracebacks", file=sys.stderr,
              flush=True)

    fig = run(args.mutants, C.run_seed(args.seed), args.work, args.keep, progress)
    if args.json:
        print(json.dumps(fig.as_dict(), ensure_ascii=False, indent=1))
    else:
        print(f"mutants={fig.mutants} accepted={fig.accepted} tracebacks={fig.tracebacks} "
              f"changed_after_refusal={fig.changed_after_refusal}")
        print(f"accepted: replay={fig.accepted_replay} as_genuine={fig.accepted_as_genuine} "
              f"signed_edit={fig.accepted_signed_edit} unexplained={fig.accepted_unexplained}; "
              f"bad_messages={fig.bad_messages} check_failures={fig.check_failures}; {fig.seconds} s")
        print("refusals: " + ", ".join(f"{k}={v}" for k, v in sorted(fig.refusals.items())))
        for name, cat in sorted(fig.by_category.items()):
            print(f"  {name}: {cat}")
        for finding in fig.findings[:50]:
            print(f"  ! {finding['category']}: {finding['what']}: {finding['detail']}")
    return 1 if fig.failures() else 0


if __name__ == "__main__":
    sys.exit(main())
