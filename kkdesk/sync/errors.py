"""Why a bundle or a contact operation was refused. One class per refusal, each with
its own translated message, so the CLI, the GUI and the tests can tell them apart.
A refused bundle changes nothing."""

from __future__ import annotations

from typing import Any

from kkdesk.errors import KkdeskError


class BundleError(KkdeskError):
    """A bundle was refused; the store is unchanged."""


class NotABundleError(BundleError):
    """Not an age file, or an age file whose content is not a kkdesk bundle."""


class BundleDamagedError(BundleError):
    """Truncated or altered: a decryption, hash or structure check failed."""


class BundleForeignError(BundleError):
    """Encrypted to someone else: none of this profile's keys opens it."""


class BundlePassphraseError(BundleError):
    """A passphrase bundle opened without a passphrase, or with the wrong one."""


class BundleNeedsPassphraseError(BundlePassphraseError):
    """A passphrase bundle and no passphrase was given (the GUI asks for one)."""


class BundleSignatureError(BundleError):
    """The manifest's signature does not verify with the key the manifest names."""


class BundleSenderError(BundleError):
    """The signer is known, but the bundle claims to come from someone else."""


class BundleRecipientError(BundleError):
    """The signed manifest does not name this profile: the bundle was re-encrypted."""


class BundleVersionError(BundleError):
    """Made by a newer kkdesk with a format this version cannot read."""


class BundleTooLargeError(BundleError):
    """A passphrase bundle beyond the in-memory cap."""


class BundleConsistencyError(BundleError):
    """The content contradicts this store (e.g. a sequence number reused by a copied profile)."""


class UnknownSignerError(BundleError):
    """Signed by a key that is not a contact. `sender` holds name, fingerprint and keys,
    so a caller may ask the user and import again with trust."""

    def __init__(self, message: str, sender: dict[str, Any] | None = None, **params: Any) -> None:
        super().__init__(message, **params)
        self.sender = sender or {}


class BundleLimitError(BundleError):
    """A revision in the bundle is over a size limit (kkdesk/limits.py); `problem` names
    the record and field."""

    def __init__(self, message: str, problem, **params: Any) -> None:
        super().__init__(message, **params)
        self.problem = problem

    def user_message(self, gettext=None) -> str:
        from kkdesk.i18n import _ as default_gettext

        text = (gettext or default_gettext)(self.message)
        return text % {"problem": self.problem.text(gettext)}


class ContactError(KkdeskError):
    """A contact could not be added, found or changed."""


class IdentityError(KkdeskError):
    """An identity backup could not be written or restored."""
