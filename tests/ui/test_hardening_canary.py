"""One canary pass with the GUI flows (tools/canary.py): no canary in the profile folder,
the scratch home (Qt's settings and cache folders), the temp folders, after the CLI flows
and the GUI flows (edit with autosave, hearing notes, PDF preview, attachment, bundle
export, lock) have run."""

from __future__ import annotations

from tools import canary


def test_canary_gui_pass(tmp_path):
    fig = canary.run(gui=True, work=tmp_path, system_temp=False)
    failed = {k: v for k, v in fig.flows.items() if v != "ok"}
    assert failed == {}
    assert {"gui edit-autosave", "gui hearing-notes", "gui pdf-preview", "gui attachment", "gui bundle-export",
            "gui lock"} <= set(fig.flows)
    assert fig.control_files_with_canary >= 3  # including the attachment copy saved from the GUI
    assert fig.hits == []
