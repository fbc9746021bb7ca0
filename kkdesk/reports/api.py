"""Entry points of the report package (re-exported by `kkdesk.reports`)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from sqlalchemy.orm import Session

from kkdesk import records
from kkdesk.atomicfile import replacing
from kkdesk.errors import Cancelled, InputError, KkdeskError, NotFoundError
from kkdesk.i18n import LANGS, N_
from kkdesk.reports import layout
from kkdesk.reports.common import Sheet, short_rev

DOC_TYPES = ("person", "case", "hearing", "medical", "stats")
RECORD_DOCS = {"person": "person", "case": "case", "hearing": "hearing", "medical": "medical"}
WRONG_KIND = {
    "person": N_("Record %(id)s is not a person."),
    "case": N_("Record %(id)s is not a case."),
    "hearing": N_("Record %(id)s is not a hearing observation."),
    "medical": N_("Record %(id)s is not a medical examination."),
}


def _builder(doc_type: str):
    from kkdesk.reports import case, hearing, medical, person

    return {"person": person.build, "case": case.build, "hearing": hearing.build, "medical": medical.build}[doc_type]


def _org_name(session: Session, org_name: str | None) -> str:
    if org_name is not None:
        return org_name
    from kkdesk.db.models import Meta

    row = session.get(Meta, "org_name")
    return row.value if row is not None and row.value else ""


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise InputError(N_("Unknown language: %(lang)s"), lang=lang)


def render(session: Session, doc_type: str, ref: str | None, lang: str, public: bool = False,
           org_name: str | None = None, **opts) -> bytes:
    """The PDF of one document, as bytes. `ref` is a record's UUID or record_no (ignored
    for "stats", whose options are those of `render_stats`). `org_name` defaults to the
    profile setting `org_name`. Raises NotFoundError / InputError with translatable
    messages; never writes anything."""
    latin = lang == "kk-Latn"  # Kazakh in the Latin alphabet of 2021 (kkdesk.reporting.latinstory)
    _check_lang("kk" if latin else lang)
    if doc_type == "stats":
        return render_stats(session, lang, org_name=org_name, **opts)
    if doc_type not in RECORD_DOCS:
        raise InputError(N_("Unknown document type: %(doc)s"), doc=doc_type)
    if not ref:
        raise InputError(N_("Name the record to print (its number or identifier)."))
    found = records.find(session, ref)
    if found.kind != RECORD_DOCS[doc_type]:
        raise InputError(WRONG_KIND[doc_type], id=ref)
    view = records.get(session, found.id)
    if view.deleted:
        raise NotFoundError(N_("Record %(id)s has been deleted."), id=ref)
    if public and view.content.get("confidentiality") != "public":
        raise InputError(N_("Record %(id)s is not marked public; it cannot be printed in public mode."),
                         id=view.record_no or ref)
    if latin:
        from kkdesk.reporting.latinstory import LatinSheet

        sheet = LatinSheet(session, public)
    else:
        sheet = Sheet(session, lang, public)  # type: ignore[assignment]
    title, story = _builder(doc_type)(sheet, view)
    reference = sheet._("Record %(no)s · revision %(rev)s") % {"no": view.record_no or view.id, "rev": short_rev(view.head)}
    if view.sealed:
        reference += " " + sheet._("(sealed)")
    if view.conflict:
        reference += " " + sheet._("(conflicting versions exist)")
    info = layout.PageInfo(org_name=_org_name(session, org_name), title=title, marking=sheet.marking,
                           reference=reference, printed=sheet.printed(), page_of=sheet._("Page %(page)d of %(pages)d"),
                           pdf_title=f"{title} {view.record_no or ''}".strip(), lang=lang)
    if latin:
        from kkdesk.reporting.latin import to_latin
        from kkdesk.reporting.latinstory import latinise

        latinise(story)
        info = layout.PageInfo(**{k: to_latin(v) if k != "lang" else v for k, v in vars(info).items()})
    return layout.build(story, info)


def render_stats(session: Session, lang: str, by: list[str] | str | None = None, date_from: str | None = None,
                 date_to: str | None = None, all_statuses: bool = False, org_name: str | None = None,
                 public: bool = False) -> bytes:
    """The statistics report: SPEC §6.2 R1–R6 for the period, or one table `by` the
    given dimensions. Aggregates only: no names are printed, so public mode changes
    only the marking."""
    from kkdesk.reports import statistics

    latin = lang == "kk-Latn"
    _check_lang("kk" if latin else lang)
    sheet = Sheet(session, "kk" if latin else lang, public)
    title, story = statistics.build(sheet, by=by, date_from=date_from, date_to=date_to, all_statuses=all_statuses)
    info = layout.PageInfo(org_name=_org_name(session, org_name), title=title, marking=sheet.marking, reference="",
                           printed=sheet.printed(), page_of=sheet._("Page %(page)d of %(pages)d"), pdf_title=title,
                           lang=lang)
    if latin:
        from kkdesk.reporting.latin import to_latin
        from kkdesk.reporting.latinstory import latinise

        latinise(story)
        info = layout.PageInfo(**{k: to_latin(v) if k != "lang" else v for k, v in vars(info).items()})
    return layout.build(story, info)


def check_target(path: str | os.PathLike[str]) -> Path:
    """Refuse a target that is a folder, lies in a missing folder or cannot be written."""
    target = Path(path)
    if target.is_dir():
        raise InputError(N_("%(path)s is a folder; give a file name."), path=str(target))
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(N_("The folder %(path)s does not exist."), path=str(parent))
    if not _can_create_in(parent) or (target.exists() and not os.access(target, os.W_OK)):
        raise InputError(N_("%(path)s cannot be written: permission denied."), path=str(target))
    return target


def _can_create_in(folder: Path) -> bool:
    """Try it: on Windows os.access sees the read-only flag, not the folder's ACL."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def write_pdf(data: bytes, path: str | os.PathLike[str]) -> Path:
    """Write `data` to `path` atomically: a temp file beside it, fsync, rename."""
    target = check_target(path)
    with replacing(target) as fh:
        fh.write(data)
    return target


@dataclass(frozen=True)
class BatchItem:
    doc_type: str
    ref: str
    filename: str


@dataclass
class BatchResult:
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[BatchItem, KkdeskError]] = field(default_factory=list)
    cancelled: bool = False


def render_batch(store, items: Iterable[BatchItem], lang: str, public: bool, out_dir: str | os.PathLike[str],
                 progress: Callable[[int, int], bool | None] | None = None, org_name: str | None = None) -> BatchResult:
    """Render and write each item into `out_dir`. `progress(done, total)` is called
    before each document and at the end; returning False cancels (documents already
    written stay; the result says `cancelled`). A failing item (e.g. not public in
    public mode) is reported in `failed` and the batch goes on. Runs on the calling
    thread with its own session per document — call it from a worker thread in the GUI."""
    _check_lang(lang)
    folder = Path(out_dir)
    if not folder.is_dir():
        raise InputError(N_("The folder %(path)s does not exist."), path=str(folder))
    items = list(items)
    result = BatchResult()
    if org_name is None:
        org_name = store.get_meta("org_name", "") or ""
    for done, item in enumerate(items):
        if progress is not None and progress(done, len(items)) is False:
            result.cancelled = True
            return result
        try:
            with store.session() as session:
                data = render(session, item.doc_type, item.ref, lang, public=public, org_name=org_name)
            result.written.append(write_pdf(data, folder / item.filename))
        except Cancelled:
            result.cancelled = True
            return result
        except KkdeskError as exc:
            result.failed.append((item, exc))
    if progress is not None:
        progress(len(items), len(items))
    return result


def case_person_items(session: Session, case_ref: str) -> list[BatchItem]:
    """One person sheet per person who is a party to the case (file names from record numbers)."""
    case = records.get(session, case_ref, "case")
    seen: dict[str, BatchItem] = {}
    for party in case.content.get("parties") or []:
        pid = party.get("person")
        if not pid or pid in seen:
            continue
        try:
            person = records.get(session, pid, "person")
        except NotFoundError:
            continue
        if person.deleted:
            continue
        seen[pid] = BatchItem("person", person.id, f"{person.record_no or person.id}.pdf")
    return list(seen.values())
