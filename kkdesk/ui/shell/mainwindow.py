"""The main window: navigation between the record lists, the menus and actions
(record, file, language, settings, lock). It composes panels and calls the core's
services; the lists live in ui/lists/, the editors in
ui/editors/."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from kkdesk.i18n import LANGS, LANGUAGE_NAMES, N_, _
from kkdesk.ui.common.messages import ask_open_file, ask_save_file, confirm, show_info
from kkdesk.ui.common.screenfit import fit_size
from kkdesk.ui.lists.panel import ListPanel

SCREENS = ("person", "organisation", "case", "threat", "hearing", "medical", "court", "source", "detention",
           "intervention")
DUE = "due"  # the interventions' due follow-ups
PUBLISHED = "published_stat"  # published figures (SPEC 3.13): a list like the others, beside the reports
SYNC = "sync"
STATS = "statistics"
REPORTS = "reports"
PRINTABLE = {"person", "case", "hearing", "medical"}  # the kinds with a PDF sheet


def module_available(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def open_editor_guarded(parent: QWidget | None, ctx, kind: str, record_id: str | None = None,
                        draft_key: str | None = None) -> QWidget | None:
    """Open the editor window of the forms engineer (`kkdesk.ui.editors.recordeditor.open_editor`);
    a clear message instead when it is not part of this build."""
    if ctx.store is None:
        return None
    if not module_available("kkdesk.ui.editors.recordeditor"):
        show_info(parent, _("Editor not available"), _("The record editor is not part of this build of kkdesk."))
        return None
    try:
        from kkdesk.ui.editors.recordeditor import open_editor

        return open_editor(parent, ctx, kind, record_id=record_id, draft_key=draft_key)
    except Exception as exc:  # noqa: BLE001 - any failure goes to the one presenter
        ctx.show_error(parent, exc)
        return None


class ExportDialog(QDialog):
    """Export to interchange JSON: a plaintext file, so it says so and asks about contacts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("export_dialog")
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.contacts = QCheckBox()
        self.contacts.setObjectName("include_contacts")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.warning)
        layout.addWidget(self.contacts)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.setWindowTitle(_("Export JSON"))
        self.warning.setText(_("The exported file is not encrypted: anyone who gets it can read every record. "
                               "To pass records to colleagues, use an encrypted bundle instead."))
        self.contacts.setText(_("Include &contact details (phone, e-mail, messenger)"))


class MainWindow(QMainWindow):
    closing = Signal()
    wipe_requested = Signal()  # Tools → Wipe this profile…, confirmed: the shell wipes

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        ctx.main_window = self
        self.setObjectName("main_window")
        self.panels: dict[str, QWidget] = {}
        self.editors: list[QWidget] = []
        self.dialogs: list[QWidget] = []
        self.screens = list(SCREENS) + [DUE] + ([SYNC] if module_available("kkdesk.ui.sync.panel") else []) + \
            [STATS, PUBLISHED, REPORTS]

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMinimumWidth(120)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the pane is made wide enough
        for screen in self.screens:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, screen)
            self.nav.addItem(item)
        self.stack = QStackedWidget()
        self.stack.setObjectName("screens")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([170, 1100])
        self.setCentralWidget(self.splitter)
        self.status = self.statusBar()
        self.status_label = QLabel()
        self.status.addPermanentWidget(self.status_label)

        self._make_actions()
        self._make_menus()
        self.nav.currentRowChanged.connect(self._screen_chosen)
        ctx.changed.connect(self.on_changed)
        ctx.language_changed.connect(lambda _lang: self.retranslate())
        ctx.about_to_lock.connect(self.save_state)
        self.retranslate()
        self._restore_geometry()
        start = ctx.settings.last_screen
        self.show_screen(start if start in self.screens else "threat")

    # actions and menus ------------------------------------------------------------------------
    def _action(self, name: str, slot, shortcut=None, context=Qt.ShortcutContext.WindowShortcut) -> QAction:
        act = QAction(self)
        act.setObjectName(f"action_{name}")
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(context)
        act.triggered.connect(slot)
        self.addAction(act)
        self.actions_by_name[name] = act
        return act

    def _make_actions(self) -> None:
        self.actions_by_name: dict[str, QAction] = {}
        a = self._action
        a("new", self.new_record, QKeySequence.StandardKey.New)
        a("edit", self.edit_record)
        a("delete", self.delete_record)
        a("seal", self.seal_record)
        a("print", self.print_record, QKeySequence.StandardKey.Print)
        a("print_persons", self.print_case_persons)
        a("import", self.import_json)
        a("import_sheet", self.import_sheet)
        a("export", self.export_json)
        a("lock", self.lock_now, "Ctrl+L")
        a("quit", self.close, QKeySequence.StandardKey.Quit)
        a("find", self.focus_search, QKeySequence.StandardKey.Find)
        a("refresh", self.refresh_current, QKeySequence.StandardKey.Refresh)
        a("drafts", self.show_drafts)
        a("settings", self.show_settings, QKeySequence.StandardKey.Preferences)
        a("duplicates", self.show_duplicates)
        a("wipe", self.ask_wipe)
        a("about", self.show_about)
        self.actions_by_name["edit"].setShortcuts([QKeySequence("Ctrl+E")])
        # Delete acts only where a list has the focus (in a text field it deletes text)
        self.actions_by_name["delete"].setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.actions_by_name["delete"].setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.actions_by_name["import"].setShortcuts([QKeySequence("Ctrl+I")])
        self.actions_by_name["export"].setShortcuts([QKeySequence("Ctrl+Shift+E")])
        if not self.actions_by_name["settings"].shortcuts():
            self.actions_by_name["settings"].setShortcut(QKeySequence("Ctrl+,"))
        if not self.actions_by_name["quit"].shortcuts():
            self.actions_by_name["quit"].setShortcut(QKeySequence("Ctrl+Q"))
        self.screen_actions: dict[str, QAction] = {}
        for i, screen in enumerate(self.screens, 1):
            act = self._action(f"screen_{screen}", lambda _c=False, s=screen: self.show_screen(s, focus=True),
                               f"Ctrl+{i % 10}" if i <= 10 else f"Ctrl+Shift+{i - 10}" if i <= 19 else None)
            self.screen_actions[screen] = act
        self.lang_group = QActionGroup(self)
        self.lang_group.setExclusive(True)
        self.lang_actions: dict[str, QAction] = {}
        for lang in LANGS:
            act = self._action(f"lang_{lang}", lambda _c=False, code=lang: self.ctx.set_language(code))
            act.setCheckable(True)
            act.setText(LANGUAGE_NAMES[lang])
            self.lang_group.addAction(act)
            self.lang_actions[lang] = act
        if not module_available("kkdesk.ui.reports.pdfdialog"):
            self.actions_by_name["print"].setEnabled(False)

    def _make_menus(self) -> None:
        mb = self.menuBar()
        A = self.actions_by_name  # noqa: N806 (a short alias for a long table)
        self.menu_file = mb.addMenu("")
        for name in ("import", "import_sheet", "export", None, "print", "print_persons", None, "lock", "quit"):
            self.menu_file.addSeparator() if name is None else self.menu_file.addAction(A[name])
        self.menu_record = mb.addMenu("")
        for name in ("new", "edit", "delete", "seal", None, "drafts"):
            self.menu_record.addSeparator() if name is None else self.menu_record.addAction(A[name])
        self.menu_view = mb.addMenu("")
        self.menu_view.addAction(A["find"])
        self.menu_view.addAction(A["refresh"])
        self.menu_view.addSeparator()
        for screen in self.screens:
            self.menu_view.addAction(self.screen_actions[screen])
        self.menu_lang = mb.addMenu("")
        for lang in LANGS:
            self.menu_lang.addAction(self.lang_actions[lang])
        self.menu_tools = mb.addMenu("")
        self.menu_tools.addAction(A["duplicates"])
        self.menu_tools.addAction(A["settings"])
        self.menu_tools.addSeparator()
        self.menu_tools.addAction(A["wipe"])
        self.menu_help = mb.addMenu("")
        self.menu_help.addAction(A["about"])
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.setIconSize(QSize(16, 16))
        for name in ("new", "edit", "delete", "seal", "print", None, "lock"):
            self.toolbar.addSeparator() if name is None else self.toolbar.addAction(A[name])
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

    def retranslate(self) -> None:
        from kkdesk.labels import kind_plural

        # Qt appends the application display name ("— kkdesk") itself
        self.setWindowTitle(_("Human rights documentation"))
        texts = {
            "new": N_("&New record"), "edit": N_("&Open / edit"), "delete": N_("&Delete…"),
            "seal": N_("&Seal…"), "print": N_("&Print / Save as PDF…"),
            "print_persons": N_("Print the &persons of this case…"), "import": N_("&Import JSON…"),
            "import_sheet": N_("Import &spreadsheet…"),
            "export": N_("&Export JSON…"), "lock": N_("&Lock now"), "quit": N_("&Quit"),
            "find": N_("&Find"), "refresh": N_("&Refresh"), "drafts": N_("Unsaved &drafts…"),
            "settings": N_("&Settings…"), "about": N_("&About kkdesk"), "duplicates": N_("Find &duplicates…"),
            "wipe": N_("&Wipe this profile…"),
        }
        tips = {
            "new": N_("Create a new record of this kind"), "edit": N_("Open the selected record (Enter)"),
            "delete": N_("Delete the selected record (Delete)"),
            "seal": N_("Sign the current version of the selected record with this profile's key"),
            "print": N_("Print the selected record or save it as a PDF case sheet"),
            "lock": N_("Lock kkdesk: close the store until the passphrase is entered again"),
        }
        for name, msgid in texts.items():
            act = self.actions_by_name[name]
            act.setText(_(msgid))
            if name in tips:
                act.setToolTip(_(tips[name]))
                act.setStatusTip(_(tips[name]))
        if not self.actions_by_name["print"].isEnabled() and not module_available("kkdesk.ui.reports.pdfdialog"):
            self.actions_by_name["print"].setToolTip(_("Printing is not part of this build of kkdesk."))
        self.menu_file.setTitle(_("&File"))
        self.menu_record.setTitle(_("&Record"))
        self.menu_view.setTitle(_("&View"))
        self.menu_lang.setTitle(_("L&anguage"))
        self.menu_tools.setTitle(_("&Tools"))
        self.menu_help.setTitle(_("&Help"))
        self.toolbar.setWindowTitle(_("Toolbar"))
        self.nav.setAccessibleName(_("Navigation"))
        widest = 0
        for i, screen in enumerate(self.screens):
            text = _("Sync") if screen == SYNC else _("Statistics") if screen == STATS else \
                _("Reports") if screen == REPORTS else _("Due follow-ups") if screen == DUE else _(kind_plural(screen))
            self.nav.item(i).setText(text)
            self.screen_actions[screen].setText(text)
            widest = max(widest, self.nav.fontMetrics().horizontalAdvance(text))
        sizes = self.splitter.sizes()
        # the text, the item's margins, the frame and room for a vertical scroll bar
        scroll = self.nav.style().pixelMetric(self.nav.style().PixelMetric.PM_ScrollBarExtent)
        nav_width = min(widest + 24 + 2 * self.nav.frameWidth() + scroll, 300)
        self.nav.setMinimumWidth(nav_width)
        if sum(sizes) > nav_width:
            self.splitter.setSizes([nav_width, sum(sizes) - nav_width])
        else:
            self.splitter.setSizes([nav_width, 1100])
        self.lang_actions[self.ctx.ui_lang if self.ctx.ui_lang in LANGS else "en"].setChecked(True)
        for panel in self.panels.values():
            if hasattr(panel, "retranslate"):
                panel.retranslate()
        self._update_actions()

    # screens -----------------------------------------------------------------------------
    def panel(self, screen: str) -> QWidget:
        if screen not in self.panels:
            if screen == SYNC:
                widget = self._make_sync_panel()
            elif screen == STATS:
                from kkdesk.ui.reports.statistics import StatisticsPanel

                widget = StatisticsPanel(self.ctx)
            elif screen == REPORTS:
                from kkdesk.ui.reports.reportview import ReportsPanel

                widget = ReportsPanel(self.ctx)
            elif screen == DUE:
                from kkdesk.ui.lists.due import DueFollowUpsPanel

                widget = DueFollowUpsPanel(self.ctx)
            else:
                widget = ListPanel(self.ctx, screen)
                widget.open_requested.connect(self.open_record)
                widget.delete_requested.connect(self.delete_record)
                widget.selection_changed.connect(self._update_actions)
                widget.status_changed.connect(self.status_label.setText)
                for name in ("edit", "delete"):
                    widget.table.addAction(self.actions_by_name[name])
            self.panels[screen] = widget
            self.stack.addWidget(widget)
        return self.panels[screen]

    def _make_sync_panel(self) -> QWidget:
        try:
            from kkdesk.ui.sync.panel import SyncPanel

            return SyncPanel(self.ctx)
        except Exception as exc:  # noqa: BLE001 - the other screens keep working
            label = QLabel(_("The Sync screen could not be opened."))
            label.setWordWrap(True)
            self.ctx.show_error(self, exc)
            return label

    def current_screen(self) -> str:
        item = self.nav.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else "threat"

    def current_panel(self) -> ListPanel | None:
        widget = self.panels.get(self.current_screen())
        return widget if isinstance(widget, ListPanel) else None

    def show_screen(self, screen: str, focus: bool = False) -> None:
        row = self.screens.index(screen)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # -> _screen_chosen
        else:
            self._screen_chosen(row)
        if focus:
            panel = self.current_panel()
            (panel.table if panel else self.stack.currentWidget()).setFocus()

    def _screen_chosen(self, row: int) -> None:
        if row < 0:
            return
        screen = self.screens[row]
        widget = self.panel(screen)
        self.stack.setCurrentWidget(widget)
        if isinstance(widget, ListPanel):
            splitter_state = self.ctx.settings.splitter
            if splitter_state is not None:
                widget.splitter.restoreState(splitter_state)
            widget.activate()
            self.status_label.setText(widget.count_label.text())
        else:
            if hasattr(widget, "activate"):
                widget.activate()
            self.status_label.clear()
        self.ctx.settings.last_screen = screen
        self._update_actions()

    def _update_actions(self) -> None:
        panel = self.current_panel()
        has_record = bool(panel and panel.current_id())
        A = self.actions_by_name  # noqa: N806 (a short alias for a long table)
        A["new"].setEnabled(panel is not None)
        for name in ("edit", "delete", "seal"):
            A[name].setEnabled(has_record)
        can_print = has_record and module_available("kkdesk.ui.reports.pdfdialog")
        A["print"].setEnabled(can_print and panel.kind in PRINTABLE)
        A["print_persons"].setEnabled(can_print and panel.kind == "case")
        A["find"].setEnabled(panel is not None)

    # data changes -----------------------------------------------------------------------------
    def on_changed(self, kinds) -> None:
        kinds = set(kinds or ())
        current = self.current_screen()
        for screen, panel in self.panels.items():
            if not isinstance(panel, ListPanel):
                continue
            if screen in kinds or not kinds:
                if screen == current:
                    panel.refresh()
                else:
                    panel.stale = True
            elif screen == current:
                panel.detail.refresh()  # a linked record may have changed

    def refresh_current(self) -> None:
        panel = self.current_panel()
        if panel is not None:
            panel.refresh()

    def focus_search(self) -> None:
        panel = self.current_panel()
        if panel is not None:
            panel.focus_search()

    # record actions -----------------------------------------------------------------------------
    def _selected(self) -> tuple[str, str] | None:
        panel = self.current_panel()
        if panel is None or self.ctx.store is None:
            return None
        record_id = panel.current_id()
        return (panel.kind, record_id) if record_id else None

    def _track(self, editor: QWidget | None) -> QWidget | None:
        if editor is not None:
            self.editors = [e for e in self.editors if _alive(e)] + [editor]
        return editor

    def new_record(self) -> QWidget | None:
        panel = self.current_panel()
        if panel is None:
            return None
        return self._track(open_editor_guarded(self, self.ctx, panel.kind))

    def edit_record(self) -> QWidget | None:
        sel = self._selected()
        return self.open_record(*sel) if sel else None

    def open_record(self, kind: str, record_id) -> QWidget | None:
        if not record_id:
            return None
        return self._track(open_editor_guarded(self, self.ctx, kind, record_id))

    def delete_record(self) -> bool:
        from kkdesk.records import delete_record

        sel = self._selected()
        if sel is None:
            return False
        kind, record_id = sel
        title = self._title_of(record_id)
        if not confirm(self, _("Delete record"), _("Delete “%(title)s”?") % {"title": title}, _("&Delete"),
                       _("The record disappears from lists and search. Its earlier versions stay in the history, "
                         "and the deletion reaches other profiles with the next sync.")):
            return False
        if self.ctx.store is None:
            return False
        try:
            with self.ctx.store.session() as s:
                delete_record(s, self.ctx.author(), record_id)
        except Exception as exc:  # noqa: BLE001
            self.ctx.show_error(self, exc)
            return False
        self.ctx.notify_changed({kind})
        self.status.showMessage(_("Record deleted."), 5000)
        return True

    def seal_record(self) -> bool:
        from kkdesk.records import seal

        sel = self._selected()
        if sel is None:
            return False
        kind, record_id = sel
        title = self._title_of(record_id)
        if not confirm(self, _("Seal record"), _("Seal the current version of “%(title)s”?") % {"title": title},
                       _("&Seal"), _("Sealing signs this version with your profile's key, so anyone can later "
                                     "check that it has not been altered. Later edits make new, unsealed versions.")):
            return False
        if self.ctx.store is None:
            return False
        try:
            identity = self.ctx.store.identity
            with self.ctx.store.session() as s:
                seal(s, identity, record_id)
        except Exception as exc:  # noqa: BLE001
            self.ctx.show_error(self, exc)
            return False
        self.ctx.notify_changed({kind})
        self.status.showMessage(_("Record sealed."), 5000)
        return True

    def _title_of(self, record_id: str) -> str:
        from kkdesk.errors import NotFoundError
        from kkdesk.records import find

        try:
            with self.ctx.store.session() as s:
                rec = find(s, record_id)
                return " · ".join(x for x in (rec.record_no, rec.title) if x)
        except NotFoundError:
            return record_id

    def print_record(self) -> QWidget | None:
        sel = self._selected()
        if sel is None or sel[0] not in PRINTABLE or not module_available("kkdesk.ui.reports.pdfdialog"):
            return None
        try:
            from kkdesk.ui.reports.pdfdialog import PdfDialog

            dlg = PdfDialog(self, self.ctx, sel[0], sel[1])
            self.dialogs = [d for d in self.dialogs if _alive(d)] + [dlg]
            (dlg.open if hasattr(dlg, "open") else dlg.show)()
            return dlg
        except Exception as exc:  # noqa: BLE001
            self.ctx.show_error(self, exc)
            return None

    def print_case_persons(self) -> None:
        """Every person of the selected case, one PDF sheet each (the PDF engineer's batch)."""
        sel = self._selected()
        if sel is None or sel[0] != "case" or not module_available("kkdesk.ui.reports.pdfdialog"):
            return
        try:
            from kkdesk.ui.reports.pdfdialog import export_case_persons

            export_case_persons(self, self.ctx, sel[1])
        except Exception as exc:  # noqa: BLE001
            self.ctx.show_error(self, exc)

    # import / export -----------------------------------------------------------------------------
    def import_json(self) -> None:
        path = ask_open_file(self, _("Import JSON"), _("Interchange JSON (*.json);;All files (*)"))
        if path:
            self.import_json_file(path)

    def import_sheet(self) -> None:
        """The spreadsheet import dialog (kkdesk.ui.imports)."""
        from kkdesk.ui.imports.sheetdialog import ImportSheetDialog

        if self.ctx.store is None:
            return
        self.sheet_dialog = ImportSheetDialog(self.ctx, self)
        self.sheet_dialog.show()

    def import_json_file(self, path: str | os.PathLike[str]):
        """Import an interchange document in the background (progress + Cancel)."""
        from kkdesk.interchange import import_file

        store = self.ctx.store
        if store is None:
            return None
        name = Path(path).name

        def work(progress):
            return import_file(store, path, progress)

        return self.ctx.run_task(work, self._import_done, self._import_failed,
                                 label=_("Importing %(file)s…") % {"file": name}, cancellable=True, parent=self)

    def _import_done(self, report) -> None:
        from kkdesk import schema

        self.last_import_report = report
        self.ctx.notify_changed(set(schema.TOP_LEVEL))
        text = _("Import finished: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.") % {
            "new": report.new, "updated": report.updated, "unchanged": report.unchanged}
        from kkdesk.duplicates import POSSIBLE_DUPLICATE

        details = "\n".join(w.text() for w in report.warnings)
        incomplete = [w for w in report.warnings if w.message != POSSIBLE_DUPLICATE]
        duplicates = len(report.warnings) - len(incomplete)
        if incomplete:
            text += "\n" + _("%(n)s warnings: some records are incomplete (see Details).") % {"n": len(incomplete)}
        if duplicates:
            text += "\n" + _("%(n)s possible duplicates (see Details; Tools › Find duplicates).") % {"n": duplicates}
        self.report_box = show_info(self, _("Import JSON"), text, details)

    def _import_failed(self, exc: BaseException) -> None:
        from kkdesk.errors import Cancelled

        if isinstance(exc, Cancelled):
            self.status.showMessage(exc.user_message(), 8000)
            return
        self.ctx.show_error(self, exc)

    def export_json(self) -> None:
        dlg = ExportDialog(self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        path = ask_save_file(self, _("Export JSON"), "kkdesk-export.json", _("Interchange JSON (*.json)"))
        if path:
            self.export_json_file(path, dlg.contacts.isChecked())

    def export_json_file(self, path: str | os.PathLike[str], include_contacts: bool = False):
        from kkdesk.interchange import export_json
        from kkdesk.store import atomic_write

        store = self.ctx.store
        if store is None:
            return None
        target = Path(path)

        def work(_progress):
            with store.session() as s:
                text = export_json(s, include_contacts=include_contacts)
            atomic_write(target, text.encode("utf-8"))
            return target

        return self.ctx.run_task(work, lambda p: self.status.showMessage(
            _("Exported to %(path)s") % {"path": str(p)}, 8000), label=_("Exporting…"), parent=self)

    # other actions ----------------------------------------------------------------------------------
    def lock_now(self) -> None:
        self.ctx.lock()

    def open_draft(self, kind: str, record_id: str | None, draft_key: str) -> QWidget | None:
        """Resume a draft in its editor (what the drafts dialog's Resume does)."""
        return open_editor_guarded(self, self.ctx, kind, record_id, draft_key)

    def show_drafts(self) -> None:
        from kkdesk.ui.shell.locking import DraftsDialog

        if self.ctx.store is None:
            return
        dlg = DraftsDialog(self.ctx, self, self.open_draft)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def show_duplicates(self) -> QWidget:
        from kkdesk.ui.duplicates.finder import DuplicatesDialog

        dlg = DuplicatesDialog(self.ctx, self)
        self.dialogs.append(dlg)
        dlg.finished.connect(lambda _r, d=dlg: self.dialogs.remove(d) if d in self.dialogs else None)
        dlg.show()
        return dlg

    def show_settings(self) -> None:
        from kkdesk.ui.shell.settings import SettingsDialog

        dlg = SettingsDialog(self.ctx, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def ask_wipe(self) -> None:
        from kkdesk.ui.shell.protection import WipeDialog

        store = self.ctx.store
        if store is None:
            return
        dlg = WipeDialog(store.name or store.profile_code, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(self.wipe_requested.emit)
        dlg.open()

    def show_about(self) -> None:
        from kkdesk import __version__

        store = self.ctx.store
        lines = [_("kkdesk %(version)s") % {"version": __version__},
                 _("Offline documentation of threats against human rights defenders, court hearings and "
                   "medical examinations. Records are kept encrypted on this computer.")]
        if store is not None:
            lines.append(_("Profile code: %(code)s") % {"code": store.profile_code})
            lines.append(_("Key fingerprint: %(fp)s") % {"fp": store.identity.fingerprint})
        QMessageBox.about(self, _("About kkdesk"), "\n\n".join(lines))

    # geometry ------------------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self.ctx.settings.geometry
        if geometry is not None and self.restoreGeometry(geometry):
            state = self.ctx.settings.window_state
            if state is not None:
                self.restoreState(state)
            return
        fit_size(self, 1280, 720)

    def save_state(self) -> None:
        s = self.ctx.settings
        s.geometry = self.saveGeometry()
        s.window_state = self.saveState()
        panel = self.current_panel()
        if panel is not None:
            s.splitter = panel.splitter.saveState()
        s.sync()

    def clear(self) -> None:
        """Forget every row shown (before the window is deleted on lock)."""
        for panel in self.panels.values():
            if isinstance(panel, ListPanel):
                panel.clear()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        if not self.ctx.locking:
            self.closing.emit()
        super().closeEvent(event)


def _alive(widget: QWidget) -> bool:
    try:
        widget.isVisible()
        return True
    except RuntimeError:  # the C++ object is gone
        return False
