"""The only module that touches key material: the wrapped data key, identity keys,
signatures and fingerprints. Primitives come from `cryptography` and `pyrage`.

keys.json holds the store's random 256-bit data key wrapped with a key derived
from the passphrase (Argon2id -> AES-256-GCM). Changing the passphrase rewraps the
key; deleting keys.json crypto-shreds the profile.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass

from kkdesk.errors import ProfileError, StoreLockedError
from kkdesk.i18n import N_

KEYS_FORMAT = 1
MIN_PASSPHRASE = 10
# Argon2id for new keys (RFC 9106 "second recommended option": 64 MiB, t=3, p=4).
DEFAULT_KDF = {"name": "argon2id", "memory_kib": 65536, "iterations": 3, "lanes": 4}
# The weakest parameters unlock accepts (OWASP's floor for Argon2id: 19 MiB, t=2): a
# keys.json below it was weakened (or planted) and is refused rather than trusted.
MIN_KDF = {"memory_kib": 19456, "iterations": 2}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def kdf_params() -> dict:
    return dict(DEFAULT_KDF)


def check_kdf_strength(params: dict) -> None:
    """Refuse key-derivation parameters below MIN_KDF (unlock never derives with them)."""
    try:
        weak = (int(params["memory_kib"]) < MIN_KDF["memory_kib"] or int(params["iterations"]) < MIN_KDF["iterations"]
                or int(params["lanes"]) < 1)
    except (KeyError, TypeError, ValueError):
        raise ProfileError(N_("The key file keys.json is damaged or of an unknown format.")) from None
    if weak:
        raise ProfileError(N_("The key file keys.json protects the passphrase with key-derivation settings below "
                              "the minimum (Argon2id, at least %(mib)d MiB and %(t)d passes); it is refused. "
                              "Restore keys.json from a backup."),
                           mib=MIN_KDF["memory_kib"] // 1024, t=MIN_KDF["iterations"])


def _derive(passphrase: str, salt: bytes, params: dict) -> bytes:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    if params.get("name") != "argon2id":
        raise ProfileError(N_("The key file uses an unknown key derivation: %(name)s."), name=str(params.get("name")))
    kdf = Argon2id(salt=salt, length=32, iterations=int(params["iterations"]), lanes=int(params["lanes"]),
                   memory_cost=int(params["memory_kib"]))
    return kdf.derive(passphrase.encode("utf-8"))


def check_passphrase_strength(passphrase: str) -> None:
    from kkdesk.errors import InputError

    if len(passphrase) < MIN_PASSPHRASE:
        raise InputError(N_("The passphrase must have at least %(n)d characters."), n=MIN_PASSPHRASE)


def wrap_data_key(data_key: bytes, passphrase: str, profile_id: str) -> dict:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    params = kdf_params()
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    kek = _derive(passphrase, salt, params)
    aad = f"kkdesk-data-key:{profile_id}".encode()
    wrapped = AESGCM(kek).encrypt(nonce, data_key, aad)
    return {"format": KEYS_FORMAT, "profile_id": profile_id, "kdf": params, "salt": _b64(salt),
            "nonce": _b64(nonce), "wrapped_key": _b64(wrapped), "cipher": "aes-256-gcm"}


def unwrap_data_key(keys: dict, passphrase: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        if keys.get("format") != KEYS_FORMAT or keys.get("cipher") != "aes-256-gcm":
            raise ValueError("format")
        salt, nonce, wrapped = _unb64(keys["salt"]), _unb64(keys["nonce"]), _unb64(keys["wrapped_key"])
        aad = f"kkdesk-data-key:{keys['profile_id']}".encode()
        params = keys["kdf"]
        if not isinstance(params, dict):
            raise ValueError("kdf")
    except (KeyError, TypeError, ValueError) as exc:
        raise ProfileError(N_("The key file keys.json is damaged or of an unknown format.")) from exc
    if params.get("name") == "argon2id":
        check_kdf_strength(params)
    kek = _derive(passphrase, salt, params)
    try:
        return AESGCM(kek).decrypt(nonce, wrapped, aad)
    except InvalidTag:
        raise StoreLockedError(N_("Wrong passphrase: the store could not be unlocked.")) from None


def wrap_secret(secret: bytes, passphrase: str, aad: bytes, params: dict) -> dict:
    """`secret` sealed with AES-256-GCM under Argon2id(passphrase) with `params`: the
    construction of keys.json, for other small secrets (the duress verifier)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    check_kdf_strength(params)
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    sealed = AESGCM(_derive(passphrase, salt, params)).encrypt(nonce, secret, aad)
    return {"kdf": dict(params), "salt": _b64(salt), "nonce": _b64(nonce), "sealed": _b64(sealed),
            "cipher": "aes-256-gcm"}


# the duress verifier seals the profile's name padded to this many bytes, and every profile
# without a duress passphrase holds a decoy of the same size: profile.json shows neither
DURESS_SECRET_LEN = 256


def random_sealed(length: int, params: dict) -> dict:
    """An entry shaped as `wrap_secret` of a `length`-byte secret that no passphrase
    opens: random salt, nonce and sealed bytes, which is what an AES-GCM ciphertext and
    its tag look like to anyone without the key (the duress verifier's decoy)."""
    check_kdf_strength(params)
    return {"kdf": dict(params), "salt": _b64(secrets.token_bytes(16)), "nonce": _b64(secrets.token_bytes(12)),
            "sealed": _b64(secrets.token_bytes(length + 16)), "cipher": "aes-256-gcm"}


def unwrap_secret(wrapped: dict, passphrase: str, aad: bytes) -> bytes | None:
    """The secret, or None when `passphrase` is not the one it was wrapped with (or the
    entry is malformed)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        params = wrapped["kdf"]
        check_kdf_strength(params)
        salt, nonce, sealed = _unb64(wrapped["salt"]), _unb64(wrapped["nonce"]), _unb64(wrapped["sealed"])
        return AESGCM(_derive(passphrase, salt, params)).decrypt(nonce, sealed, aad)
    except (InvalidTag, KeyError, TypeError, ValueError, ProfileError):
        return None


def new_data_key() -> bytes:
    return secrets.token_bytes(32)


def read_keys_file(path) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise ProfileError(N_("The key file keys.json is missing: without it the store cannot be opened.")) from None
    except (OSError, ValueError, RecursionError) as exc:
        raise ProfileError(N_("The key file keys.json is damaged or of an unknown format.")) from exc


# --- identity keys ------------------------------------------------------------

@dataclass(frozen=True)
class Identity:
    """The profile's keys: age X25519 (receiving bundles) and Ed25519 (signing)."""

    age_secret: str        # "AGE-SECRET-KEY-1…"
    signing_secret: bytes  # Ed25519 raw private key (32 bytes)

    @property
    def age_recipient(self) -> str:
        import pyrage

        return str(pyrage.x25519.Identity.from_str(self.age_secret).to_public())

    @property
    def signing_public(self) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        key = Ed25519PrivateKey.from_private_bytes(self.signing_secret)
        return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def signing_key_text(self) -> str:
        return encode_signing_key(self.signing_public)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.age_recipient, self.signing_public)

    def sign(self, message: bytes) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(self.signing_secret).sign(message)


def generate_identity() -> Identity:
    import pyrage
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    age = pyrage.x25519.Identity.generate()
    sk = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return Identity(age_secret=str(age), signing_secret=sk)


SIGNING_KEY_PREFIX = "kkdesk-ed25519:"


def encode_signing_key(public: bytes) -> str:
    return SIGNING_KEY_PREFIX + base64.b32encode(public).decode("ascii").rstrip("=").lower()


def decode_signing_key(text: str) -> bytes:
    from kkdesk.errors import InputError

    body = text.strip()
    if body.startswith(SIGNING_KEY_PREFIX):
        body = body[len(SIGNING_KEY_PREFIX):]
    try:
        raw = base64.b32decode(body.upper() + "=" * (-len(body) % 8))
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise InputError(N_("This is not a valid signing key: %(key)s"), key=text)
    return raw


def verify_signature(public: bytes, message: bytes, signature: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
        return True
    except (InvalidSignature, ValueError):
        return False


_FP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud without doubt


def fingerprint(age_recipient: str, signing_public: bytes) -> str:
    """Short, readable-aloud fingerprint over both public keys: 5 groups of 4 characters
    (100 bits of SHA-256), e.g. `K7FQ-2MXA-…`."""
    digest = hashlib.sha256(b"kkdesk-fingerprint-v1\0" + age_recipient.encode("ascii") + b"\0" + signing_public).digest()
    n = int.from_bytes(digest[:13], "big") >> 4  # 100 bits
    chars = []
    for _ in range(20):
        chars.append(_FP_ALPHABET[n & 31])
        n >>= 5
    text = "".join(reversed(chars))
    return "-".join(text[i:i + 4] for i in range(0, 20, 4))


def profile_code(profile_id: str) -> str:
    """Three readable characters derived from the profile id, used in record numbers."""
    digest = hashlib.sha256(profile_id.encode("ascii")).digest()
    n = int.from_bytes(digest[:2], "big")
    return "".join(_FP_ALPHABET[(n >> s) & 31] for s in (10, 5, 0))
