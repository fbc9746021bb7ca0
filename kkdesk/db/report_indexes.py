"""Covering indexes of the yearly reports (R1–R9 at a million acts, kkdesk.reporting).

Each report groups by the year and one dimension; an index in that order lets SQLite
stream the groups instead of sorting a million index entries in a temporary b-tree,
and counts distinct victims per year from one ordered range. Shared by the models
and migrations 0007 and 0009 (which gave the region and physical indexes their current
columns) so that the two cannot drift apart."""

from __future__ import annotations

# name -> (table, columns, partial WHERE or None)
REPORT_INDEXES: dict[str, tuple[str, tuple[str, ...], str | None]] = {
    "ix_threat_act_rep_gender": ("threat_act", ("s_key", "s_year", "s_gender", "s_day"), None),
    "ix_threat_act_rep_type": ("threat_act", ("s_key", "s_year", "s_type", "s_day"), None),
    "ix_threat_act_rep_region": ("threat_act", ("s_key", "s_year", "s_region", "s_cregion", "s_day"),
                                 None),
    "ix_threat_act_rep_group_type": ("threat_act", ("s_key", "s_tg", "s_type", "s_day"), None),
    "ix_threat_act_rep_person": ("threat_act", ("s_key", "s_year", "s_person", "s_day"), "s_person IS NOT NULL"),
    "ix_threat_act_rep_org": ("threat_act", ("s_key", "s_year", "s_org", "s_day"), "s_org IS NOT NULL"),
    "ix_threat_act_rep_answers": ("threat_act", ("s_key", "s_year", "linked_to_hr_activity", "threat_carried_out",
                                                 "threat_type", "s_day"), None),
    "ix_threat_act_rep_physical": ("threat_act", ("threat_type", "s_key", "s_year", "s_resp", "s_day"), None),
    "ix_act_perpetrator_rep_type": ("act_perpetrator", ("s_key", "s_ptype", "s_year", "s_act", "s_day"), None),
}

# the two indexes as migration 0007 made them, before 0009 gave the acts s_cregion and s_resp
CHANGED_IN_0009 = ("ix_threat_act_rep_region", "ix_threat_act_rep_physical")
INDEXES_0007 = {**REPORT_INDEXES,
                "ix_threat_act_rep_region": ("threat_act", ("s_key", "s_year", "s_region", "s_day"), None),
                "ix_threat_act_rep_physical": ("threat_act", ("threat_type", "s_key", "s_year", "s_day", "parent_id"),
                                               None)}
