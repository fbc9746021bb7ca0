"""Fast Argon2 keys for tests, by patching kkdesk.keys (the package has no switch for it).

In-process: `patch()` (the session fixture in tests/conftest.py calls it). For a test that
spawns the CLI or the GUI: run the child through this module, which patches and then runs
the given module as `__main__` with the remaining arguments:

    python -m tests.fastkdf kkdesk.cli --home DIR list persons
    python -m tests.fastkdf path/to/script.py ARGS...
"""

from __future__ import annotations

import runpy
import sys

# cheap parameters for test profiles only; the minimum is lowered with them, or the
# unlock check would refuse the test profiles
FAST_KDF = {"name": "argon2id", "memory_kib": 64, "iterations": 1, "lanes": 1}
FAST_MIN = {"memory_kib": 8, "iterations": 1}


def patch() -> dict:
    """Lower kkdesk.keys' creation parameters and unlock minimum; returns the originals."""
    from kkdesk import keys

    saved = {"DEFAULT_KDF": keys.DEFAULT_KDF, "MIN_KDF": keys.MIN_KDF}
    keys.DEFAULT_KDF = dict(FAST_KDF)
    keys.MIN_KDF = dict(FAST_MIN)
    # test profiles start empty, as the tests of other parts expect; the tests of the
    # shipped published figures turn this back on
    from kkdesk.reporting import published

    saved["PRELOAD"] = published.PRELOAD
    published.PRELOAD = False
    return saved


def restore(saved: dict) -> None:
    from kkdesk import keys
    from kkdesk.reporting import published

    published.PRELOAD = saved.pop("PRELOAD", True)
    for name, value in saved.items():
        setattr(keys, name, value)


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit("usage: python -m tests.fastkdf MODULE|SCRIPT.py [ARGS...]")
    patch()
    target, sys.argv = argv[0], argv[:]
    if target.endswith(".py"):
        runpy.run_path(target, run_name="__main__")
    else:
        runpy.run_module(target, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
