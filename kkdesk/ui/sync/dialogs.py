"""The dialogs of the sync panel: adding a contact, a bundle passphrase, exporting a
bundle (to contacts or a passphrase, scope, confidentiality limit), and resolving a
conflict field by field."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox,
                               QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QRadioButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from kkdesk.i18n import N_, _

BUNDLE_FILTER = N_("kkdesk bundles (*.kkb);;All files (*)")
LEVELS = (("", N_("No limit")), ("public", N_("Public only")), ("internal", N_("Up to internal")),
          ("restricted", N_("Up to restricted")))
SCOPES = (("incremental", N_("What they have not acknowledged (repairs lost bundles)")),
          ("since-last", N_("Only what was never sent to them (one-way channel)")),
          ("all", N_("Everything")))


def named(widget: QWidget, name: str) -> QWidget:
    widget.setAccessibleName(name)
    return widget


def buddy(label: QLabel, widget: QWidget, name: str) -> None:
    label.setText(name)
    label.setBuddy(widget)
    widget.setAccessibleName(name.replace("&", "").rstrip(":"))


# --- background work --------------------------------------------------------------


class AddContactDialog(QDialog):
    """Name and the two public keys; the fingerprint is shown as soon as the keys parse."""

    def __init__(self, parent: QWidget | None, own_identity) -> None:
        super().__init__(parent)
        self.own = own_identity
        self.setWindowTitle(_("Add a contact"))
        form = QFormLayout()
        self.name = QLineEdit()
        self.recipient = QLineEdit()
        self.signing = QLineEdit()
        self.fingerprint = QLabel("—")
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verified = QCheckBox(_("I compared this fingerprint with the person (in person or by phone)"))
        for widget, text in ((self.name, _("&Name:")), (self.recipient, _("&age recipient (age1…):")),
                             (self.signing, _("&Signing key:"))):
            label = QLabel()
            buddy(label, widget, text)
            form.addRow(label, widget)
        fp_label = QLabel(_("Fingerprint:"))
        form.addRow(fp_label, self.fingerprint)
        form.addRow(self.verified)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        for edit in (self.recipient, self.signing):
            edit.textChanged.connect(self._update_fingerprint)

    def _update_fingerprint(self) -> None:
        from kkdesk import keys as K
        from kkdesk.sync.contacts import parse_recipient, parse_signing_key

        try:
            recipient = parse_recipient(self.recipient.text())
            key = K.decode_signing_key(parse_signing_key(self.signing.text()))
        except Exception:  # noqa: BLE001 - not (yet) valid keys: no fingerprint to show
            self.fingerprint.setText("—")
            return
        self.fingerprint.setText(K.fingerprint(recipient, key))

    def values(self) -> dict:
        return {"name": self.name.text(), "recipient": self.recipient.text(), "signing_key": self.signing.text(),
                "verified": self.verified.isChecked()}


class PassphraseDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, repeat: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout()
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        label = QLabel()
        buddy(label, self.first, _("&Passphrase:"))
        form.addRow(label, self.first)
        self.second: QLineEdit | None = None
        if repeat:
            self.second = QLineEdit()
            self.second.setEchoMode(QLineEdit.EchoMode.Password)
            label2 = QLabel()
            buddy(label2, self.second, _("&Repeat:"))
            form.addRow(label2, self.second)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def passphrase(self) -> str:
        return self.first.text()


class ExportDialog(QDialog):
    """Whom a bundle is for (contacts or a passphrase), what it holds, where it goes."""

    def __init__(self, parent: QWidget | None, contact_names: list[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Export bundle"))
        layout = QVBoxLayout(self)
        self.to_contacts = QRadioButton(_("Encrypt to &contacts"))
        self.to_passphrase = QRadioButton(_("Encrypt to a &passphrase (up to 512 MiB)"))
        self.mode = QButtonGroup(self)
        for button in (self.to_contacts, self.to_passphrase):
            self.mode.addButton(button)
        self.contacts = QListWidget()
        self.contacts.setAccessibleName(_("Contacts to encrypt to"))
        for name in contact_names:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.contacts.addItem(item)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.scope = QComboBox()
        for value, text in SCOPES:
            self.scope.addItem(_(text), value)
        self.level = QComboBox()
        for value, text in LEVELS:
            self.level.addItem(_(text), value)
        self.case = QLineEdit()
        self.case.setPlaceholderText(_("e.g. CS-2024-K7F-0001"))
        self.out = QLineEdit()
        self.browse = QPushButton(_("&Choose…"))
        self.browse.clicked.connect(self._choose)
        layout.addWidget(self.to_contacts)
        layout.addWidget(self.contacts)
        layout.addWidget(self.to_passphrase)
        form = QFormLayout()
        self._labels = []
        for widget, text in ((self.passphrase, _("Pa&ssphrase:")), (self.repeat, _("&Repeat the passphrase:")),
                             (self.scope, _("&What to send:")), (self.level, _("&Most sensitive records:")),
                             (self.case, _("Only this c&ase (optional):")), (self.out, _("&File:"))):
            label = QLabel()
            buddy(label, widget, text)
            if widget is self.out:
                row = QHBoxLayout()
                row.addWidget(self.out)
                row.addWidget(self.browse)
                form.addRow(label, row)
            else:
                form.addRow(label, widget)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName(_("Problem"))
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Export"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.to_contacts.toggled.connect(self._sync_enabled)
        (self.to_contacts if contact_names else self.to_passphrase).setChecked(True)
        self._sync_enabled()

    def _sync_enabled(self) -> None:
        contacts = self.to_contacts.isChecked()
        self.contacts.setEnabled(contacts)
        self.passphrase.setEnabled(not contacts)
        self.repeat.setEnabled(not contacts)

    def _choose(self) -> None:
        path = ask_bundle_path(self, _("Export bundle"), save=True, suggested="bundle.kkb")
        if path:
            self.out.setText(path)

    def checked_contacts(self) -> list[str]:
        return [self.contacts.item(i).text() for i in range(self.contacts.count())
                if self.contacts.item(i).checkState() == Qt.CheckState.Checked]

    def request(self):
        from kkdesk.sync.export import ExportRequest

        return ExportRequest(
            out=self.out.text().strip(), to=self.checked_contacts() if self.to_contacts.isChecked() else [],
            passphrase=None if self.to_contacts.isChecked() else self.passphrase.text(),
            mode=self.scope.currentData(), case=self.case.text().strip() or None,
            max_confidentiality=self.level.currentData() or None)

    def _accept(self) -> None:
        if not self.out.text().strip():
            self.error.setText(_("Choose the file to write."))
        elif self.to_contacts.isChecked() and not self.checked_contacts():
            self.error.setText(_("Choose at least one contact."))
        elif self.to_passphrase.isChecked() and self.passphrase.text() != self.repeat.text():
            self.error.setText(_("The two passphrases differ."))
        else:
            self.accept()


class ConflictDialog(QDialog):
    """Every version of a record in conflict, side by side, field by field. Keep one
    version whole, or choose per field and save the merge."""

    def __init__(self, parent: QWidget | None, conflict, lang: str) -> None:
        from kkdesk import labels
        from kkdesk.sync.conflicts import field_names

        super().__init__(parent)
        self.conflict = conflict
        self.kept: int | None = None
        self.setWindowTitle(_("Conflict: %(record)s") % {"record": conflict.record_no or conflict.title})
        layout = QVBoxLayout(self)
        intro = QLabel(_("Both sides changed this record. Every version is kept until you choose. Choose per field "
                         "and save the merge, or keep one version as it is."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.fields = field_names(conflict)
        versions = conflict.versions
        self.table = QTableWidget(len(self.fields), len(versions) + 2)
        self.table.setAccessibleName(_("Versions side by side"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        headers = [_("Field")] + [self._version_title(i, v) for i, v in enumerate(versions)] + [_("Keep")]
        self.table.setHorizontalHeaderLabels(headers)
        self.choices: list[QComboBox] = []
        for row, name in enumerate(self.fields):
            label = _(labels.field_label(conflict.kind, name))
            self.table.setItem(row, 0, QTableWidgetItem(label))
            for col, v in enumerate(versions):
                self.table.setItem(row, col + 1, QTableWidgetItem(_display(conflict.kind, name, v, lang)))
            choice = QComboBox()
            choice.setAccessibleName(_("Keep %(field)s from") % {"field": label})
            for i, v in enumerate(versions):
                choice.addItem(self._version_title(i, v), i)
            choice.setCurrentIndex(versions.index(_newest(versions)))
            self.table.setCellWidget(row, len(versions) + 1, choice)
            self.choices.append(choice)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table)
        row_layout = QHBoxLayout()
        self.keep_buttons = []
        for i, v in enumerate(versions):
            button = QPushButton(_("Keep %(version)s as it is") % {"version": self._version_title(i, v)})
            button.clicked.connect(lambda _checked=False, i=i: self.keep(i))
            row_layout.addWidget(button)
            self.keep_buttons.append(button)
        layout.addLayout(row_layout)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save the merge"))
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _version_title(index: int, version) -> str:
        when = version.created_at[:16].replace("T", " ")
        if version.deleted:
            return _("Version %(n)d (deleted, %(when)s)") % {"n": index + 1, "when": when}
        return _("Version %(n)d (%(when)s)") % {"n": index + 1, "when": when}

    def keep(self, index: int) -> None:
        self.kept = index
        self.accept()

    def merged_content(self) -> dict:
        from kkdesk.sync.conflicts import merge_fields

        live = [i for i, v in enumerate(self.conflict.versions) if not v.deleted]
        base = live[-1] if live else 0
        choices = {name: combo.currentData() for name, combo in zip(self.fields, self.choices, strict=True)}
        choices = {k: i for k, i in choices.items() if not self.conflict.versions[i].deleted}
        return merge_fields(self.conflict, choices, base=base)


def _newest(versions):
    live = [v for v in versions if not v.deleted] or versions
    return max(live, key=lambda v: (v.created_at, v.revision))


def _display(kind: str, field: str, version, lang: str) -> str:
    from kkdesk import labels

    if version.deleted:
        return "—"
    value = version.content.get(field)
    if isinstance(value, dict) or isinstance(value, list) and any(isinstance(v, dict) for v in value):
        return json.dumps(value, ensure_ascii=False)[:500]  # child rows, the checklist
    try:
        return labels.value_label(kind, field, value, lang)
    except Exception:  # noqa: BLE001 - a value a newer version wrote: shown as stored
        return "" if value is None else str(value)


def ask_bundle_path(parent: QWidget, title: str, save: bool, suggested: str = "") -> str | None:
    from kkdesk.ui.common.messages import ask_open_file, ask_save_file

    if save:
        return ask_save_file(parent, title, suggested, _(BUNDLE_FILTER))
    return ask_open_file(parent, title, _(BUNDLE_FILTER))
