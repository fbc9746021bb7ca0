"""Rows into interchange records: the incident (threat) with its acts, the victim person
or organisation, the perpetrator and the source, with the ids and the required fields
the issue asks for filled in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kkdesk.i18n import N_
from kkdesk.normalize import uuid5
from kkdesk.sheets.persons import NAME_FIELDS, PersonIndex, name_key

TITLE_LENGTH = 80
IDENTITY_TARGETS = {"incident.start_date", "act.act_date", "act.threat_type", "act.group_description",
                    *(f"victim.{f}" for f in NAME_FIELDS["person"]),
                    *(f"victim_org.{f}" for f in NAME_FIELDS["organisation"])}


@dataclass
class Row:
    number: int
    values: dict[str, dict[str, Any]]
    identity: str
    key: str | None = None


@dataclass
class Batch:
    """The records of some rows, and which rows each record came from."""
    persons: dict[str, dict] = field(default_factory=dict)
    organisations: dict[str, dict] = field(default_factory=dict)
    threats: dict[str, dict] = field(default_factory=dict)
    sources: dict[str, dict] = field(default_factory=dict)
    rows_of: dict[str, list[int]] = field(default_factory=dict)   # record id -> rows (acts in order for threats)
    matches: list[tuple] = field(default_factory=list)  # importer.MATCH_KEYS
    made: list[tuple[PersonIndex, list[str], int | None]] = field(default_factory=list)
    warnings: list[tuple[int, str | None, str, str, dict]] = field(default_factory=list)
    count: int = 0


def short_title(text: str) -> str:
    """The description's first line, cut at a word before TITLE_LENGTH characters."""
    line = " ".join(text.split("\n", 1)[0].split())
    if len(line) <= TITLE_LENGTH:
        return line
    cut = line[:TITLE_LENGTH].rsplit(" ", 1)[0]
    return (cut or line[:TITLE_LENGTH]).rstrip(",;:.") + "…"


class Builder:
    def __init__(self, namespace: str, persons: PersonIndex, organisations: PersonIndex, name_columns: dict[str, str]) -> None:
        self.ns = namespace
        self.persons = persons
        self.organisations = organisations
        self.name_columns = name_columns  # "victim" / "victim_org" -> header of its first name column
        self.seen: dict[str, int] = {}

    def occurrence(self, identity: str) -> int:
        """How many rows with this identity came before (two identical rows are two acts)."""
        h = hash(identity)
        n = self.seen.get(h, 0)  # type: ignore[call-overload]
        self.seen[h] = n + 1  # type: ignore[index]
        return n

    def add_group(self, batch: Batch, rows: list[Row], key: str | None) -> None:
        first = rows[0]
        if key is not None:
            threat_id = uuid5(f"{self.ns}/threat/key/{key}")
        else:
            threat_id = uuid5(f"{self.ns}/threat/{first.identity}#{self.occurrence(first.identity)}")
        incident = dict(first.values.get("incident", {}))
        acts = []
        for i, row in enumerate(rows):
            act = dict(row.values.get("act", {}))
            act["id"] = f"{row.identity}#{i}" if key is not None else "row"
            victim = self.victim(batch, row, "victim", self.persons, act)
            if victim:
                act["victim_person"] = victim
            org = self.victim(batch, row, "victim_org", self.organisations, act)
            if org:
                act["victim_organisation"] = org
            if row.values.get("perpetrator"):
                act["perpetrators"] = [dict(row.values["perpetrator"])]
            acts.append(act)
            self.source(batch, row, threat_id)
        if "title" not in incident and incident.get("description"):
            incident["title"] = short_title(incident["description"])
        incident["acts"] = acts
        batch.threats[threat_id] = incident
        batch.rows_of[threat_id] = [r.number for r in rows]
        batch.count += len(rows)

    def victim(self, batch: Batch, row: Row, prefix: str, index: PersonIndex, act: dict) -> str | None:
        values = row.values.get(prefix)
        if not values:
            return None
        kind = index.kind
        names = [values[f] for f in NAME_FIELDS[kind] if values.get(f)]
        if not names:
            return None
        keys = list(dict.fromkeys(k for k in (name_key(n) for n in names) if k))
        year = int(values["birth_date"][:4]) if kind == "person" and values.get("birth_date") else None
        own_id = uuid5(f"{self.ns}/{kind}/{keys[0]}|{year or ''}")
        match, several = index.in_profile(keys, year)
        if match is not None and match.record_id != own_id:
            batch.matches.append((row.number, self.name_columns.get(prefix), names[0], kind, match.record_id,
                                  match.record_no, match.name, None))
            if several:
                batch.warnings.append((row.number, self.name_columns.get(prefix), names[0],
                                       N_("several records fit '%(name)s'; linked to %(record)s"),
                                       {"name": names[0], "record": match.record_no or match.record_id}))
            return match.record_id
        earlier = index.earlier(keys, year)
        if earlier is not None:
            rid, first_row = earlier
            batch.matches.append((row.number, self.name_columns.get(prefix), names[0], kind, rid, None, None, first_row))
            batch.rows_of.setdefault(rid, []).append(row.number)
            return rid
        content = dict(values)
        group = row.values.get("act", {}).get("target_group_at_time")
        content.setdefault("primary_target_group", group or "other")
        if kind == "organisation":
            content.setdefault("organisation_type", "other")
        (batch.persons if kind == "person" else batch.organisations)[own_id] = content
        batch.rows_of.setdefault(own_id, []).append(row.number)
        index.remember(keys, year, own_id, row.number)
        batch.made.append((index, keys, year))
        return own_id

    def source(self, batch: Batch, row: Row, threat_id: str) -> None:
        values = row.values.get("source")
        if not values:
            return
        content = dict(values)
        content.setdefault("source_type", "other")
        if "title" not in content and content.get("url"):
            content["title"] = content["url"]
        sid = uuid5(f"{self.ns}/source/{threat_id}/{content.get('url') or content.get('title') or ''}")
        if sid not in batch.sources:
            content["links"] = [{"target": threat_id}]
            batch.sources[sid] = content
        batch.rows_of.setdefault(sid, []).append(row.number)
