"""A first mapping guessed from a sheet: the header row (the first row, of the first few,
whose cells name most fields), each header matched to a field by the kk / ru / en names
people give such columns and by the field labels of the forms, and every cell text of a
coded column that does not map by itself listed under `values` with null for the user
to fill in."""

from __future__ import annotations

from kkdesk.i18n import LANGS, gettext_for
from kkdesk.labels import field_label
from kkdesk.sheets.cells import cell_text, header_names
from kkdesk.sheets.mapping import ENTITIES, Mapping, all_targets, target_field
from kkdesk.sheets.readers import Workbook
from kkdesk.sheets.terms import TermMatcher, fold_text, matcher

HEADER_ROWS = 10       # where the header may be
SCAN_ROWS = 5000       # rows read for value suggestions
MAX_VALUES = 200       # distinct unmapped texts listed per column

# what legacy sheets call their columns (folded when compared)
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "incident.start_date": ("дата", "дата угрозы", "дата инцидента", "дата события", "күні", "күн", "уақыты", "date",
                            "date of incident"),
    "incident.description": ("описание", "описание угрозы", "суть", "что произошло", "сипаттама", "сипаттамасы",
                             "description", "details"),
    "incident.title": ("название", "заголовок", "тақырып", "атауы", "title"),
    "incident.region": ("регион", "область", "облыс", "өңір", "аймақ", "region", "oblast"),
    "incident.locality": ("населенный пункт", "город", "нас пункт", "елді мекен", "қала", "locality", "city", "town"),
    "incident.record_status": ("статус", "статус записи", "мәртебесі", "status"),
    "incident.online": ("онлайн", "в интернете", "online"),
    "incident.state_response": ("реакция государства", "реакция властей", "мемлекет әрекеті", "state response"),
    "victim.name_ru": ("фио", "ф и о", "потерпевший", "пострадавший", "имя", "фамилия имя", "жертва", "фио потерпевшего"),
    "victim.name_kk": ("аты жөні", "т а ә", "аты-жөні", "зардап шегуші"),
    "victim.name_latin": ("name", "full name", "victim", "victim name"),
    "victim.gender": ("пол", "жынысы", "жыныс", "gender", "sex"),
    "victim.birth_date": ("год рождения", "дата рождения", "г р", "туған жылы", "туған күні", "birth year",
                          "date of birth", "born"),
    "victim.occupation": ("род занятий", "профессия", "должность", "кәсібі", "occupation", "profession"),
    "victim.residence_region": ("регион проживания", "место жительства", "тұратын өңірі", "residence"),
    "victim_org.name_ru": ("организация", "название организации", "ұйым", "ұйым атауы", "organisation", "organization"),
    "act.target_group_at_time": ("категория", "группа", "целевая группа", "категория потерпевшего", "санаты", "тобы",
                                 "category", "target group", "group"),
    "act.threat_type": ("вид угрозы", "тип угрозы", "угроза", "вид нарушения", "нарушение", "қауіп түрі", "қауіп",
                        "threat", "threat type", "type of threat", "violation"),
    "act.threat_carried_out": ("угроза осуществлена", "исполнена", "орындалды", "carried out"),
    "perpetrator.perpetrator_type": ("кто угрожал", "угрожающий", "нарушитель", "субъект угрозы", "кто", "қауіп төндірген",
                                     "кім", "бұзушы", "perpetrator", "perpetrator type", "who"),
    "perpetrator.description": ("нарушитель подробно", "о нарушителе", "perpetrator details"),
    "source.url": ("источник", "ссылка", "url", "сілтеме", "дереккөз", "source", "link"),
    "source.title": ("название источника", "дереккөз атауы", "source title"),
    "source.source_type": ("тип источника", "дереккөз түрі", "source type"),
}
_PREFIX_KIND = {"incident": "threat", "act": "threat_act", "victim": "person", "victim_org": "organisation",
                "perpetrator": "act_perpetrator", "source": "source"}


def _header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for target in all_targets():  # the forms' own labels, weakest
        prefix, _, name = target.partition(".")
        if prefix == "victim_org" and name in ("region", "locality"):
            continue
        for lang in LANGS:
            index.setdefault(fold_text(gettext_for(lang)(field_label(_PREFIX_KIND[prefix], name))), target)
    for target, names in HEADER_SYNONYMS.items():
        for name in names:
            index[fold_text(name)] = target
    return index


def guess_target(header: str, index: dict[str, str] | None = None) -> str | None:
    return (index or _header_index()).get(fold_text(header))


def suggest(wb: Workbook, sheet: str | None = None) -> Mapping:
    sheet = wb.check_sheet(sheet)
    index = _header_index()
    best: tuple[int, int, list[str]] | None = None
    rows = wb.rows(sheet)
    for number, cells in rows:
        if number > HEADER_ROWS:
            break
        names = header_names(cells)
        hits = sum(1 for n in names if n in index or fold_text(n) in index)
        if hits and (best is None or hits > best[0]):
            best = (hits, number, names)
    header_row, header = (best[1], best[2]) if best else (1, [])
    columns: dict[str, str] = {}
    used: set[str] = set()
    for name in header:
        target = index.get(fold_text(name))
        if target and target not in used:
            columns[name] = target
            used.add(target)
    values = unmapped_values(wb, sheet, header_row, header, columns)
    return Mapping(columns=columns, sheet=None if wb.kind == "csv" else sheet, header_row=header_row, values=values,
                   defaults={}, incident_key=None)


def unmapped_values(wb: Workbook, sheet: str, header_row: int, header: list[str], columns: dict[str, str],
                    known: dict[str, dict[str, str | None]] | None = None) -> dict[str, dict[str, str | None]]:
    """Per coded target, the cell texts (of the first SCAN_ROWS rows) that map to no term
    by themselves; a choice already made in `known` is kept."""
    known = known or {}
    values: dict[str, dict[str, str | None]] = {}
    coded = [(i, columns[name]) for i, name in enumerate(header)
             if name in columns and target_field(columns[name]).vocab]  # type: ignore[union-attr]
    for number, cells in wb.rows(sheet):
        if number <= header_row:
            continue
        if number > header_row + SCAN_ROWS:
            break
        for i, target in coded:
            text = cell_text(cells[i]) if i < len(cells) else ""
            if not text:
                continue
            f = target_field(target)
            table = values.setdefault(target, {})
            if text in table or len(table) >= MAX_VALUES:
                continue
            if text in known.get(target, {}):
                table[text] = known[target][text]
                continue
            code = matcher(f.vocab, f.leaf_only).match(text)  # type: ignore[union-attr]
            if code is None or code == TermMatcher.AMBIGUOUS:
                table[text] = None
    return {t: v for t, v in values.items() if v}


__all__ = ["suggest", "guess_target", "unmapped_values", "HEADER_SYNONYMS", "ENTITIES"]
