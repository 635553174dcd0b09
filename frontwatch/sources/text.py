"""Plain text (.txt) and Markdown (.md): strict UTF-8, kept as text.

Markdown is not rendered: the extractor works on the text and markup characters do no harm,
while keeping the file's own characters keeps evidence offsets meaningful to a reader.

A YAML front matter block at the very top (between two `---` lines) gives the document's `date`,
`title`, `url` and `publisher` and is not part of the text. A byline near the top ("By Sam Cooper,
Taiwan News") names the publisher when the front matter does not: the outlet, else the author.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from frontwatch.dates import published_day
from frontwatch.errors import SourceError
from frontwatch.model import Document
from frontwatch.sources._common import decode_utf8

MAX_TITLE_CHARS = 200  # a longer first line is a paragraph, not a title
# An ATX heading of level 1 (up to three spaces of indent, as CommonMark allows), without
# the optional closing run of '#'.
_H1 = re.compile(r"^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def markdown_title(text: str) -> str | None:
    """The first '# ' heading outside fenced code (where '#' is usually a shell comment)."""
    fence: str | None = None
    for line in text.split("\n"):
        opened = _FENCE.match(line)
        if opened:
            if fence is None:
                fence = opened.group(1)
            elif opened.group(1) == fence:
                fence = None
            continue
        if fence is not None:
            continue
        heading = _H1.match(line)
        if heading and heading.group(1).strip():
            return heading.group(1).strip()
    return None


def text_title(text: str) -> str | None:
    """The first non-blank line, when it is short enough to be a headline."""
    for line in text.split("\n"):
        line = line.strip()
        if line:
            return line if len(line) < MAX_TITLE_CHARS else None
    return None


_FRONT = re.compile(r"\A\ufeff?---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|van|von|de|da|bin|al-?\w*)){1,3}"
_BYLINE = re.compile(rf"^\s*By\s+({_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*?)\s*(?:(?:,|\||\s[-–—])\s*(.+?))?\s*$")
# an outlet's collective byline, often in lower case: "By the Reuters staff", "By frontwatch example desk"
_DESK = re.compile(r"^\s*By\s+((?:the\s+)?[\w'’.&-]+(?:\s+[\w'’.&-]+){0,4}?\s+"
                   r"(?:desk|staff|newsroom|correspondents?|reporters|editors|team))\s*$", re.IGNORECASE)
_BYLINE_LINES = 12  # a byline stands near the top
_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:(\s|$)")


def front_matter(where: str, text: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter block's fields and the text after it; ({}, text) when there is none. A
    block between two `---` lines that is not `key: value` lines is text (a horizontal rule around a
    paragraph); one whose lines all look like fields but are not valid YAML is one line naming the file."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    block = m.group(1) or ""
    try:
        fields = yaml.safe_load(block) or {}
    except yaml.YAMLError as exc:
        lines = [line for line in block.split("\n") if line.strip() and not line.startswith((" ", "\t", "#"))]
        if lines and all(_KEY.match(line) for line in lines):
            mark = getattr(exc, "problem_mark", None)
            at = f" (line {mark.line + 2})" if mark is not None else ""
            raise SourceError(where, f"the front matter block is not valid YAML{at}") from None
        return {}, text
    if not isinstance(fields, dict) or not all(_KEY.match(f"{k}:") for k in fields):
        return {}, text  # "A paragraph between rules: it says so." is YAML too, but no field
    return {str(k).lower(): v for k, v in fields.items()}, text[m.end():]


def _field(fields: dict[str, Any], *names: str) -> str | None:
    for name in names:
        value = fields.get(name)
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, str | int) and str(value).strip():
            return str(value).strip()
    return None


def byline_publisher(text: str) -> str | None:
    """The outlet of a byline near the top ("By Sam Cooper, Taiwan News" -> "Taiwan News"), else
    the author it names ("By Sam Cooper"); None without a byline."""
    lines = [line for line in text.split("\n") if line.strip()][:_BYLINE_LINES]
    for line in lines:
        desk = _DESK.match(line)
        if desk and len(line) < 120:
            return desk.group(1).strip()
        m = _BYLINE.match(line)
        if m and len(line) < 120:
            outlet = m.group(2)
            if outlet and re.search(r"\d", outlet):  # "By Sam Cooper – Jun 13, 2023": a date, no outlet
                outlet = None
            return (outlet or m.group(1)).strip() or None
    return None


def load(path: Path, data: bytes) -> Document:
    """One document per file; the id is the file stem."""
    where = str(path)
    text = decode_utf8(where, data)
    fields, text = front_matter(where, text)
    if not text.strip():
        raise SourceError(where, "no text")
    value = _field(fields, "date", "published", "published_at")
    day = published_day(value)
    if value and day is None:
        raise SourceError(where, f"the front matter date '{value}' is not a date like 2023-06-30")
    title = _field(fields, "title") or (
        markdown_title(text) if path.suffix.lower() == ".md" else text_title(text))
    return Document(id=path.stem, text=text, title=title, url=_field(fields, "url", "link"), date=day,
                    source=where, publisher=_field(fields, "publisher", "outlet", "site", "author")
                    or byline_publisher(text))
