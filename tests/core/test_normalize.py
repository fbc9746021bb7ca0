"""The fast id helpers must agree with the uuid module exactly: record ids derived
from document ids are part of every revision hash, so a difference would fork history."""

import uuid

from hypothesis import given
from hypothesis import strategies as st

from kkdesk.normalize import ID_NAMESPACE, child_id, is_uuid, map_id, uuid5


@given(st.text())
def test_uuid5_equals_the_uuid_module(name):
    assert uuid5(name) == str(uuid.uuid5(ID_NAMESPACE, name))


def test_ids_derived_from_document_ids():
    assert map_id("ngo", "persons", "p1") == str(uuid.uuid5(ID_NAMESPACE, "ngo/persons/p1"))
    assert child_id("r", "acts", None) == str(uuid.uuid5(ID_NAMESPACE, "r/acts/#"))
    given_id = "6F9619FF-8B86-D011-B42D-00C04FC964FF"
    assert map_id("ngo", "persons", given_id) == given_id.lower()


@given(st.uuids())
def test_every_uuid_is_recognised(u):
    assert is_uuid(str(u)) and is_uuid(str(u).upper())


def _reference_is_uuid(value):
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


@given(st.one_of(st.text(alphabet="0123456789abcdefABCDEF-{}:urnid g", min_size=30, max_size=40),
                 st.uuids().map(lambda u: str(u).replace("-", "")[:4] + "-" + str(u)[4:35]), st.integers()))
def test_is_uuid_agrees_with_the_uuid_module(value):
    assert is_uuid(value) == _reference_is_uuid(value)
    assert not is_uuid(str(uuid.uuid4()) + "\n")
