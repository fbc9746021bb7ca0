"""The report catalogue of SPEC §6.2: id -> builder, and running one."""

from __future__ import annotations

from typing import Callable

from sqlalchemy.orm import Session

from kkdesk.errors import InputError
from kkdesk.i18n import N_
from kkdesk.reporting import custody, proceedings, regions, threats, trend
from kkdesk.reporting.model import Options, Report

BUILDERS: dict[str, Callable[[Session, Options], Report]] = {
    "R1": threats.r1, "R2": threats.r2, "R3": threats.r3, "R4": threats.r4, "R5": threats.r5, "R6": threats.r6,
    "R7": threats.r7, "R8": threats.r8, "R9": threats.r9, "R10": proceedings.r10, "R11": proceedings.r11,
    "R12": proceedings.r12, "R13": proceedings.r13, "R14": custody.r14, "R15": custody.r15, "R16": trend.r16,
}
IDS = tuple(BUILDERS)
TITLES = {  # the same msgids the builders give their reports
    "R1": N_("Threat cases per year"), "R2": N_("Threat cases by target group"), "R3": N_("Threat cases by gender"),
    "R4": N_("Threat cases by type"), "R5": N_("Threat cases by perpetrator type"), "R6": N_("Threat cases by region"),
    "R7": N_("Target group × category of threat"),
    "R8": N_("Threats carried out and acts linked to human rights work"),
    "R9": N_("Physical attacks and deaths by state response"), "R10": N_("Prosecutions by legal article"),
    "R11": N_("Case outcomes and sentences"), "R12": N_("Hearings observed"), "R13": N_("Fair-trial concerns"),
    "R14": N_("Detention safeguards"), "R15": N_("Medical documentation"),
    "R16": N_("Trend sheet: live counts and published figures"),
}
UNKNOWN = N_("Unknown report '%(id)s'. Use one of R1 to R16, or all.")


def normalise_id(report_id: str) -> str:
    rid = (report_id or "").strip().upper()
    if rid not in BUILDERS:
        raise InputError(UNKNOWN, id=report_id)
    return rid


def run(session: Session, report_id: str, options: Options) -> Report:
    if options.regions not in regions.MODES:
        raise InputError(N_("Unknown region mapping '%(value)s'. Use at-time or current."), value=options.regions)
    return BUILDERS[normalise_id(report_id)](session, options)


def run_all(session: Session, options: Options) -> list[Report]:
    return [run(session, rid, options) for rid in IDS]
