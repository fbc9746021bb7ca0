"""The Istanbul Protocol's levels of consistency (IP 2022, SPEC §5.2) and their definitions.

The msgids are vocab:istanbul_consistency's `definition_en` (a test checks it), with kk/ru
in the catalogue. The medical form shows them as help; the medical report prints them
under its table of levels."""

from __future__ import annotations

from kkdesk.i18n import N_

CONSISTENCY_DEFINITIONS = {
    "not_consistent": N_("The finding could not have been caused by the alleged torture or ill-treatment."),
    "consistent": N_("The finding could have been caused by the alleged torture or ill-treatment, but it is "
                     "non-specific and there are many other possible causes."),
    "highly_consistent": N_("The finding could have been caused by the alleged torture or ill-treatment and there "
                            "are few other possible causes."),
    "typical": N_("The finding is usually observed with this type of alleged torture or ill-treatment, but there "
                  "are other possible causes (IP notes this level is not commonly used)."),
    "diagnostic": N_("The finding could not have been caused in any way other than that described."),
}
