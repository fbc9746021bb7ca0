"""Merging two records of one person (entered twice: Тоқтаров / Токтаров).

The kept person KEEP gets a new revision with the union of both names and contacts
(other fields: the kept one's unless the user chose the other's); every record that
referenced OTHER gets a revision pointing at KEEP; OTHER becomes a tombstone whose
content names KEEP as its **successor** (`{"successor", "successor_rev",
"merged_rev"}`, see docs/bundle-format.md §5): KEEP's merge revision and the
revision of OTHER that was merged.

The merge travels in bundles as plain revisions. A profile that receives it (or that
receives, after it, revisions made before it — an edit of OTHER, a new record naming
OTHER) runs `follow_merges`: a live head of OTHER becomes a version of KEEP beside its
merge revision (a conflict on KEEP, the edit not lost) and OTHER a tombstone again;
every live head that names OTHER is repointed at KEEP. These revisions depend only on
revisions both sides hold, so every profile derives the same ones, with the same ids,
whichever order the bundles arrive in."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from kkdesk import rules
from kkdesk import schema as S
from kkdesk.canonical import canonical_bytes, loads_content
from kkdesk.db.models import Head, Record, Revision
from kkdesk.errors import InputError
from kkdesk.i18n import N_
from kkdesk.contents import content_of, lookup_content
from kkdesk.records import Author, Writer, current_heads, find
from kkdesk.references import referencing

TOMBSTONE_KEYS = ("merged_rev", "successor", "successor_rev")
NAME_FIELDS = ("name_kk", "name_ru", "name_latin")
CONTACT_FIELDS = tuple(f.name for f in S.PERSON.fields if f.contact)
LIST_FIELDS = tuple(f.name for f in S.PERSON.fields if f.type in S.LIST_TYPES)
CONFIDENTIALITY = ("public", "internal", "restricted")
MAX_ROUNDS = 8
BATCH = 500


# --- the tombstone --------------------------------------------------------------

def tombstone_body(successor: str, successor_rev: str, merged_rev: str) -> bytes:
    return canonical_bytes({"merged_rev": merged_rev, "successor": successor, "successor_rev": successor_rev})


def successor_of(body: bytes | None) -> dict | None:
    """The successor fields of a tombstone's content, or None for a plain delete."""
    if not body or body == b"{}" or len(body) > 1024:  # three short fields; never parse a large body
        return None
    try:
        value = loads_content(body)
    except (ValueError, RecursionError):  # a bundle's tombstone may hold anything
        return None
    return value if isinstance(value, dict) and sorted(value) == list(TOMBSTONE_KEYS) else None


def valid_tombstone(body: bytes) -> bool:
    """What a tombstone's content may be: `{}` or the successor fields, canonical."""
    if body == b"{}":
        return True
    info = successor_of(body)
    return info is not None and all(isinstance(info[k], str) and len(info[k]) <= 64 for k in TOMBSTONE_KEYS) \
        and canonical_bytes(info) == body


# --- contents -------------------------------------------------------------------

def _union(a: list, b: list) -> list:
    return list(dict.fromkeys([*a, *b]))


def _join_contacts(a: str, b: str) -> str:
    parts = [p.strip() for p in f"{a};{b}".split(";") if p.strip()]
    return "; ".join(dict.fromkeys(parts))


def _stricter(a: str | None, b: str | None) -> str | None:
    rank = {c: i for i, c in enumerate(CONFIDENTIALITY)}
    return max((x for x in (a, b) if x), key=lambda c: rank.get(c, len(rank)), default=None)


def conflicting_fields(keep: dict, other: dict) -> list[str]:
    """Fields both records fill differently where one value must be chosen (names,
    contacts and lists are joined instead; confidentiality takes the stricter)."""
    joined = set(CONTACT_FIELDS) | set(LIST_FIELDS) | {"record_no", "confidentiality"}
    return [f.name for f in S.PERSON.fields if f.name not in joined and keep.get(f.name) not in (None, "", [])
            and other.get(f.name) not in (None, "", []) and keep.get(f.name) != other.get(f.name)]


def merged_content(keep: dict, other: dict, choices: dict[str, str] | None = None) -> dict:
    """KEEP's content with OTHER's merged in. `choices`: field -> "keep" | "other" for
    conflicting fields (default "keep"); a name not chosen becomes a name variant."""
    choices = choices or {}
    out = dict(keep)
    variants: list[str] = list(keep.get("name_variants") or [])
    for f in S.PERSON.fields:
        name = f.name
        mine, theirs = keep.get(name), other.get(name)
        if name in ("record_no", "name_variants") or theirs in (None, "", []):
            continue
        if name == "confidentiality":
            out[name] = _stricter(mine, theirs)
        elif name in CONTACT_FIELDS:
            out[name] = _join_contacts(mine or "", theirs)
        elif name in LIST_FIELDS:
            out[name] = _union(list(mine or []), list(theirs))
        elif mine in (None, "", []):
            out[name] = theirs
        elif mine != theirs and choices.get(name) == "other":
            out[name] = theirs
            if name in NAME_FIELDS:
                variants.append(mine)
        elif mine != theirs and name in NAME_FIELDS:
            variants.append(theirs)
    variants += list(other.get("name_variants") or [])
    names = {out.get(n) for n in NAME_FIELDS}
    variants = [v for v in dict.fromkeys(variants) if v not in names]
    if variants:
        out["name_variants"] = variants
    # precision companions follow their date
    for f in S.PERSON.dated_fields:
        if out.get(f.name) == other.get(f.name) and out.get(f.name) != keep.get(f.name):
            if other.get(f.precision) is not None:
                out[f.precision] = other[f.precision]
            else:
                out.pop(f.precision, None)
    return out


def apply_edit(target: dict, base: dict, edited: dict) -> dict:
    """`target` with the changes that turned `base` into `edited` (an edit of OTHER
    made before the merge arrived, carried over to KEEP)."""
    out = dict(target)
    variants = list(out.get("name_variants") or [])
    for key in sorted(set(base) | set(edited)):
        if key == "record_no" or base.get(key) == edited.get(key):
            continue
        value = edited.get(key)
        if key in NAME_FIELDS and value and out.get(key) and out[key] != value:
            variants.append(value)
        elif key in CONTACT_FIELDS and value and out.get(key):
            out[key] = _join_contacts(out[key], value)
        elif key in LIST_FIELDS and value:
            out[key] = _union(list(out.get(key) or []), list(value))
        elif value is None:
            out.pop(key, None)
        else:
            out[key] = value
    names = {out.get(n) for n in NAME_FIELDS}
    variants = [v for v in dict.fromkeys(variants) if v not in names]
    if variants:
        out["name_variants"] = variants
    return out


# --- references -----------------------------------------------------------------

def repoint(entity: S.Entity, content: dict, mapping: dict[str, str]) -> tuple[dict, bool]:
    """`content` with every reference to a key of `mapping` pointing at its value."""
    changed = False

    def walk(ent: S.Entity, row: dict) -> dict:
        nonlocal changed
        out = dict(row)
        for f in ent.fields:
            v = row.get(f.name)
            if v is None:
                continue
            if f.type == S.REF and f.ref in ("person", "any") and v in mapping:
                out[f.name] = mapping[v]
                changed = True
            elif f.type == S.REFS and f.ref in ("person", "any") and any(x in mapping for x in v):
                out[f.name] = list(dict.fromkeys(mapping.get(x, x) for x in v))
                changed = True
            elif f.type == S.CHILDREN and isinstance(v, list):
                out[f.name] = [walk(f.child, c) if isinstance(c, dict) else c for c in v]  # type: ignore[arg-type]
        return out

    return walk(entity, content), changed


def _refs_in(entity: S.Entity, content: dict, out: set[str]) -> None:
    for f in entity.fields:
        v = content.get(f.name)
        if v is None:
            continue
        if f.type == S.REF and f.ref in ("person", "any") and isinstance(v, str):
            out.add(v)
        elif f.type == S.REFS and f.ref in ("person", "any"):
            out.update(x for x in v if isinstance(x, str))
        elif f.type == S.CHILDREN and isinstance(v, list):
            for c in v:
                if isinstance(c, dict):
                    _refs_in(f.child, c, out)  # type: ignore[arg-type]


# --- heads ----------------------------------------------------------------------

@dataclass
class _Head:
    rev_id: str
    record_id: str
    kind: str
    deleted: bool
    parents: list[str]
    body: bytes | None


def _heads(session: Session, record_ids: Iterable[str]) -> dict[str, list[_Head]]:
    ids = sorted(set(record_ids))
    out: dict[str, list[_Head]] = {}
    for i in range(0, len(ids), BATCH):
        stmt = select(Revision.rev_id, Revision.record_id, Revision.kind, Revision.deleted, Revision.parents,
                      Revision.content).join(Head, Head.rev_id == Revision.rev_id).where(
            Head.record_id.in_(ids[i:i + BATCH]))
        for rev, rid, kind, deleted, parents, body in session.execute(stmt):
            out.setdefault(rid, []).append(_Head(rev, rid, kind, bool(deleted), json.loads(parents), body))
    for heads in out.values():
        heads.sort(key=lambda h: h.rev_id)
    return out


def _merge_tombstone(heads: list[_Head]) -> tuple[_Head, dict] | None:
    found = [(h, successor_of(h.body)) for h in heads if h.deleted]
    found = [(h, info) for h, info in found if info is not None]
    return max(found, key=lambda x: (x[1]["successor"], x[0].rev_id)) if found else None  # type: ignore[index, return-value]


def successors(session: Session, ids: Iterable[str]) -> dict[str, str]:
    """Merged persons among `ids` (every head a tombstone, one naming a successor) ->
    their final successor (following merges of merged persons)."""
    todo = set(ids)
    direct: dict[str, str] = {}
    seen: set[str] = set()
    while todo:
        candidates = set(session.execute(select(Record.id).where(
            Record.id.in_(sorted(todo)), Record.deleted.is_(True), Record.kind == "person")).scalars()) \
            if len(todo) <= BATCH else _deleted_persons(session, todo)
        seen |= todo
        nxt: set[str] = set()
        for rid, heads in _heads(session, candidates).items():
            if all(h.deleted for h in heads):
                found = _merge_tombstone(heads)
                if found is not None:
                    direct[rid] = found[1]["successor"]
                    nxt.add(found[1]["successor"])
        todo = nxt - seen
    out = {}
    for rid in direct:
        target, steps = direct[rid], 0
        while target in direct and steps < MAX_ROUNDS:
            target, steps = direct[target], steps + 1
        if target != rid:
            out[rid] = target
    return out


def _deleted_persons(session: Session, ids: set[str]) -> set[str]:
    out: set[str] = set()
    items = sorted(ids)
    for i in range(0, len(items), BATCH):
        out.update(session.execute(select(Record.id).where(
            Record.id.in_(items[i:i + BATCH]), Record.deleted.is_(True), Record.kind == "person")).scalars())
    return out


def _repoint_heads(session: Session, writer: Writer, record_ids: Iterable[str], mapping: dict[str, str]) -> set[str]:
    written: set[str] = set()
    if not mapping:
        return written
    for rid, heads in _heads(session, record_ids).items():
        for h in heads:
            entity = S.TOP_LEVEL.get(h.kind)
            if h.deleted or entity is None or rid in mapping:
                continue
            content, changed = repoint(entity, loads_content(h.body), mapping)  # type: ignore[arg-type]
            if changed:
                writer.put_revision(h.kind, rid, [h.rev_id], canonical_bytes(content))
                written.add(rid)
    return written


# --- the merge ------------------------------------------------------------------

@dataclass
class MergeResult:
    keep: str
    other: str
    keep_rev: str
    tombstone_rev: str
    repointed: list[str] = field(default_factory=list)


def check_pair(session: Session, keep_ref: str, other_ref: str) -> tuple[Record, Record]:
    """The two persons, or an InputError that says why they cannot be merged."""
    keep, other = find(session, keep_ref), find(session, other_ref)
    for rec, ref in ((keep, keep_ref), (other, other_ref)):
        if rec.kind != "person":
            raise InputError(N_("%(id)s is not a person; only persons can be merged."), id=ref)
        if rec.deleted:
            raise InputError(N_("%(id)s is deleted; a deleted person cannot be merged."), id=ref)
        if len(current_heads(session, rec.id)) > 1:
            raise InputError(N_("%(id)s is in conflict; resolve the conflict before merging."), id=ref)
    if keep.id == other.id:
        raise InputError(N_("A person cannot be merged with itself."))
    return keep, other


def merge(session: Session, author: Author, keep_ref: str, other_ref: str,
          choices: dict[str, str] | None = None) -> MergeResult:
    """Merge OTHER into KEEP in the caller's transaction (see the module docstring)."""

    keep, other = check_pair(session, keep_ref, other_ref)
    keep_content, other_content = content_of(session, keep.head), content_of(session, other.head)
    content = merged_content(keep_content, other_content, choices)
    writer = Writer(session, author)
    warnings = rules.check("person", content, "", lookup_content(session))
    result = writer.put("person", keep.id, content, warnings, base_heads=[keep.head])
    keep_rev = result.rev_id or keep.head
    refs = referencing(session, [other.id]) - {other.id, keep.id}
    repointed = _repoint_heads(session, writer, refs, {other.id: keep.id})
    tomb = writer.put_revision("person", other.id, [other.head], tombstone_body(keep.id, keep_rev, other.head),
                               deleted=True)
    writer.flush()
    return MergeResult(keep.id, other.id, keep_rev, tomb, sorted(repointed))


def follow_merges(session: Session, author: Author, touched: Iterable[str]) -> set[str]:
    """After revisions arrived: carry edits of merged persons over to their successor
    (as a conflict) and repoint records that still name them. Returns the records written."""
    written: set[str] = set()
    candidates = set(touched)
    for _ in range(MAX_ROUNDS):
        if not candidates:
            break
        writer = Writer(session, author)
        new = _follow_once(session, writer, candidates)
        writer.flush()
        written |= new
        candidates = new
    return written


def _merge_candidates(session: Session, ids: set[str]) -> set[str]:
    """Of these records, the persons with a successor tombstone among their heads."""
    out: set[str] = set()
    items = sorted(ids)
    for i in range(0, len(items), BATCH):
        out.update(session.execute(select(Head.record_id).join(Revision, Revision.rev_id == Head.rev_id).where(
            Head.record_id.in_(items[i:i + BATCH]), Revision.kind == "person", Revision.deleted.is_(True),
            Revision.content != b"{}")).scalars())
    return out


def merged_persons(session: Session) -> set[str]:
    """Every person of the store shown as a tombstone naming a successor (deleted persons are few)."""
    return set(session.execute(select(Record.id).join(Revision, Revision.rev_id == Record.head).where(
        Record.kind == "person", Record.deleted.is_(True), Revision.content != b"{}")).scalars())


def _follow_once(session: Session, writer: Writer, candidates: set[str]) -> set[str]:
    """Costs what the merged persons and the records naming them cost, not what the
    import touched: a bundle of a million records without merges reads two indexes."""
    written: set[str] = set()
    merging = _merge_candidates(session, candidates)
    heads = _heads(session, merging)
    for rid, hs in heads.items():
        found = _merge_tombstone(hs)
        if found is None:
            continue
        live = [h for h in hs if not h.deleted]
        if not live:
            continue
        tomb, info = found
        keep_rev = session.execute(select(Revision.parents, Revision.content).where(
            Revision.rev_id == info["successor_rev"])).first()
        base = session.execute(select(Revision.content).where(Revision.rev_id == info["merged_rev"])).scalar()
        if keep_rev is None or base is None:
            continue  # the merge's other half is not held yet: wait for it
        keep_content = loads_content(keep_rev.content)
        base_content = loads_content(base)
        for h in live:
            carried = apply_edit(keep_content, base_content, loads_content(h.body))  # type: ignore[arg-type]
            if carried != keep_content:
                writer.put_revision("person", info["successor"], json.loads(keep_rev.parents), canonical_bytes(carried))
                written.add(info["successor"])
        writer.put_revision("person", rid, [h.rev_id for h in hs], tomb.body or b"{}", deleted=True)
        written.add(rid)
    merged = merged_persons(session) | merging
    if not merged:
        return written
    mapping = successors(session, merged)
    if not mapping:
        return written
    # records whose shown version names a merged person, and touched records in conflict
    # (a version not shown may name one)
    in_conflict = set()  # type: ignore[var-annotated]
    items = sorted(candidates)
    for i in range(0, len(items), BATCH):
        in_conflict.update(session.execute(select(Record.id).where(
            Record.id.in_(items[i:i + BATCH]), Record.conflict.is_(True))).scalars())
    targets = (referencing(session, mapping) | in_conflict) - set(mapping) - written
    written |= _repoint_heads(session, writer, targets, mapping)
    return written
