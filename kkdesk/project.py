"""The projection: from a record's head content to rows of the relational tables,
the `record` list row and the full-text index. Rows are gathered and written in
batches (executemany), so an import of a million acts stays fast."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.engine import Connection

from kkdesk import schema as S
from kkdesk.db.fts import FTS_TABLE
from kkdesk.db.models import CHILD_TABLES, ENTITY_TABLES, Record, rid_range
from kkdesk.normalize import child_id, date_first_day, datetime_utc
from kkdesk.reporting.regions import current_region
from kkdesk.searchtext import fold, index_title

INCIDENT = "_incident"  # not a column: hands a threat incident's row to its acts

NAME_ORDER = {
    "person": ("name_kk", "name_ru", "name_latin", "public_alias"),
    "organisation": ("name_kk", "name_ru", "name_en", "acronym"),
    "court": ("name_kk", "name_ru", "name_en"),
}
SORT_DATE = {"case": "opened_date", "threat": "start_date", "source": "publication_date",
             "hearing": ("actual_start", "scheduled_start"), "medical": "exam_datetime",
             "published_stat": "period_start", "detention": "actual_detention_at", "intervention": "date"}
REGION = {"person": "residence_region", "organisation": "region", "court": "region", "case": "region",
          "threat": "region", "medical": "region", "detention": "region"}


def display_name(kind: str, content: dict, order: tuple[str, ...] | None = None) -> str:
    for key in order or NAME_ORDER.get(kind, ("title",)):
        if content.get(key):
            return content[key]
    return ""


def sort_date(kind: str, content: dict) -> str | None:
    keys = SORT_DATE.get(kind)
    if keys is None:
        return None
    for key in (keys if isinstance(keys, tuple) else (keys,)):
        value = content.get(key)
        if value:
            return date_first_day(value[:10]) if len(value) <= 10 or "T" not in value else value[:10]
    return None


_PLANS: dict[str, dict[str, tuple[str, str | None]]] = {}


def _plan(entity: S.Entity) -> dict[str, tuple[str, str | None]]:
    """field name -> (type, precision companion) of the fields that are columns."""
    plan = _PLANS.get(entity.kind)
    if plan is None:
        plan = _PLANS[entity.kind] = {f.name: (f.type, f.precision) for f in entity.fields
                                      if f.name != "id" and f.type not in (S.CHILDREN, S.CHECKLIST)}
    return plan


def _column_values(entity: S.Entity, row: dict) -> dict[str, Any]:
    # walks the row's keys, not the entity's fields: rows are sparse (an act fills ~12 of 35)
    out: dict[str, Any] = {}
    plan = _plan(entity)
    for name, v in row.items():
        spec = plan.get(name)
        if spec is None or v is None:
            continue
        ftype, precision = spec
        if ftype in S.LIST_TYPES:
            out[name] = json.dumps(v, ensure_ascii=False)
        elif ftype == S.DATE:
            out[name] = v
            if not (precision and row.get(precision) == "unknown"):
                out[f"{name}_from"] = date_first_day(v)
        elif ftype in (S.DATETIME, S.NOTETIME):
            out[name] = v
            utc = datetime_utc(v)
            if utc is not None:
                out[f"{name}_utc"] = utc
        elif ftype == S.BOOL:
            out[name] = int(v)
        else:
            out[name] = v
    return out


_FTS_FIELDS: dict[str, list[S.Field]] = {}


def fts_text(entity: S.Entity, row: dict, parts: list[str]) -> None:
    fields = _FTS_FIELDS.get(entity.kind)
    if fields is None:
        fields = _FTS_FIELDS[entity.kind] = [f for f in entity.fields if f.fts or f.type in (S.CHILDREN, S.CHECKLIST)]
    for f in fields:
        v = row.get(f.name)
        if v is None:
            continue
        if f.type == S.CHILDREN:
            for child in v:
                fts_text(f.child, child, parts)  # type: ignore[arg-type]
        elif f.type == S.CHECKLIST:
            parts.extend(e["note"] for e in v.values() if e.get("note"))
        elif f.fts:
            parts.extend(v if isinstance(v, list) else [v])


_COLUMNS: dict[str, frozenset[str]] = {}


def insert_many(conn: Connection, table, rows: list[dict]) -> None:
    """executemany straight to the driver: SQLAlchemy's per-row parameter processing
    costs more than SQLite itself on an import of a million rows.

    The driver binds None and bool through its adaptation protocol at ~1 µs each,
    which on a sparse 35-column act row cost more than the insert itself. So a row
    binds only the keys it has, rows grouped by their keys (an omitted column is
    NULL: none has a server default). The projection builds rows without None values
    and with booleans as 0/1, so a row costs two C-level copies; a row that still
    holds None has those keys left out (checked per row, in C)."""
    if not rows:
        return
    colset = _COLUMNS.get(table.name)
    if colset is None:
        colset = _COLUMNS[table.name] = frozenset(c.name for c in table.columns)
    groups: dict[tuple[str, ...], list[tuple]] = {}
    for r in rows:
        values = tuple(r.values())
        if None in values:
            r = {k: v for k, v in r.items() if v is not None}
            values = tuple(r.values())
        key = tuple(r)
        group = groups.get(key)
        if group is None:
            group = groups[key] = []
        group.append(values)
    for key, params in groups.items():
        unknown = set(key) - colset
        if unknown:
            raise ValueError(f"not columns of {table.name}: {sorted(unknown)}")
        sql = (f'INSERT INTO {table.name} ({", ".join(chr(34) + c + chr(34) for c in key)}) '
               f'VALUES ({", ".join("?" * len(key))})')
        conn.exec_driver_sql(sql, params)


def uuid60(value: str | None) -> int | None:
    """A UUID as a 60-bit integer: compact in the statistics index, distinct enough to count."""
    return int(value.replace("-", "")[:15], 16) if value else None


class StatCodes:
    """vocabulary code <-> small integer (table stat_code), cached for the connection's use."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.map: dict[tuple[str, str], int] = {
            (v, c): n for n, v, c in conn.exec_driver_sql("SELECT num, vocab, code FROM stat_code")}

    def num(self, vocab: str, code: str | None) -> int | None:
        if code is None:
            return None
        key = (vocab, code)
        n = self.map.get(key)
        if n is None:
            n = self.conn.exec_driver_sql("INSERT INTO stat_code (vocab, code) VALUES (?, ?)", (vocab, code)).lastrowid
            self.map[key] = n
        return n


class Projector:
    """Collects projection rows for many records, then writes them in one go."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.codes = StatCodes(conn)
        self._reset()

    def _reset(self) -> None:
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.remove_ids: dict[str, list[str]] = defaultdict(list)
        self.remove_ranges: dict[str, list[tuple[int, int]]] = defaultdict(list)  # child table -> rid ranges
        self._rid_next = 0
        self.fts_delete: list[int] = []
        self.fts_insert: list[dict] = []
        self.record_inserts: list[dict] = []
        self.record_updates: list[dict] = []
        self._next_num: int | None = None
        self.titles: dict[str, str] = {}

    def next_num(self) -> int:
        if self._next_num is None:
            self._next_num = (self.conn.execute(select(func.max(Record.num))).scalar() or 0) + 1
        n = self._next_num
        self._next_num += 1
        return n

    def title_of(self, record_id: str | None) -> str:
        if not record_id:
            return ""
        if record_id not in self.titles:
            self.titles[record_id] = self.conn.execute(select(Record.title).where(Record.id == record_id)).scalar() or ""
        return self.titles[record_id]

    def title(self, kind: str, content: dict) -> str:
        if kind in NAME_ORDER:
            return display_name(kind, content)
        if kind == "hearing":
            when = (content.get("actual_start") or content.get("scheduled_start") or "")[:10]
            return " — ".join(x for x in (when, self.title_of(content.get("case"))) if x)
        if kind == "medical":
            when = (content.get("exam_datetime") or "")[:10]
            return " — ".join(x for x in (when, self.title_of(content.get("subject"))) if x)
        if kind == "detention":  # language-neutral: date, person, place as entered
            when = (content.get("actual_detention_at") or "")[:10]
            return " — ".join(x for x in (when, self.title_of(content.get("person")), content.get("place_name")) if x)
        if kind == "intervention":
            return " — ".join(x for x in (content.get("date"), content.get("addressee"), content.get("reference_number"))
                              if x)
        if kind == "attachment":
            return content.get("original_filename") or content.get("sha256", "")[:12]
        if kind == "published_stat":
            what = " ".join(x for x in (content.get("indicator"), content.get("dimension_value")) if x)
            period = "–".join(x for x in (content.get("period_start"), content.get("period_end")) if x)
            return " — ".join(x for x in (what, period) if x)
        return content.get("title") or ""

    def _entity_rows(self, entity: S.Entity, row: dict, parent_id: str | None, position: int | None, extra: dict) -> None:
        values = _column_values(entity, row)
        values["id"] = row["id"]
        if parent_id is not None:
            values["rid"] = self._rid_next
            self._rid_next += 1
            values["parent_id"] = parent_id
            values["position"] = position
        values.update(extra)
        incident = values.pop(INCIDENT, None) or {}  # an act's incident row (see below)
        child_extra: dict = {}
        if entity is S.THREAT:
            child_extra = {"incident_status": extra.get("record_status"), INCIDENT: values}
        elif entity is S.THREAT_ACT:
            if values.get("act_date_from"):
                values["act_year"] = int(values["act_date_from"][:4])
            child_extra = {k: v for k, v in self.act_stat_values(values).items() if v is not None}
            values.update(child_extra)
            # the act's region today and its incident's state response, for R6 with current
            # regions and R9 along one covering index each (not copied to perpetrators)
            values["s_cregion"] = self.codes.num("region", current_region(values.get("region_at_time"),
                                                                          incident.get("locality")))
            values["s_resp"] = self.codes.num("state_response", incident.get("state_response"))
        elif entity is S.ACT_PERPETRATOR:
            values["s_ptype"] = self.codes.num("perpetrator_type", row.get("perpetrator_type"))
        self.rows[entity.table].append(values)
        for f in entity.fields:
            if f.type == S.CHILDREN and row.get(f.name):
                for i, child in enumerate(row[f.name]):
                    self._entity_rows(f.child, child, row["id"], i, child_extra)  # type: ignore[arg-type]
            elif f.type == S.CHECKLIST and row.get(f.name):
                for i, (code, entry) in enumerate(sorted(row[f.name].items())):
                    child = {"id": child_id(row["id"], "checklist", code), "item": code, **entry}
                    self._entity_rows(f.child, child, row["id"], i, {})  # type: ignore[arg-type]

    def act_stat_values(self, act: dict) -> dict:
        """The integer statistics columns of an act (copied to its perpetrators)."""
        day = act.get("act_date_from")
        return {
            "s_key": 2 * (act.get("incident_status") == "verified") + (1 if act.get("counted_in_statistics") else 0),
            "s_day": int(day.replace("-", "")) if day else None,
            "s_year": act.get("act_year"),
            "s_tg": self.codes.num("target_group", act.get("target_group_at_time")),
            "s_gender": self.codes.num("gender", act.get("gender_at_time")),
            "s_region": self.codes.num("region", act.get("region_at_time")),
            "s_type": self.codes.num("threat_type", act.get("threat_type")),
            "s_person": uuid60(act.get("victim_person")),
            "s_org": uuid60(act.get("victim_organisation")),
            "s_act": uuid60(act["id"]),
        }

    def put(self, kind: str, record_id: str, content: dict, meta: dict, *, existing_num: int | None, deleted: bool) -> None:
        """Project one record. `meta` holds the record-table columns (head, author, …)."""
        entity = S.TOP_LEVEL[kind]
        if existing_num is not None:
            self.remove_ids[entity.table].append(record_id)
            for table in CHILD_TABLES[kind]:
                self.remove_ranges[table.name].append(rid_range(existing_num))
            self.fts_delete.append(existing_num)
        title = "" if deleted else self.title(kind, content)
        self.titles[record_id] = title
        sd = None if deleted else sort_date(kind, content)
        rec = {
            **meta,
            "title": title,
            "sort_date": sd,
            "year": int(sd[:4]) if sd else None,
            "region": None if deleted else content.get(REGION.get(kind, "")),
            "record_status": content.get("record_status"),
            "confidentiality": content.get("confidentiality"),
            "record_no": content.get("record_no") or meta.get("record_no"),
        }
        if existing_num is None:
            rec["num"] = num = self.next_num()
            rec["id"] = record_id
            rec["kind"] = kind
            for flag in ("conflict", "deleted", "sealed", "incomplete"):  # bound as 0/1 (see insert_many)
                rec[flag] = int(rec[flag])
            self.record_inserts.append(rec)
        else:
            num = existing_num
            rec["b_id"] = record_id
            self.record_updates.append(rec)
        if deleted:
            return
        first, last = rid_range(num)
        self._rid_next = first
        self._entity_rows(entity, {"id": record_id, **content}, None, None,
                          {"record_status": content.get("record_status")} if entity is S.THREAT else {})
        if self._rid_next > last + 1:
            raise ValueError(f"record {record_id} has more than {last - first + 1} child rows")
        parts: list[str] = []
        fts_text(entity, content, parts)
        self.fts_insert.append({"rowid": num, "title": index_title(title), "body": fold("\n".join(parts))})

    def flush(self) -> None:
        conn = self.conn
        for table_name, ids in self.remove_ids.items():
            table = next(t for t in ENTITY_TABLES.values() if t.name == table_name)
            for i in range(0, len(ids), 500):
                conn.execute(delete(table).where(table.c.id.in_(ids[i:i + 500])))
        for table_name, ranges in self.remove_ranges.items():
            conn.exec_driver_sql(f"DELETE FROM {table_name} WHERE rid BETWEEN ? AND ?", ranges)
        if self.fts_delete:
            conn.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :n"), [{"n": n} for n in self.fts_delete])
        insert_many(conn, Record.__table__, self.record_inserts)
        if self.record_updates:
            from sqlalchemy import bindparam

            cols: dict[str, Any] = {k: bindparam(k) for k in self.record_updates[0] if k != "b_id"}
            stmt = update(Record.__table__).where(Record.__table__.c.id == bindparam("b_id")).values(**cols)
            # executemany needs uniform keys
            keys = set(self.record_updates[0])
            uniform = all(set(r) == keys for r in self.record_updates)
            if uniform:
                conn.execute(stmt, self.record_updates)
            else:
                for r in self.record_updates:
                    conn.execute(update(Record.__table__).where(Record.__table__.c.id == r["b_id"]).values(
                        **{k: v for k, v in r.items() if k != "b_id"}))
        # parents before children: all_entities() is in that order
        for entity in S.all_entities():
            rows = self.rows.get(entity.table)
            if rows:
                insert_many(conn, ENTITY_TABLES[entity.kind], rows)
        if self.fts_insert:
            conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (?, ?, ?)",
                                 [(r["rowid"], r["title"], r["body"]) for r in self.fts_insert])
        self._reset()
