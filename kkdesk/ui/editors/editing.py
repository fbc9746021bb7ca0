"""What every editor window shares (the generic RecordEditor, hearing mode, the medical
editor): time stamps, the conflict notices, a draft's base versions, Delete and Seal.
Below all of them, so the special editors need not import the generic one."""

from __future__ import annotations

from collections.abc import Callable

from kkdesk import labels
from kkdesk.errors import KkdeskError
from kkdesk.i18n import N_, _


def local_stamp(iso: str, lang: str) -> str:
    """A stored UTC time stamp in this computer's time zone, in the UI language:
    '10 June 2024, 10:42 (UTC+05:00)'; the text as stored if it cannot be read."""
    import datetime as dt

    try:
        value = dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()
    except (ValueError, TypeError, AttributeError):
        return str(iso)
    return labels.format_stored_datetime(value.isoformat(timespec="minutes"), lang)


CHANGED_WHILE_EDITING = N_("The record was changed elsewhere while you edited it; saving keeps your version beside "
                           "that change and marks the record as in conflict.")
IN_CONFLICT = N_("This record has conflicting versions. Saving here makes this form's text the one version; to "
                 "compare them field by field, use Sync → Conflicts.")
CONFLICT_SAVED = N_("Saved beside a change made elsewhere (an imported bundle or another window): both versions "
                    "are kept and the record is marked as in conflict. Compare them in Sync → Conflicts.")


def draft_base(payload: dict) -> list[str] | None:
    """The versions a draft was made on (drafts before base_heads kept base_rev only)."""
    heads = payload.get("base_heads")
    if isinstance(heads, list) and all(isinstance(h, str) for h in heads) and heads:
        return sorted(heads)
    rev = payload.get("base_rev")
    return [rev] if isinstance(rev, str) else None


def delete_with_draft(parent, ctx, kind: str, record_id: str, draft_key: str | None,
                      expected_heads: list[str] | None = None) -> bool:
    """Delete a record (a tombstone revision) and its draft in one transaction; errors go
    to the presenter. Shared by every editor's Delete."""
    from kkdesk.drafts import delete_draft
    from kkdesk.records import delete_record

    try:
        with ctx.store.session() as s:
            delete_record(s, ctx.author(), record_id, expected_heads=expected_heads)
            if draft_key:
                delete_draft(s, draft_key)
    except KkdeskError as exc:
        ctx.show_error(parent, exc)
        return False
    ctx.notify_changed({kind})
    return True


def seal_confirmed(parent, ctx, record_id: str, record_no: str | None, is_dirty: bool,
                   save: Callable[[], bool], shown_head: Callable[[], str | None]) -> bool:
    """Seal the saved version of a record after asking (and saving first when the form
    has changes); errors go to the presenter. Shared by every editor's Seal.
    `shown_head()`: the version the form shows (after that save); only it is sealed."""
    from kkdesk.records import seal
    from kkdesk.ui.common.messages import confirm

    if is_dirty:
        if not confirm(parent, _("Seal record"), _("The form has unsaved changes."), _("Save and seal"),
                       _("Only a saved version can be sealed.")):
            return False
        if not save():
            return False
    if not confirm(parent, _("Seal record"), _("Seal the saved version of %(record)s?") % {"record": record_no},
                   _("Seal"), _("A seal signs this version with your profile's key, so anyone can check later "
                                "that it was not changed. Later edits make new, unsealed versions.")):
        return False
    try:
        identity = ctx.store.identity  # read before the write transaction opens
        with ctx.store.session() as s:
            seal(s, identity, record_id, expected_head=shown_head())
    except KkdeskError as exc:
        ctx.show_error(parent, exc)
        return False
    return True
