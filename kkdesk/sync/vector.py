"""Version vectors: what a store holds, as sets of sequence numbers per origin profile.

Every revision carries its author's profile id and `author_seq` (1, 2, 3 … per
author); every seal is numbered the same way by the profile that first sent it.
A plain version vector keeps only the highest number per origin, which is wrong here:
a bundle may be lost, and `--case` / `--max-confidentiality` leave holes on purpose.
So each origin maps to the exact set of numbers held, written as sorted, disjoint,
non-adjacent inclusive ranges — `{"<profile id>": [[1, 40], [42, 97]]}` means 1–40
and 42–97 are held and 41 is not (a "version vector with exceptions"). A store
rarely has many holes, so the ranges stay few.
"""

from __future__ import annotations

import json
from typing import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

MAX_RANGES = 2_000_000  # a sanity bound on what a bundle may claim
STREAMS = ("revisions", "seals")


class RangeSet:
    """A set of positive integers stored as sorted, disjoint, non-adjacent ranges."""

    __slots__ = ("ranges",)

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()) -> None:
        self.ranges: list[tuple[int, int]] = []
        for lo, hi in sorted(ranges):
            self._append(lo, hi)

    def _append(self, lo: int, hi: int) -> None:
        if self.ranges and lo <= self.ranges[-1][1] + 1:
            last_lo, last_hi = self.ranges[-1]
            self.ranges[-1] = (last_lo, max(last_hi, hi))
        else:
            self.ranges.append((lo, hi))

    @classmethod
    def from_sorted(cls, numbers: Iterable[int]) -> "RangeSet":
        out = cls()
        for n in numbers:
            out._append(n, n)
        return out

    def __contains__(self, n: int) -> bool:
        import bisect

        i = bisect.bisect_right(self.ranges, (n, float("inf"))) - 1
        return i >= 0 and self.ranges[i][0] <= n <= self.ranges[i][1]

    def __iter__(self) -> Iterator[int]:
        for lo, hi in self.ranges:
            yield from range(lo, hi + 1)

    def __len__(self) -> int:
        return sum(hi - lo + 1 for lo, hi in self.ranges)

    def __bool__(self) -> bool:
        return bool(self.ranges)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RangeSet) and self.ranges == other.ranges

    def __repr__(self) -> str:
        return f"RangeSet({self.ranges!r})"

    def union(self, other: "RangeSet") -> "RangeSet":
        return RangeSet(self.ranges + other.ranges)

    def minus(self, other: "RangeSet") -> "RangeSet":
        out = RangeSet()
        j = 0
        theirs = other.ranges
        for lo, hi in self.ranges:
            cur = lo
            while j < len(theirs) and theirs[j][1] < cur:
                j += 1
            k = j
            while cur <= hi:
                if k >= len(theirs) or theirs[k][0] > hi:
                    out._append(cur, hi)
                    break
                t_lo, t_hi = theirs[k]
                if t_lo > cur:
                    out._append(cur, t_lo - 1)
                cur = max(cur, t_hi + 1)
                k += 1
        return out

    def max(self) -> int:
        return self.ranges[-1][1] if self.ranges else 0


class Vector:
    """Per stream ("revisions", "seals"), per origin profile: the numbers held."""

    def __init__(self, streams: dict[str, dict[str, RangeSet]] | None = None) -> None:
        self.streams: dict[str, dict[str, RangeSet]] = {s: {} for s in STREAMS}
        for s, origins in (streams or {}).items():
            self.streams[s].update({o: r for o, r in origins.items() if r})

    def get(self, stream: str, origin: str) -> RangeSet:
        return self.streams[stream].get(origin) or RangeSet()

    def contains(self, stream: str, origin: str, seq: int) -> bool:
        r = self.streams[stream].get(origin)
        return r is not None and seq in r

    def _combine(self, other: "Vector", op: str) -> "Vector":
        out = Vector()
        for s in STREAMS:
            origins = set(self.streams[s]) | (set(other.streams[s]) if op == "union" else set())
            for o in origins:
                r = getattr(self.get(s, o), op)(other.get(s, o))
                if r:
                    out.streams[s][o] = r
        return out

    def union(self, other: "Vector") -> "Vector":
        return self._combine(other, "union")

    def minus(self, other: "Vector") -> "Vector":
        return self._combine(other, "minus")

    def count(self, stream: str | None = None) -> int:
        return sum(len(r) for s in (STREAMS if stream is None else (stream,)) for r in self.streams[s].values())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vector) and self.as_json() == other.as_json()

    def as_json(self) -> dict:
        return {s: {o: [[lo, hi] for lo, hi in r.ranges] for o, r in sorted(self.streams[s].items())} for s in STREAMS}

    def dumps(self) -> str:
        return json.dumps(self.as_json(), separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, data: object) -> "Vector":
        """Parse and check a vector (from a bundle: untrusted shape). ValueError if malformed."""
        if not isinstance(data, dict) or not set(data) <= set(STREAMS):
            raise ValueError("vector: not an object of streams")
        out = cls()
        total = 0
        for s, origins in data.items():
            if not isinstance(origins, dict):
                raise ValueError("vector: stream is not an object")
            for origin, ranges in origins.items():
                if not isinstance(origin, str) or not 0 < len(origin) <= 64 or not isinstance(ranges, list):
                    raise ValueError("vector: bad origin")
                total += len(ranges)
                if total > MAX_RANGES:
                    raise ValueError("vector: too many ranges")
                prev = 0
                for item in ranges:
                    if (not isinstance(item, list) or len(item) != 2 or
                            not all(isinstance(x, int) and not isinstance(x, bool) for x in item)):
                        raise ValueError("vector: bad range")
                    lo, hi = item
                    if lo < 1 or hi < lo or lo <= prev:
                        raise ValueError("vector: ranges not sorted")
                    prev = hi
                rs = RangeSet()
                rs.ranges = [(lo, hi) for lo, hi in ranges]
                rs = RangeSet(rs.ranges)  # merges adjacent ranges
                if rs:
                    out.streams[s][origin] = rs
        return out

    @classmethod
    def loads(cls, text: str | None) -> "Vector":
        return cls.from_json(json.loads(text)) if text else cls()


def _grouped(rows: Iterable[tuple[str, int]]) -> dict[str, RangeSet]:
    """Rows sorted by (origin, seq) -> ranges per origin."""
    out: dict[str, RangeSet] = {}
    current: str | None = None
    rs = RangeSet()
    for origin, seq in rows:
        if origin != current:
            if current is not None:
                out[current] = rs
            current, rs = origin, RangeSet()
        rs._append(seq, seq)
    if current is not None:
        out[current] = rs
    return out


def store_vector(session: Session) -> Vector:
    """Everything the store holds: revision labels (including aliases) and seal labels."""
    from kkdesk.db.models import Revision
    from kkdesk.db.sync_models import RevisionAlias, SealOrigin

    revs = _grouped(session.execute(select(Revision.author, Revision.author_seq).order_by(
        Revision.author, Revision.author_seq)))
    aliases = _grouped(session.execute(select(RevisionAlias.author, RevisionAlias.author_seq).order_by(
        RevisionAlias.author, RevisionAlias.author_seq)))
    for origin, rs in aliases.items():
        revs[origin] = revs[origin].union(rs) if origin in revs else rs
    seals = _grouped(session.execute(select(SealOrigin.origin, SealOrigin.origin_seq).order_by(
        SealOrigin.origin, SealOrigin.origin_seq)))
    return Vector({"revisions": revs, "seals": seals})
