"""First run: create a profile — a name, the UI language (preselected from the system
locale, switched live), the passphrase twice with a strength hint, and the warning
that a lost passphrase cannot be recovered."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from kkdesk.i18n import LANGS, LANGUAGE_NAMES, N_, _, get_language, system_language
from kkdesk.ui.common.tasks import TaskRunner
from kkdesk.ui.shell.language import apply_language
from kkdesk.ui.shell.startparts import action_buttons, busy_bar, error_label, passphrase_edit, title_label

MIN_LENGTH = 10  # the core enforces the same minimum (kkdesk.keys.MIN_PASSPHRASE)

STRENGTH_WORDS = (N_("Too short"), N_("Weak"), N_("Fair"), N_("Good"), N_("Strong"))


def passphrase_strength(text: str) -> int:
    """0 (too short) … 4 (strong), from length and the variety of characters.

    >>> passphrase_strength("short")
    0
    >>> passphrase_strength("aaaaaaaaaaaa")
    1
    >>> passphrase_strength("correct horse battery staple")
    3
    >>> passphrase_strength("Қазақ тілі 2024 — жақсы!")
    4
    """
    if len(text) < MIN_LENGTH:
        return 0
    classes = 0
    classes += any(c.islower() for c in text)
    classes += any(c.isupper() for c in text)
    classes += any(c.isdigit() for c in text)
    classes += any(not c.isalnum() for c in text)
    classes += any(c.isalpha() and not c.isascii() for c in text)
    if len(set(text)) < 6:
        return 1
    score = 1 if len(text) < 14 else 2 if len(text) < 20 else 3
    if classes >= 3:
        score += 1
    return min(score, 4)


def _create(home: Path, passphrase: str, name: str, lang: str):
    from kkdesk.store import create_profile

    return create_profile(home, passphrase, name=name, ui_lang=lang)


class WelcomeDialog(QDialog):
    """Emits `created(store)` with the new, open Store."""

    created = Signal(object)

    def __init__(self, home: Path | str, parent: QWidget | None = None, creator=_create) -> None:
        super().__init__(parent)
        self.home = Path(home)
        self._creator = creator
        self.setObjectName("welcome_dialog")
        self.runner = TaskRunner(self, max_threads=1)
        self.busy = False

        self.title = title_label()
        self.intro = QLabel()
        self.intro.setWordWrap(True)

        self.name = QLineEdit()
        self.name.setObjectName("profile_name")
        self.name.setMaxLength(120)
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code in LANGS:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        current = get_language() if get_language() in LANGS else system_language()
        self.language.setCurrentIndex(LANGS.index(current))
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.passphrase = passphrase_edit("passphrase")
        self.repeat = passphrase_edit("passphrase_repeat")
        self.show_pass = QCheckBox()
        self.show_pass.toggled.connect(self._toggle_echo)
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(10)
        self.strength = QLabel()
        self.strength.setObjectName("strength_hint")
        self.strength.setWordWrap(True)
        self.passphrase.textChanged.connect(self._update_strength)
        self.repeat.textChanged.connect(self._update_strength)
        self.warning = QLabel()
        self.warning.setObjectName("lost_passphrase_warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("font-weight: bold;")
        self.error = error_label("welcome_error")
        self.busy_bar = busy_bar()

        self.name_label, self.lang_label = QLabel(), QLabel()
        self.pass_label, self.repeat_label, self.meter_label = QLabel(), QLabel(), QLabel()
        for label, widget in ((self.name_label, self.name), (self.lang_label, self.language),
                              (self.pass_label, self.passphrase), (self.repeat_label, self.repeat),
                              (self.meter_label, self.meter)):
            label.setBuddy(widget)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.name_label, self.name)
        form.addRow(self.lang_label, self.language)
        form.addRow(self.pass_label, self.passphrase)
        form.addRow(self.repeat_label, self.repeat)
        form.addRow("", self.show_pass)
        form.addRow(self.meter_label, self.meter)
        form.addRow("", self.strength)

        self.buttons, self.create_button, self.quit_button = action_buttons(
            "create_button", self.try_create, self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.warning)
        layout.addWidget(self.error)
        layout.addWidget(self.busy_bar)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.retranslate()
        self.name.setFocus()

    @property
    def lang(self) -> str:
        return self.language.currentData()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Welcome to kkdesk"))
        self.title.setText(_("Create your profile"))
        self.intro.setText(_("kkdesk keeps your records encrypted on this computer. "
                             "Choose a name for this profile and a passphrase to protect it."))
        self.name_label.setText(_("Profile &name:"))
        self.name.setAccessibleName(_("Profile name"))
        self.name.setPlaceholderText(_("e.g. Almaty monitoring team"))
        self.lang_label.setText(_("&Language:"))
        self.language.setAccessibleName(_("Language"))
        self.pass_label.setText(_("&Passphrase:"))
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.repeat_label.setText(_("&Repeat passphrase:"))
        self.repeat.setAccessibleName(_("Repeat passphrase"))
        self.show_pass.setText(_("&Show passphrase"))
        self.meter_label.setText(_("Strength:"))
        self.meter.setAccessibleName(_("Passphrase strength"))
        self.warning.setText(_("Write the passphrase down and keep it in a safe place. If it is lost, nobody "
                               "can recover it or the records — not your organisation, not the developers."))
        self.create_button.setText(_("&Create profile"))
        self.quit_button.setText(_("&Quit"))
        self._update_strength()
        if getattr(self, "_message", None) is not None and not self.error.isHidden():
            self.show_message(self._message)

    def _language_chosen(self, _index: int) -> None:
        apply_language(self.lang)
        self.retranslate()

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)
        self.repeat.setEchoMode(mode)

    def _update_strength(self) -> None:
        text = self.passphrase.text()
        score = passphrase_strength(text)
        self.meter.setValue(score)
        if not text:
            hint = _("Use at least %(n)d characters. A sentence of several words is easy to remember "
                     "and hard to guess.") % {"n": MIN_LENGTH}
        elif score == 0:
            hint = _("Too short: use at least %(n)d characters (now %(len)d).") % {"n": MIN_LENGTH, "len": len(text)}
        else:
            hint = _(STRENGTH_WORDS[score]) + ". "
            if score < 3:
                hint += _("Make it longer, or mix words, capital letters, digits and symbols.")
            else:
                hint += _("A good passphrase.")
        if self.repeat.text() and self.repeat.text() != text:
            hint += " " + _("The two passphrases differ.")
        self.strength.setText(hint)
        self.meter.setAccessibleDescription(hint)

    def show_message(self, text) -> None:
        """Show an error; given as a function that gives it translated, it follows a language switch."""
        self._message = text if callable(text) else None
        text = text() if callable(text) else text
        self.error.setText(text)
        self.error.setAccessibleName(text)
        self.error.show()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_bar.setVisible(busy)
        for w in (self.name, self.language, self.passphrase, self.repeat, self.create_button):
            w.setEnabled(not busy)
        if busy:
            self.error.hide()

    def try_create(self) -> None:
        if self.busy:
            return
        passphrase = self.passphrase.text()
        if len(passphrase) < MIN_LENGTH:
            self.show_message(lambda: _("The passphrase must have at least %(n)d characters.") % {"n": MIN_LENGTH})
            self.passphrase.setFocus()
            return
        if passphrase != self.repeat.text():
            self.show_message(lambda: _("The two passphrases differ. Type the same passphrase twice."))
            self.repeat.clear()
            self.repeat.setFocus()
            return
        self._set_busy(True)
        home, name, lang, creator = self.home, self.name.text().strip(), self.lang, self._creator
        self.runner.run(lambda _p: creator(home, passphrase, name, lang), self._on_created, self._on_failed, quiet=True)

    def _on_created(self, store) -> None:
        self._set_busy(False)
        self.passphrase.clear()
        self.repeat.clear()
        self.created.emit(store)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        from kkdesk.errors import KkdeskError

        self._set_busy(False)
        if isinstance(exc, KkdeskError):
            self.show_message(exc.user_message)
        else:
            from kkdesk.ui.common.messages import show_error

            show_error(self, exc)

    def reject(self) -> None:
        if not self.busy:
            super().reject()

