"""Tables of the store.

Two layers: the **history** (`revision`, `head`, `seal`) is the truth — every revision
of every record with its canonical bytes; the **projection** (`record` plus one table
per SPEC entity, generated from `kkdesk.schema`) is the current state of each record,
rebuilt from its head revision, and is what lists, search and statistics read.
"""

from __future__ import annotations

from typing import Optional

from sqlalchemy import (Boolean, Column, ForeignKey, Index, Integer, LargeBinary, String, Table, Text, text)
from sqlalchemy.orm import Mapped, mapped_column

from kkdesk import schema as S
from kkdesk.db.base import Base

UUID_LEN = 36
REV_LEN = 64


class Meta(Base):
    """Key/value settings that live inside the encrypted store (profile name, counters, keys)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Record(Base):
    """Registry and list projection of every top-level record (one row per record id)."""

    __tablename__ = "record"
    num: Mapped[int] = mapped_column(Integer, primary_key=True)  # rowid: FTS rowid, newest last
    id: Mapped[str] = mapped_column(String(UUID_LEN), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    record_no: Mapped[Optional[str]] = mapped_column(String(40), index=True)
    created_by: Mapped[str] = mapped_column(String(UUID_LEN))
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
    updated_by: Mapped[str] = mapped_column(String(UUID_LEN))
    head: Mapped[str] = mapped_column(String(REV_LEN))
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    sealed: Mapped[bool] = mapped_column(Boolean, default=False)
    incomplete: Mapped[bool] = mapped_column(Boolean, default=False)
    warnings: Mapped[Optional[str]] = mapped_column(Text)  # JSON list of {path, message, params}
    title: Mapped[str] = mapped_column(Text, default="")
    sort_date: Mapped[Optional[str]] = mapped_column(String(32))  # ISO, first day of a partial date
    year: Mapped[Optional[int]] = mapped_column(Integer)
    region: Mapped[Optional[str]] = mapped_column(String(64))
    record_status: Mapped[Optional[str]] = mapped_column(String(32))
    confidentiality: Mapped[Optional[str]] = mapped_column(String(32))

    __table_args__ = (
        Index("ix_record_kind_date", "kind", "deleted", "sort_date", "num"),
        Index("ix_record_kind_title", "kind", "deleted", "title", "num"),
        Index("ix_record_kind_no", "kind", "deleted", "record_no", "num"),
        Index("ix_record_kind_updated", "kind", "deleted", "updated_at", "num"),
        # list filters (listing.py): the records of one region/status/confidentiality as
        # one range; new records append to their value's range (num grows)
        Index("ix_record_kind_region", "kind", "deleted", "region"),
        Index("ix_record_kind_status", "kind", "deleted", "record_status"),
        Index("ix_record_kind_confidentiality", "kind", "deleted", "confidentiality"),
    )


class Revision(Base):
    """One immutable revision. `rev_id` = SHA-256 of the canonical header (see revisions.py);
    author, time and sequence sit beside it, outside the hash."""

    __tablename__ = "revision"
    rev_id: Mapped[str] = mapped_column(String(REV_LEN), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(UUID_LEN), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    parents: Mapped[str] = mapped_column(Text)  # JSON list, sorted
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    content_sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[Optional[bytes]] = mapped_column(LargeBinary)  # canonical JSON bytes as hashed
    author: Mapped[str] = mapped_column(String(UUID_LEN))
    author_seq: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(32))
    schema_version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (Index("ix_revision_author_seq", "author", "author_seq", unique=True),)


class Head(Base):
    """Current head revision(s) of a record; more than one head is a conflict."""

    __tablename__ = "head"
    record_id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    rev_id: Mapped[str] = mapped_column(String(REV_LEN), primary_key=True)


class Seal(Base):
    """An Ed25519 signature over a revision id by the profile that sealed it."""

    __tablename__ = "seal"
    rev_id: Mapped[str] = mapped_column(String(REV_LEN), primary_key=True)
    signer_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    signer_fingerprint: Mapped[str] = mapped_column(String(32))
    signature: Mapped[str] = mapped_column(String(128))
    sealed_at: Mapped[str] = mapped_column(String(32))


class Draft(Base):
    """Autosaved, unsaved edits of the GUI. Local only, never synced."""

    __tablename__ = "draft"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[Optional[str]] = mapped_column(String(UUID_LEN))
    payload: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(String(32))


class StatCode(Base):
    """Small integers standing for vocabulary codes in the statistics columns."""

    __tablename__ = "stat_code"
    num: Mapped[int] = mapped_column(Integer, primary_key=True)
    vocab: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_stat_code_vocab_code", "vocab", "code", unique=True),)


class Blob(Base):
    """Attachment bytes, content-addressed; the data lives in ~1 MiB chunks."""

    __tablename__ = "blob"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    chunks: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(32))


class BlobChunk(Base):
    __tablename__ = "blob_chunk"
    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("blob.sha256", ondelete="CASCADE"), primary_key=True)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


# --- projection tables generated from the schema ------------------------------

RID_SHIFT = 20  # child rows: rid = record.num << RID_SHIFT | n, n < 2**20 rows per record and table
RID_SPAN = 1 << RID_SHIFT


def rid_range(num):
    """The first and last child-row key of record number `num` (an int, or an SQL
    expression such as `Record.num` in a correlated subquery)."""
    return num * RID_SPAN, num * RID_SPAN + (RID_SPAN - 1)


def rows_of_record(table: Table, num):
    """The child rows of record number `num` in `table`: one range of its key."""
    return table.c.rid.between(*rid_range(num))


def rid_num(rid_column):
    """The record number of a child row (SQL expression)."""
    return rid_column.op(">>")(RID_SHIFT)


# s_key = 2 * (incident verified) + (counted in statistics); s_day = yyyymmdd of the act's
# first day (NULL when undated); s_person/s_org/s_act = 60-bit numbers of the UUIDs
STAT_COLUMNS = ("s_key", "s_day", "s_year", "s_tg", "s_gender", "s_region", "s_type", "s_person", "s_org", "s_act")

def _columns_for(field: S.Field) -> list[Column]:
    n = field.name
    t = field.type
    if t in (S.TEXT, S.LONGTEXT):
        return [Column(n, Text)]
    if t in S.LIST_TYPES:
        return [Column(n, Text)]  # JSON array
    if t in (S.CODE, S.ENUM):
        return [Column(n, String(64))]
    if t == S.DATE:
        return [Column(n, String(10)), Column(f"{n}_from", String(10))]  # as entered; first day
    if t in (S.DATETIME, S.NOTETIME):
        return [Column(n, String(40)), Column(f"{n}_utc", String(32))]
    if t == S.INT:
        return [Column(n, Integer)]
    if t == S.DEC:
        return [Column(n, String(40))]  # exact decimal text
    if t == S.BOOL:
        return [Column(n, Boolean)]
    if t == S.REF:
        return [Column(n, String(UUID_LEN))]  # indexed by _entity_table, only where set
    raise ValueError(t)


def _entity_table(entity: S.Entity, parent: S.Entity | None) -> Table:
    cols: list[Column] = []
    if entity.top_level:
        cols.append(Column("id", String(UUID_LEN), ForeignKey("record.id", ondelete="CASCADE"), primary_key=True))
    else:
        # A child row's key is its record's number and its order in the record, so one
        # record's rows are one key range: an import appends, an update deletes a range,
        # and no index on random UUIDs (id, parent_id) is written per act.
        cols.append(Column("rid", Integer, primary_key=True, autoincrement=False))
        cols.append(Column("id", String(UUID_LEN), nullable=False))
        cols.append(Column("parent_id", String(UUID_LEN)))
        cols.append(Column("position", Integer))
    for f in entity.fields:
        if f.name == "id" or f.type in (S.CHILDREN, S.CHECKLIST):
            continue
        cols.extend(_columns_for(f))
    # references are mostly empty (an act names a person or an organisation, rarely a
    # case): partial indexes skip the NULLs, and `ref = ?` / `ref IN (…)` still use them
    extra: list = [Index(f"ix_{entity.table}_{f.name}", f.name, sqlite_where=text(f'"{f.name}" IS NOT NULL'))
                   for f in entity.fields if f.type == S.REF]
    if entity is S.THREAT_ACT:  # list filters: the acts of a type / group, in record order
        extra += [Index("ix_threat_act_type", "threat_type", "target_group_at_time"),
                  Index("ix_threat_act_group", "target_group_at_time")]
    if entity in (S.PERSON, S.ORGANISATION):
        extra.append(Index(f"ix_{entity.table}_group", "primary_target_group"))
    if entity is S.INTERVENTION:  # the due follow-ups, earliest first (interventions.due)
        extra.append(Index("ix_intervention_follow_up", "follow_up_date_from",
                           sqlite_where=text('"follow_up_date_from" IS NOT NULL')))
    if entity is S.THREAT_ACT:
        # denormalised for statistics: the incident's status, the act's year …
        cols.append(Column("incident_status", String(32)))
        cols.append(Column("act_year", Integer))
        # … its region today (stat_code; the 2018 and 2022 splits by its incident's
        # locality) and its incident's state response (stat_code), for R6 and R9
        cols.append(Column("s_cregion", Integer))
        cols.append(Column("s_resp", Integer))
    if entity in (S.THREAT_ACT, S.ACT_PERPETRATOR):
        # … and the counting dimensions as small integers (stat_code), so that one
        # covering index of ~25 bytes a row answers every statistic (see stats.py)
        cols.extend(Column(name, Integer) for name in STAT_COLUMNS)
    if entity is S.THREAT_ACT:
        extra.append(Index("ix_threat_act_stat", "s_key", "s_year", "s_tg", "s_gender", "s_region", "s_type",
                           "s_day", "s_person", "s_org"))
    if entity is S.ACT_PERPETRATOR:
        cols.append(Column("s_ptype", Integer))
        extra.append(Index("ix_act_perpetrator_stat", "s_key", "s_ptype", "s_year", "s_tg", "s_gender", "s_region",
                           "s_type", "s_day", "s_act", "s_person", "s_org"))
    from kkdesk.db.report_indexes import REPORT_INDEXES

    extra += [Index(name, *columns, **({"sqlite_where": text(where)} if where else {}))  # type: ignore[arg-type]
              for name, (table, columns, where) in REPORT_INDEXES.items() if table == entity.table]
    return Table(entity.table, Base.metadata, *cols, *extra)


ENTITY_TABLES: dict[str, Table] = {}
CHILD_TABLES: dict[str, list[Table]] = {}  # top-level kind -> the tables of its child rows


def _build() -> None:
    def walk(entity: S.Entity, parent: S.Entity | None, top: str) -> None:
        table = ENTITY_TABLES[entity.kind] = _entity_table(entity, parent)
        if parent is not None:
            CHILD_TABLES[top].append(table)
        for f in entity.fields:
            if f.child is not None:
                walk(f.child, entity, top)

    for kind, e in S.TOP_LEVEL.items():
        CHILD_TABLES[kind] = []
        walk(e, None, kind)


_build()
from kkdesk.db import sync_models  # noqa: E402,F401  (sync tables on the same metadata)
