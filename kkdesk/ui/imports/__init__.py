"""Bringing outside data in: legacy spreadsheets (File → Import spreadsheet…)."""
