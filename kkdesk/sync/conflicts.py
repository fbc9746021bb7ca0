"""Records in conflict (several heads) — list their versions, resolve them.

Resolving writes one new revision whose parents are all the heads, through the core
`Writer` (which always takes every head as a parent); that revision syncs like any
other and clears the conflict on every machine that receives it. A tombstone kept
as the winner deletes the record."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kkdesk import records as R
from kkdesk import rules
from kkdesk.contents import lookup_content
from kkdesk.db.models import Head, Record, Revision
from kkdesk.errors import KkdeskError
from kkdesk.i18n import N_
from kkdesk.interchange import record_to_interchange


class ConflictError(KkdeskError):
    pass


@dataclass
class Version:
    revision: str
    author: str
    created_at: str
    deleted: bool
    content: dict

    def as_dict(self, kind: str, record_id: str) -> dict:
        return {"revision": self.revision, "author": self.author, "created_at": self.created_at,
                "deleted": self.deleted,
                "record": None if self.deleted else record_to_interchange(kind, record_id, self.content)}


@dataclass
class Conflict:
    kind: str
    id: str
    record_no: str | None
    title: str
    shown: str
    versions: list[Version]

    def as_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, "record_no": self.record_no,
                "versions": [v.as_dict(self.kind, self.id) for v in self.versions]}


def versions(session: Session, record_id: str) -> list[Version]:
    """The heads of a record, oldest first."""
    heads = list(session.execute(select(Head.rev_id).where(Head.record_id == record_id)).scalars())
    rows = session.execute(select(Revision.rev_id, Revision.author, Revision.created_at, Revision.deleted,
                                  Revision.content).where(Revision.rev_id.in_(heads))).all()
    out = [Version(r.rev_id, r.author, r.created_at, bool(r.deleted),
                   {} if r.deleted else R.content_of(session, r.rev_id)) for r in rows]
    return sorted(out, key=lambda v: (v.created_at, v.revision))


def list_conflicts(session: Session) -> list[Conflict]:
    out = []
    for rec in session.execute(select(Record).where(Record.conflict.is_(True)).order_by(Record.kind, Record.record_no,
                                                                                          Record.id)).scalars():
        out.append(Conflict(rec.kind, rec.id, rec.record_no, rec.title, rec.head, versions(session, rec.id)))
    return out


def get(session: Session, ref: str) -> Conflict:
    rec = R.find(session, ref)
    vs = versions(session, rec.id)
    if len(vs) < 2:
        raise ConflictError(N_("The record %(ref)s is not in conflict."), ref=ref)
    return Conflict(rec.kind, rec.id, rec.record_no, rec.title, rec.head, vs)


def _write(session: Session, author: R.Author, rec: Record, content: dict, deleted: bool) -> R.SaveResult:
    warnings = [] if deleted else rules.check(rec.kind, content, "", lookup_content(session))
    writer = R.Writer(session, author)
    result = writer.put(rec.kind, rec.id, content, warnings, deleted=deleted)
    writer.flush()
    return result


def resolve_keep(session: Session, author: R.Author, ref: str, keep: str) -> R.SaveResult:
    """Keep one version: a new revision with its content and every head as parent.
    `keep` is a revision id or an unambiguous prefix of one (at least 6 characters)."""
    conflict = get(session, ref)
    chosen = [v for v in conflict.versions if len(keep) >= 6 and v.revision.startswith(keep.lower())]
    if len(chosen) != 1:
        raise ConflictError(N_("%(rev)s is not one of the versions of %(ref)s in conflict."), rev=keep, ref=ref)
    rec = R.find(session, conflict.id)
    return _write(session, author, rec, chosen[0].content, chosen[0].deleted)


def resolve_merged(session: Session, author: R.Author, ref: str, content: dict) -> R.SaveResult:
    """Save a version merged by hand (e.g. field by field) over every head."""
    conflict = get(session, ref)
    rec = R.find(session, conflict.id)
    return _write(session, author, rec, dict(content), False)


def merge_fields(conflict: Conflict, choices: dict[str, int], base: int = 0) -> dict:
    """A content built field by field: `choices[field] = index of the version` to take
    it from; other fields come from version `base`. A field absent from the chosen
    version is left out."""
    merged = dict(conflict.versions[base].content)
    for key, index in choices.items():
        source = conflict.versions[index].content
        if key in source:
            merged[key] = source[key]
        else:
            merged.pop(key, None)
    return merged


def field_names(conflict: Conflict) -> list[str]:
    """The content fields that differ between the versions, in a stable order."""
    keys = sorted({k for v in conflict.versions for k in v.content if k != "record_no"})
    return [k for k in keys if len({repr(v.content.get(k)) for v in conflict.versions}) > 1]
