"""Where a profile lives: `--home`, else KKDESK_HOME, else the per-user data folder."""

from __future__ import annotations

import json
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
    # appdirs is stable and gives the folders kkdesk needs (Windows: %LOCALAPPDATA%\kkdesk, never
    # the roaming profile). platformdirs is its maintained successor with the same folders: if
    # appdirs ever breaks, `platformdirs.user_data_dir("kkdesk", appauthor=False)` is the one-line switch.
    import appdirs

    return Path(appdirs.user_data_dir("kkdesk", appauthor=False))


def read_profile_json(home: Path) -> dict | None:
    """The plaintext profile description (id, code, UI language), or None when there is
    no profile. Kept here, away from SQLAlchemy, so the unlock window can read it."""
    from kkdesk.errors import ProfileError
    from kkdesk.i18n import N_

    try:
        with (home / PROFILE_JSON).open(encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise ProfileError(N_("%(path)s is a file, not a profile folder."), path=str(home)) from None
    except (OSError, ValueError, RecursionError) as exc:
        raise ProfileError(N_("The file profile.json is damaged: %(path)s"), path=str(home / PROFILE_JSON)) from exc
    if not isinstance(data, dict) or "profile_id" not in data:
        raise ProfileError(N_("The file profile.json is damaged: %(path)s"), path=str(home / PROFILE_JSON))
    return data


def update_profile_json(home: Path, **changes) -> dict:
    """Read profile.json afresh, apply `changes` (a value of None removes the key) and
    write it whole (atomically); returns the new contents. Every writer goes through
    here, so no one writes back a stale copy over another's change."""
    from kkdesk.atomicfile import write_atomic
    from kkdesk.errors import ProfileError
    from kkdesk.i18n import N_

    profile = read_profile_json(home)
    if profile is None:
        raise ProfileError(N_("No profile in %(path)s. Create one with: kkdesk-cli init"), path=str(home))
    for key, value in changes.items():
        if value is None:
            profile.pop(key, None)
        else:
            profile[key] = value
    write_atomic(home / PROFILE_JSON, json.dumps(profile, indent=2).encode())
    return profile
