"""Contacts: the people a profile exchanges bundles with.

A contact is a name plus two public keys — the age X25519 recipient (bundles are
encrypted to it) and the Ed25519 signing key (their bundles must verify with it) —
and the fingerprint over both, which two people compare aloud before marking the
contact verified. Functions take a Session; the caller owns the transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kkdesk import keys as K
from kkdesk.clock import now_iso
from kkdesk.db.sync_models import Contact
from kkdesk.errors import InputError
from kkdesk.i18n import N_
from kkdesk.sync.errors import ContactError

MAX_NAME = 200


@dataclass(frozen=True)
class ContactInfo:
    name: str
    age_recipient: str
    signing_key: str
    fingerprint: str
    verified: bool

    @classmethod
    def of(cls, c: Contact) -> "ContactInfo":
        return cls(c.name, c.age_recipient, c.signing_key, c.fingerprint, bool(c.verified))

    def as_dict(self) -> dict:
        return {"name": self.name, "age_recipient": self.age_recipient, "signing_key": self.signing_key,
                "fingerprint": self.fingerprint, "verified": self.verified}


def parse_recipient(text: str) -> str:
    import pyrage

    text = (text or "").strip()
    try:
        return str(pyrage.x25519.Recipient.from_str(text))
    except (pyrage.RecipientError, ValueError):
        raise ContactError(N_("This is not a valid age recipient (age1…): %(key)s"), key=text) from None


def parse_signing_key(text: str) -> str:
    """The canonical text form of a signing key (`kkdesk-ed25519:…`)."""
    try:
        return K.encode_signing_key(K.decode_signing_key(text or ""))
    except InputError:
        raise ContactError(N_("This is not a valid signing key: %(key)s"), key=text) from None


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ContactError(N_("A contact needs a name."))
    if len(name) > MAX_NAME:
        raise ContactError(N_("A contact's name may have at most %(n)d characters."), n=MAX_NAME)
    return name


def find(session: Session, name: str) -> Contact:
    contact = session.execute(select(Contact).where(Contact.name == " ".join((name or "").split()))).scalar_one_or_none()
    if contact is None:
        raise ContactError(N_("No contact named %(name)s."), name=name)
    return contact


def by_signing_key(session: Session, signing_key: str) -> Contact | None:
    return session.execute(select(Contact).where(Contact.signing_key == signing_key)).scalar_one_or_none()


def by_profile_id(session: Session, profile_id: str) -> Contact | None:
    for c in session.execute(select(Contact)).scalars():
        if profile_id in json.loads(c.profile_ids or "[]"):
            return c
    return None


def _same_name(name: str) -> str:
    return " ".join((name or "").split()).casefold()


def by_name_like(session: Session, name: str) -> Contact | None:
    """The contact whose name equals `name` but for case and spacing ("monitor  a" is "Monitor A")."""
    wanted = _same_name(name)
    if not wanted:
        return None
    for c in session.execute(select(Contact)).scalars():
        if _same_name(c.name) == wanted:
            return c
    return None


def add(session: Session, own: K.Identity, name: str, recipient: str, signing_key: str, *,
        verified: bool = False) -> ContactInfo:
    name = _clean_name(name)
    recipient = parse_recipient(recipient)
    signing_key = parse_signing_key(signing_key)
    if recipient == own.age_recipient or signing_key == own.signing_key_text:
        raise ContactError(N_("These are this profile's own keys, not a contact's."))
    for c in session.execute(select(Contact).where((Contact.name == name) | (Contact.age_recipient == recipient) |
                                                   (Contact.signing_key == signing_key))).scalars():
        if c.name == name:
            raise ContactError(N_("A contact named %(name)s already exists."), name=name)
        raise ContactError(N_("These keys already belong to the contact %(name)s."), name=c.name)
    public = K.decode_signing_key(signing_key)
    contact = Contact(name=name, age_recipient=recipient, signing_key=signing_key,
                      fingerprint=K.fingerprint(recipient, public), verified=verified, added_at=now_iso(),
                      verified_at=now_iso() if verified else None, profile_ids="[]", ack_bundle_seq=0)
    session.add(contact)
    session.flush()
    return ContactInfo.of(contact)


def replace_key(session: Session, own: K.Identity, name: str, recipient: str, signing_key: str) -> tuple[ContactInfo, ContactInfo]:
    """Give the contact `name` new keys (they made a new profile or restored another key).
    From now on bundles signed with the old keys are refused and those with the new keys
    are theirs; the contact is marked not verified until the new fingerprint is compared.
    Returns (before, after)."""
    contact = find(session, name)
    recipient = parse_recipient(recipient)
    signing_key = parse_signing_key(signing_key)
    if recipient == own.age_recipient or signing_key == own.signing_key_text:
        raise ContactError(N_("These are this profile's own keys, not a contact's."))
    if recipient == contact.age_recipient and signing_key == contact.signing_key:
        raise ContactError(N_("The contact %(name)s already has these keys; nothing was changed."), name=contact.name)
    for c in session.execute(select(Contact).where((Contact.age_recipient == recipient) |
                                                   (Contact.signing_key == signing_key))).scalars():
        if c.id != contact.id:
            raise ContactError(N_("These keys already belong to the contact %(name)s."), name=c.name)
    before = ContactInfo.of(contact)
    contact.age_recipient, contact.signing_key = recipient, signing_key
    contact.fingerprint = K.fingerprint(recipient, K.decode_signing_key(signing_key))
    contact.verified, contact.verified_at = False, None
    session.flush()
    return before, ContactInfo.of(contact)


def list_all(session: Session) -> list[ContactInfo]:
    return [ContactInfo.of(c) for c in session.execute(select(Contact).order_by(Contact.name)).scalars()]


def remove(session: Session, name: str) -> ContactInfo:
    contact = find(session, name)
    info = ContactInfo.of(contact)
    session.delete(contact)
    session.flush()
    return info


def verify(session: Session, name: str) -> ContactInfo:
    """Mark a contact verified: its fingerprint was compared with the person's own."""
    contact = find(session, name)
    if not contact.verified:
        contact.verified = True
        contact.verified_at = now_iso()
        session.flush()
    return ContactInfo.of(contact)


def bind_profile(contact: Contact, profile_id: str) -> None:
    ids = json.loads(contact.profile_ids or "[]")
    if profile_id not in ids:
        contact.profile_ids = json.dumps(sorted(ids + [profile_id]))
