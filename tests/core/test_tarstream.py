"""The read-ahead helper of bundle export: same chunks in order, errors re-raised in
the consumer, and no helper thread left running when the consumer stops early."""

import threading

import pytest

from kkdesk.sync.tarstream import prefetched


def _helpers() -> int:
    return sum(t.name == "kkdesk-bundle-read" for t in threading.enumerate())


def test_chunks_arrive_in_order():
    chunks = [bytes([i]) * (i + 1) for i in range(50)]
    assert list(prefetched(iter(chunks))) == chunks
    assert _helpers() == 0


def test_an_error_of_the_producer_reaches_the_consumer():
    def broken():
        yield b"a"
        raise ValueError("damaged chunk")

    it = prefetched(broken())
    assert next(it) == b"a"
    with pytest.raises(ValueError, match="damaged chunk"):
        next(it)
    assert _helpers() == 0


def test_a_consumer_that_stops_early_stops_the_helper():
    produced = []

    def endless():
        n = 0
        while True:
            produced.append(n)
            yield b"x"
            n += 1

    it = prefetched(endless(), depth=2)
    assert next(it) == b"x"
    it.close()  # what happens when encryption fails or the user cancels
    assert _helpers() == 0
    assert len(produced) <= 5  # it read ahead a little, not on and on
