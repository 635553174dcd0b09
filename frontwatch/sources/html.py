"""Saved web pages (.html, .htm): the article text via trafilatura, without nav or comments."""

from __future__ import annotations

import codecs
import html as html_lib
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frontwatch.dates import published_day
from frontwatch.errors import SourceError
from frontwatch.model import Document
from frontwatch.sources._common import (
    SNIFF_BYTES,
    check_text_bytes,
    normalise_text,
    quiet_loggers,
    short_message,
    utf8_error,
)

# trafilatura logs through its own logger and through the libraries it drives.
_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "readability")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def declared_charset(data: bytes) -> str | None:
    """The encoding the page declares in a <meta> tag, if Python knows it."""
    match = _META_CHARSET.search(data[:SNIFF_BYTES])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def decode_html(where: str, data: bytes) -> str:
    """UTF-8, or the charset the page itself declares; never a guess.

    Pages saved from the web often say ``<meta charset="windows-1252">``; honouring an explicit
    declaration is not guessing.  Valid UTF-8 wins over a declaration, because mislabelled
    UTF-8 pages are common and the reverse (valid UTF-8 that is really Latin-1) is rare.
    """
    check_text_bytes(where, data)
    try:
        return normalise_text(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        charset = declared_charset(data)
        if charset and charset != "utf-8":
            try:
                return normalise_text(data.decode(charset))
            except UnicodeDecodeError:
                pass
        raise utf8_error(where, exc) from None


def title_from_tag(page: str) -> str | None:
    """The <title> element's text, for pages whose metadata trafilatura could not read."""
    match = _TITLE_TAG.search(page)
    if not match:
        return None
    title = " ".join(html_lib.unescape(_TAG.sub("", match.group(1))).split())
    return title or None


def _field(result: Any, name: str) -> str | None:
    # bare_extraction returns a Document object, or a dict when asked; accept either.
    value = result.get(name) if isinstance(result, dict) else getattr(result, name, None)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


@dataclass(frozen=True, slots=True)
class Page:
    """What trafilatura reads from one HTML page: the main text and the page's own metadata."""

    text: str
    title: str | None = None
    url: str | None = None
    date: str | None = None
    publisher: str | None = None  # trafilatura's ``sitename``


def extract_page(where: str, page: str, url: str | None = None) -> Page:
    """Main text and metadata of an HTML page given as a string (``where`` names it in errors).

    ``url`` is where the page was fetched from, if known: trafilatura uses it when the page
    names no canonical URL, and htmldate may read a date from it.
    """
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    if not page.strip():
        raise SourceError(where, "no text")
    with quiet_loggers(*_LOGGERS), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = trafilatura.bare_extraction(
                page, url=url, include_comments=False, with_metadata=True,
                # only the page's own date markup: the extensive search reads any year in the text
                # ("Copyright 2021" became 2021-01-01), which is a guess, not a published date
                date_extraction_params={"original_date": True, "extensive_search": False},
            )
        except Exception as exc:  # a library bug on odd markup must not become a traceback
            raise SourceError(where, f"could not parse the HTML page: {short_message(exc)}") from None
    text = _field(result, "text") if result is not None else None
    if not text:
        raise SourceError(where, "no main text found in the HTML page")
    return Page(
        text=normalise_text(text),
        title=_field(result, "title") or title_from_tag(page),
        url=_field(result, "url"),
        date=published_day(_field(result, "date")),
        publisher=_field(result, "sitename"),
    )


def load(path: Path, data: bytes) -> Document:
    """One document per page; the id is the file stem, url, date and publisher come from the page."""
    where = str(path)
    page = extract_page(where, decode_html(where, data))
    return Document(
        id=path.stem,
        text=page.text,
        title=page.title,
        url=page.url,
        date=page.date,
        source=where,
        publisher=page.publisher,
    )
