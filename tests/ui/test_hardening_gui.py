"""The GUI part of the kill -9 campaign (tools/kill9.py --ops gui-edit), short: a real
editor process typing into a record with autosave is killed twice at random moments;
nothing is lost or half saved, `check` passes. The canary's GUI pass is in
test_hardening_canary.py."""

from __future__ import annotations

from tools import kill9


def test_kill9_gui_edit_short_run(tmp_path):
    base = kill9.Base(tmp_path / "base", persons=3, only_a=True)
    fig = kill9.run(trials=2, ops=("gui-edit",), seed=7, work=tmp_path / "work", base=base)
    assert fig.killed == 2
    assert fig.failures() == 0, fig.problems
    assert fig.gui_saves_reported > 0  # the editor really typed and saved before it was killed
