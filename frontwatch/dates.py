"""Dates as frontwatch uses them: a document's published day and a claim's event period.

A published date comes from the document itself (page metadata, a record's `date`, a front matter
block, `ingest --date`); an event date from the claim's own sentence ("in June 2022", "on April 17,
2023", "since 2019"). Neither is ever guessed: what cannot be read stays unknown (None), never today.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
MONTHS["sept"] = 9
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?" \
         r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_YEAR = r"(1[89]\d\d|20\d\d)"
# "April 17, 2023", "Apr. 17 2023", "17 April 2023", "June 2022", "2019", "the 1990s"
_PARTS = re.compile(
    rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b"  # month day year
    rf"|\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b"  # day month year
    rf"|\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b"  # month year
    rf"|\b{_YEAR}(s?)\b",  # year or decade
    re.IGNORECASE)
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$")


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def event_period(text: str | None) -> tuple[str, str] | None:
    """The first and last day (YYYY-MM-DD) of the period a date phrase names, or None.

    "June 2022" -> (2022-06-01, 2022-06-30); "April 17, 2023" -> that day; "since 2019" -> 2019;
    "between April 2021 and July 2022" -> (2021-04-01, 2022-07-31). A bare number that is not a year
    ("61", an age) or a month without a year ("in June") names no period."""
    if not text:
        return None
    iso = re.fullmatch(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\s*", text)  # as an analyst enters it
    if iso:
        year, month = int(iso[1]), int(iso[2] or 0)
        if iso[3]:
            d = _day(year, month, int(iso[3]))
            return (d.isoformat(), d.isoformat()) if d else None
        if month:
            return ((date(year, month, 1).isoformat(), date(year, month, _last_day(year, month)).isoformat())
                    if 1 <= month <= 12 else None)
        return (f"{year}-01-01", f"{year}-12-31") if 1800 <= year <= 2099 else None
    spans: list[tuple[date, date]] = []
    for m in _PARTS.finditer(text):
        g = m.groups()
        if g[0]:  # month day year
            d = _day(int(g[2]), MONTHS[g[0].lower()], int(g[1]))
            if d:
                spans.append((d, d))
        elif g[3]:  # day month year
            d = _day(int(g[5]), MONTHS[g[4].lower()], int(g[3]))
            if d:
                spans.append((d, d))
        elif g[6]:  # month year
            year, month = int(g[7]), MONTHS[g[6].lower()]
            spans.append((date(year, month, 1), date(year, month, _last_day(year, month))))
        elif g[8]:  # a year, or a decade ("the 1990s")
            year = int(g[8])
            end = year + 9 if g[9] and year % 10 == 0 else year
            spans.append((date(year, 1, 1), date(end, 12, 31)))
    if not spans:
        return None
    return min(s for s, _ in spans).isoformat(), max(e for _, e in spans).isoformat()


def published_day(value: str | None) -> str | None:
    """A published date as YYYY-MM-DD (ISO dates and times, "April 17, 2023", "17 April 2023"), or as
    given when it is an ISO year or month ("2024", "2024-03"); None when it is no date at all."""
    if not value or not value.strip():
        return None
    partial = re.fullmatch(r"\s*(\d{4})(-\d{2})?\s*", value)
    if partial:
        return value.strip() if event_period(value) else None
    iso = _ISO.match(value)
    if iso:
        found = _day(int(iso[1]), int(iso[2]), int(iso[3] or 1)) if iso[3] else None
        return found.isoformat() if found else None
    try:
        return datetime.fromisoformat(value.strip()).date().isoformat()
    except ValueError:
        pass
    m = _PARTS.search(value)
    if m and (m.group(1) or m.group(5)):
        start, end = event_period(m.group(0)) or ("", "")
        return start if start == end and start else None
    return None


def period_label(first: str | None, last: str | None) -> str | None:
    """A period as a reader says it: "2022" (a whole year), "2022-06" (a whole month), "2022-06-15",
    else "first to last"; None when unknown."""
    if not first:
        return None
    last = last or first
    if first == last:
        return first
    if first[5:] == "01-01" and last[5:] == "12-31":
        return first[:4] if first[:4] == last[:4] else f"{first[:4]} to {last[:4]}"
    whole_month = first[8:] == "01" and int(last[8:]) == _last_day(int(last[:4]), int(last[5:7]))
    if whole_month and first[:7] == last[:7]:
        return first[:7]
    return f"{first} to {last}"
