"""Protection under seizure: the failed-unlock limit, the panic wipe and the duress
passphrase (README, "If the laptop is taken").

All of it lives in the plaintext profile.json, beside the profile's id: the count of
failed unlocks and when the last one was (`failed_unlocks`, `failed_at`), the optional
wipe after N failures (`wipe_after_failed`, 0 = off) and the duress verifier (`duress`):
the profile's name, padded to 256 bytes, sealed with AES-256-GCM under Argon2id(duress
passphrase) with the main key's parameters, so the passphrase itself is never stored
and an unlock can tell it apart from a wrong one. A profile without a duress passphrase
holds a decoy of the same shape (random bytes no passphrase opens), and every wrong
passphrase is tried against it, so neither the file nor the time a wrong unlock takes
tells whether a duress passphrase is set; the encrypted store alone knows (`duress_set`).
Anyone who can edit profile.json can reset the count: the limit slows guessing at the
keyboard, the Argon2id key derivation is what protects.

The wipe crypto-shreds: keys.json (the only place the wrapped data key lives) is
overwritten with random bytes, fsynced and removed first, so the store cannot be read
with any passphrase from then on; then the store, its WAL/SHM, the UI settings and
profile.json go."""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from kkdesk import keys as K
from kkdesk.errors import InputError, KkdeskError, ProfileError, StorageError, StoreLockedError
from kkdesk.i18n import N_
from kkdesk.paths import KEYS_JSON, PROFILE_JSON, STORE_DB, profile_home, read_profile_json, update_profile_json

BACKOFF_AFTER = 3        # failures before the first wait
BACKOFF_CAP = 60         # seconds
MIN_WIPE_AFTER = 5
DURESS_SET = "duress_set"  # a meta row inside the encrypted store
# kkdesk's files in a profile folder (the folder itself may be a USB stick's root: nothing else is touched)
STORE_FILES = (STORE_DB, STORE_DB + "-wal", STORE_DB + "-shm", STORE_DB + "-journal")
SETTINGS_FILES = ("ui-settings.ini",)
TEMP_PREFIXES = ("." + KEYS_JSON + ".", "." + PROFILE_JSON + ".", "." + STORE_DB + ".")

WIPED_AFTER_FAILURES = N_("Wrong passphrase. That was failed unlock %(n)d, and this profile was set to be wiped "
                          "after %(n)d: it has been wiped and cannot be recovered.")


class UnlockWaitError(StoreLockedError):
    """Tried again before the back-off after failed unlocks has passed."""


def _duress_aad(profile_id: str) -> bytes:
    return f"kkdesk-duress:{profile_id}".encode()


def backoff_seconds(failures: int) -> int:
    """The wait before the next try after `failures` failed unlocks: none for the first
    three, then 2 s, 4 s, 8 s … at most BACKOFF_CAP."""
    if failures < BACKOFF_AFTER:
        return 0
    return min(BACKOFF_CAP, 2 ** (failures - BACKOFF_AFTER + 1))


def wait_remaining(profile: dict, now: float | None = None) -> float:
    """Seconds until the next unlock may be tried (0: now)."""
    delay = backoff_seconds(int(profile.get("failed_unlocks") or 0))
    if not delay:
        return 0.0
    since = (time.time() if now is None else now) - float(profile.get("failed_at") or 0)
    return max(0.0, min(float(delay), delay - since))  # a clock set back never makes it longer


@dataclass(frozen=True)
class SecurityState:
    failed_unlocks: int
    wipe_after_failed: int
    duress_set: bool

    def as_dict(self) -> dict:
        return {"failed_unlocks": self.failed_unlocks, "wipe_after_failed": self.wipe_after_failed,
                "duress_set": self.duress_set}


def state(store) -> SecurityState:
    """The settings of the unlocked `store`: whether a duress passphrase is set is known
    inside the encrypted store only (profile.json always holds a verifier, real or decoy)."""
    from kkdesk.db.models import Meta

    profile = read_profile_json(store.home) or {}
    with store.session() as s:
        duress_set = s.get(Meta, DURESS_SET) is not None
    return SecurityState(int(profile.get("failed_unlocks") or 0), int(profile.get("wipe_after_failed") or 0),
                         duress_set)


def _padded(name: str) -> bytes:
    raw = name.encode("utf-8")[:K.DURESS_SECRET_LEN - 1]
    return raw + b"\0" * (K.DURESS_SECRET_LEN - len(raw))


def _name_of(secret: bytes) -> str:
    return secret.rstrip(b"\0").decode("utf-8", errors="ignore")  # a verifier of before the padding: the bare name


def _decoy(home: Path) -> dict:
    return K.random_sealed(K.DURESS_SECRET_LEN, K.read_keys_file(home / KEYS_JSON)["kdf"])


# --- unlock ----------------------------------------------------------------------------

@dataclass
class Unlocked:
    store: object
    duress: bool = False  # the duress passphrase was given: `store` is the new, empty profile


def unlock(home: Path | str | None, passphrase: str, *, wait: Callable[[float], None] | None = None) -> Unlocked:
    """Open the profile, counting failed unlocks. Before a try that comes too early,
    `wait(seconds)` is called (the CLI counts down, then tries); without it
    UnlockWaitError says how long to wait. The duress passphrase wipes the profile and
    opens a new, empty one of the same name and language, keyed with it."""
    from kkdesk.store import create_profile, open_profile

    home = profile_home(home)
    profile = read_profile_json(home)
    if profile is None:
        raise ProfileError(N_("No profile in %(path)s. Create one with: kkdesk-cli init"), path=str(home))
    remaining = wait_remaining(profile)
    if remaining > 0:
        if wait is None:
            raise UnlockWaitError(N_("Too many failed unlocks: wait %(s)d seconds before the next try."),
                                  s=int(remaining + 0.999))
        wait(remaining)
    try:
        store = open_profile(home, passphrase)
    except StoreLockedError:
        duress = profile.get("duress")
        name = K.unwrap_secret(duress, passphrase, _duress_aad(profile["profile_id"])) if isinstance(duress, dict) else None
        if name is not None:
            lang = profile.get("ui_lang")
            wipe(home)
            # the same name, language, creation time and wipe setting: the new profile.json
            # looks like the old one (its profile code and id are new: see the README)
            fresh = create_profile(home, passphrase, name=_name_of(name), ui_lang=lang,
                                   created_at=profile.get("created_at"))
            if profile.get("wipe_after_failed"):
                fresh.profile = _note(home, wipe_after_failed=profile["wipe_after_failed"]) or fresh.profile
            return Unlocked(fresh, duress=True)
        failures = int(profile.get("failed_unlocks") or 0) + 1
        _note(home, failed_unlocks=failures, failed_at=time.time())
        limit = int(profile.get("wipe_after_failed") or 0)
        if limit >= MIN_WIPE_AFTER and failures >= limit:
            wipe(home)
            raise StoreLockedError(WIPED_AFTER_FAILURES, n=failures) from None
        raise
    if profile.get("failed_unlocks"):
        store.profile = _note(home, failed_unlocks=None, failed_at=None) or store.profile
    if not isinstance(profile.get("duress"), dict):  # a profile of before the decoys gets one
        store.profile = _note(home, duress=_decoy(home)) or store.profile
    return Unlocked(store)


def _note(home: Path, **changes) -> dict | None:
    """Update the count; on a read-only folder (a locked USB stick) the unlock's own
    answer matters more than the count, so a failed write is let go."""
    try:
        return update_profile_json(home, **changes)
    except KkdeskError:
        return None


# --- settings --------------------------------------------------------------------------

def set_wipe_after_failed(store, n: int) -> None:
    if n != 0 and n < MIN_WIPE_AFTER:
        raise InputError(N_("The profile can be wiped after %(min)d or more failed unlocks (0 turns it off), not "
                            "after %(n)d."), min=MIN_WIPE_AFTER, n=n)
    store.profile = update_profile_json(store.home, wipe_after_failed=n or None)


def set_duress_passphrase(store, passphrase: str | None) -> None:
    """Set (or with None remove) the duress passphrase of the unlocked `store`."""
    from kkdesk.db.models import Meta

    if passphrase is None:  # a fresh decoy in its place: profile.json does not change shape
        store.profile = update_profile_json(store.home, duress=_decoy(store.home))
        with store.session() as s:
            row = s.get(Meta, DURESS_SET)
            if row is not None:
                s.delete(row)
        return
    K.check_passphrase_strength(passphrase)
    keys = K.read_keys_file(store.home / KEYS_JSON)
    try:
        K.unwrap_data_key(keys, passphrase)
    except StoreLockedError:
        pass
    else:
        raise InputError(N_("The duress passphrase must differ from the passphrase of the profile."))
    wrapped = K.wrap_secret(_padded(store.name), passphrase, _duress_aad(store.profile_id), keys["kdf"])
    store.profile = update_profile_json(store.home, duress=wrapped)
    with store.session() as s:
        s.merge(Meta(key=DURESS_SET, value="1"))


# --- wipe ------------------------------------------------------------------------------

def _shred(path: Path) -> None:
    """Overwrite a file with random bytes (fsynced), then remove it."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with open(path, "r+b") as fh:
        fh.write(secrets.token_bytes(max(size, 1)))
        fh.flush()
        os.fsync(fh.fileno())
    _remove(path)


def _remove(path: Path) -> None:
    """Unlink, retrying a moment: on Windows a file another handle just closed may still be busy."""
    for attempt in range(20):
        try:
            path.unlink()
            return
        except FileNotFoundError:
            return
        except PermissionError:
            if attempt == 19:
                raise
            time.sleep(0.1)


def wipe(home: Path | str | None) -> Path:
    """Crypto-shred the profile in `home` (its store must be closed): keys.json first,
    then the store files, the UI settings and profile.json. Files of other programs in
    the folder are left alone."""
    home = profile_home(home)
    try:
        _shred(home / KEYS_JSON)
        for leftover in home.iterdir():  # temp copies of keys.json and profile.json from atomic writes
            if leftover.name.startswith(TEMP_PREFIXES):
                _shred(leftover) if leftover.name.startswith("." + KEYS_JSON) else _remove(leftover)
        for name in STORE_FILES + SETTINGS_FILES + (PROFILE_JSON,):
            _remove(home / name)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise StorageError(N_("The profile could not be wiped completely: %(path)s could not be removed (%(reason)s). "
                              "If keys.json is gone, the store can no longer be read."),
                           path=str(exc.filename or home), reason=exc.strerror or str(exc)) from None
    return home
