"""PDF reports (reportlab platypus) in Kazakh, Russian or English, chosen per document.

    render(session, doc_type, ref, lang, public=False, org_name=None, **opts) -> bytes
    render_stats(session, lang, by=None, date_from=None, date_to=None, all_statuses=False, org_name=None) -> bytes
    write_pdf(data, path)            atomic write (temp file beside the target, then rename)
    render_batch(store, items, lang, public, out_dir, progress=None) -> BatchResult
    case_person_items(session, case_ref) -> [BatchItem]   one person sheet per party of a case

doc_type is one of person, case, hearing, medical (a record by UUID or record_no) or
stats. Everything is rendered in memory; nothing touches the disk but `write_pdf`.
Thread rule: a Session is not thread-safe — render on the thread that owns it
(`render_batch` opens its own sessions, one per document, on the calling thread)."""

from __future__ import annotations

from kkdesk.reports.api import (DOC_TYPES, BatchItem, BatchResult, case_person_items, check_target, render,
                                 render_batch, render_stats, write_pdf)

__all__ = ["DOC_TYPES", "BatchItem", "BatchResult", "case_person_items", "check_target", "render", "render_batch",
           "render_stats", "write_pdf"]
