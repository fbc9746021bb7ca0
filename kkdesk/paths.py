"""Where a profile lives: `--home`, else KKDESK_HOME, else the per-user data folder."""

from __future__ import annotations

import os
from pathlib import Path

PROFILE_JSON = "profile.json"
KEYS_JSON = "keys.json"
STORE_DB = "kkdesk.db"


def profile_home(override: str | os.PathLike[str] | None = None) -> Path:
    if override:
        return Path(override).expanduser()
    env = os.environ.get("KKDESK_HOME")
    if env:
        return Path(env).expanduser()
    import appdirs

    return Path(appdirs.user_data_dir("kkdesk", appauthor=False))
