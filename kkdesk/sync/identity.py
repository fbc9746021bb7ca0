"""The profile's own identity keys, as seen by sync: show them, export the age secret
key for the standard `age` tool, and move both keys between machines in a
passphrase-protected backup (age scrypt). Keys replaced by a restore are kept, so
bundles already encrypted to the old key still open."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from sqlalchemy.orm import Session

from kkdesk import keys as K
from kkdesk.clock import now_iso
from kkdesk.db.models import Meta
from kkdesk.errors import InputError
from kkdesk.i18n import N_
from kkdesk.sync.errors import IdentityError

BACKUP_FORMAT = "kkdesk-identity-backup"
BACKUP_VERSION = 1
PREVIOUS_KEY = "identity_previous"  # Meta: JSON list of replaced identities


def info(store) -> dict:
    ident = store.identity
    return {"name": store.name, "age_recipient": ident.age_recipient, "signing_key": ident.signing_key_text,
            "fingerprint": ident.fingerprint}


def _target(out: Path | str) -> Path:
    out = Path(out)
    if out.is_dir():
        raise InputError(N_("%(path)s is a folder; give a file name."), path=str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def export_age_key(store, out: Path | str) -> Path:
    """The age secret key in `age-keygen` format (readable by `age -d -i FILE`)."""
    from kkdesk.store import atomic_write

    ident = store.identity
    text = (f"# created: {now_iso()}\n# public key: {ident.age_recipient}\n"
            f"# kkdesk profile: {store.name} ({ident.fingerprint})\n{ident.age_secret}\n")
    out = _target(out)
    atomic_write(out, text.encode("ascii"), mode=0o600)
    return out


def backup(store, out: Path | str, passphrase: str) -> Path:
    import pyrage

    from kkdesk.store import atomic_write

    K.check_passphrase_strength(passphrase)
    ident = store.identity
    payload = {"format": BACKUP_FORMAT, "version": BACKUP_VERSION, "name": store.name,
               "profile_id": store.profile_id, "fingerprint": ident.fingerprint, "created_at": now_iso(),
               "age_secret": ident.age_secret, "signing_secret": base64.b64encode(ident.signing_secret).decode("ascii")}
    data = pyrage.passphrase.encrypt(json.dumps(payload).encode("utf-8"), passphrase)
    out = _target(out)
    atomic_write(out, data, mode=0o600)
    return out


def read_backup(path: Path | str, passphrase: str) -> K.Identity:
    import pyrage

    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(N_("File not found: %(path)s"), path=str(path)) from None
    except OSError as exc:
        raise InputError(N_("The file %(path)s cannot be read: %(reason)s"), path=str(path), reason=exc.strerror or "") from None
    try:
        plain = pyrage.passphrase.decrypt(data, passphrase)
    except pyrage.DecryptError:
        raise IdentityError(N_("Wrong passphrase for this key backup, or the file is not a kkdesk key backup.")) from None
    try:
        payload = json.loads(plain)
        if payload.get("format") != BACKUP_FORMAT:
            raise ValueError("format")
        if payload.get("version") != BACKUP_VERSION:
            raise IdentityError(N_("This key backup was made by a newer version of kkdesk."))
        ident = K.Identity(age_secret=payload["age_secret"],
                           signing_secret=base64.b64decode(payload["signing_secret"], validate=True))
        _ = ident.age_recipient, ident.signing_public  # both keys must load
    except IdentityError:
        raise
    except Exception:  # noqa: BLE001 - any malformed payload means "not a key backup"
        raise IdentityError(N_("The file is not a kkdesk key backup, or it is damaged.")) from None
    return ident


def previous_identities(session: Session) -> list[str]:
    """age secret keys this profile had before a restore (still used to open bundles)."""
    row = session.get(Meta, PREVIOUS_KEY)
    return [item["age_secret"] for item in json.loads(row.value)] if row else []


def restore(store, path: Path | str, passphrase: str) -> tuple[str, str]:
    """Replace the profile's keys with those of a backup. Returns (old, new) fingerprints."""
    from kkdesk.store import _store_identity

    new = read_backup(path, passphrase)
    old = store.identity
    if new.age_secret == old.age_secret and new.signing_secret == old.signing_secret:
        return old.fingerprint, new.fingerprint
    with store.session() as s:
        row = s.get(Meta, PREVIOUS_KEY)
        previous = json.loads(row.value) if row else []
        previous.append({"age_secret": old.age_secret, "signing_key": old.signing_key_text,
                         "fingerprint": old.fingerprint, "replaced_at": now_iso()})
        s.merge(Meta(key=PREVIOUS_KEY, value=json.dumps(previous)))
        _store_identity(s, new)
    store.forget_identity()  # the store caches the identity; read the restored one next time
    return old.fingerprint, new.fingerprint
