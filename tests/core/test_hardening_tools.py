"""Short runs of the hardening tools (tools/kill9.py, tools/fuzz_bundles.py) and a
structure-aware Hypothesis fuzzer of the manifest and records lines: zero failures.
The tools' own judges are tested too, on states known to be bad, so a run that
reports zero cannot be a run that sees nothing. Full runs: see each tool's header."""

from __future__ import annotations

import json
from pathlib import Path
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tools import fuzz_bundles as F
from tools import kill9


# --- kill9 ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kill9_base(tmp_path_factory):
    return kill9.Base(tmp_path_factory.mktemp("kill9") / "base", persons=40)


@pytest.mark.parametrize("op", ["import-json", "bundle-export", "bundle-import", "restore"])
def test_kill9_short_run(kill9_base, tmp_path, op):
    fig = kill9.run(trials=2, ops=(op,), seed=11, work=tmp_path, base=kill9_base)
    assert fig.killed == fig.per_op[op]["killed"] == 2 and fig.trials >= 2
    assert fig.failures() == 0, fig.problems
    assert (fig.integrity_failures, fig.partial, fig.lost) == (0, 0, 0)


def test_kill9_sees_a_half_bundle_and_a_stale_temp_file(kill9_base, tmp_path):
    op = kill9.BundleExport(kill9_base)
    op.calibrate(tmp_path / "calibrate")
    folder = tmp_path / "trial"
    op.start(folder)
    data = kill9_base.bundle.read_bytes()
    (folder / "stick" / "kk.kkb").write_bytes(data[: len(data) // 2])  # what a non-atomic writer would leave
    (folder / "stick" / f".kk.kkb.{os.getpid()}.abcdefgh.kkdesk-tmp").write_bytes(b"x")  # a live writer's: kept
    fig, notes = kill9.Figures(), []
    op.judge(folder, fig, lambda what, detail: notes.append(what))
    assert fig.partial == 1 and fig.stale_temp_files == 1 and fig.integrity_failures == 0, notes


def test_kill9_sees_a_store_missing_records(kill9_base, tmp_path):
    op = kill9.BundleImport(kill9_base)
    op.calibrate(tmp_path / "calibrate")
    fig, notes = kill9.Figures(), []
    half = dict(op.expected)
    half["revision"] = frozenset(list(op.expected["revision"])[:3])
    op.compare(half, op.expected, fig, lambda what, detail: notes.append(what))
    assert fig.lost > 0 and fig.partial == 1


def test_kill9_command_line_prints_the_figures(kill9_base, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(kill9, "Base", lambda work, persons: kill9_base)
    assert kill9.main(["--trials", "1", "--ops", "restore", "--seed", "3", "--work", str(tmp_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"trials", "integrity_failures", "partial", "lost"} <= set(data) and data["killed"] == 1


# --- fuzz-bundles -----------------------------------------------------------------

@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    lab = F.Lab(tmp_path_factory.mktemp("fuzz") / "lab")
    yield lab
    lab.close()


def test_fuzz_short_run(lab, tmp_path):
    fig = F.run(mutants=100, seed=5, work=tmp_path, lab=lab)
    assert fig.mutants == 100
    assert fig.failures() == 0, fig.findings
    assert fig.tracebacks == fig.changed_after_refusal == fig.accepted_unexplained == 0
    assert fig.accepted == fig.accepted_replay + fig.accepted_as_genuine + fig.accepted_signed_edit
    assert fig.accepted_replay >= 1  # the crafted replay of the first bundle changes nothing
    assert sum(fig.refusals.values()) == fig.mutants - fig.accepted


def test_fuzz_judge_sees_a_traceback_and_a_change(lab, tmp_path, monkeypatch):
    import kkdesk.sync.importer as importer

    fig = F.Figures()
    monkeypatch.setattr(importer, "import_bundle", lambda store, path: (_ for _ in ()).throw(RuntimeError("boom")))
    F.try_mutant(lab, "test", b"x", fig, tmp_path / "m.kkb")
    assert fig.tracebacks == 1 and "boom" in fig.findings[-1]["detail"]

    def change_then_refuse(store, path):
        from kkdesk.interchange import author_of, save

        with store.session() as s:
            save(s, author_of(store), "person", {"name_latin": "Sneaked in", "gender": "male",
                                                 "primary_target_group": "lawyer", "entry_language": "en"})
        raise importer.BundleDamagedError("damaged")

    monkeypatch.setattr(importer, "import_bundle", change_then_refuse)
    F.try_mutant(lab, "test", b"x", fig, tmp_path / "m.kkb")
    assert fig.changed_after_refusal == 1 and lab.resets >= 1
    assert F.digest(lab.receiver) == lab.baseline  # the receiver was made afresh


# --- structure-aware: Hypothesis --------------------------------------------------

json_leaf = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
                      st.floats(allow_nan=False), st.text(max_size=30),
                      st.sampled_from(["", "0" * 64, "age1", "kkdesk-ed25519:", "records.jsonl", "attachments/"]))
json_value = st.recursive(json_leaf, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                              st.dictionaries(st.text(max_size=10), inner, max_size=4)),
                          max_leaves=12)
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _refused_cleanly_or_accepted(lab, tmp_path, category: str, data: bytes) -> F.Figures:
    fig = F.Figures()
    F.try_mutant(lab, category, data, fig, tmp_path / "h.kkb")
    assert fig.failures() == 0, fig.findings
    return fig


@SETTINGS
@given(path=st.sampled_from(F.MANIFEST_PATHS), value=json_value, delete=st.booleans())
def test_hypothesis_manifest_fields(lab, tmp_path, path, value, delete):
    m = json.loads(json.dumps(lab.forge.manifest))
    F._set(m, path, value, delete=delete)
    _refused_cleanly_or_accepted(lab, tmp_path, "manifest-hypothesis", lab.forge.build(m))


@SETTINGS
@given(index=st.integers(min_value=0, max_value=100), key=st.sampled_from(F.REVISION_KEYS + F.SEAL_KEYS),
       value=json_value, content=st.one_of(st.none(), json_value.map(lambda v: json.dumps(v, ensure_ascii=False))),
       rehash=st.booleans())
def test_hypothesis_records_lines(lab, tmp_path, index, key, value, content, rehash):
    lines = lab.forge.lines()
    i = index % len(lines)
    obj = json.loads(lines[i])
    obj[key] = value
    if content is not None and obj.get("t") == "rev":
        obj["content"] = content
    if rehash:
        F.rehash_revision(obj)
    lines[i] = json.dumps(obj, ensure_ascii=False).encode()
    _refused_cleanly_or_accepted(lab, tmp_path, "records-hypothesis", lab.forge.build(None, b"\n".join(lines) + b"\n"))


# --- canary -----------------------------------------------------------------------

def test_canary_scan_finds_every_encoding_and_form(tmp_path):
    from tools import canary

    latin, cyrillic = canary.make_canaries()
    needles = canary.variants(latin, cyrillic)
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "a.bin").write_bytes(b"x" * 1_048_570 + cyrillic.encode("utf-16-be") + b"y")  # across blocks
    (tmp_path / "b.ini").write_bytes(f"filter={latin.lower()}".encode("utf-16-le"))
    (tmp_path / "c.txt").write_text("nothing here", encoding="utf-8")
    (tmp_path / "excluded.json").write_text(latin, encoding="utf-8")
    fig = canary.Figures()
    canary.scan([tmp_path], needles, fig, {(tmp_path / "excluded.json").resolve()})
    assert fig.files_scanned == 3
    found = {(Path(h["file"]).name, h["canary"]) for h in fig.hits}
    assert {Path(h["file"]).name for h in fig.hits} == {"a.bin", "b.ini"}
    # (ASCII in UTF-16 LE holds its BE form one byte on, so b.ini matches both)
    assert {("a.bin", "cyrillic/utf-16-be"), ("b.ini", "latin-lower/utf-16-le")} <= found


def test_canary_cli_pass(tmp_path):
    from tools import canary

    fig = canary.run(gui=False, work=tmp_path, system_temp=False)
    assert {k: v for k, v in fig.flows.items() if v != "ok"} == {}
    assert fig.kinds_with_canary == sorted(canary.DOC_KINDS.values())
    assert fig.control_files_with_canary >= 2  # the JSON export and the saved copy hold them, as asked
    assert fig.files_scanned > 5
    assert fig.hits == []
