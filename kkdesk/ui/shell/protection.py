"""The protection settings (failed-unlock limit, duress passphrase) as a group in the
Settings dialog, and Tools → Wipe this profile… (kkdesk/security.py does the work)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kkdesk.i18n import N_, _

WIPE_CHOICES = (0, 5, 6, 7, 8, 10, 15, 20)


def _hint() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ProtectionBox(QGroupBox):
    """Wipe after N failed unlocks, and the duress passphrase, with what they do."""

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from kkdesk.security import state

        self.store = store
        current = state(store)
        self.setObjectName("protection_box")
        self.wipe_after = QComboBox()
        self.wipe_after.setObjectName("wipe_after")
        for n in WIPE_CHOICES:
            self.wipe_after.addItem("", n)
        if current.wipe_after_failed not in WIPE_CHOICES:
            self.wipe_after.addItem("", current.wipe_after_failed)
        self.wipe_after.setCurrentIndex(self.wipe_after.findData(current.wipe_after_failed))
        self.wipe_label = QLabel()
        self.wipe_label.setBuddy(self.wipe_after)
        self.wipe_hint = _hint()
        self.duress_set = current.duress_set
        self.duress = QLineEdit()
        self.duress.setObjectName("duress_passphrase")
        self.duress.setEchoMode(QLineEdit.EchoMode.Password)
        self.duress_repeat = QLineEdit()
        self.duress_repeat.setObjectName("duress_repeat")
        self.duress_repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.duress_label = QLabel()
        self.duress_label.setBuddy(self.duress)
        self.repeat_label = QLabel()
        self.repeat_label.setBuddy(self.duress_repeat)
        self.remove_duress = QCheckBox()
        self.remove_duress.setObjectName("remove_duress")
        self.remove_duress.setVisible(self.duress_set)
        self.duress_hint = _hint()
        form = QFormLayout(self)
        form.addRow(self.wipe_label, self.wipe_after)
        form.addRow(self.wipe_hint)
        form.addRow(self.duress_label, self.duress)
        form.addRow(self.repeat_label, self.duress_repeat)
        form.addRow(self.remove_duress)
        form.addRow(self.duress_hint)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Protection if the laptop is taken"))
        for i in range(self.wipe_after.count()):
            n = self.wipe_after.itemData(i)
            self.wipe_after.setItemText(i, _("Never") if n == 0 else _("after %(n)d failed unlocks") % {"n": n})
        self.wipe_label.setText(_("&Wipe this profile:"))
        self.wipe_after.setAccessibleName(_("Wipe this profile after failed unlocks"))
        self.wipe_hint.setText(_("After 3 wrong passphrases each further try has to wait (2 s, 4 s … up to 60 s). "
                                 "If you choose a number here, that many wrong passphrases in a row wipe this "
                                 "profile for good. It cannot be undone."))
        self.duress_label.setText(_("&Duress passphrase:"))
        self.duress.setAccessibleName(_("Duress passphrase"))
        self.repeat_label.setText(_("&Repeat it:"))
        self.duress_repeat.setAccessibleName(_("Repeat the duress passphrase"))
        self.duress.setPlaceholderText(_("set — type a new one to change it") if self.duress_set else _("not set"))
        self.remove_duress.setText(_("Remove the duress passphrase"))
        self.duress_hint.setText(_("If someone forces you to unlock kkdesk, enter the duress passphrase instead of "
                                   "yours: this profile is wiped at once and a new, empty profile with the same "
                                   "name and language opens, so nothing on screen shows it. The records cannot be "
                                   "recovered afterwards, except from a backup you keep elsewhere."))

    def apply(self) -> None:
        """Save what changed; raises a KkdeskError (shown by the dialog) on bad input."""
        from kkdesk.errors import InputError
        from kkdesk.security import set_duress_passphrase, set_wipe_after_failed, state

        duress, repeat = self.duress.text(), self.duress_repeat.text()
        if duress != repeat:
            raise InputError(N_("The two duress passphrases differ."))
        n = int(self.wipe_after.currentData())
        if n != state(self.store).wipe_after_failed:
            set_wipe_after_failed(self.store, n)
        if duress:
            set_duress_passphrase(self.store, duress)
        elif self.remove_duress.isChecked():
            set_duress_passphrase(self.store, None)
        self.duress.clear()
        self.duress_repeat.clear()


class WipeDialog(QDialog):
    """Tools → Wipe this profile…: what it does, and the profile's name typed to confirm."""

    def __init__(self, profile_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wipe_dialog")
        self.expected = profile_name
        self.text = _hint()
        self.confirm = QLineEdit()
        self.confirm.setObjectName("wipe_confirm")
        self.confirm_label = QLabel()
        self.confirm_label.setWordWrap(True)
        self.confirm_label.setBuddy(self.confirm)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.wipe_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.wipe_button.setObjectName("wipe_button")
        self.wipe_button.setEnabled(False)
        self.wipe_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.confirm.textChanged.connect(lambda t: self.wipe_button.setEnabled(t.strip() == self.expected))
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.confirm_label)
        layout.addWidget(self.confirm)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.setWindowTitle(_("Wipe this profile"))
        self.text.setText(_("This destroys the key of this profile at once: every record, draft and attachment "
                            "in it can no longer be read by anyone, with any passphrase. kkdesk then starts as on "
                            "a new computer. It cannot be undone; backups you made elsewhere are not touched."))
        self.confirm_label.setText(_("To wipe it, type the profile's name (%(name)s):") % {"name": self.expected})
        self.confirm.setAccessibleName(_("The profile's name, to confirm the wipe"))
        self.wipe_button.setText(_("Wipe for good"))
        self.wipe_button.setAccessibleName(_("Wipe for good"))

    def accept(self) -> None:
        if self.confirm.text().strip() == self.expected:
            super().accept()
