"""Names of news outlets in a page's furniture, which the statistical NER misses or cuts up because they
stand in headings and capitals: the masthead that opens the page ("The Westminster Courier", "BALTIC
COURTS WATCH | Estonia | Court reports", "Spycraft Explained | The Atlantic Ledger") and the credit in a
wire story's dateline ("THE HAGUE, June 16 (Northsea Press) -"). SCHEMA makes an outlet an organisation.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from .name_evidence import DASHES, capword, line_start
from .span_repairs import SpanList

BARS = {"|", "•", "›", ">"}
SEPARATORS = DASHES | {"/"}
MAX_WORDS = 5


def outlet_names(doc: Doc, spans: list[Span], heads: frozenset[str],
                 page_kinds: frozenset[str]) -> list[Span]:
    """The masthead's segments and the datelines' credits that are an outlet's name: capitalised words
    (after an optional "The") ending in an outlet's head noun ("Courier", "Ledger", "Wire", "Press"),
    two words at least and not all of them page kinds ("THREAT BRIEF"); a credit in a dateline
    needs no head ("(Meridian Wire) -", "(LNA) -"). They replace the spans the NER made of them;
    gazetteer names are kept."""
    def page_kind(s: int, e: int) -> bool:  # "THREAT BRIEF", "PARIS (Wire) -"
        return all(t.lower_ in page_kinds or t.lower_ == "the" for t in doc[s:e])

    found = [(s, e) for s, e in _masthead(doc) if e - s >= 2 and doc[e - 1].lower_ in heads]
    found += _credits(doc)
    ents = SpanList(spans)
    for s, end in found:
        start = _name(doc, s, end)
        if start is None or page_kind(s, end):
            continue
        inside = ents.overlapping(start, end)
        if any(e.kb_id_ for e in inside):
            continue
        ents.replace(inside, Span(doc, start, end, label="ORG"))
    return ents.spans


def _masthead(doc: Doc) -> list[tuple[int, int]]:
    """The segments of the page's first line (after any blank lines), between separators."""
    segments: list[tuple[int, int]] = []
    first = next((t.i for t in doc if not t.is_space), len(doc))
    start = i = first
    while i < len(doc) and not (i > first and line_start(doc, i)):
        tok = doc[i]
        # a hyphen or slash separates only between spaces ("Courts - Litigation", not "Tehreek-e")
        spaced = tok.whitespace_ and (i == 0 or doc[i - 1].whitespace_)
        if tok.text in BARS or tok.text in SEPARATORS and spaced:
            segments.append((start, i))
            start = i + 1
        i += 1
    segments.append((start, i))
    out = []
    for s, e in segments:
        while e > s and doc[e - 1].is_space:
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _credits(doc: Doc) -> list[tuple[int, int]]:
    """The words in brackets after a dateline's place, before the dash: "OTTAWA, Oct 14 (Meridian Wire) -"."""
    out: list[tuple[int, int]] = []
    n = len(doc)
    for d in sorted(doc.user_data.get("fw_datelines", ())):
        i = d
        while i < n and i - d < 10 and doc[i].text != "(" and not (i > d and line_start(doc, i)):
            i += 1
        if i >= n or doc[i].text != "(":
            continue
        close = next((j for j in range(i + 1, min(i + 2 + MAX_WORDS, n)) if doc[j].text == ")"), None)
        if close is not None and close + 1 < n and doc[close + 1].text in DASHES:
            out.append((i + 1, close))
    return out


def _name(doc: Doc, start: int, end: int) -> int | None:
    """Where the name starts if the words are one: at most MAX_WORDS capitalised words (or in capitals),
    after an optional "The", which is left out."""
    if start < end and doc[start].lower_ == "the":
        start += 1
    ok = 0 < end - start <= MAX_WORDS and all(capword(t) or t.is_upper and t.is_alpha for t in doc[start:end])
    return start if ok else None
