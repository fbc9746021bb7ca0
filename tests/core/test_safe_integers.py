"""Integers outside ±(2^53 − 1) are refused at normalisation, naming the field, and
every canonical form is RFC 8785's (defect 7 of issue 11)."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from kkdesk.canonical import canonical_bytes
from kkdesk.errors import ValidationError
from kkdesk.interchange import author_of, import_document
from tests.conftest import EXAMPLE

LIMIT = 2**53 - 1


def document_with_group_size(value):
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["threats"][0]["acts"][0]["victim_type"] = "group"
    doc["threats"][0]["acts"][0].pop("victim_person", None)
    doc["threats"][0]["acts"][0]["group_description"] = "Журналистер"
    doc["threats"][0]["acts"][0]["target_group_at_time"] = "journalist"
    doc["threats"][0]["acts"][0]["group_size"] = value
    return doc


@pytest.mark.parametrize("value", [LIMIT + 1, -(LIMIT + 1), 2**64, Decimal("1E+999999999"), Decimal("9007199254740992")])
def test_an_integer_beyond_2_53_is_refused_naming_the_field(store, value):
    doc = document_with_group_size(value)
    with store.session() as s:
        before = s.execute(__import__("sqlalchemy").text("SELECT count(*) FROM revision")).scalar()
    with pytest.raises(ValidationError) as exc, store.session() as s:
        import_document(s, author_of(store), copy.deepcopy(doc), "en")
    paths = [p.path for p in exc.value.problems]
    assert any(p.endswith("group_size") for p in paths), paths
    assert any("2^53" in p.text() for p in exc.value.problems)
    with store.session() as s:
        assert s.execute(__import__("sqlalchemy").text("SELECT count(*) FROM revision")).scalar() == before


def test_the_largest_safe_integer_is_kept(store):
    with store.session() as s:
        report = import_document(s, author_of(store), document_with_group_size(LIMIT), "en")
    assert report.new > 0


def test_the_cli_refuses_a_huge_integer_with_exit_1(home, tmp_path, capsys):
    from kkdesk.cli import main
    from tests.conftest import PASSPHRASE

    pfile = tmp_path / "p"
    pfile.write_text(PASSPHRASE)
    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps(document_with_group_size(2**70)), encoding="utf-8")
    code = main(["--home", str(home), "--passphrase-file", str(pfile), "--ui-lang", "ru", "import-json", str(doc)])
    err = capsys.readouterr().err
    assert code == 1 and "group_size" in err and "Traceback" not in err and "2^53" in err


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-LIMIT, max_value=LIMIT)
    | st.text(alphabet=st.characters(blacklist_categories=("Cs",))),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6), children, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_canonical_bytes_are_rfc_8785(obj):
    assert canonical_bytes(obj) == rfc8785.dumps(obj)


@pytest.mark.parametrize("value", [LIMIT + 1, -(LIMIT + 1), 10**30])
def test_canonical_bytes_refuse_what_rfc_8785_refuses(value):
    with pytest.raises(rfc8785.IntegerDomainError):
        canonical_bytes({"n": value})
    with pytest.raises(rfc8785.IntegerDomainError):
        canonical_bytes({"a": ["x", {"b": value}]})


def test_long_digit_strings_stay_on_the_canonical_form():
    obj = {"note": "a,12345678901234567890 b", "n": LIMIT}
    assert canonical_bytes(obj) == rfc8785.dumps(obj)
