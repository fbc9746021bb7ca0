"""Shared fixtures: real encrypted stores in temporary folders.

Creating a profile costs a key derivation and a migration, so one template profile
is made per session and copied for each test (the Anki way). Keys are cheap because
the session fixture `fast_kdf` patches kkdesk.keys' parameters (tests/fastkdf.py; the
package itself has no switch for it); a spawned CLI or GUI gets the same through
`python -m tests.fastkdf MODULE ARGS...`."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSPHRASE = "correct horse battery staple"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
EXAMPLE = Path(__file__).resolve().parent / "data" / "interchange-example.json"


@pytest.fixture(scope="session", autouse=True)
def fast_kdf():
    """Cheap Argon2 parameters (and a matching unlock minimum) for every test; yields the
    production values, for the tests that check them."""
    from tests.fastkdf import patch, restore

    saved = patch()
    yield saved
    restore(saved)


@pytest.fixture(autouse=True)
def english_messages():
    """Every test starts with English messages, whatever the test before it chose (the CLI
    sets the message language of the process from --ui-lang or the profile)."""
    from kkdesk.i18n import get_language, set_language

    before = get_language()
    set_language("en")
    yield
    set_language(before)


def fastkdf_command(*args: str) -> list[str]:
    """The command line that runs `python -m MODULE ARGS` (or a script) with fast keys."""
    import sys

    return [sys.executable, "-m", "tests.fastkdf", *args]


@pytest.fixture(scope="session")
def template_home(tmp_path_factory) -> Path:
    from kkdesk.store import create_profile

    home = tmp_path_factory.mktemp("template") / "profile"
    create_profile(home, PASSPHRASE, name="Test monitor", ui_lang="en").close()
    return home


@pytest.fixture(scope="session")
def example_template(tmp_path_factory, template_home) -> Path:
    from kkdesk.interchange import import_file
    from kkdesk.store import open_profile

    home = tmp_path_factory.mktemp("example") / "profile"
    shutil.copytree(template_home, home)
    store = open_profile(home, PASSPHRASE)
    import_file(store, EXAMPLE)
    store.close()
    return home


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


@pytest.fixture
def home(tmp_path, template_home) -> Path:
    """A fresh, empty profile folder (locked)."""
    return _copy(template_home, tmp_path / "profile")


@pytest.fixture
def store(home):
    from kkdesk.store import open_profile

    s = open_profile(home, PASSPHRASE)
    yield s
    s.close()


@pytest.fixture
def example_home(tmp_path, example_template) -> Path:
    return _copy(example_template, tmp_path / "profile")


@pytest.fixture
def example_store(example_home):
    from kkdesk.store import open_profile

    s = open_profile(example_home, PASSPHRASE)
    yield s
    s.close()
