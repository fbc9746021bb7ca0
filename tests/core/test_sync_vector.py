"""Version vectors with exceptions: range sets behave as sets of sequence numbers,
and a malformed vector from a bundle is refused."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kkdesk.sync.vector import RangeSet, Vector

NUMBERS = st.sets(st.integers(1, 200), max_size=60)


@settings(max_examples=300, deadline=None)
@given(NUMBERS, NUMBERS)
def test_range_sets_are_sets(x, y):
    a, b = RangeSet.from_sorted(sorted(x)), RangeSet.from_sorted(sorted(y))
    assert set(a) == x and len(a) == len(x)
    assert set(a.union(b)) == x | y
    assert set(a.minus(b)) == x - y
    assert all((n in a) == (n in x) for n in range(0, 203))
    ranges = a.ranges
    assert all(lo <= hi for lo, hi in ranges)
    assert all(ranges[i][1] + 1 < ranges[i + 1][0] for i in range(len(ranges) - 1))  # disjoint, not adjacent


def test_gaps_are_kept():
    held = RangeSet.from_sorted([1, 2, 3, 5, 6, 9])
    assert held.ranges == [(1, 3), (5, 6), (9, 9)] and held.max() == 9
    acked = RangeSet([(1, 6)])
    assert held.minus(acked).ranges == [(9, 9)]
    assert RangeSet([(1, 10)]).minus(held).ranges == [(4, 4), (7, 8), (10, 10)]


def test_vector_json_round_trip_and_difference():
    v = Vector({"revisions": {"p1": RangeSet([(1, 40), (42, 97)]), "p2": RangeSet([(1, 3)])},
                "seals": {"p1": RangeSet([(1, 2)])}})
    assert v.as_json() == {"revisions": {"p1": [[1, 40], [42, 97]], "p2": [[1, 3]]}, "seals": {"p1": [[1, 2]]}}
    assert Vector.loads(v.dumps()) == v
    other = Vector({"revisions": {"p1": RangeSet([(1, 50)])}})
    diff = v.minus(other)
    assert diff.as_json() == {"revisions": {"p1": [[51, 97]], "p2": [[1, 3]]}, "seals": {"p1": [[1, 2]]}}
    assert diff.count() == 47 + 3 + 2 and v.contains("revisions", "p1", 42) and not v.contains("revisions", "p1", 41)
    assert other.union(v).get("revisions", "p1").ranges == [(1, 97)]


@pytest.mark.parametrize("bad", [
    [], {"other": {}}, {"revisions": []}, {"revisions": {"p": [[2, 1]]}}, {"revisions": {"p": [[0, 3]]}},
    {"revisions": {"p": [[5, 9], [1, 2]]}}, {"revisions": {"p": [[1, 2, 3]]}}, {"revisions": {"p": [["1", 2]]}},
    {"revisions": {"p": [[True, 2]]}}, {"revisions": {"": [[1, 2]]}}, {"seals": {"p": "1-3"}},
])
def test_malformed_vectors_are_refused(bad):
    with pytest.raises(ValueError):
        Vector.from_json(bad)
