"""Tables of offline sync: contacts (whom bundles go to and come from), what each
contact acknowledged, revision labels that arrived twice, seal origins, and the log
of bundles made and received. See docs/bundle-format.md."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kkdesk.db.base import Base

UUID_LEN = 36
REV_LEN = 64


class Contact(Base):
    """A person we exchange bundles with: their age recipient (to encrypt to them) and
    Ed25519 key (to check what they sign). `profile_ids` are the profiles seen signing
    with this key (one person may move to a new laptop with the same keys)."""

    __tablename__ = "sync_contact"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    age_recipient: Mapped[str] = mapped_column(String(100), unique=True)
    signing_key: Mapped[str] = mapped_column(String(128), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(32))
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    added_at: Mapped[str] = mapped_column(String(32))
    verified_at: Mapped[Optional[str]] = mapped_column(String(32))
    profile_ids: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    # what the contact holds, as its newest bundle said (version vector, JSON)
    ack_vector: Mapped[Optional[str]] = mapped_column(Text)
    ack_bundle_seq: Mapped[int] = mapped_column(Integer, default=0)
    ack_received_at: Mapped[Optional[str]] = mapped_column(String(32))
    # everything ever put in a bundle for the contact (for --since-last), JSON
    sent_vector: Mapped[Optional[str]] = mapped_column(Text)
    last_sent_at: Mapped[Optional[str]] = mapped_column(String(32))


class RevisionAlias(Base):
    """A revision reached us under a second (author, author_seq) label: two profiles
    made the identical revision (the same delete or the same conflict resolution of the
    same heads), which has one content-addressed id. The label is kept so version
    vectors stay complete; `revision` holds the smallest label, this table the others."""

    __tablename__ = "sync_revision_alias"
    author: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    author_seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    rev_id: Mapped[str] = mapped_column(String(REV_LEN), index=True)
    created_at: Mapped[str] = mapped_column(String(32))


class SealOrigin(Base):
    """Seals travel in their own stream: the first profile to send a seal numbers it
    (origin profile, origin_seq), so version vectors cover seals made after the revision
    they sign was already sent. A seal may carry more than one label."""

    __tablename__ = "sync_seal_origin"
    origin: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    origin_seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    rev_id: Mapped[str] = mapped_column(String(REV_LEN))
    signer_key: Mapped[str] = mapped_column(String(128))

    __table_args__ = (Index("ix_sync_seal_origin_seal", "rev_id", "signer_key"),)


class BundleLog(Base):
    """Every bundle made ("out") or imported ("in"), keyed by the SHA-256 of its signed
    manifest: a bundle seen before is recognised and changes nothing."""

    __tablename__ = "sync_bundle_log"
    manifest_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    direction: Mapped[str] = mapped_column(String(3))
    bundle_id: Mapped[str] = mapped_column(String(UUID_LEN))
    sender_fingerprint: Mapped[str] = mapped_column(String(32))
    bundle_seq: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(32))
    processed_at: Mapped[str] = mapped_column(String(32))
    summary: Mapped[str] = mapped_column(Text, default="{}")  # JSON counts
