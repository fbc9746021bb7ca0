"""kkdesk-cli show / history / delete / seal / attach, and drafts in the core."""

import json

from kkdesk import drafts
from kkdesk.cli import main
from tests.conftest import PASSPHRASE


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_show_seal_history_delete(example_home, tmp_path, capsys):
    pf = tmp_path / "p"
    pf.write_text(PASSPHRASE)
    base = ["--home", example_home, "--passphrase-file", pf]
    code, out, _ = run(capsys, *base, "list", "cases")
    number = out.split()[0]
    code, out, _ = run(capsys, *base, "show", number, "--json")
    data = json.loads(out)
    assert code == 0 and data["kind"] == "case" and data["record"]["procedure_type"] in ("criminal", "administrative_offence")
    assert run(capsys, *base, "seal", number)[0] == 0
    assert json.loads(run(capsys, *base, "show", number, "--json")[1])["sealed"] is True
    assert run(capsys, *base, "delete", number)[0] == 0
    code, out, _ = run(capsys, *base, "history", number, "--json")
    hist = json.loads(out)
    assert [h["deleted"] for h in hist] == [False, True] and hist[0]["sealed_by"]
    code, _, err = run(capsys, *base, "show", "CS-1999-XXX-0001")
    assert code == 1 and "CS-1999-XXX-0001" in err


def test_attach_add_and_get(example_home, tmp_path, capsys):
    pf = tmp_path / "p"
    pf.write_text(PASSPHRASE)
    base = ["--home", example_home, "--passphrase-file", pf]
    number = run(capsys, *base, "list", "persons")[1].split()[0]
    f = tmp_path / "фото.jpg"
    f.write_bytes(b"\xff\xd8\xff photo bytes")
    code, out, _ = run(capsys, *base, "attach", "add", number, f, "--kind", "photo", "--description", "Бет")
    assert code == 0
    at_no = out.split()[2].rstrip(",")
    target = tmp_path / "copy.jpg"
    assert run(capsys, *base, "attach", "get", at_no, "--out", target)[0] == 0
    assert target.read_bytes() == f.read_bytes()
    code, _, err = run(capsys, *base, "attach", "get", number, "--out", tmp_path / "x")
    assert code == 1 and "not an attachment" in err


def test_drafts_round_trip(store):
    with store.session() as s:
        drafts.save_draft(s, "hearing:new-1", "hearing", {"notes": [{"time": "10:40", "text": "Басталды"}]})
    with store.session() as s:
        d = drafts.load_draft(s, "hearing:new-1")
        assert d.payload["notes"][0]["text"] == "Басталды" and d.kind == "hearing"
        drafts.save_draft(s, "hearing:new-1", "hearing", {"notes": []})
    with store.session() as s:
        assert [x.key for x in drafts.list_drafts(s, "hearing")] == ["hearing:new-1"]
        assert drafts.load_draft(s, "hearing:new-1").payload == {"notes": []}
        drafts.delete_draft(s, "hearing:new-1")
    with store.session() as s:
        assert drafts.load_draft(s, "hearing:new-1") is None
