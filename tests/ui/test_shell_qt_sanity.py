"""Guards against a broken Qt binding: PySide6 6.12.0 drops a reference to `True` on
every `Signal.emit()` from Python, and on Python 3.11 the interpreter aborts once the
count reaches zero (bool_dealloc) — after a few thousand emits, mid-session."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(int)


def test_signal_emit_keeps_reference_counts():
    emitter = _Emitter()
    seen = []
    emitter.fired.connect(seen.append)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for i in range(200):
        emitter.fired.emit(i)
    after = sys.getrefcount(True), sys.getrefcount(False)
    assert len(seen) == 200
    assert after[0] - before[0] >= -5 and after[1] - before[1] >= -5, (
        "this PySide6 build corrupts reference counts on emit(); use another version (not 6.12.0)")
