"""Region mapping for long trends (SPEC §6.1): "as at the time" (the act's
`region_at_time`, the default) or "current regions".

Two reforms changed the map: on 19.06.2018 Shymkent became a city of republican
significance and South Kazakhstan Region became Turkistan Region; on 08.06.2022
(Presidential Decree of 3 May 2022) Abai Region was carved out of East Kazakhstan,
Jetisu out of Almaty Region and Ulytau out of Karaganda. An act recorded under the
old region is mapped to the current one by the locality of its incident, through
the table below (district centres and towns of the new regions, in Kazakh, Russian
and Latin spellings). A locality the table does not know keeps the old region, except
that South Kazakhstan outside Shymkent is Turkistan."""

from __future__ import annotations

import re
import unicodedata

AT_TIME, CURRENT = "at-time", "current"
MODES = (AT_TIME, CURRENT)

# old region -> {new region: localities}
SPLITS: dict[str, dict[str, tuple[str, ...]]] = {
    "south_kazakhstan": {"shymkent": ("shymkent", "chimkent", "шымкент", "чимкент")},
    "east_kazakhstan": {"abai": (
        "semey", "semei", "semipalatinsk", "семей", "семипалатинск", "ayagoz", "ayaguz", "аягөз", "аягоз", "аягуз",
        "kurchatov", "курчатов", "urzhar", "urdzhar", "үржар", "урджар", "zharma", "жарма", "beskaragai",
        "бесқарағай", "бескарагай", "kokpekty", "көкпекті", "кокпекты", "abai district", "абай ауданы", "абайский район",
        "karaul", "қарауыл", "караул", "barshatas", "баршатас", "makanchi", "мақаншы", "маканчи", "zhanasemey",
        "жаңасемей", "жанасемей", "aksuat", "ақсуат", "аксуат", "shar", "шар", "charsk", "чарск")},
    "almaty_region": {"jetisu": (
        "taldykorgan", "taldyqorgan", "талдықорған", "талдыкорган", "tekeli", "текелі", "текели", "zharkent",
        "жаркент", "ushtobe", "үштөбе", "уштобе", "sarkand", "сарқан", "сарканд", "usharal", "үшарал", "ушарал",
        "kabanbai", "қабанбай", "кабанбай", "balpyk bi", "балпық би", "балпык би", "koksu", "көксу", "коксу",
        "eskeldi", "ескелді", "ескельди", "karabulak", "қарабұлақ", "карабулак", "kerbulak", "кербұлақ", "кербулак",
        "alakol", "алакөл", "алаколь", "panfilov", "панфилов", "aksu", "ақсу", "аксу", "karatal", "қаратал",
        "каратал", "dostyk", "достық", "достык", "lepsy", "лепсі", "лепсы")},
    "karaganda": {"ulytau": (
        "zhezkazgan", "jezkazgan", "жезқазған", "жезказган", "satpayev", "satpaev", "сәтбаев", "сатпаев",
        "karazhal", "қаражал", "каражал", "ulytau", "ұлытау", "улытау", "zhanaarka", "жаңаарқа", "жанаарка",
        "atasu", "атасу", "kengir", "кеңгір", "кенгир", "zhezdy", "жезді", "жезды")},
}
DEFAULT_NEW = {"south_kazakhstan": "turkistan"}
OLD_REGIONS = tuple(SPLITS)

_PREFIXES = re.compile(r"^(г\.|город|қ\.|қаласы|city of|c\.|с\.|село|ауылы|п\.|пос\.|посёлок|поселок)\s*")
_SUFFIXES = re.compile(r"\s*(city|қаласы|қ\.|ауданы|району|районе|район)$")


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFC", text).casefold().replace("ё", "е").strip(" .,;")
    t = _PREFIXES.sub("", t)
    return re.sub(r"\s+", " ", t)


_INDEX: dict[tuple[str, str], str] = {}
for _old, _news in SPLITS.items():
    for _new, _names in _news.items():
        for _name in _names:
            _INDEX[(_old, _fold(_name))] = _new


def current_region(region: str | None, locality: str | None) -> str | None:
    """The current region of an act recorded under `region` at `locality`."""
    if region not in SPLITS:
        return region
    if locality:
        key = _fold(locality)
        for candidate in (key, _SUFFIXES.sub("", key), key.split(",")[0].strip(), key.split(" ")[0]):
            new = _INDEX.get((region, candidate))
            if new:
                return new
    return DEFAULT_NEW.get(region, region)
