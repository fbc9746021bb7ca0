"""The integrity check of an open store (`kkdesk-cli check`, the GUI's check).

SQLCipher's page check runs first: it reads every page and names the ones whose HMAC
fails, without stopping at the first. SQLite's structure check and the revision check
would raise on such a page, so a damaged store is reported as one DamagedStoreError."""

from __future__ import annotations

from kkdesk.errors import DamagedStoreError, storage_error
from kkdesk.i18n import N_

MAX_PAGES_NAMED = 8


def damaged_pages(lines: list[str]) -> list[int]:
    """Page numbers out of `PRAGMA cipher_integrity_check` lines ("HMAC verification failed for page 3")."""
    pages = []
    for line in lines:
        tail = str(line).rsplit(" ", 1)[-1]
        if tail.isdigit():
            pages.append(int(tail))
    return pages


def check_store(store) -> list[str]:
    """Problems of the store's revisions (empty: intact). Raises DamagedStoreError, naming
    the damaged pages, when the file itself is damaged."""
    from sqlalchemy import text

    from kkdesk.records import verify

    try:
        with store.engine.connect() as conn:
            cipher = [r[0] for r in conn.execute(text("PRAGMA cipher_integrity_check"))]
        if cipher:
            pages = damaged_pages(cipher)
            shown = ", ".join(str(p) for p in pages[:MAX_PAGES_NAMED]) + (", …" if len(pages) > MAX_PAGES_NAMED else "")
            raise DamagedStoreError(N_("The store file kkdesk.db is damaged: the integrity check fails on "
                                       "the encrypted pages numbered %(pages)s. Restore a backup into an empty folder "
                                       "with: kkdesk-cli restore BACKUP --home FOLDER"),
                                    n=len(cipher), pages=shown or "?")
        with store.read_session() as s:
            integrity = [r[0] for r in s.execute(text("PRAGMA integrity_check"))]
            if integrity != ["ok"]:
                raise DamagedStoreError(N_("The store file kkdesk.db is damaged: its database structure is broken "
                                           "(%(n)d problem(s) found). Restore a backup into an empty folder with: "
                                           "kkdesk-cli restore BACKUP --home FOLDER"), n=len(integrity))
            return verify(s)
    except DamagedStoreError:
        raise
    except Exception as exc:
        err = storage_error(exc)
        if err is None:
            raise
        raise err from None
