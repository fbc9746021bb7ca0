"""Paths of problems (`acts[0].threat_carried_out`) in the words of the editor's labels
("Acts 1 › Threat carried out"), for every screen that lists problems."""

from __future__ import annotations

import re

from kkdesk import labels, schema as S
from kkdesk.i18n import _, get_language

_PATH_RE = re.compile(r"^([A-Za-z0-9_]+)(?:\[(\d+)\])?(?:\.(.+))?$")


def entity_of(kind: str) -> S.Entity:
    for e in S.all_entities():
        if e.kind == kind:
            return e
    raise KeyError(kind)


def split_path(path: str) -> tuple[str, int | None, str]:
    """'acts[0].perpetrators[1].perpetrator_type' -> ('acts', 0, 'perpetrators[1].perpetrator_type')."""
    m = _PATH_RE.match(path or "")
    if not m:
        return "", None, ""
    return m.group(1), (int(m.group(2)) if m.group(2) is not None else None), m.group(3) or ""


def describe_path(kind: str, path: str) -> str:
    """Where a problem is, in words: 'acts[1].perpetrators[0].perpetrator_type' ->
    'Acts 2 › Perpetrators 1 › Perpetrator type'; checklist items by their label."""
    from kkdesk.vocab import vocabularies

    entity: S.Entity | None = entity_of(kind)
    parts: list[str] = []
    rest = path or ""
    while rest and entity is not None:
        name, index, tail = split_path(rest)
        f = entity.field(name)
        if f is None:
            parts.append(rest)
            break
        label = _(labels.field_label(entity.kind, name))
        if f.type == S.CHILDREN and index is not None:
            label, entity = f"{label} {index + 1}", f.child
        elif f.type == S.CHECKLIST and tail:
            code, _sep, tail = tail.partition(".")
            item = f.child.field("item") if f.child is not None else None
            vocab = item.vocab if item is not None and item.vocab else "fair_trial_item"
            label = f"{label}: {vocabularies().label(vocab, code, get_language())}"
            entity = f.child
            if tail in ("answer", "note"):
                tail = ""
        else:
            entity = None
        parts.append(label)
        rest = tail
    return " › ".join(parts)
