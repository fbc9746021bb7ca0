"""R1–R9 (SPEC §6.2): threat cases, counted by the rules of SPEC §6.1.

Counts come from the integer statistics columns of the projection, along the report
indexes (`kkdesk.reporting.acts`), by the rule of `kkdesk.stats`:
acts with `counted_in_statistics` of verified incidents (every status with the
switch), in the period of their date, undated acts in their own row (`year: None`)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.orm import Session

from kkdesk.i18n import N_
from kkdesk.reporting import acts
from kkdesk.reporting import regions as R
from kkdesk.reporting.model import DIM, PERCENT, Chart, Column, Note, Options, Report, share
from kkdesk.vocab import vocabularies

YEAR = Column("year", N_("Year"), DIM)
CASES = Column("cases", N_("Threat cases"))
PERPETRATOR_NOTE = N_("An act counts once for each distinct perpetrator type, so the totals of this table can exceed "
                      "the number of threat cases.")
OTHER_GROUP_NOTE = N_("Acts against the group “other / not classified” are not part of the eight-group table: %(n)s.")
UNDATED_NOTE = N_("Acts without a known date are counted in the row without a year.")
CARRIED_OUT_TYPES = ("threat", "death_threat", "threat_relatives", "blackmail")
PHYSICAL_TYPES = ("physical_attack", "death")


def _year_key(y):
    return (y is None, y or 0)


def r1(session: Session, o: Options) -> Report:
    code = acts.codes(session)
    gender: dict = defaultdict(lambda: defaultdict(int))
    for (y, g), n in acts.grouped(session, o, ["s_year", "s_gender"], "ix_threat_act_rep_gender").items():
        gender[y][code.get(g)] += n
    persons = {k[0]: n for k, n in acts.grouped(session, o, ["s_year"], "ix_threat_act_rep_person",
                                                distinct="s_person").items()}
    orgs = {k[0]: n for k, n in acts.grouped(session, o, ["s_year"], "ix_threat_act_rep_org", distinct="s_org").items()}
    rows = []
    for y in sorted(gender, key=_year_key):
        g = gender[y]
        known = g["female"] + g["male"] + g["other"]
        rows.append({"year": y, "cases": sum(g.values()), "persons": persons.get(y, 0), "organisations": orgs.get(y, 0),
                     "women": g["female"], "men": g["male"], "gender_other": g["other"], "gender_unknown": g["unknown"],
                     "share_women": share(g["female"], known)})
    cols = [YEAR, CASES, Column("persons", N_("Persons")), Column("organisations", N_("Organisations")),
            Column("women", N_("Women")), Column("men", N_("Men")), Column("gender_other", N_("Other gender")),
            Column("gender_unknown", N_("Gender unknown")), Column("share_women", N_("Share of women"), PERCENT)]
    notes = [Note(N_("Share of women: acts against women among acts against persons of known gender (women, men, "
                     "other); acts against persons of unknown gender are counted apart.")),
             Note(N_("Persons and organisations are distinct victims of the year; a victim threatened in several "
                     "years counts in each, so they do not add up across years.")),
             Note(UNDATED_NOTE)]
    return Report("R1", N_("Threat cases per year"), o, cols, rows, notes, Chart("bar", "year", "cases"))


# (s_year, dimension) in this order: the statistics index for the target group, a report index otherwise
BY_YEAR_INDEX = {"s_tg": "ix_threat_act_stat", "s_gender": "ix_threat_act_rep_gender", "s_type": "ix_threat_act_rep_type",
                 "s_region": "ix_threat_act_rep_region"}


def _by_year(session: Session, o: Options, dim: str) -> list[dict]:
    col = {"target_group": "s_tg", "gender": "s_gender", "threat_type": "s_type", "region": "s_region"}[dim]
    code = acts.codes(session)
    return [{dim: code.get(v), "year": y, "cases": n}
            for (y, v), n in acts.grouped(session, o, ["s_year", col], BY_YEAR_INDEX[col]).items()]


def _order(vocab: str) -> dict[str, int]:
    return {t.code: i for i, t in enumerate(vocabularies().terms(vocab))}


def _sorted(rows: list[dict], keys: list[tuple[str, str | None]]) -> list[dict]:
    orders = {k: _order(v) for k, v in keys if v}

    def key(r):
        out = []
        for k, v in keys:
            if k == "year":
                out.append(_year_key(r[k]))
            else:
                out.append((r[k] is None, orders.get(k, {}).get(r[k], 9999) if v else 0, r[k] or ""))
        return tuple(out)

    return sorted(rows, key=key)


def r2(session: Session, o: Options) -> Report:
    rows = _by_year(session, o, "target_group")
    other = sum(r["cases"] for r in rows if r["target_group"] == "other")
    rows = _sorted([r for r in rows if r["target_group"] != "other"], [("target_group", "target_group"), ("year", None)])
    notes = [Note(OTHER_GROUP_NOTE, {"n": other})] if other else []
    cols = [Column("target_group", N_("Target group at the time"), DIM, "target_group"), YEAR, CASES]
    return Report("R2", N_("Threat cases by target group"), o, cols, rows, notes,
                  Chart("stacked", "year", "cases", "target_group"))


def r3(session: Session, o: Options) -> Report:
    rows = _sorted(_by_year(session, o, "gender"), [("gender", "gender"), ("year", None)])
    men = sum(r["cases"] for r in rows if r["gender"] == "male")
    women = sum(r["cases"] for r in rows if r["gender"] == "female")
    notes = []
    if men and women:
        notes.append(Note(N_("Ratio of men to women: %(ratio)s : 1"), {"ratio": round(men / women, 2)}))
    cols = [Column("gender", N_("Gender at the time"), DIM, "gender"), YEAR, CASES]
    return Report("R3", N_("Threat cases by gender"), o, cols, rows, notes, Chart("stacked", "year", "cases", "gender"))


def r4(session: Session, o: Options) -> Report:
    voc = vocabularies()
    leaves = _by_year(session, o, "threat_type")
    cats: dict = defaultdict(int)
    rows = []
    for r in leaves:
        cat = voc.category_of("threat_type", r["threat_type"]) if r["threat_type"] else None
        rows.append({"level": "type", "category": cat, "threat_type": r["threat_type"], "year": r["year"],
                     "cases": r["cases"]})
        cats[(cat, r["year"])] += r["cases"]
    rows += [{"level": "category", "category": c, "threat_type": c, "year": y, "cases": n} for (c, y), n in cats.items()]
    order = _order("threat_type")
    rows.sort(key=lambda r: (order.get(r["category"], 9999), r["level"] != "category", order.get(r["threat_type"], 9999),
                             _year_key(r["year"])))
    cols = [Column("level", N_("Level"), DIM), Column("category", N_("Category"), DIM, "threat_type"),
            Column("threat_type", N_("Threat type"), DIM, "threat_type"), YEAR, CASES]
    notes = [Note(N_("Threat types are recorded at leaf level; rows of level “category” add up the types of each "
                     "category."))]
    other = sum(r["cases"] for r in rows if r["level"] == "type" and r["threat_type"] == "other")
    if other:
        notes.append(Note(N_("Acts of the type “other” are not classified further: %(n)s."), {"n": other}))
    return Report("R4", N_("Threat cases by type"), o, cols, rows, notes,
                  Chart("stacked", "year", "cases", "category"))


def r5(session: Session, o: Options) -> Report:
    voc = vocabularies()
    rows = []
    code = acts.codes(session)
    # an act counts once per distinct perpetrator type: distinct acts per (type, year)
    for (ptype, y), n in acts.grouped(session, o, ["s_ptype", "s_year"], "ix_act_perpetrator_rep_type",
                                      table="act_perpetrator", distinct="s_act").items():
        pt = code.get(ptype)
        cat = voc.category_of("perpetrator_type", pt) if pt else None
        rows.append({"category": cat, "perpetrator_type": pt, "year": y, "cases": n})
    order = _order("perpetrator_type")
    rows.sort(key=lambda r: (order.get(r["category"], 9999), order.get(r["perpetrator_type"], 9999), _year_key(r["year"])))
    cols = [Column("category", N_("Category"), DIM, "perpetrator_type"),
            Column("perpetrator_type", N_("Perpetrator type"), DIM, "perpetrator_type"), YEAR, CASES]
    return Report("R5", N_("Threat cases by perpetrator type"), o, cols, rows, [Note(PERPETRATOR_NOTE)],
                  Chart("stacked", "year", "cases", "category"))


def r6(session: Session, o: Options) -> Report:
    notes = []
    if o.regions == R.CURRENT:  # the act's region today (s_cregion, kept by the projection)
        code = acts.codes(session)
        merged: dict = defaultdict(int)
        for (y, _region, now), n in acts.grouped(session, o, ["s_year", "s_region", "s_cregion"],
                                                    "ix_threat_act_rep_region").items():
            merged[(code.get(now), y)] += n
        rows = [{"region": k[0], "year": k[1], "cases": n} for k, n in merged.items()]
        notes.append(Note(N_("Regions: current regions. Acts recorded under South Kazakhstan (until 19.06.2018), East "
                             "Kazakhstan, Almaty Region and Karaganda (until 08.06.2022) are counted in the region their "
                             "locality belongs to today (Shymkent, Turkistan, Abai, Jetisu, Ulytau).")))
    else:
        rows = _by_year(session, o, "region")
        notes.append(Note(N_("Regions: as at the time of the act.")))
    rows = _sorted(rows, [("region", "region"), ("year", None)])
    cols = [Column("region", N_("Region"), DIM, "region"), YEAR, CASES]
    return Report("R6", N_("Threat cases by region"), o, cols, rows, notes, Chart("stacked", "year", "cases", "region"))


def r7(session: Session, o: Options) -> Report:
    voc = vocabularies()
    cells: dict = defaultdict(int)
    code = acts.codes(session)
    for (tg, ttype), n in acts.grouped(session, o, ["s_tg", "s_type"], "ix_threat_act_rep_group_type").items():
        tt = code.get(ttype)
        cat = voc.category_of("threat_type", tt) if tt else None
        cells[(code.get(tg), cat)] += n
    rows = _sorted([{"target_group": g, "category": c, "cases": n} for (g, c), n in cells.items()],
                   [("target_group", "target_group"), ("category", "threat_type")])
    cols = [Column("target_group", N_("Target group at the time"), DIM, "target_group"),
            Column("category", N_("Category of threat"), DIM, "threat_type"), CASES]
    return Report("R7", N_("Target group × category of threat"), o, cols, rows, [], Chart("heat", "category", "cases",
                                                                                        "target_group"))


def r8(session: Session, o: Options) -> Report:
    types = ", ".join(f"'{t}'" for t in CARRIED_OUT_TYPES)
    rows = []
    for measure, cond in (("threat_carried_out", f"threat_type IN ({types})"), ("linked_to_hr_activity", "")):
        counts: dict = defaultdict(int)
        for (y, answer), n in acts.grouped(session, o, ["s_year", measure], "ix_threat_act_rep_answers",
                                           extra=cond).items():
            counts[(y, answer or "unknown")] += n
        totals: dict = defaultdict(int)
        for (y, _), n in counts.items():
            totals[y] += n
        for (y, answer), n in counts.items():
            rows.append({"question": measure, "answer": answer, "year": y, "cases": n, "share": share(n, totals[y])})
    order = _order("answer")
    rows.sort(key=lambda r: (r["question"] != "threat_carried_out", _year_key(r["year"]), order.get(r["answer"], 9)))
    cols = [Column("question", N_("Question"), DIM), Column("answer", N_("Answer"), DIM, "answer"), YEAR, CASES,
            Column("share", N_("Share of the year's cases"), PERCENT)]
    notes = [Note(N_("“Carried out” is asked of threats, death threats, threats against relatives and blackmail only."))]
    return Report("R8", N_("Threats carried out and acts linked to human rights work"), o, cols, rows, notes,
                  Chart("stacked", "year", "cases", "answer"))


def r9(session: Session, o: Options) -> Report:
    types = ", ".join(f"'{t}'" for t in PHYSICAL_TYPES)
    code = acts.codes(session)
    counts: dict = defaultdict(int)
    # the incident's state response is copied to its acts (s_resp): one covering index range
    for (t, y, sr), n in acts.grouped(session, o, ["threat_type", "s_year", "s_resp"], "ix_threat_act_rep_physical",
                                      extra=f"threat_type IN ({types})").items():
        counts[(t, code.get(sr) or "unknown", y)] += n
    rows = [{"threat_type": t, "state_response": sr, "year": y, "cases": n} for (t, sr, y), n in counts.items()]
    rows = _sorted(rows, [("threat_type", "threat_type"), ("state_response", "state_response"), ("year", None)])
    cols = [Column("threat_type", N_("Threat type"), DIM, "threat_type"),
            Column("state_response", N_("State response"), DIM, "state_response"), YEAR, CASES]
    notes = [Note(N_("Physical attacks and deaths; the state response is that recorded on the incident."))]
    return Report("R9", N_("Physical attacks and deaths by state response"), o, cols, rows, notes,
                  Chart("stacked", "state_response", "cases", "threat_type"))
