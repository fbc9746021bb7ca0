"""Property: three profiles create, edit, delete and resolve records at random and
exchange bundles in random order and subsets — some bundles lost, some imported
twice, some older than others. After one round where everyone sends to everyone,
the three stores hold the same revisions, heads, records and seals, every revision
ever made is still there, and every history verifies.

Stores are copied from session templates per example (creating profiles is the slow
part); bundles use X25519 recipients (a passphrase bundle costs a second of scrypt)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from kkdesk.db.models import Record
from kkdesk.interchange import author_of
from kkdesk.records import delete_record, verify
from kkdesk.sync import conflicts as C
from kkdesk.sync.export import ExportRequest, export_bundle
from kkdesk.sync.importer import import_bundle
from kkdesk.sync.vector import store_vector
from tests.core.test_bundle_exchange import synced_state
from tests.core.test_sync_support import NAMES, edit_person, open_copies, person, trio_template  # noqa: F401

WHO = st.sampled_from("abc")
PICK = st.integers(0, 10_000)
OPS = st.lists(st.one_of(
    st.tuples(st.just("create"), WHO, PICK),
    st.tuples(st.just("edit"), WHO, PICK),
    st.tuples(st.just("delete"), WHO, PICK),
    st.tuples(st.just("resolve"), WHO, PICK),
    st.tuples(st.just("export"), WHO, PICK),
    st.tuples(st.just("import"), WHO, PICK),
), max_size=14)


def _ids(store, **where) -> list[str]:
    with store.session() as s:
        stmt = select(Record.id).order_by(Record.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(Record, key).is_(value))
        return list(s.execute(stmt).scalars())


class World:
    def __init__(self, stores: dict, folder: Path) -> None:
        self.stores, self.folder = stores, folder
        self.bundles: list[tuple[Path, list[str]]] = []
        self.made: set[str] = set()
        self.resolved = 0
        self.conflicted = False

    def run(self, op: str, who: str, pick: int) -> None:
        store = self.stores[who]
        if op == "create":
            with store.session() as s:
                n = s.execute(select(Record.id)).all()
            self.made.add(_head(store, person(store, f"{who}-{len(n)}-{pick % 97}")))
        elif op == "edit":
            ids = _ids(store, deleted=False)
            if ids:
                rev = edit_person(store, ids[pick % len(ids)], f"edit {who} {pick}")
                if rev:
                    self.made.add(rev)
        elif op == "delete":
            ids = _ids(store, deleted=False)
            if ids:
                with store.session() as s:
                    self.made.add(delete_record(s, author_of(store), ids[pick % len(ids)]).rev_id)
        elif op == "resolve":
            ids = _ids(store, conflict=True)
            if ids:
                with store.session() as s:
                    conflict = C.get(s, ids[pick % len(ids)])
                    keep = conflict.versions[pick % len(conflict.versions)].revision
                    self.made.add(C.resolve_keep(s, author_of(store), conflict.id, keep).rev_id)
                self.resolved += 1
        elif op == "export":
            others = [k for k in "abc" if k != who]
            to = [others[pick % 2]] if pick % 3 else others
            mode = ("incremental", "since-last", "all")[pick % 3 if pick % 7 else 0]
            self.export(who, to, mode)
        elif op == "import" and self.bundles:
            path, to = self.bundles[pick % len(self.bundles)]
            report = import_bundle(self.stores[to[(pick // 7) % len(to)]], path)
            self.conflicted |= report.conflicts > 0

    def export(self, who: str, to: list[str], mode: str = "incremental") -> Path:
        path = self.folder / f"{len(self.bundles):03d}-{who}.kkb"
        export_bundle(self.stores[who], ExportRequest(out=path, to=[NAMES[k] for k in to], mode=mode))
        self.bundles.append((path, to))
        return path


def _head(store, record_id: str) -> str:
    with store.session() as s:
        return s.execute(select(Record.head).where(Record.id == record_id)).scalar_one()


@pytest.fixture(scope="session")
def synced_template(trio_template, tmp_path_factory) -> dict[str, Path]:
    """The trio after A made three records and everyone exchanged with everyone, so
    random edits soon touch the same records on two machines."""
    base = tmp_path_factory.mktemp("synced-trio")
    stores = open_copies(trio_template, base)
    try:
        world = World(stores, base)
        for i in range(3):
            person(stores["a"], f"shared {i}")
        final = {who: world.export(who, [k for k in "abc" if k != who]) for who in "abc"}
        for who in "abc":
            for sender, path in final.items():
                if sender != who:
                    import_bundle(stores[who], path)
    finally:
        for st_ in stores.values():
            st_.close()
    return {k: base / k for k in "abc"}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(ops=OPS)
def test_everyone_converges_and_nothing_is_lost(synced_template, ops):
    folder = Path(tempfile.mkdtemp(prefix="kkdesk-prop-"))
    stores = open_copies(synced_template, folder / "profiles")
    try:
        world = World(stores, folder)
        for op in ops:
            world.run(*op)
        final = {who: world.export(who, [k for k in "abc" if k != who]) for who in "abc"}
        for who in "abc":
            for sender, path in final.items():
                if sender != who:
                    import_bundle(stores[who], path)
        states = [synced_state(stores[k]) for k in "abc"]
        assert states[0] == states[1] == states[2]
        event(f"a conflict arose on the way: {world.conflicted}")
        event(f"records in conflict at the end: {any(r[8] for r in states[0]['record'])}")
        event(f"one revision made by two profiles: {bool(states[0]['alias'])}")
        event(f"conflicts resolved: {world.resolved > 0}")
        held = {r[0] for r in states[0]["revision"]}
        assert world.made <= held
        vectors = []
        for st_ in stores.values():
            with st_.session() as s:
                assert verify(s) == []
                vectors.append(store_vector(s).as_json())
        assert vectors[0] == vectors[1] == vectors[2]
    finally:
        for st_ in stores.values():
            st_.close()
        shutil.rmtree(folder, ignore_errors=True)
