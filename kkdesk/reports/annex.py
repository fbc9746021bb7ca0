"""The closing sections of every record sheet: sources citing the printed records,
their attachments (with SHA-256, never `sensitive_intimate` ones) and the
confidentiality notice."""

from __future__ import annotations

from sqlalchemy import select

from kkdesk.db.models import ENTITY_TABLES as T
from kkdesk.i18n import N_
from kkdesk.reports.common import EMPTY, Sheet

NOTICE_INTERNAL = N_(
    "This document contains confidential information about persons at risk. It is intended only for the "
    "purpose for which it was printed. Do not copy, forward or publish it, and destroy it when it is no "
    "longer needed. Contact data are never printed.")
NOTICE_PUBLIC = N_(
    "Public version: only records marked as public are included. Persons who have not consented to "
    "publication are identified by an alias or by initials; contact data and medical details without the "
    "examined person's consent are omitted.")


def _ids(sh: Sheet, column, ids: list[str], pick) -> list[tuple]:
    out: list[tuple] = []
    for i in range(0, len(ids), 500):
        out.extend(sh.session.execute(select(*pick).where(column.in_(ids[i:i + 500]))).all())
    return out


def sources(sh: Sheet, record_ids: dict[str, str]) -> list:
    """Sources linked to any of `record_ids` ({id: record_no}) as a section, or []."""
    link = T["source_link"].c
    found = _ids(sh, link.target, list(record_ids), (link.parent_id, link.target, link.locator))
    by_source: dict[str, list[str]] = {}
    for source_id, target, locator in found:
        ref = record_ids.get(target) or ""
        by_source.setdefault(source_id, []).append(f"{ref}, {locator}" if locator else ref)
    rows = []
    for source_id, cites in by_source.items():
        view = sh.get(source_id, "source")
        if view is None:
            continue
        c = view.content
        sh.include(c)
        title = c.get("title") or EMPTY
        if c.get("url"):
            title += "\n" + c["url"]
        rows.append((c.get("publication_date") or "", [
            sh.free(title, c.get("language") or c.get("entry_language")),
            sh.label("source_type", c.get("source_type")), c.get("author_or_publisher") or "",
            sh.date(c.get("publication_date")), sh.label("reliability", c.get("reliability")),
            "\n".join(sorted(set(cites)))]))
    if not rows:
        return []
    rows.sort(key=lambda r: r[0])
    head = [sh.field("source", "title"), sh.field("source", "source_type"), sh.field("source", "author_or_publisher"),
            sh._("Date"), sh.field("source", "reliability"), sh._("Cited for")]
    return [sh.section("sources"), sh.grid(head, [r for _, r in rows], [27, 13, 13, 12, 13, 22])]


def attachments(sh: Sheet, record_ids: dict[str, str]) -> list:
    """Attachments of `record_ids` with their SHA-256; intimate images are never listed."""
    att = T["attachment"].c
    found = _ids(sh, att.target_id, list(record_ids), (att.id, att.target_id))
    rows = []
    for att_id, target in found:
        view = sh.get(att_id, "attachment")
        if view is None or view.content.get("sensitive_intimate"):
            continue
        c = view.content
        sh.include(c)
        desc = c.get("original_filename") or EMPTY
        if c.get("description"):
            desc += "\n" + c["description"]
        rows.append((c.get("original_filename") or "", [
            sh.free(desc, c.get("entry_language")), sh.value("attachment", "kind", c.get("kind")),
            sh.number(c.get("size_bytes")), record_ids.get(target, ""),
            sh.p(c.get("sha256") or "", sh.st.cell_small)]))
    if not rows:
        return []
    rows.sort(key=lambda r: r[0])
    head = [sh._("File"), sh.field("attachment", "kind"), sh._("Size (bytes)"), sh._("Record"), "SHA-256"]
    return [sh.section("attachments"), sh.grid(head, [r for _, r in rows], [30, 11, 11, 15, 33], right=[2])]


def disclaimer(sh: Sheet) -> list:
    return [sh.section("disclaimer"), sh.notice(sh._(NOTICE_PUBLIC if sh.public else NOTICE_INTERNAL))]


def closing(sh: Sheet, record_ids: dict[str, str]) -> list:
    return sources(sh, record_ids) + attachments(sh, record_ids) + disclaimer(sh)
