"""Shared pieces of the hardening tools (kill9, fuzz_bundles, canary): the CLI as a
subprocess, profiles with real keys, a store's record set, kkdesk's temp files.

The tools use real Argon2id keys (the profile's own parameters): they measure kkdesk
as a user runs it. Not a command of its own."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSPHRASE = "campaign passphrase 7f3a-kkdesk"


def run_seed(given: int | None) -> int:
    """The seed of a campaign (kill9, fuzz_bundles), said on stderr so that a failure can
    be replayed with --seed."""
    seed = given if given is not None else random.SystemRandom().randrange(2 ** 32)
    print(f"seed {seed} (the same run again: --seed {seed})", file=sys.stderr, flush=True)
    return seed


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["KKDESK_PASSPHRASE"] = PASSPHRASE
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("PYTHONIOENCODING", "utf-8")
    if extra:
        env.update(extra)
    return env


def cli_argv(home: Path | None, *args: object) -> list[str]:
    argv = [sys.executable, "-m", "kkdesk.cli", "--ui-lang", "en"]
    if home is not None:
        argv += ["--home", str(home)]
    return argv + [str(a) for a in args]


@dataclass
class Run:
    code: int
    out: str
    err: str


def cli(home: Path | None, *args: object, env: dict[str, str] | None = None, timeout: float = 600) -> Run:
    proc = subprocess.run(cli_argv(home, *args), cwd=ROOT, env=env or cli_env(), capture_output=True,
                          timeout=timeout)
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


def cli_ok(home: Path | None, *args: object, env: dict[str, str] | None = None) -> Run:
    run = cli(home, *args, env=env)
    if run.code != 0:
        raise RuntimeError(f"kkdesk-cli {' '.join(map(str, args))} failed ({run.code}): {run.err.strip()}")
    return run


def is_traceback(text: str) -> bool:
    return "Traceback (most recent call last)" in text


def init_profile(home: Path, name: str, lang: str = "en") -> dict:
    cli_ok(home, "init", "--name", name, "--ui-lang", lang)
    return json.loads(cli_ok(home, "identity", "show", "--json").out)


def befriend(a: Path, a_info: dict, b: Path, b_info: dict) -> None:
    """Each profile knows the other as a verified contact."""
    cli_ok(a, "contacts", "add", b_info["name"], "--recipient", b_info["age_recipient"], "--signing-key",
           b_info["signing_key"], "--verified")
    cli_ok(b, "contacts", "add", a_info["name"], "--recipient", a_info["age_recipient"], "--signing-key",
           a_info["signing_key"], "--verified")


def copy_profile(src: Path, dst: Path) -> Path:
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
    return dst


def temp_leftovers(folder: Path) -> list[str]:
    """kkdesk's temp files and folders (and the names kkdesk used before them) in `folder`."""
    from kkdesk.atomicfile import is_temp_name

    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(n for n in names if is_temp_name(n) or n.endswith(".part") or n.startswith(".kkdesk-backup-"))


def has_profile(home: Path) -> bool:
    return (home / "profile.json").is_file()


def snapshot(home: Path) -> dict[str, frozenset]:
    """What a store holds, as sets: revisions, heads, seals, attachment bytes, the bundle
    log and contacts. Two snapshots are equal when the stores hold the same things."""
    from sqlalchemy import text

    from kkdesk.store import open_profile

    store = open_profile(home, PASSPHRASE)
    try:
        with store.engine.connect() as conn:
            def rows(sql: str) -> frozenset:
                return frozenset(tuple(r) for r in conn.execute(text(sql)))
            return {
                "revision": rows("SELECT rev_id FROM revision"),
                "head": rows("SELECT record_id, rev_id FROM head"),
                "seal": rows("SELECT rev_id, signer_key FROM seal"),
                "blob": rows("SELECT sha256, size FROM blob"),
                "bundle_log": rows("SELECT manifest_sha256, direction FROM sync_bundle_log"),
                "contact": rows("SELECT name FROM sync_contact"),
            }
    finally:
        store.close()


def interchange_doc(n_persons: int, namespace: str = "campaign", extra: str = "") -> dict:
    """An interchange document of `n_persons` people (Kazakh, Russian and Latin names)."""
    persons = []
    for i in range(n_persons):
        persons.append({
            "id": f"{namespace}-person-{i}", "name_kk": f"Әсел Қасымова {i}{extra}", "name_ru": f"Асель Касымова {i}",
            "name_latin": f"Asel Kassymova {i}", "gender": "female", "primary_target_group": "journalist",
            "consent_to_publish": "unknown", "entry_language": "kk", "residence_region": "almaty_city",
            "remarks": "Ескертпе: сотта куәгер болды. " * 20 + extra,
        })
    return {"format": "kkdesk-interchange", "version": 1, "id_namespace": namespace, "persons": persons}


def write_json(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path
