"""Import of legacy spreadsheets (XLSX, CSV, ODS) through a column and value mapping.

readers   — rows streamed from a file, with encoding and delimiter detection for CSV
mapping   — the saved mapping (kkdesk-sheet-mapping JSON), its checks and the guess
labels    — cell texts folded and matched to vocabulary terms (kk / ru / en, synonyms)
dates     — the date forms people type
persons   — victims matched to existing persons or earlier rows without duplicates
rows      — one row's cells into interchange records
importer  — batches of rows through the interchange import, the report"""
