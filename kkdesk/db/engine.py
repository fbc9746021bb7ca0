"""The SQLCipher engine: one place that keys the database and sets its pragmas."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from kkdesk.errors import StoreLockedError
from kkdesk.i18n import N_


PAGE_SIZES = (4096, 8192, 16384, 32768, 65536)
HMAC_ALGORITHMS = ("HMAC_SHA512", "HMAC_SHA256", "HMAC_SHA1")


@dataclass(frozen=True)
class StoreFormat:
    """SQLCipher settings fixed when a store is created, repeated on every open
    (profile.json names them; stores made before it did use SQLCipher 4's defaults)."""

    page_size: int = 4096
    hmac_algorithm: str = "HMAC_SHA512"

    def __post_init__(self) -> None:
        if self.page_size not in PAGE_SIZES or self.hmac_algorithm not in HMAC_ALGORITHMS:
            raise ValueError(f"unknown store format: {self.page_size}, {self.hmac_algorithm}")

    def cipher_pragmas(self) -> list[str]:
        """To run right after `PRAGMA key` (only what differs from SQLCipher's defaults)."""
        out = []
        if self.page_size != LEGACY_FORMAT.page_size:
            out.append(f"PRAGMA cipher_page_size = {int(self.page_size)}")
        if self.hmac_algorithm != LEGACY_FORMAT.hmac_algorithm:
            out.append(f"PRAGMA cipher_hmac_algorithm = {self.hmac_algorithm}")
        return out


LEGACY_FORMAT = StoreFormat()


def make_engine(path: Path | str, data_key: bytes | None, *, plain: bool = False,
                fmt: StoreFormat = LEGACY_FORMAT) -> Engine:
    """An engine on the store at `path`, keyed with the raw 256-bit `data_key`, in the
    store's format `fmt`.

    `plain=True` opens an unencrypted SQLite file with the same pragmas (only the
    benchmark uses it, to measure SQLCipher's overhead)."""
    if plain:
        import sqlite3 as dbapi
    else:
        import sqlcipher3.dbapi2 as dbapi  # type: ignore[no-redef]
        if not data_key or len(data_key) != 32:
            raise ValueError("a 32-byte data key is required")

    from sqlalchemy.pool import QueuePool

    # the path goes to the driver as it is: in a URL, "?" or "%" in a folder name would
    # be read as a query or an escape, and the store created somewhere else
    path = str(path)
    engine = create_engine(
        "sqlite://",
        module=dbapi,
        creator=lambda: dbapi.connect(path, check_same_thread=False),
        poolclass=QueuePool,  # "sqlite://" alone would get the single-connection pool of a memory database
        hide_parameters=True,  # error texts never carry case data
        pool_size=4,
    )
    key_pragma = None if plain else f"PRAGMA key = \"x'{data_key.hex()}'\""  # type: ignore[union-attr]

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see _on_begin)
        cur = dbapi_conn.cursor()
        if key_pragma:
            cur.execute("PRAGMA cipher_log_level = NONE")  # else a wrong key prints to stderr
            cur.execute(key_pragma)
            for pragma in fmt.cipher_pragmas():
                cur.execute(pragma)
            # cipher_memory_security stays OFF (SQLCipher's default): wiping every freed
            # buffer made imports 3-5x slower, and the key lives in this process anyway.
        elif fmt.page_size != LEGACY_FORMAT.page_size:
            cur.execute(f"PRAGMA page_size = {int(fmt.page_size)}")  # takes effect on a new file only
        try:
            cur.execute("SELECT count(*) FROM sqlite_master").fetchall()
        except dbapi.DatabaseError:
            raise StoreLockedError(N_("The store could not be opened: the key is wrong or the file kkdesk.db is damaged.")) from None
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")  # a monitor's last note must survive a power cut
        cur.execute("PRAGMA temp_store = MEMORY")  # no temporary files, even encrypted ones
        cur.execute("PRAGMA cache_size = -65536")
        cur.execute("PRAGMA busy_timeout = 10000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        conn.exec_driver_sql("BEGIN")

    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)


def check_open(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
