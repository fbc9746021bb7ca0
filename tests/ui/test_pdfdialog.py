"""The Print / Save as PDF dialog and the batch of person sheets (offscreen)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from kkdesk.normalize import map_id
from tests.ui.conftest import assert_accessible, wait_tasks


def ex(list_name: str, ident: str) -> str:
    return map_id("kkdesk-example", list_name, ident)


def text_of(data: bytes) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def dialog(example_ctx, qtbot):
    from kkdesk.ui.reports.pdfdialog import PdfDialog

    example_ctx.ui_lang = "ru"
    dlg = PdfDialog(None, example_ctx, "hearing", ex("hearings", "ex-hearing-1"))
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.pdf is not None, timeout=10000)
    return dlg


def _pages(dlg):
    from PySide6.QtWidgets import QLabel

    return [w for w in dlg.pages_box.findChildren(QLabel) if w.objectName().startswith("pdf_page_")]


def test_preview_in_the_ui_language_by_default(dialog, qtbot):
    assert dialog.lang == "ru"
    assert "Отчёт о наблюдении за судебным заседанием" in text_of(dialog.pdf)
    pages = len(PdfReader(io.BytesIO(dialog.pdf)).pages)
    qtbot.waitUntil(lambda: len(_pages(dialog)) == pages)
    first = _pages(dialog)[0]
    assert not first.pixmap().isNull() and first.pixmap().width() > 500
    assert first.accessibleName() == f"Page 1 of {pages}"
    assert dialog.save_button.isEnabled() and dialog.print_button.isEnabled()
    assert_accessible(dialog)


def test_switching_language_renders_again(dialog, qtbot):
    russian = dialog.pdf
    dialog.language.setCurrentIndex(dialog.language.findData("kk"))
    qtbot.waitUntil(lambda: dialog.pdf is not None and dialog.pdf != russian, timeout=10000)
    assert "Сот отырысын бақылау туралы есеп" in text_of(dialog.pdf)
    assert dialog.suggested_name().endswith("-kk.pdf")


def test_public_mode_of_an_internal_record_explains_and_disables_saving(dialog, qtbot):
    dialog.public.setChecked(True)
    qtbot.waitUntil(lambda: "public" in dialog.status.text(), timeout=10000)
    assert "cannot be printed in public mode" in dialog.status.text()
    assert dialog.pdf is None and not dialog.save_button.isEnabled() and not dialog.print_button.isEnabled()
    assert _pages(dialog) == [] or all(not p.isVisible() for p in _pages(dialog))
    dialog.public.setChecked(False)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=10000)
    assert dialog.save_button.isEnabled()


@pytest.fixture
def out_dir(tmp_path):
    folder = tmp_path / "out"  # tmp_path itself holds the profile
    folder.mkdir()
    return folder


def test_save_writes_the_previewed_bytes(dialog, out_dir):
    written = dialog.save_to(out_dir / "report")
    assert written == out_dir / "report.pdf"
    assert written.read_bytes() == dialog.pdf
    assert [p.name for p in out_dir.iterdir()] == ["report.pdf"]
    assert dialog.save_to(out_dir / "missing" / "x.pdf") is None  # shown as an error, nothing raised
    assert not (out_dir / "missing").exists()


def test_print_paints_every_page(dialog, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    expected = len(PdfReader(io.BytesIO(dialog.pdf)).pages)
    assert dialog.print_to(printer) == expected
    assert len(PdfReader(str(tmp_path / "printed.pdf")).pages) == expected


def test_closing_while_rendering_drops_the_result(example_ctx, qtbot):
    from kkdesk.ui.reports.pdfdialog import PdfDialog

    dlg = PdfDialog(None, example_ctx, "case", ex("cases", "ex-case-toktarov"))
    qtbot.addWidget(dlg)
    dlg.reject()  # before the worker has delivered
    wait_tasks(qtbot, example_ctx)
    qtbot.wait(50)
    assert dlg.pdf is None and _pages(dlg) == []


def test_locked_store_is_reported(example_ctx, qtbot):
    from kkdesk.ui.reports.pdfdialog import PdfDialog

    store, example_ctx.store = example_ctx.store, None
    try:
        dlg = PdfDialog(None, example_ctx, "case", ex("cases", "ex-case-toktarov"))
        qtbot.addWidget(dlg)
        assert dlg.status.text() == "The store is locked." and not dlg.save_button.isEnabled()
    finally:
        example_ctx.store = store


def test_export_case_persons_in_the_background(example_ctx, qtbot, out_dir):
    from kkdesk.ui.reports.pdfdialog import ExportOptions, ExportOptionsDialog, export_case_persons

    task = export_case_persons(None, example_ctx, ex("cases", "ex-case-toktarov"), ExportOptions(str(out_dir), "kk", False))
    assert task is not None
    wait_tasks(qtbot, example_ctx)
    files = sorted(p.name for p in out_dir.iterdir())
    assert len(files) == 2 and all(name.endswith(".pdf") for name in files)
    assert any("Ерлан Токтаров" in text_of((out_dir / name).read_bytes()) for name in files)

    options = ExportOptionsDialog(None, "ru")
    qtbot.addWidget(options)
    assert options.language.currentData() == "ru" and not options.ok_button.isEnabled()
    options.folder.setText(str(out_dir))
    assert options.ok_button.isEnabled()
    assert options.options() == ExportOptions(str(out_dir), "ru", False)
    assert_accessible(options)
