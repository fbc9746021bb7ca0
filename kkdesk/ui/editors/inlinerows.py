"""A child list edited in place: the rows' table, and below it the selected row's own
form — no dialog. A threat's acts and an act's perpetrators are entered this way, so
a whole incident is typed in one window: Enter in the table adds a row and puts the
cursor in its first field; Tab goes on through the row's fields (and its own inline
lists) and then on to the rest of the record."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QComboBox, QFrame, QLabel, QVBoxLayout

from kkdesk import labels, schema as S
from kkdesk.i18n import N_, _
from kkdesk.ui.editors.childtable import ChildListField

# (parent kind, list field) edited inline; other lists keep their row dialog
INLINE = {("threat", "acts"), ("threat_act", "perpetrators")}


class _EnterAdds(QObject):
    """Enter (or Return) in the table adds a row."""

    def __init__(self, field: "InlineChildListField") -> None:
        super().__init__(field.view)
        self.field = field

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.field.add_row()
            return True
        return False


class InlineChildListField(ChildListField):
    def __init__(self, ctx, owner, parent_kind: str, field: S.Field) -> None:
        self._loading_row = False
        super().__init__(ctx, owner, parent_kind, field)
        self.edit_button.hide()
        self.panel = QFrame()
        self.panel.setObjectName(f"row_panel_{self.name}")
        self.panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.panel_title = QLabel()
        self.panel_title.setObjectName(f"row_title_{self.name}")
        font = self.panel_title.font()
        font.setBold(True)
        self.panel_title.setFont(font)
        self.row_form = owner.row_form(self.entity.kind, self.panel)
        self.row_form.setObjectName(f"row_form_{self.name}")
        scroll = getattr(self.row_form, "scroll", None)
        if scroll is not None:  # the record's form scrolls; the row's form shows whole
            scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QVBoxLayout(self.panel)
        inner.setContentsMargins(6, 6, 6, 6)
        inner.addWidget(self.panel_title)
        inner.addWidget(self.row_form)
        self.widget.layout().insertWidget(1, self.panel)
        self.view.installEventFilter(_EnterAdds(self))
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._load_current())
        self.model.modelReset.connect(self._load_current)
        self.model.rowsRemoved.connect(lambda *_a: self._load_current())
        self.row_form.changed.connect(self._row_edited)
        self.inputs = [(w, part) for w, part in self.inputs if w is not self.edit_button]
        self._load_current()

    # --- the selected row in the panel ------------------------------------------------
    def _load_current(self) -> None:
        row = self.current_row()
        self._loading_row = True
        try:
            if 0 <= row < self.model.rowCount():
                self.row_form.set_values(self.model.rows[row])
                self.row_form.validator = self.row_validator(row)
                problems = self._row_problems.get(row, [])
                self.row_form.show_all_problems(bool(problems))  # a new row is not red before it is typed in
                self.row_form.show_problems([p for p, s in problems if s == "error"],
                                            [p for p, s in problems if s != "error"])
                self.panel.show()
            else:
                self.row_form.set_values({})
                self.row_form.validator = None
                self.panel.hide()
        finally:
            self._loading_row = False
        self._retitle()
        self._fit_height()

    def _row_edited(self) -> None:
        if self._loading_row:
            return
        row = self.current_row()
        if 0 <= row < self.model.rowCount():
            values = self.row_form.values()
            self.model.replace(row, values)
            self.changed.emit()
        self._fit_height()

    def _fit_height(self) -> None:
        scroll = getattr(self.row_form, "scroll", None)
        if scroll is not None and scroll.widget() is not None:
            scroll.setMinimumHeight(scroll.widget().sizeHint().height() + 4)

    def _retitle(self) -> None:
        row = self.current_row()
        name = _(labels.field_label(self.kind, self.name))
        self.panel_title.setText(_("%(list)s %(number)d") % {"list": name, "number": row + 1} if row >= 0 else "")

    # --- actions: no dialog ---------------------------------------------------------
    def add_row(self):
        """A new row with its defaults, selected, the cursor in its first field."""
        if self.read_only:
            return None
        self._loading_row = True
        try:
            self.row_form.set_values({})
            self.row_form.apply_defaults()
            values = self.row_form.values()
        finally:
            self._loading_row = False
        row = self.model.append(values)
        self.select_row(row)
        self._load_current()
        self.changed.emit()
        self.focus_row()
        return None

    def edit_row(self, row: int):
        """Double click or Enter on a row: its fields are right below; go there."""
        if 0 <= row < self.model.rowCount():
            self.select_row(row)
            self.focus_row()
        return None

    def focus_row(self) -> None:
        for fw in self.row_form.fields.values():
            if getattr(fw, "is_list", False) or not fw.inputs:
                continue
            widget = fw.inputs[0][0]
            if widget.isEnabled() and widget.isVisibleTo(self.row_form):
                edit = widget.lineEdit() if isinstance(widget, QComboBox) and widget.isEditable() else None
                (edit or widget).setFocus(Qt.FocusReason.TabFocusReason)  # a typed choice is then committed on Tab
                return

    def set_row_problems(self, mapping) -> None:
        super().set_row_problems(mapping)
        row = self.current_row()
        if row in mapping and not self._loading_row:
            problems = mapping[row]
            self.row_form.show_problems([p for p, s in problems if s == "error"], [p for p, s in problems if s != "error"])

    def set_read_only(self, read_only: bool = True) -> None:
        super().set_read_only(read_only)
        for fw in self.row_form.fields.values():
            fw.set_read_only(read_only)

    def retranslate(self) -> None:
        super().retranslate()
        self.add_button.setText(_("Add a row"))
        self._describe()
        if hasattr(self, "row_form"):
            self.row_form.retranslate()
            self._retitle()

    def _describe(self) -> None:
        super()._describe()
        self.view.setAccessibleDescription(
            self.view.accessibleDescription().replace(_(BASE_HINT), _(INLINE_HINT)))


BASE_HINT = N_("A table: Enter opens the selected row, Insert adds a row, Delete removes it; "
               "the buttons beside the table do the same.")
INLINE_HINT = N_("A table: Enter adds a row, the selected row's fields follow below the table; "
                 "Delete removes a row.")
