"""The detail pane of a list: the record's main fields (read-only, in the UI language),
its linked records as one timeline (double-click opens one), its revision history
(who, when, sealed or not, conflicting versions) and the warnings of an incomplete
record."""

from __future__ import annotations

import html

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QLabel,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kkdesk.i18n import N_, _
from kkdesk.ui.common.rowsmodel import RowsModel, rows_view

RELATIONS = {
    "perpetrator": N_("Alleged perpetrator"),
    "source": N_("Cites this record"),
    "cites": N_("Cited by this source"),
    "attachment": N_("Attached file"),
}
MAX_CHILD_ROWS = 20
CHILD_FIELDS_SHOWN = 5


class LinksModel(RowsModel):
    """Linked records (kkdesk.links.linked), oldest first: a timeline."""

    HEADERS = (N_("Date"), N_("Kind"), N_("Record number"), N_("Title"), N_("Relation"))

    @property
    def links(self) -> list:
        return self.rows

    def set_links(self, links: list) -> None:
        self.beginResetModel()
        self.rows = list(links)
        self.endResetModel()

    def row_data(self, link, col: int, role: int):
        if role == Qt.ItemDataRole.UserRole:
            return (link.kind, link.id)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        from kkdesk.labels import kind_label

        if col == 0:
            return link.sort_date or ""
        if col == 1:
            return _(kind_label(link.kind))
        if col == 2:
            return link.record_no or ""
        if col == 3:
            return link.title or ""
        return _(RELATIONS[link.relation]) if link.relation in RELATIONS else ""


class HistoryModel(RowsModel):
    """Revisions of a record (kkdesk.records.history), newest first."""

    HEADERS = (N_("When"), N_("Who"), N_("Change"), N_("Sealed"), N_("Conflict"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.heads: set[str] = set()
        self.own_profile: str | None = None
        self.first: str | None = None

    @property
    def revisions(self) -> list:
        return self.rows

    def set_history(self, revisions: list, own_profile: str | None) -> None:
        self.beginResetModel()
        parents = {p for r in revisions for p in r.parents}
        self.heads = {r.rev_id for r in revisions if r.rev_id not in parents}
        self.first = revisions[0].rev_id if revisions else None
        self.rows = list(reversed(revisions))
        self.own_profile = own_profile
        self.endResetModel()

    @property
    def in_conflict(self) -> bool:
        return len(self.heads) > 1

    def _who(self, author: str) -> str:
        from kkdesk.keys import profile_code

        try:
            code = profile_code(author)
        except (UnicodeEncodeError, AttributeError):
            code = author[:8]
        if author == self.own_profile:
            return _("This profile (%(code)s)") % {"code": code}
        return _("Profile %(code)s") % {"code": code}

    def _change(self, rev) -> str:
        if rev.deleted:
            return _("Deleted")
        if rev.rev_id == self.first and not rev.parents:
            return _("Created")
        if len(rev.parents) > 1:
            return _("Merged")
        return _("Edited")

    def row_data(self, rev, col: int, role: int):
        if role == Qt.ItemDataRole.UserRole:
            return rev.rev_id
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if col == 0:
            return rev.created_at[:19].replace("T", " ")
        if col == 1:
            return self._who(rev.author)
        if col == 2:
            return self._change(rev)
        if col == 3:
            if not rev.sealed_by:
                return _("No") if role == Qt.ItemDataRole.DisplayRole else _("Not sealed")
            return _("Yes: %(keys)s") % {"keys": ", ".join(rev.sealed_by)}
        if self.in_conflict and rev.rev_id in self.heads:
            return _("Conflicting version")
        return ""


class DetailPane(QWidget):
    """Shows one record; `open_requested(kind, id)` when a linked record is activated."""

    open_requested = Signal(str, object)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("detail_pane")
        self.record = None       # the RecordView shown
        self.record_id: str | None = None
        self.heading = QLabel()
        self.heading.setObjectName("detail_heading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.badges = QLabel()
        self.badges.setObjectName("detail_badges")
        self.badges.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("detail_tabs")
        self.fields = QTextBrowser()
        self.fields.setObjectName("detail_fields")
        self.fields.setOpenLinks(False)
        self.links_model = LinksModel(self)
        self.links = rows_view()
        self.links.setObjectName("detail_links")
        self.links.setModel(self.links_model)
        self.links.doubleClicked.connect(self._open_link)
        self.links.activated.connect(self._open_link)
        self.history_model = HistoryModel(self)
        self.history = rows_view()
        self.history.setObjectName("detail_history")
        self.history.setModel(self.history_model)
        for view, widths in ((self.links, (90, 130, 150, 200)), (self.history, (140, 150, 90, 120))):
            for i, w in enumerate(widths):
                view.horizontalHeader().resizeSection(i, w)
        self.tabs.addTab(self.fields, "")
        self.tabs.addTab(self.links, "")
        self.tabs.addTab(self.history, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.badges)
        layout.addWidget(self.tabs, 1)
        self.retranslate()
        self.clear()

    # showing -----------------------------------------------------------------------------
    def clear(self) -> None:
        self.record = None
        self.record_id = None
        self.heading.setText(_("No record selected"))
        self.badges.clear()
        self.badges.hide()
        self.fields.clear()
        self.links_model.set_links([])
        self.history_model.set_history([], None)
        self._tab_titles()

    def show_record(self, record_id: str) -> None:
        from kkdesk.errors import KkdeskError
        from kkdesk.links import linked
        from kkdesk.records import find, get, history

        store = self.ctx.store
        if store is None:
            self.clear()
            return
        try:
            with store.session() as s:
                rec = get(s, record_id)
                links = linked(s, rec.id)
                revs = history(s, rec.id)
                refs = self._ref_titles(s, rec)
                title = find(s, rec.id).title
        except KkdeskError as exc:
            self.clear()
            self.fields.setPlainText(exc.user_message())
            return
        self.record, self.record_id = rec, rec.id
        self._refs = refs
        self._record_title = title or rec.record_no or ""
        self.links_model.set_links(links)
        self.history_model.set_history(revs, store.profile_id)
        self._render()

    def refresh(self) -> None:
        if self.record_id:
            self.show_record(self.record_id)

    def _ref_titles(self, session, rec) -> dict[str, str]:
        """Titles of the records this one refers to (references are stored as ids)."""
        from kkdesk import schema as S
        from kkdesk.errors import NotFoundError
        from kkdesk.records import find

        ids: set[str] = set()

        def walk(entity, content) -> None:
            for f in entity.fields:
                value = content.get(f.name)
                if value in (None, "", []):
                    continue
                if f.type == S.REF and isinstance(value, str):
                    ids.add(value)
                elif f.type == S.REFS and isinstance(value, list):
                    ids.update(v for v in value if isinstance(v, str))
                elif f.type == S.CHILDREN and isinstance(value, list):
                    for row in value[:MAX_CHILD_ROWS]:
                        if isinstance(row, dict):
                            walk(f.child, row)

        walk(S.TOP_LEVEL[rec.kind], rec.content)
        out: dict[str, str] = {}
        for rid in list(ids)[:200]:
            try:
                r = find(session, rid)
            except NotFoundError:
                continue
            out[rid] = " · ".join(x for x in (r.record_no, r.title) if x)
        return out

    def _value(self, kind: str, field, value, lang: str) -> str:
        from kkdesk import schema as S
        from kkdesk.labels import value_label

        if field.type == S.REF:
            return self._refs.get(value, value) if isinstance(value, str) else ""
        if field.type == S.REFS and isinstance(value, list):
            return ", ".join(self._refs.get(v, v) for v in value if isinstance(v, str))
        return value_label(kind, field.name, value, lang)

    def _render(self) -> None:
        from kkdesk import schema as S
        from kkdesk.errors import Problem
        from kkdesk.labels import field_label, kind_label, sections

        rec = self.record
        if rec is None:
            return
        lang = self.ctx.ui_lang
        entity = S.TOP_LEVEL[rec.kind]
        self.heading.setText(" · ".join(x for x in (_(kind_label(rec.kind)), rec.record_no) if x))
        badges = []
        if rec.sealed:
            badges.append("✔ " + _("Sealed"))
        if rec.incomplete:
            badges.append("⚠ " + _("Incomplete"))
        if rec.conflict:
            badges.append("⇄ " + _("Conflicting versions"))
        if rec.deleted:
            badges.append(_("Deleted"))
        self.badges.setText("   ".join(badges))
        self.badges.setVisible(bool(badges))

        esc = html.escape
        parts = [f"<h3>{esc(self._title(rec))}</h3>"]
        if rec.warnings:
            parts.append(f"<p><b>{esc(_('This record is incomplete:'))}</b></p><ul>")
            for w in rec.warnings:
                text = Problem(w.get("path", ""), w.get("message", ""), **(w.get("params") or {})).text()
                parts.append(f"<li>{esc(text)}</li>")
            parts.append("</ul>")
        for title, names in sections(rec.kind):
            rows = []
            for name in names:
                f = entity.field(name)
                value = rec.content.get(name)
                if f is None or value in (None, "", [], {}) or name in ("id", "record_no"):
                    continue
                if f.vocab == "date_precision" and value in ("day", "month", "year"):
                    continue  # the partial date itself shows what is known
                if f.type == S.CHILDREN:
                    rows.append(self._children_html(f, value, lang))
                    continue
                if f.type == S.CHECKLIST:
                    n = len(value) if isinstance(value, dict) else 0
                    rows.append(f"<tr><td valign='top'><i>{esc(_(field_label(rec.kind, name)))}</i></td>"
                                f"<td>{esc(_('%(n)s answers recorded') % {'n': n})}</td></tr>")
                    continue
                text = self._value(rec.kind, f, value, lang)
                if not text:
                    continue
                rows.append(f"<tr><td valign='top' width='230'><i>{esc(_(field_label(rec.kind, name)))}</i></td>"
                            f"<td>{esc(text).replace(chr(10), '<br>')}</td></tr>")
            if rows:
                parts.append(f"<h4>{esc(_(title))}</h4><table cellspacing='2' width='100%'>{''.join(rows)}</table>")
        self.fields.setHtml("".join(parts))
        self._tab_titles()

    def _title(self, rec) -> str:
        return getattr(self, "_record_title", "") or rec.record_no or ""

    def _children_html(self, f, rows: list, lang: str) -> str:
        from kkdesk import schema as S
        from kkdesk.labels import field_label

        esc = html.escape
        items = []
        for row in rows[:MAX_CHILD_ROWS]:
            if not isinstance(row, dict):
                continue
            bits = []
            for cf in f.child.fields:
                if cf.name == "id" or cf.type in (S.CHILDREN, S.CHECKLIST) or cf.vocab == "date_precision":
                    continue
                value = row.get(cf.name)
                if value in (None, "", []):
                    continue
                text = self._value(f.child.kind, cf, value, lang)
                if text:
                    bits.append(f"{_(field_label(f.child.kind, cf.name))}: {text}")
                if len(bits) >= CHILD_FIELDS_SHOWN:
                    break
            items.append("<li>" + esc("; ".join(bits)) + "</li>")
        more = len(rows) - MAX_CHILD_ROWS
        if more > 0:
            items.append("<li>" + esc(_("and %(n)s more") % {"n": more}) + "</li>")
        label = _(field_label(self.record.kind, f.name))
        return (f"<tr><td valign='top'><i>{esc(label)} ({len(rows)})</i></td>"
                f"<td><ol style='margin:0'>{''.join(items)}</ol></td></tr>")

    def _tab_titles(self) -> None:
        self.tabs.setTabText(0, _("Record"))
        n_links = self.links_model.rowCount()
        n_revs = self.history_model.rowCount()
        self.tabs.setTabText(1, _("Linked records (%(n)s)") % {"n": n_links} if n_links else _("Linked records"))
        self.tabs.setTabText(2, _("History (%(n)s)") % {"n": n_revs} if n_revs else _("History"))
        if self.history_model.in_conflict:
            self.tabs.setTabText(2, self.tabs.tabText(2) + " ⇄")

    def _open_link(self, index: QModelIndex) -> None:
        value = self.links_model.data(index, Qt.ItemDataRole.UserRole)
        if value:
            kind, record_id = value
            self.open_requested.emit(kind, record_id)

    def retranslate(self) -> None:
        self.fields.setAccessibleName(_("Record details"))
        self.links.setAccessibleName(_("Linked records"))
        self.history.setAccessibleName(_("History"))
        self.tabs.setAccessibleName(_("Record details"))
        self.links_model.retranslate()
        self.history_model.retranslate()
        if self.record is not None:
            self._render()
        else:
            self.clear()
