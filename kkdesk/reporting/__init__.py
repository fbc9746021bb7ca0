"""The NGO's yearly report (SPEC §6): reports R1–R16 as data (no Qt), published figures,
and their outputs (JSON, XLSX, CSV, PDF with charts)."""
