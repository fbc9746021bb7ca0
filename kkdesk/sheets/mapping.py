"""The sheet mapping (a JSON file the user saves, reuses and shares):

    {"format": "kkdesk-sheet-mapping", "version": 1, "sheet": "2021", "header_row": 2,
     "columns": {"Дата": "incident.start_date", "ФИО": "victim.name_ru", ...},
     "values": {"incident.region": {"ЗКО": "west_kazakhstan"}},
     "defaults": {"incident.record_status": "verified"},
     "incident_key": null, "id_namespace": "optional"}

A target is `incident.`, `act.`, `victim.` (a person), `victim_org.` (an organisation),
`perpetrator.` or `source.` and a SPEC / interchange field of that entity.

Ids of the records made from rows are UUIDv5 under a namespace: `id_namespace` when the
mapping gives one, else the sheet name and the column assignments (not `values` nor
`defaults`, so that correcting those updates the same records)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kkdesk import schema as S
from kkdesk.canonical import dumps_document
from kkdesk.errors import InputError
from kkdesk.i18n import N_

FORMAT = "kkdesk-sheet-mapping"
VERSION = 1
ACT = S.THREAT.field("acts").child  # type: ignore[union-attr]
PERPETRATOR = ACT.field("perpetrators").child  # type: ignore[union-attr]
_COMMON_SKIP = {"id", "record_no"}
ENTITIES: dict[str, tuple[S.Entity, set[str]]] = {
    "incident": (S.THREAT, {"acts", "linked_cases"}),
    "act": (ACT, {"victim_person", "victim_organisation", "perpetrators", "case", "victim_type"}),  # type: ignore[dict-item]
    "victim": (S.PERSON, {"photo"}),
    "victim_org": (S.ORGANISATION, {"affiliations"}),
    "perpetrator": (PERPETRATOR, {"perpetrator_person", "perpetrator_organisation"}),  # type: ignore[dict-item]
    "source": (S.SOURCE, {"links", "archived_copy"}),
}
KEYS = {"format", "version", "sheet", "header_row", "columns", "values", "defaults", "incident_key", "id_namespace"}


def target_field(target: str) -> S.Field | None:
    """The schema field a target names, or None when it names none."""
    prefix, _, name = target.partition(".")
    entry = ENTITIES.get(prefix)
    if entry is None or name in _COMMON_SKIP or name in entry[1]:
        return None
    f = entry[0].field(name)
    if f is None or f.type in (S.CHILDREN, S.CHECKLIST, S.REF, S.REFS):
        return None
    return f


def all_targets() -> list[str]:
    out = []
    for prefix, (entity, _skip) in ENTITIES.items():
        for f in entity.fields:
            if target_field(f"{prefix}.{f.name}") is not None:
                out.append(f"{prefix}.{f.name}")
    return out


@dataclass
class Mapping:
    columns: dict[str, str]
    sheet: str | None = None
    header_row: int = 1
    values: dict[str, dict[str, str | None]] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    incident_key: str | None = None
    id_namespace: str | None = None

    def namespace(self) -> str:
        if self.id_namespace:
            return "kkdesk-sheet/" + self.id_namespace
        return "kkdesk-sheet/" + dumps_document({"sheet": self.sheet, "columns": self.columns})

    def to_json(self) -> dict:
        out: dict[str, Any] = {"format": FORMAT, "version": VERSION, "sheet": self.sheet, "header_row": self.header_row,
                               "columns": self.columns, "values": self.values, "defaults": self.defaults,
                               "incident_key": self.incident_key}
        if self.id_namespace:
            out["id_namespace"] = self.id_namespace
        return out

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n"

    def check_columns(self, header: list[str]) -> None:
        """Every column the mapping names must be in the header."""
        names = set(header)
        for col in [*self.columns, *([self.incident_key] if self.incident_key else [])]:
            if col not in names:
                raise InputError(N_("The mapping names the column '%(column)s', which the sheet does not have."), column=col)


def _bad(message: str, **params) -> InputError:
    return InputError(message, **params)


def from_json(data: Any) -> Mapping:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _bad(N_("The file is not a kkdesk sheet mapping."))
    if data.get("version") != VERSION:
        raise _bad(N_("Unsupported mapping version %(version)s."), version=str(data.get("version")))
    for key in data:
        if key not in KEYS:
            raise _bad(N_("The mapping has an unknown key '%(key)s'."), key=key)
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns or not all(isinstance(k, str) and isinstance(v, str)
                                                               for k, v in columns.items()):
        raise _bad(N_("The mapping's 'columns' must name at least one column and its field."))
    for col, target in columns.items():
        if target_field(target) is None:
            raise _bad(N_("The mapping names an unknown field '%(field)s' (column '%(column)s')."), field=target, column=col)
    values = data.get("values") or {}
    if not isinstance(values, dict):
        raise _bad(N_("The mapping's 'values' must be an object."))
    from kkdesk.vocab import vocabularies

    for target, table in values.items():
        f = target_field(target)
        if f is None or f.vocab is None:
            raise _bad(N_("The mapping names an unknown field '%(field)s' (column '%(column)s')."), field=target, column="values")
        if not isinstance(table, dict):
            raise _bad(N_("The mapping's 'values' must be an object."))
        for text, code in table.items():
            if code is not None and (not isinstance(code, str) or vocabularies().get(f.vocab, code) is None):
                raise _bad(N_("The mapping maps '%(text)s' to '%(code)s', which is not a code of %(vocabulary)s."),
                           text=text, code=str(code), vocabulary=f.vocab)
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise _bad(N_("The mapping's 'defaults' must be an object."))
    for target in defaults:
        if target_field(target) is None:
            raise _bad(N_("The mapping names an unknown field '%(field)s' (column '%(column)s')."), field=target, column="defaults")
    header_row = data.get("header_row", 1)
    if isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1:
        raise _bad(N_("The mapping's 'header_row' must be a row number (1 or more)."))
    key = data.get("incident_key")
    sheet = data.get("sheet")
    ns = data.get("id_namespace")
    if (key is not None and not isinstance(key, str)) or (sheet is not None and not isinstance(sheet, str)) or \
            (ns is not None and not isinstance(ns, str)):
        raise _bad(N_("The file is not a kkdesk sheet mapping."))
    return Mapping(columns=dict(columns), sheet=sheet, header_row=header_row, values={k: dict(v) for k, v in values.items()},
                   defaults=dict(defaults), incident_key=key, id_namespace=ns)


def load(path: str | Path) -> Mapping:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(N_("File not found: %(path)s"), path=str(path)) from None
    except (OSError, UnicodeDecodeError):
        raise InputError(N_("The file is not a kkdesk sheet mapping.")) from None
    try:
        data = json.loads(text)
    except ValueError:
        raise InputError(N_("The file is not a kkdesk sheet mapping.")) from None
    return from_json(data)
