"""Plain text (.txt) and Markdown (.md): strict UTF-8, kept as text.

Markdown is not rendered: the extractor works on the text and markup characters do no harm,
while keeping the file's own characters keeps evidence offsets meaningful to a reader.
"""

from __future__ import annotations

import re
from pathlib import Path

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


def load(path: Path, data: bytes) -> Document:
    """One document per file; the id is the file stem."""
    where = str(path)
    text = decode_utf8(where, data)
    if not text.strip():
        raise SourceError(where, "no text")
    title = markdown_title(text) if path.suffix.lower() == ".md" else text_title(text)
    return Document(id=path.stem, text=text, title=title, source=where)
