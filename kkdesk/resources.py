"""Locate files shipped with kkdesk, in a source checkout and in an installed wheel.

In the checkout, `resources/` and `translations/` sit at the top level; the wheel
force-includes them as `kkdesk/resources` and `kkdesk/translations`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources as _ilr
from pathlib import Path
from typing import Any


@lru_cache(maxsize=None)
def _root(top: str) -> Path:
    packaged = Path(str(_ilr.files("kkdesk"))) / top
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / top


def data_path(top: str, *parts: str) -> Path:
    """Path of a shipped file below `top` ("resources" or "translations")."""
    return _root(top).joinpath(*parts)


def resource_path(*parts: str) -> Path:
    return data_path("resources", *parts)


@lru_cache(maxsize=None)
def read_json(*parts: str) -> Any:
    with resource_path(*parts).open(encoding="utf-8") as fh:
        return json.load(fh)
