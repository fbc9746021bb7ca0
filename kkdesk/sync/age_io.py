"""age encryption (https://age-encryption.org/v1, through pyrage) around the bundle.

Recipient (X25519) bundles stream both ways with bounded memory: pyrage 1.4's
`encrypt_io(reader, writer, recipients)` pulls plaintext from a Python reader and
`decrypt_io(reader, writer, identities)` pushes plaintext into a Python writer,
64 KiB age chunk by chunk, each authenticated (STREAM construction). A truncated
file fails at its end, so the importer stages everything and commits only after
decryption has finished. pyrage's passphrase (scrypt) mode takes and returns whole
byte strings, so passphrase bundles are built in memory and capped in size.
"""

from __future__ import annotations

from typing import BinaryIO

from kkdesk.i18n import N_
from kkdesk.sync.errors import (BundleDamagedError, BundleError, BundleForeignError, BundlePassphraseError,
                                NotABundleError)

MAGIC = b"age-encryption.org/v1\n"
MAX_HEADER = 256 * 1024
PASSPHRASE_CAP = 512 * 1024 * 1024  # plaintext bytes of a passphrase bundle

DAMAGED_CRYPTO = N_("The bundle is damaged or was altered: its encrypted data does not check out "
                    "(a truncated or corrupted copy?). Nothing was imported.")
FOREIGN = N_("This bundle cannot be opened with this profile's key: it was made for someone else "
             "(or its header is damaged). Nothing was imported.")


class Header:
    """The plaintext age header: the recipient stanza types, in order."""

    def __init__(self, stanzas: list[str]) -> None:
        self.stanzas = stanzas

    @property
    def passphrase(self) -> bool:
        return "scrypt" in self.stanzas

    @property
    def x25519_count(self) -> int:
        return self.stanzas.count("X25519")


def read_header(fh: BinaryIO, path: str) -> Header:
    """Parse the age header at the start of `fh` (its position is restored)."""
    start = fh.tell()
    head = fh.read(MAX_HEADER)
    fh.seek(start)
    if not head.startswith(MAGIC):
        if head.startswith(b"-----BEGIN AGE ENCRYPTED FILE-----"):
            raise NotABundleError(N_("%(path)s is an armored age file, not a kkdesk bundle."), path=path)
        raise NotABundleError(N_("%(path)s is not a kkdesk bundle (it is not an age-encrypted file)."), path=path)
    stanzas: list[str] = []
    for line in head[len(MAGIC):].split(b"\n")[:-1]:
        if line.startswith(b"-> "):
            parts = line[3:].split(b" ")
            stanzas.append(parts[0].decode("ascii", "replace"))
        elif line.startswith(b"---"):
            return Header(stanzas)
    raise BundleDamagedError(DAMAGED_CRYPTO)


def encrypt_stream(reader, out: BinaryIO, recipients: list[str]) -> None:
    import pyrage

    try:
        parsed = [pyrage.x25519.Recipient.from_str(r) for r in recipients]
    except pyrage.RecipientError as exc:  # checked when contacts are added; kept as a guard
        raise BundleError(N_("A recipient key is not valid: %(reason)s"), reason=str(exc)) from None
    pyrage.encrypt_io(reader, out, parsed)


class _Guarded:
    """Remembers the first exception raised by the sink, so it is re-raised as itself
    even if pyrage reports it as an I/O error; later writes are ignored."""

    def __init__(self, sink) -> None:
        self.sink = sink
        self.error: BaseException | None = None

    def write(self, data) -> int:
        if self.error is not None:  # pyrage may flush buffered data once more after a failure
            return len(data)
        try:
            self.sink.write(data)
        except BaseException as exc:
            self.error = exc
            raise
        return len(data)

    def flush(self) -> None:
        pass


def decrypt_stream(fh: BinaryIO, sink, identities: list[str]) -> None:
    """Decrypt `fh` into `sink.write(...)`. Exceptions of the sink (or of a reader that
    records them in `.error`) propagate unchanged."""
    import pyrage

    ids = [pyrage.x25519.Identity.from_str(i) for i in identities]
    guarded = _Guarded(sink)
    try:
        pyrage.decrypt_io(fh, guarded, ids)
    except BaseException as exc:
        for error in (getattr(fh, "error", None), guarded.error):  # ours, raised inside pyrage's loop
            if error is not None:
                raise error from None
        if isinstance(exc, pyrage.DecryptError) and "No matching keys" in str(exc):
            raise BundleForeignError(FOREIGN) from None
        if isinstance(exc, (pyrage.DecryptError, OSError, ValueError)):
            raise BundleDamagedError(DAMAGED_CRYPTO) from None
        raise


def encrypt_passphrase(data: bytes, passphrase: str) -> bytes:
    import pyrage

    return pyrage.passphrase.encrypt(data, passphrase)


def decrypt_passphrase(data: bytes, passphrase: str) -> bytes:
    import pyrage

    try:
        return pyrage.passphrase.decrypt(data, passphrase)
    except pyrage.DecryptError as exc:
        if "Decryption failed" in str(exc):  # the scrypt stanza did not open: wrong passphrase
            raise BundlePassphraseError(N_("Wrong passphrase for this bundle (or its header is damaged). "
                                           "Nothing was imported.")) from None
        raise BundleDamagedError(DAMAGED_CRYPTO) from None
