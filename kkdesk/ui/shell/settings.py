"""Machine-local UI settings (QSettings, an INI file in the profile folder) and the
Settings dialog.

The INI file is plaintext, so it holds only what is listed in `KEYS`: window
geometry, the UI language, the last screen and the auto-lock delay. Case data,
names, file paths and search text never go here; settings that are about the
organisation (its name on reports) live inside the encrypted store
(`store.set_meta`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kkdesk.i18n import LANGS, _

SETTINGS_FILE = "ui-settings.ini"
DEFAULT_AUTO_LOCK_MINUTES = 10
MAX_AUTO_LOCK_MINUTES = 240
ORG_NAME_META = "org_name"

# every key this module may write; a test checks the file against it
KEYS = ("window/geometry", "window/state", "window/splitter", "ui/language", "ui/last_screen",
        "lock/auto_lock_minutes")
SCREENS = ("person", "organisation", "case", "threat", "hearing", "medical", "court", "source", "detention",
           "intervention", "due", "sync")


class Settings:
    """Typed access to the few UI settings. `path=None` keeps them in memory only
    (used before a profile exists)."""

    def __init__(self, path: Path | str | None) -> None:
        self.path = Path(path) if path else None
        if self.path is not None:
            self._q = QSettings(str(self.path), QSettings.Format.IniFormat)
        else:
            self._q = None
            self._mem: dict[str, object] = {}

    @classmethod
    def for_home(cls, home: Path) -> Settings:
        return cls(Path(home) / SETTINGS_FILE)

    def _get(self, key: str, default=None):
        if self._q is None:
            return self._mem.get(key, default)
        return self._q.value(key, default)

    def _set(self, key: str, value) -> None:
        assert key in KEYS, key
        if self._q is None:
            self._mem[key] = value
        else:
            self._q.setValue(key, value)

    def sync(self) -> None:
        if self._q is not None:
            self._q.sync()

    # typed accessors ------------------------------------------------------------
    @property
    def auto_lock_minutes(self) -> int:
        try:
            value = int(self._get("lock/auto_lock_minutes", DEFAULT_AUTO_LOCK_MINUTES))
        except (TypeError, ValueError):
            return DEFAULT_AUTO_LOCK_MINUTES
        return min(max(value, 1), MAX_AUTO_LOCK_MINUTES)

    @auto_lock_minutes.setter
    def auto_lock_minutes(self, value: int) -> None:
        self._set("lock/auto_lock_minutes", int(min(max(value, 1), MAX_AUTO_LOCK_MINUTES)))

    @property
    def language(self) -> str | None:
        value = self._get("ui/language")
        return value if value in LANGS else None

    @language.setter
    def language(self, lang: str) -> None:
        if lang in LANGS:
            self._set("ui/language", lang)

    @property
    def last_screen(self) -> str | None:
        value = self._get("ui/last_screen")
        return value if value in SCREENS else None

    @last_screen.setter
    def last_screen(self, screen: str) -> None:
        if screen in SCREENS:
            self._set("ui/last_screen", screen)

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._get(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._set("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._set("window/state", value)

    @property
    def splitter(self) -> QByteArray | None:
        return self._bytes("window/splitter")

    @splitter.setter
    def splitter(self, value: QByteArray) -> None:
        self._set("window/splitter", value)


class SettingsDialog(QDialog):
    """Auto-lock delay (machine-local), the organisation's name on reports (in the store)
    and the protection settings (profile.json, see protection.py)."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("settings_dialog")
        self.minutes = QSpinBox()
        self.minutes.setRange(1, MAX_AUTO_LOCK_MINUTES)
        self.minutes.setValue(ctx.settings.auto_lock_minutes)
        self.org_name = QLineEdit()
        self.org_name.setMaxLength(200)
        if ctx.store is not None:
            self.org_name.setText(ctx.store.get_meta(ORG_NAME_META, "") or "")
        self.minutes_label = QLabel()
        self.minutes_label.setBuddy(self.minutes)
        self.org_label = QLabel()
        self.org_label.setBuddy(self.org_name)
        self.org_hint = QLabel()
        self.org_hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.minutes_label, self.minutes)
        form.addRow(self.org_label, self.org_name)
        form.addRow(self.org_hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.protection = None
        if ctx.store is not None:
            from kkdesk.ui.shell.protection import ProtectionBox

            self.protection = ProtectionBox(ctx.store, self)
            layout.addWidget(self.protection)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.retranslate()

    def retranslate(self) -> None:
        if self.protection is not None:
            self.protection.retranslate()
        self.setWindowTitle(_("Settings"))
        self.minutes_label.setText(_("&Lock automatically after (minutes):"))
        self.minutes.setSuffix(" " + _("min"))
        self.minutes.setAccessibleName(_("Lock automatically after (minutes)"))
        self.org_label.setText(_("&Organisation name on reports:"))
        self.org_name.setAccessibleName(_("Organisation name on reports"))
        self.org_hint.setText(_("The organisation name is kept inside the encrypted store."))

    def accept(self) -> None:
        self.ctx.set_auto_lock_minutes(self.minutes.value())
        if self.ctx.store is not None:
            try:
                if self.protection is not None:
                    self.protection.apply()
                self.ctx.store.set_meta(ORG_NAME_META, self.org_name.text().strip())
            except Exception as exc:  # noqa: BLE001 - shown by the one presenter
                self.ctx.show_error(self, exc)
                return
        super().accept()
