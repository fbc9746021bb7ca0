"""PDF benchmark: one heavy person case sheet, then a batch of person sheets.

    /tmp/v/bin/python benchmarks/bench_pdf.py [--batch 1000] [--repeat 10]

Builds a throw-away encrypted profile in a temp folder:
- a heavy person: 100 threat incidents, defendant in 10 cases (2 charges and 2
  sentences each, one with a ban on public activity), 20 observed hearings (checklist
  answers with notes, 12 timestamped notes each), 2 medical examinations;
- `--batch` ordinary persons (2 threats each, parties to shared cases with one
  hearing per case).
Reports the heavy sheet's render time (target ≤ 0.3 s, median over `--repeat`
renders after one warm-up, per language; wall and process CPU time, the latter
being what to compare when other work shares the machine), then renders and writes the batch with
`kkdesk.reports.render_batch` (one session per sheet, as the GUI does) and reports
throughput and peak RSS. Target files are written into the temp folder and removed.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.fastkdf import patch as _fast_keys  # noqa: E402

_fast_keys()  # cheap test keys: key derivation is not what we measure

THREAT_TYPES = ["death_threat", "detention_short", "summons", "surveillance", "media_obstruction", "tax_inspection"]
PERPETRATORS = ["police", "court", "online_actor", "tax_authorities"]
ARTICLES = ["CC-274", "CC-174", "CC-405", "CAO-488", "CC-400"]
WORDS = ("Свидетель обвинения показал, что протокол был составлен без участия адвоката; "
         "суд отклонил ходатайство защиты о приобщении заключения независимого специалиста. ")


def _date(i: int) -> str:
    return f"{2019 + i % 6}-{1 + i % 12:02d}-{1 + i % 28:02d}"


def build_document(batch: int) -> dict:
    persons = [{"id": "heavy", "name_kk": "Бақытжан Төлеуов", "name_ru": "Бахытжан Тулеуов",
                "name_latin": "Bakhytzhan Tuleuov", "gender": "male", "primary_target_group": "civic_activist",
                "consent_to_publish": "yes", "consent_date": "2024-01-01", "residence_region": "aktobe"}]
    persons += [{"id": f"p{i}", "name_kk": f"Тұлға {i} Әбдірахманов", "name_ru": f"Лицо {i} Абдрахманов",
                 "name_latin": f"Person {i} Abdrakhmanov", "gender": "female" if i % 2 else "male",
                 "primary_target_group": "journalist", "consent_to_publish": "unknown"} for i in range(batch)]
    courts = [{"id": f"court{i}", "name_kk": f"Ақтөбе №{i} аудандық соты", "name_ru": f"Районный суд №{i} г. Актобе",
               "name_en": f"Aktobe District Court No. {i}", "court_type": "district_city", "region": "aktobe"}
              for i in range(5)]
    cases, hearings, threats = [], [], []
    for c in range(10):
        sentences = [{"instance": "first_instance", "decision_date": _date(c), "sentence_type": "restricted_freedom",
                      "term_years": 2, "term_months": 6},
                     {"instance": "first_instance", "decision_date": _date(c), "sentence_type": "ban_public_activity",
                      "ban_scope": "общественная и политическая деятельность, публикации в социальных сетях",
                      "ban_months": 36}]
        cases.append({"id": f"hc{c}", "title": f"Тулеуов — дело {c}", "procedure_type": "criminal", "status": "at_trial",
                      "opened_date": _date(c), "region": "aktobe", "summary": WORDS * 3, "entry_language": "ru",
                      "parties": [{"person": "heavy", "role": "defendant",
                                   "charges": [{"legal_article": ARTICLES[c % 5], "article_part": "2",
                                                "charge_status": "sent_to_court"},
                                               {"legal_article": ARTICLES[(c + 1) % 5], "charge_status": "convicted"}],
                                   "sentences": sentences}]})
    for h in range(20):
        hearings.append({
            "id": f"hh{h}", "case": f"hc{h % 10}", "court": f"court{h % 5}", "instance": "first_instance",
            "stage": "main_trial", "hearing_format": "online" if h % 2 else "in_person",
            "actual_start": f"{_date(h)}T10:{h:02d}+05:00", "monitors": ["Monitor A"],
            "observer_access": "admitted_online" if h % 2 else "admitted_courtroom", "outcome": "adjourned",
            "next_hearing_at": f"{_date(h + 1)}T10:00+05:00", "proceedings_summary": WORDS * 4, "entry_language": "ru",
            "checklist": {"A01_schedule_published": {"answer": "no", "note": WORDS},
                          "D10_independent_experts": {"answer": "no", "note": WORDS},
                          "B02_impartial_conduct": {"answer": "yes"}},
            "notes": [{"time": f"1{n // 6}:{n * 9 % 60:02d}", "text": WORDS} for n in range(12)]})
    for t in range(100):
        threats.append({"id": f"ht{t}", "title": f"Инцидент {t}: давление на активиста", "description": WORDS,
                        "start_date": _date(t), "region": "aktobe", "state_response": "not_registered",
                        "entry_language": "ru", "record_status": "verified",
                        "acts": [{"victim_person": "heavy", "threat_type": THREAT_TYPES[t % 6],
                                  "perpetrators": [{"perpetrator_type": PERPETRATORS[t % 4], "involvement_degree": "direct"}]}]})
    shared = max(1, batch // 4)
    for c in range(shared):
        members = [f"p{i}" for i in range(c * 4, min(batch, c * 4 + 4))]
        cases.append({"id": f"sc{c}", "title": f"Дело группы {c}", "procedure_type": "administrative_offence",
                      "status": "closed_convicted", "opened_date": _date(c), "region": "aktobe", "summary": WORDS,
                      "entry_language": "ru",
                      "parties": [{"person": m, "role": "admin_offender",
                                   "charges": [{"legal_article": "CAO-488", "article_part": "6",
                                                "charge_status": "admin_liable"}],
                                   "sentences": [{"instance": "first_instance", "decision_date": _date(c),
                                                  "sentence_type": "admin_arrest", "term_days": 10}]} for m in members]})
        hearings.append({"id": f"sh{c}", "case": f"sc{c}", "court": f"court{c % 5}", "instance": "first_instance",
                         "stage": "admin_offence_hearing", "hearing_format": "in_person",
                         "actual_start": f"{_date(c)}T15:00+05:00", "monitors": ["Monitor B"],
                         "observer_access": "admitted_courtroom", "outcome": "admin_penalty_imposed",
                         "proceedings_summary": WORDS, "entry_language": "ru",
                         "checklist": {"A03_public_admitted": {"answer": "no", "note": WORDS}}})
    for i in range(batch):
        for k in range(2):
            threats.append({"id": f"t{i}-{k}", "title": f"Угроза {i}/{k}", "description": WORDS, "start_date": _date(i + k),
                            "region": "aktobe", "entry_language": "ru", "record_status": "verified",
                            "acts": [{"victim_person": f"p{i}", "threat_type": THREAT_TYPES[(i + k) % 6],
                                      "perpetrators": [{"perpetrator_type": PERPETRATORS[i % 4]}]}]})
    medical = [{"id": f"m{k}", "subject": "heavy", "examination_type": "ip_physical", "examiner_affiliation": "independent",
                "exam_datetime": f"{_date(k)}T12:00+05:00", "place": "Актобе", "clinicians": [{"name": "Dr. K."}],
                "informed_consent": "yes", "interpreter_used": "no", "security_present": "no",
                "subject_restrained": "no", "evaluation_unrestricted": "yes", "entry_language": "ru",
                "physical_consistency_overall": "consistent"} for k in range(2)]
    return {"format": "kkdesk-interchange", "version": 1, "id_namespace": "bench", "persons": persons,
            "courts": courts, "cases": cases, "hearings": hearings, "threats": threats, "medical": medical}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    from kkdesk.interchange import author_of, import_document
    from kkdesk.normalize import map_id
    from kkdesk.reports import BatchItem, render, render_batch
    from kkdesk.store import create_profile

    with tempfile.TemporaryDirectory(prefix="kkdesk-bench-pdf-") as tmp:
        store = create_profile(Path(tmp) / "profile", "benchmark passphrase", ui_lang="ru")
        t0 = time.perf_counter()
        with store.session() as session:
            import_document(session, author_of(store), build_document(args.batch), "ru")
        print(f"setup: imported in {time.perf_counter() - t0:.1f} s")
        heavy = map_id("bench", "persons", "heavy")
        for lang in ("kk", "ru", "en"):
            times, cpu = [], []
            with store.session() as session:
                render(session, "person", heavy, lang)  # warm-up: fonts, vocabularies, catalogues
                for _ in range(args.repeat):
                    start, start_cpu = time.perf_counter(), time.process_time()
                    data = render(session, "person", heavy, lang)
                    times.append(time.perf_counter() - start)
                    cpu.append(time.process_time() - start_cpu)
            size = len(data)
            pages = data.count(b"/Type /Page\n") or data.count(b"/Type /Page")
            print(f"heavy person sheet [{lang}]: median {statistics.median(times) * 1000:.0f} ms "
                  f"(CPU {statistics.median(cpu) * 1000:.0f} ms), min {min(times) * 1000:.0f} ms, "
                  f"max {max(times) * 1000:.0f} ms, {size / 1024:.0f} KiB, ~{pages} pages")
        out = Path(tmp) / "out"
        out.mkdir()
        items = [BatchItem("person", map_id("bench", "persons", f"p{i}"), f"p{i}.pdf") for i in range(args.batch)]
        before = rss_mb()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = render_batch(store, items, "ru", False, out)
        elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        assert len(result.written) == args.batch and not result.failed, result.failed[:3]
        total = sum(p.stat().st_size for p in result.written)
        print(f"batch: {args.batch} person sheets in {elapsed:.1f} s = {args.batch / elapsed:.1f} sheets/s "
              f"({elapsed / args.batch * 1000:.0f} ms each; CPU {elapsed_cpu / args.batch * 1000:.0f} ms each), "
              f"{total / 1e6:.1f} MB written")
        print(f"peak RSS: {rss_mb():.0f} MiB (before the batch: {before:.0f} MiB)")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
