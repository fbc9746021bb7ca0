"""`kkdesk-cli pdf …`, atomic writing and the batch helper."""

from __future__ import annotations

import io
import os

import pytest
from pypdf import PdfReader

from kkdesk.cli import main
from kkdesk.normalize import map_id
from tests.conftest import PASSPHRASE


def ex(list_name: str, ident: str) -> str:
    return map_id("kkdesk-example", list_name, ident)


@pytest.fixture
def cli(example_home, monkeypatch, capsys):
    monkeypatch.setenv("KKDESK_PASSPHRASE", PASSPHRASE)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--home", str(example_home), *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def out_dir(tmp_path):
    folder = tmp_path / "out"  # tmp_path itself holds the profile
    folder.mkdir()
    return folder


def _text(path) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_pdf_person_by_uuid_and_by_record_number(cli, out_dir):
    out = out_dir / "sheet.pdf"
    code, stdout, _ = cli("pdf", "person", ex("persons", "ex-person-aigerim"), "--lang", "kk", "--out", str(out))
    assert code == 0 and str(out) in stdout
    text = _text(out)
    assert "Тұлға карточкасы" in text
    number = next(w for w in text.split() if w.startswith("PE-"))
    again = out_dir / "again.pdf"
    code, _, _ = cli("pdf", "person", number, "--lang", "en", "--out", str(again))
    assert code == 0 and "Case sheet: person" in _text(again)
    assert sorted(p.name for p in out_dir.iterdir()) == ["again.pdf", "sheet.pdf"]  # no temp files left
    assert os.name != "posix" or oct(out.stat().st_mode & 0o777) == "0o600"  # Windows: no modes (see test_windows_behaviour)


@pytest.mark.parametrize("doc, ident", [("case", ("cases", "ex-case-toktarov")), ("hearing", ("hearings", "ex-hearing-1")),
                                        ("medical", ("medical", "ex-medical-1"))])
def test_pdf_documents(cli, out_dir, doc, ident):
    out = out_dir / f"{doc}.pdf"
    code, _, err = cli("pdf", doc, ex(*ident), "--lang", "ru", "--out", str(out))
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF")


def test_pdf_stats(cli, out_dir):
    out = out_dir / "stats.pdf"
    code, _, err = cli("pdf", "stats", "--from", "2024", "--to", "2024-12", "--all-statuses", "--lang", "ru",
                       "--out", str(out))
    assert code == 0, err
    assert "Статистика угроз" in _text(out) and "R6." in _text(out)
    custom = out_dir / "custom.pdf"
    code, _, err = cli("pdf", "stats", "--by", "region,year", "--lang", "en", "--out", str(custom))
    assert code == 0, err
    assert "Threat cases by Region at the time, Year" in _text(custom)


@pytest.mark.parametrize("target, message", [
    ("{tmp}", "is a folder; give a file name"),
    ("{tmp}/missing/sheet.pdf", "does not exist"),
    ("/proc/kkdesk-sheet.pdf", "cannot be written"),
])
def test_bad_targets_write_nothing(cli, out_dir, target, message):
    target = target.format(tmp=out_dir)
    code, stdout, err = cli("--ui-lang", "en", "pdf", "case", ex("cases", "ex-case-toktarov"), "--lang", "en",
                            "--out", target)
    assert code == 1 and stdout == ""
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert list(out_dir.iterdir()) == []


def test_user_errors_are_one_translated_line(cli, out_dir):
    out = out_dir / "x.pdf"
    code, _, err = cli("--ui-lang", "ru", "pdf", "case", ex("persons", "ex-person-aigerim"), "--lang", "en",
                       "--out", str(out))
    assert code == 1 and err.startswith("Запись") and "не является записью о деле" in err
    code, _, err = cli("--ui-lang", "kk", "pdf", "hearing", ex("hearings", "ex-hearing-1"), "--lang", "kk",
                       "--public", "--out", str(out))
    assert code == 1 and "жария режимде басып шығаруға болмайды" in err
    code, _, err = cli("--ui-lang", "en", "pdf", "stats", "--by", "colour", "--lang", "en", "--out", str(out))
    assert code == 1 and "Unknown dimension" in err
    code, _, _ = cli("pdf", "person", "PE-0000-XXX-9999", "--lang", "en", "--out", str(out))
    assert code == 1
    code, _, _ = cli("pdf", "person", ex("persons", "ex-person-aigerim"), "--lang", "de", "--out", str(out))
    assert code == 2  # usage
    assert list(out_dir.iterdir()) == []


def test_write_pdf_replaces_atomically_and_keeps_the_old_file_on_failure(tmp_path, monkeypatch):
    from kkdesk.errors import StorageError
    from kkdesk.reports import write_pdf

    target = tmp_path / "sheet.pdf"
    write_pdf(b"%PDF-old", target)
    write_pdf(b"%PDF-new", target)
    assert target.read_bytes() == b"%PDF-new"

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(StorageError) as err:
        write_pdf(b"%PDF-newer", target)
    assert str(err.value).startswith(f"The disk is full: {target} could not be written.")
    assert target.read_bytes() == b"%PDF-new"
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.pdf"]


def test_batch_of_case_persons_with_progress_and_cancel(example_store, tmp_path):
    from kkdesk.reports import render_batch
    from kkdesk.reports.api import case_person_items

    with example_store.session() as session:
        items = case_person_items(session, ex("cases", "ex-case-toktarov"))
    assert len(items) == 2  # the defendant and the lawyer; the observing organisation has no sheet
    seen = []
    result = render_batch(example_store, items, "ru", False, tmp_path, progress=lambda d, t: seen.append((d, t)))
    assert [p.name for p in result.written] == [i.filename for i in items]
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)
    assert all(p.read_bytes().startswith(b"%PDF") for p in result.written)

    public_dir = tmp_path / "public"
    public_dir.mkdir()
    public = render_batch(example_store, items, "ru", True, public_dir)
    assert public.written == [] and len(public.failed) == 2  # neither person record is public

    cancel_dir = tmp_path / "cancel"
    cancel_dir.mkdir()
    cancelled = render_batch(example_store, items, "en", False, cancel_dir, progress=lambda d, t: d < 1)
    assert cancelled.cancelled and len(cancelled.written) == 1
    assert len(list(cancel_dir.iterdir())) == 1
