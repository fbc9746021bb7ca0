"""Merge two persons: which one is kept, and for each field both fill differently,
whose value the kept person takes. Names, contacts and lists are joined, never lost."""

from __future__ import annotations

from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QGridLayout, QLabel, QPushButton,
                               QRadioButton, QScrollArea, QVBoxLayout, QWidget)

from kkdesk import labels
from kkdesk.i18n import _, get_language
from kkdesk.ui.common.screenfit import fit_size


class MergePersonsDialog(QDialog):
    def __init__(self, ctx, keep_id: str, other_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("merge_persons_dialog")
        self.keep_id, self.other_id = keep_id, other_id
        self.groups: dict[str, QButtonGroup] = {}
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.swap_button = QPushButton()
        self.swap_button.setObjectName("merge_swap")
        self.swap_button.clicked.connect(self.swap)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.do_merge)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.swap_button)
        layout.addWidget(self.area, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.result_info = None
        self._build()

    def _build(self) -> None:
        from kkdesk.merge_persons import conflicting_fields
        from kkdesk.records import get

        with self.ctx.store.session() as s:
            self.keep, self.other = get(s, self.keep_id), get(s, self.other_id)
        self.setWindowTitle(_("Merge persons"))
        self.intro.setText(_("%(other)s will be merged into %(keep)s: its names, contacts and lists are added to "
                             "%(keep)s, every record that names it will name %(keep)s, and %(other)s is deleted "
                             "(its history is kept).") % {"keep": self._name(self.keep), "other": self._name(self.other)})
        self.swap_button.setText(_("Keep %(name)s instead") % {"name": self._name(self.other)})
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Merge"))
        self.fields = conflicting_fields(self.keep.content, self.other.content)
        body = QWidget()
        grid = QGridLayout(body)
        lang = get_language()
        grid.addWidget(QLabel("<b>%s</b>" % _("Field")), 0, 0)
        grid.addWidget(QLabel("<b>%s</b>" % self._name(self.keep)), 0, 1)
        grid.addWidget(QLabel("<b>%s</b>" % self._name(self.other)), 0, 2)
        self.groups.clear()
        for r, name in enumerate(self.fields, 1):
            label = _(labels.field_label("person", name))
            grid.addWidget(QLabel(label), r, 0)
            group = QButtonGroup(self)
            for c, view in enumerate((self.keep, self.other)):
                button = QRadioButton(labels.value_label("person", name, view.content.get(name), lang))
                button.setObjectName(f"choice_{name}_{'keep' if c == 0 else 'other'}")
                button.setAccessibleName(f"{label}: {button.text()}")
                group.addButton(button, c)
                grid.addWidget(button, r, c + 1)
            group.button(0).setChecked(True)
            self.groups[name] = group
        grid.setRowStretch(len(self.fields) + 1, 1)
        self.area.setWidget(body)
        self.area.setMaximumHeight(body.sizeHint().height() + 2 * self.area.frameWidth() + 4)
        fit_size(self, 900, self.sizeHint().height())
        self.note.setText(_("No field needs a choice: the two records do not contradict each other.")
                          if not self.fields else
                          _("Choose for each field whose value is kept. A name not chosen stays as a name variant."))

    @staticmethod
    def _name(view) -> str:
        c = view.content
        return c.get("name_kk") or c.get("name_ru") or c.get("name_latin") or view.record_no or view.id

    def swap(self) -> None:
        self.keep_id, self.other_id = self.other_id, self.keep_id
        self._build()

    def choices(self) -> dict[str, str]:
        return {name: ("other" if group.checkedId() == 1 else "keep") for name, group in self.groups.items()}

    def do_merge(self) -> None:
        from kkdesk.errors import KkdeskError
        from kkdesk.merge_persons import merge

        try:
            with self.ctx.store.session() as s:
                self.result_info = merge(s, self.ctx.author(), self.keep_id, self.other_id, self.choices())
        except KkdeskError as exc:
            self.ctx.show_error(self, exc)
            return
        self.ctx.notify_changed({"person", "threat", "case", "hearing", "medical", "source", "organisation",
                                 "attachment"})
        self.accept()
