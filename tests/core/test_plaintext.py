"""No case data in plaintext on disk: import the example (and attachments), then scan
every file under the profile and the temp folder for its strings."""

import os
import tempfile
from pathlib import Path

from kkdesk import attachments
from kkdesk.interchange import author_of, import_file
from kkdesk.store import open_profile
from tests.conftest import EXAMPLE, PASSPHRASE

NEEDLES = ["Айгерім Сейітқали", "Aigerim Seitkali", "aigerim@example.org", "+7 700 000 00 00",
           "хвостохранилище", "tramline", "Тәуелсіз журналист", "Dr. K.", "SECRET-ATTACHMENT-BYTES-0123456789"]


def scan(root: Path, since: float, skip: Path | None = None) -> list[str]:
    found = []
    for dirpath, dirs, files in os.walk(root):
        if skip is not None:
            dirs[:] = [d for d in dirs if Path(dirpath, d) != skip]
        for name in files:
            p = Path(dirpath) / name
            try:
                if p.stat().st_mtime < since:
                    continue
                data = p.read_bytes()
            except OSError:
                continue
            for needle in NEEDLES:
                for enc in ("utf-8", "utf-16-le"):
                    if needle.encode(enc) in data:
                        found.append(f"{p}: {needle}")
    return found


def test_no_plaintext_case_data_on_disk(home, tmp_path, tmp_path_factory):
    import time

    start = time.time()
    basetemp = tmp_path_factory.getbasetemp()  # other tests' own files live there

    def temp_files() -> list[str]:
        return scan(Path(tempfile.gettempdir()), start, skip=basetemp) + scan(tmp_path, start)

    store = open_profile(home, PASSPHRASE)
    try:
        import_file(store, EXAMPLE)
        secret = tmp_path / "evidence.bin"
        secret.write_bytes(b"SECRET-ATTACHMENT-BYTES-0123456789" * 1000)
        with store.session() as s:
            from kkdesk import listing

            pid = listing.page(s, "person", limit=1)[0].id
            attachments.add_file(s, author_of(store), secret, pid, kind="document")
        secret.unlink()
        # while the store is open (WAL not yet checkpointed) …
        assert scan(home, start) == []
        assert temp_files() == []
    finally:
        store.close()
    # … and after it is closed
    assert scan(home, start) == []
    assert temp_files() == []
