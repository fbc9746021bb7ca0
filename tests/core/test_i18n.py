"""Every message has a Kazakh, Russian and English translation; placeholders agree;
compiled catalogues are current; dates and numbers follow the locale."""

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from kkdesk.i18n import LANGS, format_date, gettext_for

ROOT = Path(__file__).resolve().parent.parent.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")
KAZAKH_ONLY = set("ӘәҒғҚқҢңӨөҰұҮүҺһІі")


def test_no_message_lacks_a_translation():
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "i18n.py"), "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]


def catalogue(lang):
    with open(ROOT / "translations" / lang / "LC_MESSAGES" / "kkdesk.po", "rb") as fh:
        return read_po(fh, locale=lang)


def test_placeholders_agree_and_mo_is_current():
    for lang in LANGS:
        po = catalogue(lang)
        with open(ROOT / "translations" / lang / "LC_MESSAGES" / "kkdesk.mo", "rb") as fh:
            mo = read_mo(fh)
        for msg in po:
            if not msg.id or isinstance(msg.id, tuple) or not msg.string:
                continue  # untranslated messages are the first test's business
            assert sorted(PLACEHOLDER.findall(msg.id)) == sorted(PLACEHOLDER.findall(msg.string)), (lang, msg.id)
            compiled = mo.get(msg.id)
            assert compiled is not None and compiled.string == msg.string, (lang, msg.id)


def test_kazakh_uses_kazakh_letters():
    po = catalogue("kk")
    texts = "".join(m.string for m in po if m.id and isinstance(m.string, str))
    assert KAZAKH_ONLY & set(texts) >= set("әғқңөұүі")


def test_dates_follow_the_locale():
    d = dt.date(2024, 2, 22)
    # CLDR puts a narrow no-break space between the year and "ж."
    assert format_date(d, "kk").replace("\u202f", " ") == "2024 ж. 22 ақпан"
    assert format_date(d, "ru").replace("\u202f", " ") == "22 февраля 2024 г."
    assert format_date(d, "en") == "February 22, 2024"


def test_gettext_for_is_per_language():
    msg = "Wrong passphrase: the store could not be unlocked."
    assert gettext_for("en")(msg) == msg
    assert gettext_for("ru")(msg) != msg and gettext_for("kk")(msg) != msg
