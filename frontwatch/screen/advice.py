"""Plain-language advice for a screening level and where to report, per country
(data in ``frontwatch/data/screen/reporting.yaml``)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..errors import VocabularyError
from ..vocab import _read

DATA_FILE = "screen/reporting.yaml"


@lru_cache(maxsize=1)
def load_reporting() -> dict[str, Any]:
    """The advice file, read and checked once."""
    data = _read(DATA_FILE)
    if not isinstance(data, dict) or not isinstance(data.get("levels"), dict) \
            or not isinstance(data.get("countries"), dict):
        raise VocabularyError(f"vocabulary file data/{DATA_FILE} needs 'levels' and 'countries'")
    for code, entry in data["countries"].items():
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("services"):
            raise VocabularyError(
                f"vocabulary file data/{DATA_FILE}: country {code} needs a name and services")
    return data


def countries() -> list[str]:
    """The country codes advice exists for, as listed in the file."""
    return [str(c) for c in load_reporting()["countries"]]


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def advice(level: str, country: str | None = None) -> dict[str, Any]:
    """What to do at this level and where to report.

    With a country code: that country's services.  Without one: the main service of every country.
    An unknown code raises ``ValueError``.
    """
    data = load_reporting()
    entry = data["levels"].get(level) or {}
    out: dict[str, Any] = {
        "level": level,
        "summary": _text(entry.get("summary")),
        "steps": [_text(s) for s in entry.get("steps") or []],
        "note": _text(data.get("general_note")),
    }
    table = data["countries"]
    if country:
        code = country.upper()
        if code not in table:
            raise ValueError(f"unknown country {country!r} (expected one of {', '.join(countries())})")
        picked = {code: table[code]}
    else:
        picked = table
    out["country"] = country.upper() if country else None
    out["report_to"] = [
        {"country": code, "country_name": str(c["name"]), "name": _text(s.get("name")),
         "what": _text(s.get("what")), "how": _text(s.get("how")), "website": _text(s.get("website"))}
        for code, c in picked.items() for s in (c["services"] if country else c["services"][:1])
    ]
    out["employer"] = _text(table[country.upper()].get("employer")) if country else ""
    return out
