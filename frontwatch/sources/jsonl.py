"""JSON Lines (.jsonl): one {"id", "text", "title"?, "url"?, "date"?, "publisher"?} object per line.

A bad line is reported as its own SourceError ("file:line N: reason") and the other lines
are still read, so one broken record does not cost a whole corpus.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from frontwatch.dates import published_day
from frontwatch.errors import SourceError
from frontwatch.model import Document
from frontwatch.sources._common import (
    check_text_bytes,
    normalise_text,
    short_message,
    surrogate_reason,
    utf8_error,
)

OPTIONAL_FIELDS = ("title", "url", "date", "publisher")
_JSON_TYPES = {dict: "object", list: "array", str: "string", int: "number", float: "number",
               bool: "boolean", type(None): "null"}


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def parse_record(obj: Any, where: str) -> Document:
    """Validate one decoded line; ``where`` is the file, for Document.source."""
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {_json_type(obj)}")
    if "id" not in obj:
        raise ValueError("missing 'id'")
    doc_id = obj["id"]
    # bool is an int subclass in Python, but true/false are not ids.
    valid_int = isinstance(doc_id, int) and not isinstance(doc_id, bool)
    if not (valid_int or (isinstance(doc_id, str) and doc_id.strip())):
        raise ValueError(f"'id' must be a non-empty string or an integer, got {_json_type(doc_id)}")
    for name, value in obj.items():  # "\ud800" is valid JSON but not text: nothing downstream can encode it
        reason = surrogate_reason(value) if isinstance(value, str) else None
        if reason and (name in ("id", "text") or name in OPTIONAL_FIELDS):
            raise ValueError(f"'{name}' is {reason}")
    if "text" not in obj:
        raise ValueError("missing 'text'")
    text = obj["text"]
    if not isinstance(text, str) or not text.strip():
        raise ValueError("'text' must be a non-empty string")
    extras: dict[str, str | None] = {}
    for name in OPTIONAL_FIELDS:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"'{name}' must be a string, got {_json_type(value)}")
        extras[name] = (value.strip() or None) if isinstance(value, str) else None
    return Document(
        id=str(doc_id).strip(),
        text=normalise_text(text),
        title=extras["title"],
        url=extras["url"],
        date=published_day(extras["date"]),  # YYYY-MM-DD; a value that names no day stays unknown
        source=where,
        publisher=extras["publisher"],
    )


def load(path: Path, data: bytes) -> list[Document | SourceError]:
    """Documents and per-line errors, in file order.  Whole-file problems raise instead."""
    where = str(path)
    check_text_bytes(where, data)
    if data.startswith(b"\xef\xbb\xbf"):
        data = b"   " + data[3:]  # blank out the BOM but keep byte offsets true to the file
    if not data.strip():
        raise SourceError(where, "no text")
    out: list[Document | SourceError] = []
    first_line: dict[str, int] = {}  # id -> line it was first seen on
    offset = 0
    for number, raw in enumerate(data.split(b"\n"), start=1):
        line_start, offset = offset, offset + len(raw) + 1
        if not raw.strip():
            continue  # blank lines, e.g. a trailing newline, are not records
        at = f"{where}:line {number}"
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            out.append(SourceError(at, utf8_error(at, exc, base=line_start).reason))
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append(SourceError(at, f"invalid JSON ({exc.msg} at column {exc.colno})"))
            continue
        except (ValueError, RecursionError) as exc:  # absurd nesting, huge numbers
            out.append(SourceError(at, f"invalid JSON ({short_message(exc)})"))
            continue
        try:
            doc = parse_record(obj, where)
        except ValueError as exc:
            out.append(SourceError(at, str(exc)))
            continue
        if doc.id in first_line:
            out.append(SourceError(at, f"duplicate id '{doc.id}' (first on line {first_line[doc.id]})"))
            continue
        first_line[doc.id] = number
        out.append(doc)
    return out
