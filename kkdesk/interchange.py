"""The interchange JSON (`../shared/spec/interchange.md`): import (atomic, idempotent,
an upsert, errors split from warnings) and export. Saving one record from a form
goes through the same path as a one-record document."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from kkdesk import detentions, interventions, rules
from kkdesk import schema as S
from kkdesk.canonical import dumps_document, loads_document
from kkdesk.canonical import loads_content
from kkdesk.db.models import Record, Revision
from kkdesk.duplicates import import_warnings
from kkdesk.merge_persons import follow_merges
from kkdesk.errors import Cancelled, InputError, Problem, ValidationError
from kkdesk.i18n import N_
from kkdesk.normalize import Normaliser, is_uuid, map_id, require
from kkdesk.contents import content_of, lookup_content
from kkdesk.records import Author, SaveResult, Writer

FORMAT = "kkdesk-interchange"
IMPORT_CACHE_KIB = -262144  # 256 MiB while importing
NORMAL_CACHE_KIB = -65536   # as set by db/engine.py
VERSION = 1
TOP_KEYS = {"format", "version", "id_namespace", *S.DOCUMENT_LISTS}
KIND_TO_LIST = {e.kind: name for name, e in S.DOCUMENT_LISTS.items()}
TOP_EXTRA = {"threat": ("sources",)}
COURT_NAME_KEYS = ("name_kk", "name_ru", "name_en")

ProgressFn = Callable[[int, int], bool | None]  # (done, total) -> False/"cancel" to stop


@dataclass
class ImportReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[Problem] = field(default_factory=list)
    records: list[SaveResult] = field(default_factory=list)

    def as_dict(self, gettext=None) -> dict:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged,
                "warnings": [{"path": w.path, "message": w.text(gettext).split(": ", 1)[-1] if w.path else w.text(gettext)}
                             for w in self.warnings]}


class _Context:
    """Resolves references for normalisation: ids of the document first, then the profile."""

    def __init__(self, session: Session, namespace: str, default_language: str) -> None:
        self.session = session
        self.namespace = namespace
        self.default_language = default_language
        self.doc_ids: dict[str, dict[str, str]] = {kind: {} for kind in S.TOP_LEVEL}  # kind -> raw id -> uuid
        self.doc_contents: dict[str, dict] = {}  # uuid -> normalised content (so far)
        self.doc_kinds: dict[str, str] = {}      # uuid -> kind
        self.inline_courts: list[tuple[str, dict, str]] = []  # (uuid, raw, path)
        self._profile_kinds: dict[str, str | None] = {}
        self._profile_contents: dict[str, dict] = {}
        self._lookup = lookup_content(session)

    def prefetch(self, doc: Any) -> None:
        """Look up, in a few queries, every UUID the document mentions (references to
        records already in the profile), and the contents of persons and organisations
        (their snapshot defaults the acts' group, gender and region)."""
        found: set[str] = set()

        def walk(value: Any) -> None:
            if isinstance(value, dict):
                for v in value.values():
                    walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)
            elif isinstance(value, str) and len(value) == 36 and value[8] == "-" and is_uuid(value):
                found.add(value.lower())

        walk(doc)
        ids = [i for i in found if i not in self._profile_kinds]
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows = self.session.execute(
                select(Record.id, Record.kind, Record.deleted, Revision.content)
                .join(Revision, Revision.rev_id == Record.head).where(Record.id.in_(chunk))).all()
            for rid in chunk:
                self._profile_kinds[rid] = None
            for rid, kind, deleted, body in rows:
                self._profile_kinds[rid] = None if deleted else kind
                if not deleted and kind in ("person", "organisation"):
                    self._profile_contents[rid] = loads_content(body)  # type: ignore[arg-type]

    def profile_kind(self, record_id: str) -> str | None:
        if record_id not in self._profile_kinds:
            row = self.session.execute(select(Record.kind, Record.deleted).where(Record.id == record_id)).first()
            self._profile_kinds[record_id] = row.kind if row is not None and not row.deleted else None
        return self._profile_kinds[record_id]

    def resolve(self, kind: str, value: Any) -> str | None:
        if isinstance(value, dict):
            return self.inline_court(value)
        kinds = list(S.TOP_LEVEL) if kind == "any" else [kind]
        for k in kinds:
            if value in self.doc_ids[k]:
                return self.doc_ids[k][value]
        if is_uuid(value):
            uid = value.lower()
            if uid in self.doc_kinds and (kind == "any" or self.doc_kinds[uid] == kind):
                return uid
            pk = self.profile_kind(uid)
            if pk is not None and (kind == "any" or pk == kind):
                return uid
        return None

    def kind_of(self, record_id: str) -> str | None:
        return self.doc_kinds.get(record_id) or self.profile_kind(record_id)

    def content(self, kind: str, record_id: str) -> dict | None:
        if record_id in self.doc_contents:
            return self.doc_contents[record_id]
        if record_id in self._profile_contents:
            return self._profile_contents[record_id]
        return self._lookup(kind, record_id)

    def inline_court(self, raw: dict) -> str | None:
        """A hearing's court given inline: matched by a name and the region, else created."""
        names = {raw.get(k) for k in COURT_NAME_KEYS if raw.get(k)}
        region = raw.get("region")
        for uid, content in self.doc_contents.items():
            if self.doc_kinds.get(uid) == "court" and content.get("region") == region and \
                    names & {content.get(k) for k in COURT_NAME_KEYS}:
                return uid
        for rec in self.session.execute(select(Record).where(Record.kind == "court", Record.deleted.is_(False),
                                                             Record.region == region)).scalars():
            content = content_of(self.session, rec.head)
            if names & {content.get(k) for k in COURT_NAME_KEYS}:
                return rec.id
        key = "|".join(sorted(str(n) for n in names)) + f"|{region}"
        uid = map_id(self.namespace, "courts/inline", key)
        if uid not in self.doc_kinds:
            self.doc_kinds[uid] = "court"
            self.inline_courts.append((uid, raw, ""))
            self.doc_contents[uid] = {k: v for k, v in raw.items() if k != "id"}
        return uid


def _derive_act_defaults(ctx: _Context, incident: dict, act: dict) -> None:
    """interchange.md: victim_type derived; act_date from the incident; the *_at_time
    snapshot from the victim, then the incident."""
    if "victim_type" not in act:
        if act.get("victim_person"):
            act["victim_type"] = "person"
        elif act.get("victim_organisation"):
            act["victim_type"] = "organisation"
        elif act.get("group_description"):
            act["victim_type"] = "group"
    if "act_date" not in act and incident.get("start_date"):
        act["act_date"] = incident["start_date"]
        if incident.get("start_precision"):
            act.setdefault("act_date_precision", incident["start_precision"])
    victim: dict | None = None
    if act.get("victim_person"):
        victim = ctx.content("person", act["victim_person"]) or {}
        act.setdefault("gender_at_time", victim.get("gender", "unknown"))
        if victim.get("primary_target_group"):
            act.setdefault("target_group_at_time", victim["primary_target_group"])
        if victim.get("residence_region"):
            act.setdefault("region_at_time", victim["residence_region"])
    elif act.get("victim_organisation") or act.get("victim_type") in ("organisation", "group"):
        if act.get("victim_organisation"):
            victim = ctx.content("organisation", act["victim_organisation"]) or {}
            if victim.get("primary_target_group"):
                act.setdefault("target_group_at_time", victim["primary_target_group"])
            if victim.get("region"):
                act.setdefault("region_at_time", victim["region"])
        act.setdefault("gender_at_time", "not_applicable")
    if incident.get("region"):
        act.setdefault("region_at_time", incident["region"])


def _apply_defaults(ctx: _Context, kind: str, content: dict) -> None:
    entity = S.TOP_LEVEL[kind]
    content.setdefault("confidentiality", entity.default_confidentiality)
    content.setdefault("entry_language", ctx.default_language)
    if kind == "threat":
        for act in content.get("acts", ()):
            _derive_act_defaults(ctx, content, act)
    if kind == "medical":
        for i, finding in enumerate(content.get("findings", ())):
            finding.setdefault("finding_no", i + 1)


class Importer:
    def __init__(self, session: Session, author: Author, default_language: str, namespace: str = "") -> None:
        self.session = session
        self.author = author
        self.ctx = _Context(session, namespace, default_language)
        self.norm = Normaliser(self.ctx)
        self.errors = self.norm.errors
        self.prepared: list[tuple[str, str, dict, str]] = []  # kind, uuid, content, path
        self.warnings: list[Problem] = []

    def register_ids(self, doc: dict) -> None:
        for list_name, entity in S.DOCUMENT_LISTS.items():
            items = doc.get(list_name)
            if items is None:
                continue
            if not isinstance(items, list):
                self.errors.append(Problem(list_name, N_("expected a list")))
                continue
            seen: set[str] = set()
            for i, raw in enumerate(items):
                if not isinstance(raw, dict):
                    continue
                rid = raw.get("id")
                if not isinstance(rid, str) or rid == "":
                    self.errors.append(Problem(f"{list_name}[{i}].id", N_("required field is missing")))
                    continue
                if rid in seen:
                    self.errors.append(Problem(f"{list_name}[{i}].id", N_("the id '%(id)s' is used twice in this list"), id=rid))
                    continue
                seen.add(rid)
                uid = map_id(self.ctx.namespace, list_name, rid)
                self.ctx.doc_ids[entity.kind][rid] = uid
                self.ctx.doc_kinds[uid] = entity.kind

    def prepare_record(self, entity: S.Entity, raw: Any, path: str, record_id: str) -> dict | None:
        before = len(self.errors)
        content = self.norm.record(entity, raw, path, record_id, extra_keys=TOP_EXTRA.get(entity.kind, ()))
        if content is None:
            return None
        _apply_defaults(self.ctx, entity.kind, content)
        require(entity, content, path, self.errors, {p.path for p in self.errors[before:]})
        if entity.kind == "case":
            for i, party in enumerate(content.get("parties", ())):
                if bool(party.get("person")) == bool(party.get("organisation")):
                    self.errors.append(Problem(f"{path}.parties[{i}].person", N_("give exactly one of person or organisation")))
        elif entity.kind == "detention":
            self.errors.extend(detentions.errors(content, path))
        elif entity.kind == "intervention":
            self.errors.extend(interventions.link_errors(content, path, self.ctx.kind_of))
        self.ctx.doc_contents[record_id] = content  # even when refused: later records derive defaults from it
        if len(self.errors) != before:
            return None
        return content

    def prepare(self, doc: Any) -> None:
        if not isinstance(doc, dict):
            raise ValidationError(N_("The document is not a kkdesk interchange document."),
                                  [Problem("", N_("expected a JSON object"))])
        if doc.get("format") != FORMAT:
            self.errors.append(Problem("format", N_("expected '%(value)s'"), value=FORMAT))
        if doc.get("version") != VERSION:
            self.errors.append(Problem("version", N_("unsupported version %(version)s (this kkdesk reads version %(supported)s)"),
                                       version=str(doc.get("version")), supported=str(VERSION)))
        for key in doc:
            if key not in TOP_KEYS:
                self.errors.append(Problem(key, N_("unknown field")))
        ns = doc.get("id_namespace", "")
        if not isinstance(ns, str):
            self.errors.append(Problem("id_namespace", N_("expected text")))
            ns = ""
        self.ctx.namespace = ns
        self.register_ids(doc)
        self.ctx.prefetch(doc)
        for list_name, entity in S.DOCUMENT_LISTS.items():
            for i, raw in enumerate(doc.get(list_name) or () if isinstance(doc.get(list_name), list) else ()):
                path = f"{list_name}[{i}]"
                if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw.get("id"):
                    if not isinstance(raw, dict):
                        self.errors.append(Problem(path, N_("expected an object")))
                    continue
                uid = self.ctx.doc_ids[entity.kind][raw["id"]]
                inline_sources = raw.get("sources") if entity.kind == "threat" else None
                content = self.prepare_record(entity, {k: v for k, v in raw.items() if k not in ("id", "sources")}, path, uid)
                if content is None:
                    continue
                self.prepared.append((entity.kind, uid, content, path))
                if inline_sources is not None:
                    self.prepare_inline_sources(inline_sources, f"{path}.sources", uid, raw["id"])
        for uid, raw_court, _ in self.ctx.inline_courts:
            content = self.prepare_record(S.COURT, raw_court, "hearings.court", uid)
            if content is not None:
                self.prepared.insert(0, ("court", uid, content, "courts"))

    def prepare_inline_sources(self, raw: Any, path: str, threat_uid: str, threat_raw_id: str) -> None:
        if not isinstance(raw, list):
            self.errors.append(Problem(path, N_("expected a list")))
            return
        for j, src in enumerate(raw):
            if not isinstance(src, dict):
                self.errors.append(Problem(f"{path}[{j}]", N_("expected an object")))
                continue
            sid = map_id(self.ctx.namespace, f"threats/{threat_raw_id}/sources", str(src.get("id", j)))
            body = {k: v for k, v in src.items() if k != "id"}
            body.setdefault("links", [{"target": threat_uid}])
            self.ctx.doc_kinds[sid] = "source"
            content = self.prepare_record(S.SOURCE, body, f"{path}[{j}]", sid)
            if content is not None:
                self.prepared.append(("source", sid, content, f"{path}[{j}]"))

    def check_rules(self) -> None:
        for kind, _uid, content, path in self.prepared:
            if kind in ("source", "intervention"):
                for link in content.get("links", ()):
                    link.setdefault("target_entity", self.ctx.kind_of(link["target"]))
            self.warnings.extend(rules.check(kind, content, path, self.ctx.content))

    def write(self, progress: ProgressFn | None = None) -> ImportReport:
        report = ImportReport(warnings=list(self.warnings))
        writer = Writer(self.session, self.author)
        writer.prefetch([uid for _, uid, _, _ in self.prepared])
        by_path: dict[str, list[Problem]] = {}
        for w in self.warnings:
            by_path.setdefault(w.path.split(".", 1)[0], []).append(w)
        total = len(self.prepared)
        for n, (kind, uid, content, path) in enumerate(self.prepared, 1):
            result = writer.put(kind, uid, content, by_path.get(path, []))
            setattr(report, result.status, getattr(report, result.status) + 1)
            report.records.append(result)
            if n % 2000 == 0:
                writer.flush()
                if progress is not None and progress(n, total) is False:
                    raise Cancelled(N_("The import was cancelled; nothing was changed."))
        writer.flush()
        if progress is not None:
            progress(total, total)
        return report


def parse_document(data: bytes | str) -> Any:
    try:
        return loads_document(data)
    except UnicodeDecodeError:
        raise ValidationError(N_("The file is not valid JSON."), [Problem("", N_("the file is not UTF-8 text"))]) from None
    except RecursionError:  # arrays or objects nested thousands deep: no document of ours
        raise ValidationError(N_("The file is not valid JSON."),
                              [Problem("", N_("values are nested too deeply"))]) from None
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "colno", None)
        raise ValidationError(N_("The file is not valid JSON."),
                              [Problem("", N_("malformed JSON at line %(line)s, column %(col)s"), line=line, col=col)]) from None


def import_document(session: Session, author: Author, doc: Any, default_language: str,
                    progress: ProgressFn | None = None) -> ImportReport:
    """Validate the whole document, then write it in the caller's transaction.
    On any error nothing is written: ValidationError lists every problem."""
    with _no_cyclic_gc():
        importer = Importer(session, author, default_language)
        importer.prepare(doc)
        if importer.errors:
            raise ValidationError(N_("The document was refused; nothing was imported."), importer.errors)
        importer.check_rules()
        conn = session.connection()
        # a big import touches index pages all over the store: a larger page cache for its
        # duration saves re-reading (and re-decrypting) them
        conn.exec_driver_sql(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
        try:
            report = importer.write(progress)
            report.warnings.extend(import_warnings(session, ((k, uid, path) for k, uid, _, path in importer.prepared)))
            return report
        finally:
            conn.exec_driver_sql(f"PRAGMA cache_size = {NORMAL_CACHE_KIB}")


@contextmanager
def _no_cyclic_gc():
    """An import allocates millions of small dicts and lists that all stay alive until
    it ends, so the cyclic collector's full passes find nothing and cost ~15% of the
    time. Reference counting still frees everything; the collector resumes after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_file(store, path: str | Path, progress: ProgressFn | None = None) -> ImportReport:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(N_("File not found: %(path)s"), path=str(path)) from None
    except IsADirectoryError:
        raise InputError(N_("%(path)s is a folder, not a file."), path=str(path)) from None
    except OSError as exc:
        raise InputError(N_("The file %(path)s cannot be read: %(reason)s"), path=str(path), reason=exc.strerror or "") from None
    doc = parse_document(data)
    with store.session() as session:
        return import_document(session, author_of(store), doc, store.ui_lang, progress)


def author_of(store) -> Author:
    return Author(store.profile_id, store.profile_code)


def save(session: Session, author: Author, kind: str, fields: dict, record_id: str | None = None,
         default_language: str = "en", base_heads: list[str] | None = None) -> SaveResult:
    """Create or update one record from a form: `fields` in interchange form
    (references as UUIDs). Raises ValidationError on errors; returns warnings.
    `base_heads`: the heads the form was loaded from (RecordView.heads); if the record
    changed since, the edit is kept beside that change as a conflict (status "conflict")."""
    import uuid as _uuid

    entity = S.TOP_LEVEL[kind]
    uid = record_id or str(_uuid.uuid4())
    importer = Importer(session, author, default_language)
    importer.ctx.doc_kinds[uid] = kind
    content = importer.prepare_record(entity, {k: v for k, v in fields.items() if k != "id"}, "", uid)
    if importer.errors or content is None:
        raise ValidationError(N_("The record was not saved: some fields need attention."), importer.errors)
    importer.prepared.append((kind, uid, content, ""))
    importer.check_rules()
    writer = Writer(session, author)
    result = writer.put(kind, uid, content, importer.warnings, base_heads=base_heads)
    writer.flush()
    if result.status != "unchanged":  # a form opened before a merge of persons arrived: follow it
        follow_merges(session, author, {uid})
    return result


def validate(session: Session, kind: str, fields: dict, record_id: str | None = None,
             default_language: str = "en") -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) of a form's fields, without saving (for inline validation)."""
    import uuid as _uuid

    uid = record_id or str(_uuid.uuid4())
    importer = Importer(session, Author("", ""), default_language)
    importer.ctx.doc_kinds[uid] = kind
    content = importer.prepare_record(S.TOP_LEVEL[kind], {k: v for k, v in fields.items() if k != "id"}, "", uid)
    if content is None:
        return importer.errors, []
    return importer.errors, rules.check(kind, content, "", importer.ctx.content)


# --- export ----------------------------------------------------------------------

def _to_interchange(entity: S.Entity, content: dict, include_contacts: bool) -> dict:
    out: dict[str, Any] = {}
    order = {f.name: i for i, f in enumerate(entity.fields)}
    for key, value in sorted(content.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])):
        f = entity.field(key)
        if f is None:
            out[key] = value  # a field a newer version added: passed on verbatim
            continue
        if f.contact and not include_contacts:
            continue
        if f.type == S.DEC and isinstance(value, str):
            out[key] = Decimal(value)
        elif f.type == S.CHILDREN:
            out[key] = [_to_interchange(f.child, row, include_contacts) for row in value]  # type: ignore[arg-type]
        else:
            out[key] = value
    return out


def export_records(session: Session, kinds: Iterable[str] | None = None, include_contacts: bool = False,
                   ids: set[str] | None = None) -> dict:
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    wanted = set(kinds) if kinds else None
    for list_name, entity in S.DOCUMENT_LISTS.items():
        if wanted is not None and entity.kind not in wanted:
            continue
        items = []
        stmt = select(Record).where(Record.kind == entity.kind, Record.deleted.is_(False)).order_by(Record.num)
        for rec in session.execute(stmt).scalars():
            if ids is not None and rec.id not in ids:
                continue
            content = content_of(session, rec.head)
            items.append({"id": rec.id, **_to_interchange(entity, content, include_contacts)})
        doc[list_name] = items
    return doc


def record_to_interchange(kind: str, record_id: str, content: dict, include_contacts: bool = False) -> dict:
    return {"id": record_id, **_to_interchange(S.TOP_LEVEL[kind], content, include_contacts)}


def export_json(session: Session, include_contacts: bool = False) -> str:
    return dumps_document(export_records(session, include_contacts=include_contacts)) + "\n"
