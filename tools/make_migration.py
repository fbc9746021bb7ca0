"""Autogenerate a new Alembic migration from the models: `python tools/make_migration.py REV "message"`.

Runs against a scratch SQLite file upgraded to the current head, so the new
revision holds exactly the difference between the migrations and the models."""

import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from kkdesk.db.migrations import alembic_config

rev, message = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as tmp:
    engine = create_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}")
    with engine.begin() as conn:
        cfg = alembic_config(conn)
        command.upgrade(cfg, "head")
        command.revision(cfg, message=message, autogenerate=True, rev_id=rev)
