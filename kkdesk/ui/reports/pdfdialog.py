"""Print / Save as PDF: a preview of a record's case sheet or report in a chosen
language (kk/ru/en, independent of the UI language), with a public-version switch.

The PDF is rendered by the core (`kkdesk.reports.render`) on a worker thread and kept
in memory; the preview pages are rasterised from those bytes by PDFium
(`pypdfium2`) — PySide6-Essentials does not ship QtPdf — and nothing is written to
disk until the user saves. Printing paints the same page images on a QPrinter.

`export_case_persons(parent, app_ctx, case_id)` writes one person sheet per party of
a case into a chosen folder, off the GUI thread, with progress and Cancel."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget)

from kkdesk.i18n import LANGS, LANGUAGE_NAMES, _, ngettext

PREVIEW_WIDTH = 640  # pixels of a preview page
PRINT_DPI_MAX = 300


def _pdfium():
    try:
        import pypdfium2
    except ImportError:  # the preview is optional; saving works without it
        return None
    return pypdfium2


def page_images(data: bytes, width_px: int | None = None, dpi: float | None = None,
                pages: range | None = None) -> list[QImage]:
    """Rasterise PDF bytes (from memory) into QImages: `width_px` wide, or at `dpi`."""
    pdfium = _pdfium()
    if pdfium is None:
        return []
    doc = pdfium.PdfDocument(data)
    try:
        out = []
        for index in pages if pages is not None else range(len(doc)):
            page = doc[index]
            w_pt, _h = page.get_size()
            scale = (width_px / w_pt) if width_px else (dpi or 96) / 72.0
            bitmap = page.render(scale=scale, rev_byteorder=True)
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888)
            out.append(image.copy())  # detach from PDFium's buffer before it is freed
            bitmap.close()
            page.close()
        return out
    finally:
        doc.close()


def page_count(data: bytes) -> int:
    pdfium = _pdfium()
    if pdfium is None:
        return 0
    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


class PdfDialog(QDialog):
    """Preview, save and print one record's PDF. `kind` is person, case, hearing or medical."""

    def __init__(self, parent: QWidget | None, app_ctx, kind: str, record_id: str) -> None:
        super().__init__(parent)
        self.app_ctx = app_ctx
        self.kind = kind
        self.record_id = record_id
        self.pdf: bytes | None = None
        self.record_no = record_id
        self._generation = 0
        self.setObjectName("pdf_dialog")
        self.setWindowTitle(_("Print / Save as PDF"))
        self.setAccessibleName(_("Print / Save as PDF"))
        self.resize(760, 880)

        self.language = QComboBox()
        self.language.setObjectName("pdf_language")
        self.language.setAccessibleName(_("Language of the document"))
        for lang in LANGS:
            self.language.addItem(LANGUAGE_NAMES[lang], lang)
        ui_lang = getattr(app_ctx, "ui_lang", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(ui_lang)))
        self.public = QCheckBox(_("Public version"))
        self.public.setObjectName("pdf_public")
        self.public.setAccessibleName(_("Public version"))
        self.public.setToolTip(_("Only public records; persons without consent appear by alias or initials; "
                                 "no medical details without consent."))
        self.pages_label = QLabel()
        self.pages_label.setObjectName("pdf_pages")
        self.pages_label.setAccessibleName(_("Number of pages"))
        top = QHBoxLayout()
        language_label = QLabel(_("Language:"))
        language_label.setBuddy(self.language)
        top.addWidget(language_label)
        top.addWidget(self.language)
        top.addSpacing(16)
        top.addWidget(self.public)
        top.addStretch(1)
        top.addWidget(self.pages_label)

        self.status = QLabel()
        self.status.setObjectName("pdf_status")
        self.status.setAccessibleName(_("Status"))
        self.status.setWordWrap(True)
        self.pages_box = QWidget()
        self.pages_box.setObjectName("pdf_pages_box")
        self.pages_layout = QVBoxLayout(self.pages_box)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.preview = QScrollArea()
        self.preview.setObjectName("pdf_preview")
        self.preview.setAccessibleName(_("Preview"))
        self.preview.setWidgetResizable(True)
        self.preview.setWidget(self.pages_box)

        self.save_button = QPushButton(_("Save as PDF…"))
        self.save_button.setObjectName("pdf_save")
        self.save_button.setAccessibleName(_("Save as PDF"))
        self.print_button = QPushButton(_("Print…"))
        self.print_button.setObjectName("pdf_print")
        self.print_button.setAccessibleName(_("Print"))
        self.close_button = QPushButton(_("Close"))
        self.close_button.setObjectName("pdf_close")
        self.close_button.setAccessibleName(_("Close"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.save_button, self.print_button, self.close_button):
            buttons.addWidget(b)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)

        self.language.currentIndexChanged.connect(self.refresh)
        self.public.toggled.connect(self.refresh)
        self.save_button.clicked.connect(self.save_as)
        self.print_button.clicked.connect(self.print_document)
        self.close_button.clicked.connect(self.reject)
        self.refresh()

    def done(self, result: int) -> None:  # noqa: D401 - Qt API
        self._generation += 1  # a render still running reports into a closed dialog: drop it
        self.pdf = None
        super().done(result)

    # rendering ----------------------------------------------------------------------
    @property
    def lang(self) -> str:
        return self.language.currentData()

    def _set_ready(self, ready: bool) -> None:
        self.save_button.setEnabled(ready)
        self.print_button.setEnabled(ready and _pdfium() is not None)

    @Slot()
    def refresh(self) -> None:
        """Render again with the current language and mode (stale results are dropped)."""
        self._generation += 1
        generation = self._generation
        self.pdf = None
        self._set_ready(False)
        self.status.setText(_("Preparing the document…"))
        store = self.app_ctx.store
        if store is None:
            from kkdesk.errors import ProfileError
            from kkdesk.i18n import N_

            self._failed(generation, ProfileError(N_("The store is locked.")))
            return
        lang, public = self.lang, self.public.isChecked()

        def work(_progress):
            with store.session() as session:
                return self.render_document(session, lang, public)

        self.app_ctx.run_task(work, on_done=lambda result: self._rendered(generation, result),
                              on_error=lambda exc: self._failed(generation, exc), quiet=True, parent=self)

    def render_document(self, session, lang: str, public: bool) -> tuple[str, bytes]:
        """(name for the file, PDF bytes); runs on a worker thread."""
        from kkdesk import records
        from kkdesk.reports import render

        number = records.find(session, self.record_id).record_no or self.record_id
        return number, render(session, self.kind, self.record_id, lang, public=public)

    def _clear_pages(self) -> None:
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()

    def _rendered(self, generation: int, result) -> None:
        if generation != self._generation:
            return
        self.record_no, self.pdf = result
        self._clear_pages()
        images = page_images(self.pdf, width_px=PREVIEW_WIDTH)
        total = len(images)
        for number, image in enumerate(images, start=1):
            label = QLabel()
            label.setObjectName(f"pdf_page_{number}")
            label.setAccessibleName(_("Page %(page)d of %(pages)d") % {"page": number, "pages": total})
            label.setPixmap(QPixmap.fromImage(image))
            label.setFrameShape(QLabel.Shape.Box)
            self.pages_layout.addWidget(label)
        if images:
            self.pages_label.setText(ngettext("%(pages)d page", "%(pages)d pages", total) % {"pages": total})
            self.status.setText("")
        else:
            self.pages_label.setText("")
            self.status.setText(_("The preview is not available on this computer; the PDF can still be saved."))
        self._set_ready(True)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        from kkdesk.ui.common.messages import error_text

        self._clear_pages()
        self.pages_label.setText("")
        self.status.setText(error_text(exc)[0])
        self._set_ready(False)

    # saving and printing ------------------------------------------------------------
    def suggested_name(self) -> str:
        suffix = "-public" if self.public.isChecked() else ""
        return f"{self.record_no}-{self.lang}{suffix}.pdf"

    @Slot()
    def save_as(self) -> None:
        if self.pdf is None:
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("Save as PDF"), self.suggested_name(), _("PDF files (*.pdf)"))
        if path:
            self.save_to(path)

    def save_to(self, path: str | Path) -> Path | None:
        """Write the rendered PDF to `path` (atomically); errors are shown, not raised."""
        from kkdesk.errors import KkdeskError
        from kkdesk.reports import write_pdf

        if self.pdf is None:
            return None
        if not str(path).lower().endswith(".pdf"):
            path = f"{path}.pdf"
        try:
            written = write_pdf(self.pdf, path)
        except (KkdeskError, OSError) as exc:
            self.app_ctx.show_error(self, exc)
            return None
        self.status.setText(_("PDF written to %(path)s") % {"path": str(written)})
        return written

    @Slot()
    def print_document(self) -> None:
        if self.pdf is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print"))
        dialog.setMinMax(1, max(1, page_count(self.pdf)))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Paint the pages (the printer's page range, else all) on `printer`; returns pages printed."""
        if self.pdf is None:
            return 0
        total = page_count(self.pdf)
        first = printer.fromPage() or 1
        last = printer.toPage() or total
        pages = range(first - 1, min(last, total))
        dpi = min(printer.resolution(), PRINT_DPI_MAX)
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        try:
            for i, index in enumerate(pages):
                if i:
                    printer.newPage()
                image = page_images(self.pdf, dpi=dpi, pages=range(index, index + 1))[0]
                target = painter.viewport()
                size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.setViewport(target.x(), target.y(), size.width(), size.height())
                painter.setWindow(image.rect())
                painter.drawImage(0, 0, image)
                painter.setViewport(target)
        finally:
            painter.end()
        return len(pages)


# --- batch: person sheets of a case ------------------------------------------------------

@dataclass
class ExportOptions:
    folder: str
    lang: str
    public: bool


class ExportOptionsDialog(QDialog):
    """Folder, language and mode for the person sheets of a case."""

    def __init__(self, parent: QWidget | None, ui_lang: str) -> None:
        super().__init__(parent)
        self.setObjectName("pdf_export_options")
        self.setWindowTitle(_("PDFs for all persons of the case"))
        self.setAccessibleName(_("PDFs for all persons of the case"))
        self.folder = QLineEdit()
        self.folder.setObjectName("pdf_export_folder")
        self.folder.setAccessibleName(_("Folder"))
        choose = QPushButton(_("Choose…"))
        choose.setObjectName("pdf_export_choose")
        choose.setAccessibleName(_("Choose a folder"))
        choose.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        self.language = QComboBox()
        self.language.setObjectName("pdf_export_language")
        self.language.setAccessibleName(_("Language of the document"))
        for lang in LANGS:
            self.language.addItem(LANGUAGE_NAMES[lang], lang)
        self.language.setCurrentIndex(max(0, self.language.findData(ui_lang)))
        self.public = QCheckBox(_("Public version"))
        self.public.setObjectName("pdf_export_public")
        self.public.setAccessibleName(_("Public version"))
        form = QFormLayout()
        folder_label = QLabel(_("Folder:"))
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, row)
        language_label = QLabel(_("Language:"))
        language_label.setBuddy(self.language)
        form.addRow(language_label, self.language)
        form.addRow("", self.public)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.setObjectName("pdf_export_buttons")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        self.ok_button = box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setAccessibleName(_("Export"))
        self.ok_button.setEnabled(False)
        self.folder.textChanged.connect(lambda text: self.ok_button.setEnabled(Path(text).is_dir()))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(box)

    @Slot()
    def _choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose a folder"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def options(self) -> ExportOptions:
        return ExportOptions(self.folder.text(), self.language.currentData(), self.public.isChecked())


def export_case_persons(parent: QWidget | None, app_ctx, case_id: str, options: ExportOptions | None = None):
    """Write the case sheet of every person who is a party to the case into a folder.
    Asks for folder, language and mode unless `options` is given; runs off the GUI
    thread with a progress dialog and Cancel; reports what was written. Returns the task."""
    from kkdesk.ui.common.messages import show_info

    if options is None:
        ask = ExportOptionsDialog(parent, getattr(app_ctx, "ui_lang", "en"))
        if ask.exec() != QDialog.DialogCode.Accepted:
            return None
        options = ask.options()
    store = app_ctx.store

    def work(progress):
        from kkdesk.reports import render_batch
        from kkdesk.reports.api import case_person_items

        with store.session() as session:
            items = case_person_items(session, case_id)
        return render_batch(store, items, options.lang, options.public, options.folder, progress=progress)

    def done(result) -> None:
        n = len(result.written)
        text = ngettext("%(n)d PDF file written to %(folder)s.", "%(n)d PDF files written to %(folder)s.", n) % {
            "n": n, "folder": options.folder}
        if result.cancelled:
            text += " " + _("Cancelled before the end.")
        details = "\n".join(f"{item.filename}: {exc.user_message()}" for item, exc in result.failed)
        if result.failed:
            text += " " + ngettext("%(n)d could not be printed (see details).", "%(n)d could not be printed (see details).",
                                   len(result.failed)) % {"n": len(result.failed)}
        show_info(parent, _("PDFs for all persons of the case"), text, details)

    return app_ctx.run_task(work, on_done=done, label=_("Printing the person sheets…"), cancellable=True,
                            parent=parent)
