"""The bundle manifest: what the bundle holds, who made it, for whom — signed.

The signature is Ed25519 over `SIGNATURE_CONTEXT + manifest bytes`; the manifest lists
the SHA-256 and size of every other entry, so one signature covers the whole bundle.
See docs/bundle-format.md for every field."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from kkdesk import keys as K
from kkdesk.i18n import N_
from kkdesk.sync.errors import BundleDamagedError, BundleSignatureError, BundleVersionError, NotABundleError

FORMAT = "kkdesk-bundle"
FORMAT_VERSION = 1
SIGNATURE_CONTEXT = b"kkdesk-bundle-signature-v1\n"
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "signature"
RECORDS_NAME = "records.jsonl"
ATTACHMENT_PREFIX = "attachments/"
MAX_MANIFEST = 64 * 1024 * 1024
MODES = ("incremental", "since-last", "all")

DAMAGED_STRUCTURE = N_("The bundle is damaged: its content is not laid out as a kkdesk bundle (%(detail)s). "
                       "Nothing was imported.")


def dumps(manifest: dict) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def sign(identity: K.Identity, manifest_bytes: bytes) -> bytes:
    """The `signature` entry: base64 of the Ed25519 signature, one line."""
    return base64.b64encode(identity.sign(SIGNATURE_CONTEXT + manifest_bytes)) + b"\n"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse(data: bytes) -> dict:
    """Parse the manifest and check the format and its version (before the signature,
    so a newer format gets the message that says so)."""
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BundleDamagedError(DAMAGED_STRUCTURE, detail="manifest.json") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise NotABundleError(N_("This age file holds something other than a kkdesk bundle. Nothing was imported."))
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BundleDamagedError(DAMAGED_STRUCTURE, detail="format_version")
    if version > FORMAT_VERSION:
        raise BundleVersionError(N_("This bundle was made by a newer version of kkdesk (bundle format %(version)s; "
                                    "this version reads format %(supported)s). Update kkdesk, then import it again."),
                                 version=version, supported=FORMAT_VERSION)
    _check_shape(manifest)
    return manifest


def _need(cond: bool, detail: str) -> None:
    if not cond:
        raise BundleDamagedError(DAMAGED_STRUCTURE, detail=detail)


def _is_str(value: Any, limit: int = 200) -> bool:
    return isinstance(value, str) and len(value) <= limit


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_shape(m: dict) -> None:
    sender: Any = m.get("sender")
    _need(isinstance(sender, dict), "sender")
    for key in ("profile_id", "age_recipient", "signing_key", "fingerprint"):  # keys and ids: ASCII
        _need(_is_str(sender.get(key)) and sender[key].isascii(), f"sender.{key}")
    _need(_is_str(sender.get("name", ""), 400), "sender.name")
    _need(_is_str(m.get("bundle_id"), 64) and _is_str(m.get("created_at"), 40), "bundle_id")
    _need(_is_count(m.get("bundle_seq")), "bundle_seq")
    enc: Any = m.get("encryption")
    _need(isinstance(enc, dict) and enc.get("mode") in ("recipients", "passphrase"), "encryption")
    if enc["mode"] == "recipients":
        recips = enc.get("recipients")
        _need(bool(isinstance(recips, list) and recips and
                   all(isinstance(r, dict) and _is_str(r.get("age_recipient")) for r in recips)), "encryption.recipients")
    entries: Any = m.get("entries")
    _need(isinstance(entries, list), "entries")
    names = set()
    for e in entries:
        _need(isinstance(e, dict) and _is_str(e.get("name"), 100) and _is_count(e.get("size")) and
              _is_str(e.get("sha256"), 64) and len(e["sha256"]) == 64, "entries")
        name = e["name"]
        _need(name == RECORDS_NAME or (name.startswith(ATTACHMENT_PREFIX) and name[len(ATTACHMENT_PREFIX):] == e["sha256"]),
              f"entry {name}")
        _need(name not in names, f"entry {name}")
        names.add(name)
    _need(RECORDS_NAME in names, RECORDS_NAME)
    counts = m.get("counts")
    _need(isinstance(counts, dict) and all(_is_count(counts.get(k)) for k in ("revisions", "seals", "attachments")),
          "counts")
    _need(isinstance(m.get("vector"), dict), "vector")


def verify(manifest: dict, manifest_bytes: bytes, signature_entry: bytes) -> bytes:
    """Check the signature against the key the manifest names; return that key (raw)."""
    sender = manifest["sender"]
    try:
        public = K.decode_signing_key(sender["signing_key"])
        signature = base64.b64decode(signature_entry.strip(), validate=True)
    except Exception:  # noqa: BLE001 - any malformed key or signature is a bad signature
        public, signature = b"", b""
    if not public or not K.verify_signature(public, SIGNATURE_CONTEXT + manifest_bytes, signature):
        raise BundleSignatureError(N_("The bundle's signature does not verify: it was altered or not signed by the "
                                      "key it names. Nothing was imported."))
    if K.fingerprint(sender["age_recipient"], public) != sender["fingerprint"]:
        raise BundleSignatureError(N_("The bundle's sender fingerprint does not match its keys. Nothing was imported."))
    return public
