"""Which records name given records: through the projection's reference indexes (a
reference column is indexed where it is set), for merging persons and for lists that
find records by the names of the persons and organisations they link to."""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kkdesk import schema as S
from kkdesk.db.models import ENTITY_TABLES, Record, rid_num

BATCH = 500


def ref_fields(entity: S.Entity, targets: Iterable[str] = ("person", "any")) -> list[S.Field]:
    wanted = set(targets)
    return [f for f in entity.fields if f.type in (S.REF, S.REFS) and f.ref in wanted]


def referencing(session: Session, ids: Iterable[str], targets: Iterable[str] = ("person", "any"),
                kinds: Iterable[str] | None = None) -> set[str]:
    """Records (of `kinds`, default all) whose shown version names one of `ids` in a
    reference field pointing at a kind in `targets`."""
    ids = sorted(set(ids))
    targets = tuple(targets)
    out: set[str] = set()
    if not ids:
        return out
    tops = [S.TOP_LEVEL[k] for k in kinds] if kinds is not None else list(S.TOP_LEVEL.values())
    for top in tops:
        stack = [top]
        while stack:
            entity = stack.pop()
            stack.extend(f.child for f in entity.fields if f.child is not None)
            table = ENTITY_TABLES[entity.kind]
            for f in ref_fields(entity, targets):
                col = table.c[f.name]
                for i in range(0, len(ids), BATCH):
                    part = ids[i:i + BATCH]
                    cond = col.in_(part) if f.type == S.REF else or_(*[col.contains(x) for x in part])  # REFS: JSON
                    if entity.top_level:
                        stmt = select(table.c.id).where(cond)
                    else:
                        stmt = select(Record.id).join(table, Record.num == rid_num(table.c.rid)).where(cond)
                    out.update(session.execute(stmt).scalars())
    return out
