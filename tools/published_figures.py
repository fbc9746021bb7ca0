"""Write resources/published_statistics.json: the rows of SPEC §6.3 as PublishedStatistic records.

    python tools/published_figures.py

The table is transcribed here once (one tuple a row, compound cells split into one
row per year or item); the JSON resource is what kkdesk ships and loads. Threat figures
of Kadir-Kassiyet are marked comparable with live counts (SPEC §1.1: kkdesk's counting
unit was chosen to reproduce them), everything else (polls, official statistics,
qualitative statements) is not."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "published_statistics.json"

KK = "Kadir-Kassiyet"
S0 = "Coalition for the Security and Protection of HRDs & Kadir-Kassiyet (S0)"
S1 = "KIBHR, Kadir-Kassiyet, Feminita, Children's Fund (S1)"
S2 = "IPHR & KIBHR (S2)"
S3 = "CCPR Centre / NGO coalition (S3)"
S4 = "Netherlands Helsinki Committee & Kadyr Kasiet (S4)"
CLS = "Committee on Legal Statistics and Special Records, via S0"


def year(y: int) -> tuple[str, str]:
    return f"{y}-01-01", f"{y}-12-31"


def rows() -> list[dict]:
    out: list[dict] = []

    def add(indicator, period, unit, publisher, source_ref, *, value=None, value_text=None, note=None,
            dimension=None, dimension_value=None, comparable=False):
        start, end = period
        row = {"indicator": indicator, "period_start": start, "period_end": end, "unit": unit,
               "publisher": publisher, "source_ref": source_ref, "comparable_with_live": comparable}
        for k, v in (("dimension", dimension), ("dimension_value", dimension_value), ("value", value),
                     ("value_text", value_text), ("note", note)):
            if v is not None:
                row[k] = v
        out.append(row)

    t = dict(unit="threat_cases", comparable=True)
    add("threat_cases_total", year(2011), publisher=KK + " via S4", source_ref="S4 §3", value="101",
        note="five months; the months are not stated", **t)
    add("threat_cases_total", year(2014), publisher=KK + " via S3", source_ref="S3", value="255",
        note="S0 §1 calls 259 “the annual figure for 2014” – discrepancy", **t)
    add("threat_cases_total", year(2016), publisher=KK + " via S1", source_ref="S1 §95", value="458", **t)
    add("threat_cases_total", year(2017), publisher=KK + " via S1", source_ref="S1 §95", value="487", **t)
    add("threat_cases_total", year(2018), publisher=KK + " via S1", source_ref="S1 §95", value="489",
        note="conflicts with 555 (S3; S4 §3)", **t)
    add("threat_cases_total", year(2018), publisher=KK + " via S3, S4", source_ref="S3; S4 §3", value="555",
        note="against 295 HRDs and 57 organisations", **t)
    add("persons_threatened", year(2018), "persons", KK + " via S3", "S3", value="295", comparable=True)
    add("organisations_threatened", year(2018), "organisations", KK + " via S3", "S3", value="57", comparable=True)
    for y, v in ((2019, "733"), (2020, "1414"), (2021, "1586")):
        add("threat_cases_total", year(y), publisher=KK + " via S0, S1", source_ref="S0 §1; S1 §95", value=v, **t)
    add("threat_cases_total", ("2022-01-01", "2022-11-30"), publisher=KK + " via S1", source_ref="S1 §95",
        value="800", value_text=">800", note="lower bound", **t)
    add("threat_cases_total", year(2022), publisher=KK + " via S0", source_ref="S0 §1", value="995", **t)
    add("threat_cases_total", year(2023), publisher=KK + " via S0", source_ref="S0 §1", value="374", **t)
    add("threat_cases_total", ("2024-01-01", "2024-05-31"), publisher=KK + " via S0", source_ref="S0 §1",
        value="259", **t)
    add("share_women", year(2017), "percent", KK + " via S1", "S1 §95", value="30", comparable=True)
    add("share_women", ("2022-01-01", "2022-11-30"), "percent", KK + " via S1", "S1 §95", value="34.6",
        note="11-month data; “men almost 2× women”", comparable=True)
    add("most_threatened_groups", ("2019-01-01", "2024-05-31"), "persons", S0, "S0 §2",
        dimension="target_group", value_text="civic_activist, journalist", note="qualitative")
    add("most_threatened_groups", year(2018), "persons", S3, "S3", dimension="target_group",
        value_text="civic_activist, journalist, trade_union_activist", note="qualitative")
    add("regions_most_cases", year(2018), "threat_cases", S3, "S3", dimension="region",
        value_text="almaty_city, astana, karaganda, mangystau, west_kazakhstan", note="qualitative")
    add("poll_threatened_due_to_work", year(2015), "percent", S3, "S3", value="61",
        note="poll of HRDs, sample size not stated")
    add("poll_threats_carried_out", year(2015), "percent", S3, "S3", value="17")
    add("state_inhibits_activity", year(2011), "percent", S3, "S3", value="84.5", value_text="84.5 (169 persons)")
    add("assaults_on_activists", ("2011-01-01", "2017-12-31"), "persons", S3 + "; " + S4, "S3; S4 §5", value="70",
        value_text="70 (2 fatal; 4 reached court)")
    add("hrds_tried_criminally", ("2015-01-01", "2017-12-31"), "persons", S4, "S4 §6", value="17",
        value_text="17 (5 acquitted)")
    offences = {"CC-174": ("82", "54", "58", "39", "49", "6"), "CC-405": ("40", "25", "70", "26", "21", "24"),
                "CC-274": ("40", "88", "51", "44", "34", "41"), "CC-400": ("1", "1", None, "5", "1", None)}
    for article, values in offences.items():
        for y, v in zip(range(2019, 2025), values):
            if v is None:
                continue
            period = ("2024-01-01", "2024-05-31") if y == 2024 and article == "CC-274" else year(y)
            note = None
            if y == 2024:
                note = "2024 = five months" if article == "CC-274" else "2024 partial"
            if article == "CC-274" and y != 2024:
                note = "S0 table header says “Code of Administrative Offenses” but lists CC articles"
            add("cc_article_offences", period, "criminal_offences_registered", CLS, "S0 (Committee on Legal Statistics)",
                dimension="legal_article", dimension_value=article, value=v, note=note)
    for y, persons, cases in ((2019, 241, 367), (2020, 143, 276), (2021, 162, 288), (2022, 111, 237), (2023, 89, 275)):
        add("extremism_terrorism_persons", year(y), "persons", S0, "S0 fn 13", value=str(persons),
            value_text=f"{persons}/{cases}", note="23 CC articles")
        add("extremism_terrorism_cases", year(y), "criminal_cases", S0, "S0 fn 13", value=str(cases),
            value_text=f"{persons}/{cases}", note="23 CC articles")
    for y, cases, conv in ((2015, 34, 2), (2016, 51, 5), (2017, 21, 6), (2018, 15, 5)):
        add("defamation_cases_initiated", year(y), "criminal_cases", S3, "S3", value=str(cases),
            value_text=f"{cases} ({conv})", note=f"{conv} convictions")
    add("torture_reports", ("2019-01-01", "2019-06-30"), "criminal_cases", S3, "S3", value="119",
        value_text="119 registered; 13 to court; 258 terminated", note="prosecutor's statistics")
    add("january_2022_deaths", year(2022), "persons", S1 + "; " + S0 + "; " + S2, "S1 §23; S0 §4; S2", value="238",
        value_text="238 on official list (19 law-enforcement); “>230 killed”")
    add("officials_convicted_january_2022", ("2022-01-01", "2024-01-10"), "persons", S2, "S2", value="34",
        value_text="34 (42 more sent to court; 7 on trial)", note="to early January 2024")
    add("foreign_funding_register_entries", ("2023-09-01", "2024-06-30"), "persons", S0 + "; " + S2, "S0 §7; S2",
        value_text="239 → 192 (S0); 240 (S2)")
    add("ngos_prosecuted_cao_460_1", ("2020-10-01", "2020-10-31"), "organisations", S0, "S0 §5", value="20",
        value_text=">20", note="lower bound")
    add("foreign_activists_persecuted", year(2024), "persons", S0, "S0 §9", value="11")
    survey = (("DS01_badge_shown", "43", "badge / service ID not shown"), ("DS04_force_used", "63", "force used"),
              ("DS05_video_recorded", "90", "detention not video-recorded"),
              ("DS06_actual_time_recorded", "60", "actual time not correctly recorded; gap up to 8 days"),
              ("DS12_incommunicado", "30", "held incommunicado"),
              ("DS13_lawyer_of_choice", "76", "could not call a lawyer of their choosing"),
              ("DS14_confidential_meeting_24h", "62", "no confidential meeting within 24 hours"),
              ("DS15_medical_check_after_detention", "60", "no medical check-up after detention (22 % unknown)"),
              ("DS16_beaten_during_delivery", "55", "beaten during delivery"),
              ("DS17_medical_check_on_admission", "72", "examined on admission"),
              ("DS18_injuries_recorded", "43", "injuries recorded by medical staff"))
    for item, v, what in survey:
        add("detention_survey_share", ("2022-01-01", "2022-01-31"), "percent", S1, "S1 §29-43",
            dimension="detention_safeguard", dimension_value=item, value=v,
            note=f"{what}; survey of 63 advocates, August 2022")
    return out


def main() -> None:
    doc = {"_meta": {"source": "SPEC.md §6.3 (kkdesk domain specification v0.1)", "version": 1,
                     "generated_by": "tools/published_figures.py"},
           "published_statistics": rows()}
    OUT.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(doc['published_statistics'])} rows -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
