"""Full-text search (Cyrillic and Kazakh case-insensitive) and statistics (SPEC §6.1)."""

from kkdesk import listing, stats
from kkdesk.interchange import author_of, import_document, save
from kkdesk.search import fts_query, search


def titles(hits):
    return {h.title for h in hits}


def test_search_is_case_insensitive_for_kazakh_and_russian(example_store):
    with example_store.session() as s:
        for q in ("АЙГЕРІМ", "айгерім", "Айгерім"):
            assert "Айгерім Сейітқали" in titles(search(s, q)), q
        assert {h.kind for h in search(s, "әк")} == {"organisation"}  # the acronym ӘК
        hits = search(s, "әділет")
        assert any(h.kind == "organisation" for h in hits)
        assert any(h.kind == "hearing" for h in search(s, "ТОКТАРОВ"))


def test_search_words_are_and_and_prefix(example_store):
    with example_store.session() as s:
        assert {h.kind for h in search(s, "Токтаров 274")} >= {"case"}
        assert search(s, "Токтаров несуществующее") == []
        assert any(h.kind == "person" for h in search(s, "Айгер*"))
        assert any(h.kind == "person" for h in search(s, "Айгер", prefix_last=True))
        assert not any(h.kind == "person" for h in search(s, "Айгер"))


def test_search_result_shape_and_snippet(example_store):
    with example_store.session() as s:
        hit = search(s, "хвостохранилище")[0]
    assert hit.kind == "case" and hit.record_no.startswith("CS-")
    assert "[хвостохранилище]" in hit.snippet or "[хвостохранилищ" in hit.snippet


def test_search_ignores_fts_syntax_in_user_text(example_store):
    with example_store.session() as s:
        assert search(s, 'Токтаров" OR *') is not None
        assert search(s, "NEAR(") == []
    assert fts_query("") is None


def test_search_sees_edits_and_deletes(store):
    with store.session() as s:
        r = save(s, author_of(store), "person", {"name_kk": "Жанат Оспан", "primary_target_group": "journalist"})
    with store.session() as s:
        assert titles(search(s, "оспан")) == {"Жанат Оспан"}
        save(s, author_of(store), "person", {"name_kk": "Жанат Омар", "primary_target_group": "journalist"}, r.id)
    with store.session() as s:
        assert search(s, "оспан") == [] and titles(search(s, "омар")) == {"Жанат Омар"}
        from kkdesk.records import delete_record

        delete_record(s, author_of(store), r.id)
    with store.session() as s:
        assert search(s, "омар") == []


def _doc(acts):
    return {"format": "kkdesk-interchange", "version": 1, "id_namespace": "stats",
            "persons": [{"id": "a", "name_ru": "А", "primary_target_group": "journalist", "gender": "female",
                         "residence_region": "astana"},
                        {"id": "b", "name_ru": "Б", "primary_target_group": "lawyer", "gender": "male"}],
            "threats": acts}


def test_statistics_counting_rules(store):
    threats = [
        {"id": "t1", "title": "x", "description": "x", "start_date": "2023-05-02", "region": "astana",
         "record_status": "verified",
         "acts": [{"victim_person": "a", "threat_type": "threat", "perpetrators": [
             {"perpetrator_type": "police"}, {"perpetrator_type": "police"}, {"perpetrator_type": "court"}]},
                  {"victim_person": "b", "threat_type": "summons"},
                  {"victim_person": "a", "threat_type": "summons", "counted_in_statistics": False}]},
        {"id": "t2", "title": "y", "description": "y", "start_date": "2024", "region": "astana",
         "record_status": "verified",
         "acts": [{"victim_person": "a", "threat_type": "threat",
                   "target_group_at_time": "hrd", "act_date_precision": "unknown"},
                  {"victim_person": "a", "threat_type": "threat", "act_date": "2024-02"}]},
        {"id": "t3", "title": "z", "description": "z", "start_date": "2023", "region": "astana",
         "record_status": "draft", "acts": [{"victim_person": "b", "threat_type": "threat"}]},
    ]
    with store.session() as s:
        import_document(s, author_of(store), _doc(threats), "ru")
        by_year = {r["year"]: r for r in stats.compute(s, ["year"]).rows}
        # verified only, counted only; the undated act forms its own row
        assert by_year[2023]["acts"] == 2 and by_year[2023]["persons"] == 2
        assert by_year[2024]["acts"] == 1 and by_year[None]["acts"] == 1
        assert sum(r["acts"] for r in stats.compute(s, ["year"], all_statuses=True).rows) == 5
        # multi-valued perpetrators: once per distinct type
        perp = {r["perpetrator_type"]: r["acts"] for r in stats.compute(s, ["perpetrator_type"]).rows}
        assert perp == {"police": 1, "court": 1}
        # snapshot group; period by first day; undated kept
        rows = stats.compute(s, ["year", "target_group"], date_from="2024", date_to="2024").rows
        assert [(r["year"], r["target_group"], r["acts"]) for r in rows] == [(2024, "journalist", 1), (None, "hrd", 1)]  # undated last
        g = {r["gender"]: r["acts"] for r in stats.compute(s, ["gender"]).rows}
        assert g == {"female": 3, "male": 1}


def test_listing_keyset_pages_cover_everything_once(store):
    docs = {"format": "kkdesk-interchange", "version": 1, "persons": [
        {"id": str(i), "name_ru": f"Человек {i:03d}", "primary_target_group": "hrd"} for i in range(250)]}
    with store.session() as s:
        import_document(s, author_of(store), docs, "ru")
        seen, after = [], None
        while True:
            page = listing.page(s, "person", sort="title", after=after, limit=64)
            seen.extend(r.title for r in page)
            if len(page) < 64:
                break
            after = (page[-1].title, page[-1].num)
        assert seen == sorted(seen) and len(seen) == len(set(seen)) == 250
        desc = listing.page(s, "person", sort="title", descending=True, limit=3)
        assert [r.title for r in desc] == ["Человек 249", "Человек 248", "Человек 247"]
        assert listing.count(s, "person") == 250


def test_listing_puts_undated_rows_last_across_pages(store):
    srcs = [{"id": str(i), "source_type": "media", "title": f"S{i}",
             **({"publication_date": f"20{10 + i}"} if i % 2 else {})} for i in range(7)]
    with store.session() as s:
        import_document(s, author_of(store), {"format": "kkdesk-interchange", "version": 1, "sources": srcs}, "ru")
        for descending in (False, True):
            seen, after = [], None
            while True:
                page = listing.page(s, "source", sort="date", descending=descending, after=after, limit=2)
                seen.extend(page)
                if len(page) < 2:
                    break
                after = (page[-1].sort_date, page[-1].num)
            dated = [r.sort_date for r in seen if r.sort_date]
            assert [r.sort_date is None for r in seen] == [False] * 3 + [True] * 4
            assert dated == sorted(dated, reverse=descending)
            assert len({r.id for r in seen}) == 7
        assert listing.distinct_years(s, "source") == [2015, 2013, 2011]


def test_filtered_lists_agree_whichever_way_they_are_read(store, monkeypatch):
    """A filtered list is read by walking the sort index or by collecting the filters'
    matches (chosen by cost): both must give exactly the records a plain filter gives,
    in order, across pages; one act must match both act filters."""
    import random

    from kkdesk.db.models import Record

    rnd = random.Random(5)
    regions, types, groups = ["astana", "almaty_city", "abai"], ["fine", "threat", "summons"], ["hrd", "lawyer"]
    people = [{"id": f"p{i}", "name_ru": f"Человек {i}", "primary_target_group": groups[i % 2]} for i in range(6)]
    threats = []
    for i in range(90):
        acts = [{"victim_person": f"p{rnd.randrange(6)}", "threat_type": rnd.choice(types),
                 "target_group_at_time": rnd.choice(groups), "perpetrators": [{"perpetrator_type": "police"}]}
                for _ in range(rnd.randint(1, 3))]
        threats.append({"id": f"t{i}", "title": f"Угроза {rnd.randrange(1000):03d}", "description": "сот",
                        "region": rnd.choice(regions),
                        "record_status": rnd.choice(["draft", "verified"]),
                        "start_date": f"{rnd.choice([2019, 2020, 2021])}-0{rnd.randint(1, 9)}-1{i % 10}", "acts": acts})
    with store.session() as s:
        import_document(s, author_of(store), {"format": "kkdesk-interchange", "version": 1, "persons": people,
                                              "threats": threats}, "ru")
        by_id = {t["id"]: t for t in threats}
        from kkdesk.normalize import map_id
        raw = {map_id("", "threats", t["id"]): t for t in threats}
        assert len(by_id) == len(raw)

        def expected(f, sort, descending):
            out = []
            for rec in s.query(Record).filter(Record.kind == "threat", Record.deleted.is_(False)):
                t = raw[rec.id]
                if f.region and t["region"] != f.region or f.record_status and t["record_status"] != f.record_status:
                    continue
                if f.year is not None and rec.year != f.year:
                    continue
                if (f.threat_type or f.target_group) and not any(
                        (not f.threat_type or a["threat_type"] == f.threat_type)
                        and (not f.target_group or a["target_group_at_time"] == f.target_group) for a in t["acts"]):
                    continue
                out.append(rec)
            key = (lambda r: r.sort_date) if sort == "date" else (lambda r: r.title)
            with_key = sorted((r for r in out if key(r) is not None), key=lambda r: (key(r), r.num), reverse=descending)
            without = sorted((r for r in out if key(r) is None), key=lambda r: r.num, reverse=descending)
            return [r.num for r in with_key + without]

        filters = [listing.Filters(region="astana"), listing.Filters(year=2020), listing.Filters(threat_type="fine"),
                   listing.Filters(threat_type="fine", target_group="lawyer"), listing.Filters(record_status="draft"),
                   listing.Filters(region="abai", year=2021, target_group="hrd"), listing.Filters(year=1990)]
        for sparse in (True, False):
            monkeypatch.setattr(listing, "_sparse", lambda *a, sparse=sparse: sparse)
            for f in filters:
                for sort in ("date", "title"):
                    for descending in (False, True):
                        seen, after = [], None
                        while True:
                            page = listing.page(s, "threat", sort=sort, descending=descending, after=after, limit=7,
                                                filters=f)
                            seen.extend(r.num for r in page)
                            if len(page) < 7:
                                break
                            after = (listing.sort_value(page[-1], sort), page[-1].num)
                        want = expected(f, sort, descending)
                        assert seen == want, (sparse, f, sort, descending)
                assert listing.count(s, "threat", f) == len(expected(f, "date", False)), f


def test_statistics_refuse_impossible_period_bounds(store):
    import pytest

    from kkdesk.errors import InputError

    with store.session() as s:
        for bad in ("2024-13", "2023-02-30", "20x4", "2024-1"):
            with pytest.raises(InputError, match="Not a date"):
                stats.compute(s, ["year"], date_from=bad)
            with pytest.raises(InputError, match="Not a date"):
                stats.totals(s, date_to=bad)
        assert stats.compute(s, ["year"], date_from="2024-02", date_to="2024-02-29").rows == []
