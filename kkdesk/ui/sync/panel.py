"""The sync panel: this profile's keys, contacts (with fingerprints and a verified
mark), exporting and importing bundles, and resolving conflicts field by field
(its dialogs are in dialogs.py).

`SyncPanel(app_ctx)` needs only `app_ctx.store`; it uses `app_ctx.run_task`,
`app_ctx.show_error`, `app_ctx.notify_changed` and `app_ctx.ui_lang` when they exist.
Long work (writing and reading bundles) runs off the GUI thread with a progress
dialog and Cancel; each worker opens its own database session."""

from __future__ import annotations

import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import (QAbstractItemView, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QMessageBox, QProgressDialog, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from kkdesk.i18n import _, get_language
from kkdesk.ui.sync.dialogs import (AddContactDialog, ConflictDialog, ExportDialog, PassphraseDialog, ask_bundle_path,
                                   buddy)


class _Progress:
    """The core's progress callback `progress(done, total) -> bool` (False = cancel)."""

    def __init__(self, relay: "_Relay") -> None:
        self.relay = relay
        self.cancel_event = threading.Event()

    def __call__(self, done: int, total: int) -> bool:
        self.relay.progressed.emit(int(done), int(total))
        return not self.cancel_event.is_set()


class _Relay(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable, progress: _Progress, relay: _Relay) -> None:
        super().__init__()
        self.fn, self.progress, self.relay = fn, progress, relay

    def run(self) -> None:
        try:
            result = self.fn(self.progress)
        except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread, never lost
            self.relay.failed.emit(exc)
        else:
            self.relay.succeeded.emit(result)


class _OwnTask(QObject):
    """Used when the app context offers no `run_task`: a QThreadPool job with a
    progress dialog (after 600 ms) whose Cancel stops the core function."""

    def __init__(self, parent: QWidget, fn: Callable, on_done: Callable, on_error: Callable, label: str,
                 cancellable: bool) -> None:
        super().__init__(parent)
        self.on_done, self.on_error = on_done, on_error
        self.relay = _Relay()
        self.progress = _Progress(self.relay)
        self.dialog = QProgressDialog(label, _("Cancel") if cancellable else "", 0, 0, parent)
        self.dialog.setWindowTitle(_("Please wait"))
        self.dialog.setAccessibleName(label)
        self.dialog.setMinimumDuration(600)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        if not cancellable:
            self.dialog.setCancelButton(None)
        self.dialog.canceled.connect(self.progress.cancel_event.set)
        self.relay.progressed.connect(self._on_progress)
        self.relay.succeeded.connect(self._on_done)
        self.relay.failed.connect(self._on_error)
        self.running = True
        QThreadPool.globalInstance().start(_Job(fn, self.progress, self.relay))

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            scale = max(1, total // 1_000_000_000 + 1)  # QProgressDialog holds ints
            self.dialog.setRange(0, total // scale)
            self.dialog.setValue(min(done, total) // scale)

    def _close(self) -> None:
        self.running = False
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()
        self.deleteLater()

    @Slot(object)
    def _on_done(self, result: Any) -> None:
        self._close()
        self.on_done(result)

    @Slot(object)
    def _on_error(self, exc: BaseException) -> None:
        self._close()
        self.on_error(exc)


# --- dialogs ----------------------------------------------------------------------


class SyncPanel(QWidget):
    """Contacts, bundles and conflicts. Signals carry results to tests and the shell."""

    export_finished = Signal(object)   # ExportResult
    import_finished = Signal(object)   # ImportReport
    task_failed = Signal(object)       # the exception

    def __init__(self, app_ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = app_ctx
        self.setObjectName("sync_panel")
        self._tasks: list[_OwnTask] = []
        self.busy = False

        self.identity_box = QGroupBox()
        self.own_name = QLabel()
        self.own_fingerprint = QLabel()
        self.own_fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.own_recipient = QLineEdit()
        self.own_signing = QLineEdit()
        for edit in (self.own_recipient, self.own_signing):
            edit.setReadOnly(True)
        self.l_fingerprint, self.l_recipient, self.l_signing = QLabel(), QLabel(), QLabel()
        form = QFormLayout(self.identity_box)
        form.addRow(self.own_name)
        form.addRow(self.l_fingerprint, self.own_fingerprint)
        form.addRow(self.l_recipient, self.own_recipient)
        form.addRow(self.l_signing, self.own_signing)

        self.contacts_box = QGroupBox()
        self.contacts = QTableWidget(0, 3)
        self.contacts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.contacts.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.contacts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.contacts.horizontalHeader().setStretchLastSection(True)
        self.add_button, self.verify_button, self.remove_button = QPushButton(), QPushButton(), QPushButton()
        self.add_button.clicked.connect(self.add_contact)
        self.verify_button.clicked.connect(self.verify_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        box = QVBoxLayout(self.contacts_box)
        box.addWidget(self.contacts)
        row = QHBoxLayout()
        for b in (self.add_button, self.verify_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        box.addLayout(row)

        self.bundles_box = QGroupBox()
        self.export_button, self.import_button = QPushButton(), QPushButton()
        self.export_button.clicked.connect(self.export_dialog)
        self.import_button.clicked.connect(self.import_dialog)
        self.last_result = QLabel()
        self.last_result.setWordWrap(True)
        box = QVBoxLayout(self.bundles_box)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        box.addLayout(row)
        box.addWidget(self.last_result)

        self.conflicts_box = QGroupBox()
        self.conflicts = QListWidget()
        self.conflicts.itemActivated.connect(lambda _item: self.resolve_selected())
        self.resolve_button = QPushButton()
        self.resolve_button.clicked.connect(self.resolve_selected)
        box = QVBoxLayout(self.conflicts_box)
        box.addWidget(self.conflicts)
        box.addWidget(self.resolve_button, alignment=Qt.AlignmentFlag.AlignLeft)

        layout = QVBoxLayout(self)
        for group in (self.identity_box, self.contacts_box, self.bundles_box, self.conflicts_box):
            layout.addWidget(group)
        self.retranslate()
        self.refresh()

    # language --------------------------------------------------------------------
    def retranslate(self) -> None:
        self.identity_box.setTitle(_("Your keys"))
        buddy(self.l_fingerprint, self.own_fingerprint, _("Fingerprint:"))
        buddy(self.l_recipient, self.own_recipient, _("age recipient:"))
        buddy(self.l_signing, self.own_signing, _("Signing key:"))
        self.contacts_box.setTitle(_("Contacts"))
        self.contacts.setAccessibleName(_("Contacts"))
        self.contacts.setHorizontalHeaderLabels([_("Name"), _("Fingerprint"), _("Verified")])
        self.add_button.setText(_("&Add contact…"))
        self.verify_button.setText(_("Mark &verified"))
        self.remove_button.setText(_("&Remove"))
        self.bundles_box.setTitle(_("Bundles"))
        self.export_button.setText(_("&Export bundle…"))
        self.import_button.setText(_("&Import bundle…"))
        self.conflicts_box.setTitle(_("Conflicts"))
        self.conflicts.setAccessibleName(_("Records in conflict"))
        self.resolve_button.setText(_("Re&solve…"))
        self.refresh()

    # data ------------------------------------------------------------------------
    @property
    def store(self):
        return self.ctx.store

    def _lang(self) -> str:
        return getattr(self.ctx, "ui_lang", None) or get_language()

    def _ready(self) -> bool:
        """False while the store is locked (the shell shows the unlock screen then)."""
        return self.store is not None and not getattr(self.store, "locked", False)

    def refresh(self) -> None:
        from kkdesk.sync import contacts as C
        from kkdesk.sync.conflicts import list_conflicts

        if not self._ready():
            return
        ident = self.store.identity
        self.own_name.setText(_("This profile: %(name)s") % {"name": self.store.name or "—"})
        self.own_fingerprint.setText(ident.fingerprint)
        self.own_recipient.setText(ident.age_recipient)
        self.own_signing.setText(ident.signing_key_text)
        with self.store.session() as s:
            people = C.list_all(s)
            conflicts = [(c.id, c.record_no, c.title, len(c.versions)) for c in list_conflicts(s)]
        self.contacts.setRowCount(len(people))
        for row, c in enumerate(people):
            mark = "✔ " + _("verified") if c.verified else _("not verified")
            for col, text in enumerate((c.name, c.fingerprint, mark)):
                item = QTableWidgetItem(text)
                if col == 0:
                    item.setData(Qt.ItemDataRole.UserRole, c.name)
                self.contacts.setItem(row, col, item)
        self.contacts.resizeColumnsToContents()
        self.conflicts.clear()
        for rid, no, title, n in conflicts:
            item = QListWidgetItem(_("%(record)s — %(title)s (%(n)d versions)") % {
                "record": no or rid, "title": title or "", "n": n})
            item.setData(Qt.ItemDataRole.UserRole, rid)
            self.conflicts.addItem(item)
        self.resolve_button.setEnabled(bool(conflicts))

    def contact_names(self) -> list[str]:
        return [self.contacts.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(self.contacts.rowCount())]

    def _selected_contact(self) -> str | None:
        rows = self.contacts.selectionModel().selectedRows()
        return self.contacts.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole) if rows else None

    def _changed(self, kinds) -> None:
        notify = getattr(self.ctx, "notify_changed", None)
        if callable(notify):
            notify(kinds)

    def _error(self, exc: BaseException) -> None:
        from kkdesk.errors import Cancelled, KkdeskError

        self.task_failed.emit(exc)
        if isinstance(exc, Cancelled):
            self.last_result.setText(exc.user_message())
            return
        presenter = getattr(self.ctx, "show_error", None)
        if callable(presenter):
            presenter(self, exc)
            return
        text = exc.user_message() if isinstance(exc, KkdeskError) else _("An unexpected error occurred.")
        box = QMessageBox(QMessageBox.Icon.Warning, _("kkdesk"), text, QMessageBox.StandardButton.Close, self)
        box.setAccessibleName(_("Error"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _run(self, fn: Callable, on_done: Callable, label: str) -> None:
        self.busy = True

        def done(result: Any) -> None:
            self.busy = False
            on_done(result)

        def failed(exc: BaseException) -> None:
            self.busy = False
            self._on_task_error(exc)

        runner = getattr(self.ctx, "run_task", None)
        if callable(runner):
            runner(fn, done, failed, label, True)
        else:
            self._tasks = [t for t in self._tasks if t.running]
            self._tasks.append(_OwnTask(self, fn, done, failed, label, True))

    def _on_task_error(self, exc: BaseException) -> None:
        handler = getattr(self, "_pending_error_handler", None)
        self._pending_error_handler = None
        if handler is not None and handler(exc):
            return
        self._error(exc)

    # contacts --------------------------------------------------------------------
    def add_contact(self) -> None:
        if not self._ready():
            return
        dialog = AddContactDialog(self, self.store.identity)
        dialog.accepted.connect(lambda: self.save_contact(**dialog.values()))
        dialog.open()

    def save_contact(self, name: str, recipient: str, signing_key: str, verified: bool = False) -> bool:
        from kkdesk.errors import KkdeskError
        from kkdesk.sync import contacts as C

        try:
            with self.store.session() as s:
                C.add(s, self.store.identity, name, recipient, signing_key, verified=verified)
        except KkdeskError as exc:
            self._error(exc)
            return False
        self.refresh()
        return True

    def verify_selected(self) -> None:
        from kkdesk.sync import contacts as C

        name = self._selected_contact()
        if name is None or not self._ready():
            return
        with self.store.session() as s:
            fingerprint = C.find(s, name).fingerprint
        box = QMessageBox(QMessageBox.Icon.Question, _("Verify contact"),
                          _("Does %(name)s read out exactly this fingerprint?\n\n%(fp)s") % {"name": name, "fp": fingerprint},
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setAccessibleName(_("Verify contact"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.accepted.connect(lambda: self._mark_verified(name))
        box.open()

    def _mark_verified(self, name: str) -> None:
        from kkdesk.sync import contacts as C

        with self.store.session() as s:
            C.verify(s, name)
        self.refresh()

    def remove_selected(self) -> None:
        from kkdesk.sync import contacts as C

        name = self._selected_contact()
        if name is None or not self._ready():
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Remove contact"),
                          _("Remove %(name)s? Bundles from them will be refused until they are added again.")
                          % {"name": name}, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setAccessibleName(_("Remove contact"))
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def remove() -> None:
            with self.store.session() as s:
                C.remove(s, name)
            self.refresh()

        box.accepted.connect(remove)
        box.open()

    # export ----------------------------------------------------------------------
    def export_dialog(self) -> None:
        if not self._ready():
            return
        dialog = ExportDialog(self, self.contact_names())
        dialog.accepted.connect(lambda: self.start_export(dialog.request()))
        dialog.open()

    def start_export(self, request) -> None:
        from kkdesk.sync.export import export_bundle

        store = self.store
        self._run(lambda progress: export_bundle(store, request, progress), self._export_done,
                  _("Writing the bundle…"))

    def _export_done(self, result) -> None:
        self.last_result.setText(_("Bundle written to %(path)s: %(revisions)d revisions, %(attachments)d "
                                   "attachments.") % {"path": str(result.path), "revisions": result.revisions,
                                                      "attachments": result.attachments})
        self.export_finished.emit(result)

    # import ----------------------------------------------------------------------
    def import_dialog(self) -> None:
        if not self._ready():
            return
        path = ask_bundle_path(self, _("Import bundle"), save=False)
        if path:
            self.start_import(path)

    def start_import(self, path: str, trust: bool = False, passphrase: str | None = None) -> None:
        from kkdesk.sync.importer import import_bundle

        store = self.store
        self._pending_error_handler = lambda exc: self._import_problem(exc, path, trust, passphrase)
        self._run(lambda progress: import_bundle(store, path, trust=trust, passphrase=passphrase, progress=progress),
                  self._import_done, _("Reading the bundle…"))

    def _import_problem(self, exc: BaseException, path: str, trust: bool, passphrase: str | None) -> bool:
        """Questions the import may need answered: trust an unknown signer, a passphrase."""
        from kkdesk.sync.errors import BundleNeedsPassphraseError, UnknownSignerError

        if isinstance(exc, UnknownSignerError):
            QTimer.singleShot(0, lambda: self.ask_trust(exc.sender, path, passphrase))
            return True
        if isinstance(exc, BundleNeedsPassphraseError):
            dialog = PassphraseDialog(self, _("Passphrase of the bundle"), repeat=False)
            dialog.accepted.connect(lambda: self.start_import(path, trust, dialog.passphrase()))
            dialog.open()
            return True
        return False

    def ask_trust(self, sender: dict, path: str, passphrase: str | None) -> QMessageBox:
        """The trust dialog: the signer's name and fingerprint, to compare before trusting."""
        text = _("This bundle is signed by someone who is not among your contacts:\n\n"
                 "Name: %(name)s\nFingerprint: %(fp)s\n\n"
                 "Compare the fingerprint with the sender (in person or by phone). Trust them, add them as a "
                 "contact and import the bundle?") % {"name": sender.get("name") or "—",
                                                       "fp": sender.get("fingerprint", "")}
        box = QMessageBox(QMessageBox.Icon.Question, _("Unknown sender"), text, QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("trust_dialog")
        box.setAccessibleName(_("Unknown sender"))
        trust = box.addButton(_("Trust and import"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)

        def answered() -> None:
            if box.clickedButton() is trust:
                self.start_import(path, True, passphrase)

        box.finished.connect(lambda _r: answered())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def _import_done(self, report) -> None:
        self.refresh()
        if report.status == "already-imported" and report.own:
            text = _("This bundle was made by this profile; nothing changed.")
        elif report.status == "already-imported":
            text = _("This bundle from %(sender)s was imported before; nothing changed.") % {
                "sender": report.sender_name}
        else:
            text = _("Imported from %(sender)s: %(new)d new, %(updated)d updated, %(unchanged)d unchanged, "
                     "%(conflicts)d in conflict.") % {"sender": report.sender_name, "new": report.new,
                                                       "updated": report.updated, "unchanged": report.unchanged,
                                                       "conflicts": report.conflicts}
            from kkdesk.schema import TOP_LEVEL

            self._changed(set(TOP_LEVEL))  # any kind may have arrived
        self.last_result.setText(text)
        box = QMessageBox(QMessageBox.Icon.Information, _("Bundle imported"), text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("import_report")
        box.setAccessibleName(_("Bundle imported"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.import_finished.emit(report)

    # conflicts -------------------------------------------------------------------
    def resolve_selected(self) -> ConflictDialog | None:
        from kkdesk.sync.conflicts import get

        item = self.conflicts.currentItem() or (self.conflicts.item(0) if self.conflicts.count() else None)
        if item is None or not self._ready():
            return None
        with self.store.session() as s:
            conflict = get(s, item.data(Qt.ItemDataRole.UserRole))
        dialog = ConflictDialog(self, conflict, self._lang())
        dialog.accepted.connect(lambda: self.apply_resolution(dialog))
        dialog.open()
        return dialog

    def apply_resolution(self, dialog: ConflictDialog) -> None:
        from kkdesk.errors import KkdeskError
        from kkdesk.records import Author
        from kkdesk.sync.conflicts import resolve_keep, resolve_merged

        author = Author(self.store.profile_id, self.store.profile_code)
        try:
            with self.store.session() as s:
                if dialog.kept is not None:
                    resolve_keep(s, author, dialog.conflict.id, dialog.conflict.versions[dialog.kept].revision)
                else:
                    content = {k: v for k, v in dialog.merged_content().items() if k != "record_no"}
                    resolve_merged(s, author, dialog.conflict.id, content)
        except KkdeskError as exc:
            self._error(exc)
            return
        self.refresh()
        self._changed({dialog.conflict.kind})
