"""Bundle benchmark: export and import of many threat acts and of large attachments,
the no-op re-import, throughput against the `age` command-line tool on the same
bytes, and peak memory.

    python benchmarks/bench_bundles.py [--acts 100000] [--acts-per-threat 4]
                                       [--attachment-mb 1024] [--file-mb 256] [--workdir DIR]

Two profiles (sender, receiver) that know each other. Phase "records": the sender
holds N threat acts (N / acts-per-threat incidents, imported through the interchange
path); one bundle of all of them goes to the receiver. Phase "attachments": the
sender adds attachment files totalling M MiB; the next (incremental) bundle carries
just those. Each export, import and re-import runs in a child process, so its peak
RSS is its own. `age` is timed encrypting the bundle's plaintext tar (read from a
file in the page cache) to the same recipient, and decrypting the bundle; pyrage
(kkdesk's encryption layer) is timed on the same file, to separate the cost of the
encryption from that of reading and writing the encrypted store.

Needs the `age` tool on PATH. The working folder holds synthetic data only (random
attachment bytes, generated records) and is removed at the end unless --workdir is given.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.fastkdf import patch as _fast_keys  # noqa: E402

_fast_keys()  # key derivation is not what we measure

PASSPHRASE = "benchmark passphrase"
TYPES = ["threat", "death_threat", "summons", "surveillance", "online_harassment", "detention_short", "fine",
         "criminal_prosecution", "media_obstruction", "stigmatisation"]
REGIONS = ["almaty_city", "astana", "aktobe", "karaganda", "mangystau", "pavlodar", "shymkent", "atyrau"]
PERPS = ["police", "knb", "prosecutor", "court", "akimat", "online_actor", "unidentified_persons"]


def peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss it is not
    inherited from the parent across fork/exec)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- child steps (run as `bench_bundles.py --step NAME …`, print one JSON line) -----------

def step(args: argparse.Namespace) -> None:
    from kkdesk.store import open_profile

    store = open_profile(args.home, PASSPHRASE)
    try:
        start = time.perf_counter()
        if args.step == "export":
            from kkdesk.sync.export import ExportRequest, export_bundle

            result = export_bundle(store, ExportRequest(out=args.out, to=[args.to], mode=args.mode))
            out = {"revisions": result.revisions, "attachments": result.attachments, "bytes": result.size}
        else:
            from kkdesk.sync import importer, merge

            phases = {}
            real = merge.reproject

            def timed(session, ids):
                phases["staged"] = time.perf_counter() - start
                t = time.perf_counter()
                try:
                    return real(session, ids)
                finally:
                    phases["projection"] = time.perf_counter() - t

            importer.merge.reproject = timed
            report = importer.import_bundle(store, args.out)
            out = {"status": report.status, "revisions": report.revisions_new, "records_new": report.new,
                   "attachments": report.attachments_new, **phases}
        out["seconds"] = time.perf_counter() - start
        out["peak_rss_mib"] = peak_rss_mib()
    finally:
        store.close()
    print(json.dumps(out))


def run_step(name: str, home: Path, out: Path, **extra) -> dict:
    cmd = [sys.executable, __file__, "--step", name, "--home", str(home), "--out", str(out)]
    for key, value in extra.items():
        cmd += [f"--{key}", str(value)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"step {name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- setup ------------------------------------------------------------------------------

def make_profiles(work: Path):
    from kkdesk.store import create_profile
    from kkdesk.sync import contacts

    a = create_profile(work / "sender", PASSPHRASE, name="Sender", ui_lang="en")
    b = create_profile(work / "receiver", PASSPHRASE, name="Receiver", ui_lang="en")
    with a.session() as s:
        contacts.add(s, a.identity, "Receiver", b.identity.age_recipient, b.identity.signing_key_text, verified=True)
    with b.session() as s:
        contacts.add(s, b.identity, "Sender", a.identity.age_recipient, a.identity.signing_key_text, verified=True)
    return a, b


def add_acts(store, acts: int, per_threat: int) -> int:
    from kkdesk.interchange import author_of, import_document
    from kkdesk.normalize import map_id

    rnd = random.Random(7)
    person_ids = [map_id("bench-bundles", "persons", f"p{i}") for i in range(500)]
    persons = [{"id": f"p{i}", "name_latin": f"Defender {i}", "gender": rnd.choice(["female", "male"]),
                "primary_target_group": "hrd", "entry_language": "en", "record_status": "verified"}
               for i in range(500)]
    threats_total = acts // per_threat
    made = 0
    for start in range(0, threats_total, 5000):
        threats = []
        for i in range(start, min(start + 5000, threats_total)):
            year = 2010 + i % 15
            threats.append({
                "id": f"t{i}", "title": f"Incident {i}", "description": "Pressure on a defender. " * 4,
                "start_date": f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}", "region": rnd.choice(REGIONS),
                "entry_language": "en", "record_status": "verified",
                "acts": [{"victim_person": rnd.choice(person_ids), "threat_type": rnd.choice(TYPES),
                          "linked_to_hr_activity": "yes",
                          "perpetrators": [{"perpetrator_type": rnd.choice(PERPS), "involvement_degree": "direct"}]}
                         for _ in range(per_threat)]})
        doc = {"format": "kkdesk-interchange", "version": 1, "id_namespace": "bench-bundles",
               "persons": persons if start == 0 else [], "threats": threats}
        with store.session() as s:
            made += import_document(s, author_of(store), doc, "en").new
    return made


def add_attachments(store, work: Path, total_mb: int, file_mb: int) -> int:
    from kkdesk import attachments
    from kkdesk.interchange import author_of
    from kkdesk.listing import page

    with store.session() as s:
        target = page(s, "person", limit=1)[0].id
    n = 0
    remaining = total_mb
    while remaining > 0:
        size = min(file_mb, remaining)
        src = work / f"synthetic-{n}.bin"
        with open(src, "wb") as fh:
            for _ in range(size):
                fh.write(os.urandom(1 << 20))
        with store.session() as s:
            attachments.add_file(s, author_of(store), src, target, kind="video", consent_recorded="yes")
        src.unlink()
        remaining -= size
        n += 1
    return n


# --- age comparison ---------------------------------------------------------------------

def age_times(bundle: Path, key: Path, recipient: str, work: Path) -> dict:
    plain = work / "plain.tar"
    t = time.perf_counter()
    subprocess.run(["age", "-d", "-i", str(key), "-o", str(plain), str(bundle)], check=True)
    decrypt = time.perf_counter() - t
    subprocess.run(["cat", str(plain)], stdout=subprocess.DEVNULL, check=True)  # warm the page cache
    t = time.perf_counter()
    subprocess.run(["age", "-r", recipient, "-o", str(work / "age-out.age"), str(plain)], check=True)
    encrypt = time.perf_counter() - t
    # the same bytes through the layer kkdesk uses (pyrage's streaming encryption), file to file
    import pyrage

    t = time.perf_counter()
    with open(plain, "rb") as src, open(work / "age-out.age", "wb") as dst:
        pyrage.encrypt_io(src, dst, [pyrage.x25519.Recipient.from_str(recipient)])
    pyrage_encrypt = time.perf_counter() - t
    size = plain.stat().st_size
    plain.unlink()
    (work / "age-out.age").unlink()
    return {"age_encrypt_s": encrypt, "age_decrypt_s": decrypt, "pyrage_encrypt_s": pyrage_encrypt,
            "plaintext_bytes": size}


def phase(name: str, a_home: Path, b_home: Path, work: Path, key: Path, recipient: str, mode: str) -> dict:
    bundle = work / f"{name}.kkb"
    exp = run_step("export", a_home, bundle, to="Receiver", mode=mode)
    ages = age_times(bundle, key, recipient, work)
    imp = run_step("import", b_home, bundle)
    again = run_step("import", b_home, bundle)
    # the same revisions in a *new* bundle: every one recognised as known
    bundle2 = work / f"{name}-again.kkb"
    run_step("export", a_home, bundle2, to="Receiver", mode="all" if name == "records" else mode)
    known = run_step("import", b_home, bundle2)
    mib = ages["plaintext_bytes"] / (1 << 20)
    return {
        "phase": name, "revisions": exp["revisions"], "attachments": exp["attachments"],
        "plaintext_mib": round(mib, 1), "bundle_mib": round(exp["bytes"] / (1 << 20), 1),
        "export_s": round(exp["seconds"], 2), "export_mib_s": round(mib / exp["seconds"], 1),
        "age_encrypt_s": round(ages["age_encrypt_s"], 2), "age_encrypt_mib_s": round(mib / ages["age_encrypt_s"], 1),
        "export_vs_age": round(ages["age_encrypt_s"] / exp["seconds"], 2),
        "pyrage_encrypt_s": round(ages["pyrage_encrypt_s"], 2),
        "encryption_layer_vs_age": round(ages["age_encrypt_s"] / ages["pyrage_encrypt_s"], 2),
        "import_s": round(imp["seconds"], 2), "import_mib_s": round(mib / imp["seconds"], 1),
        "age_decrypt_s": round(ages["age_decrypt_s"], 2),
        "import_vs_age_decrypt": round(ages["age_decrypt_s"] / imp["seconds"], 2),
        "import_revisions_per_s": round(imp["revisions"] / imp["seconds"]) if imp["revisions"] else None,
        "staging_revisions_per_s": round(imp["revisions"] / imp["staged"]) if imp.get("staged") else None,
        "projection_s": round(imp.get("projection", 0), 2),
        "reimport_s": round(again["seconds"], 3), "reimport_speedup": round(imp["seconds"] / again["seconds"], 1),
        "reimport_status": again["status"],
        "known_revisions_import_s": round(known["seconds"], 2),
        "peak_rss_mib": {"export": round(exp["peak_rss_mib"]), "import": round(imp["peak_rss_mib"]),
                         "reimport": round(again["peak_rss_mib"])},
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--acts", type=int, default=100_000)
    p.add_argument("--acts-per-threat", type=int, default=4)
    p.add_argument("--attachment-mb", type=int, default=1024)
    p.add_argument("--file-mb", type=int, default=256, help="size of each attachment file")
    p.add_argument("--workdir")
    p.add_argument("--step", choices=("export", "import"), help=argparse.SUPPRESS)
    p.add_argument("--home", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    p.add_argument("--to", help=argparse.SUPPRESS)
    p.add_argument("--mode", default="incremental", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.step:
        step(args)
        return
    if shutil.which("age") is None:
        raise SystemExit("the age command-line tool is needed (apt-get install age)")
    work = Path(args.workdir or tempfile.mkdtemp(prefix="kkdesk-bench-bundles-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        from kkdesk.sync.identity import export_age_key

        a, b = make_profiles(work)
        key = export_age_key(b, work / "receiver.key")
        recipient = b.identity.age_recipient
        t = time.perf_counter()
        records = add_acts(a, args.acts, args.acts_per_threat)
        setup_records = time.perf_counter() - t
        a_home, b_home = a.home, b.home
        a.close()
        b.close()
        results = {"acts": args.acts, "records": records, "setup_records_s": round(setup_records, 1)}
        results["records_phase"] = phase("records", a_home, b_home, work, key, recipient, "all")
        if args.attachment_mb > 0:
            from kkdesk.store import open_profile

            # the receiver acknowledges what it got, so the next bundle carries only the files
            ack = work / "ack.kkb"
            run_step("export", b_home, ack, to="Sender", mode="incremental")
            run_step("import", a_home, ack)
            a = open_profile(a_home, PASSPHRASE)
            t = time.perf_counter()
            files = add_attachments(a, work, args.attachment_mb, args.file_mb)
            results["setup_attachments_s"] = round(time.perf_counter() - t, 1)
            results["attachment_files"] = files
            a.close()
            results["attachments_phase"] = phase("attachments", a_home, b_home, work, key, recipient, "incremental")
        print(json.dumps(results, indent=1))
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
