"""Companies named with their legal form ("Shenzhen Huayu Science and Technology Co., Ltd.",
"Nord-Deutsche Industrieanlagenbau GmbH"): the NER often reads only the city that opens a Chinese
company's name, or nothing. The capitalised words before a legal form, and the form, are one
organisation (a repair before typing, like span_repairs.py)."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from .span_repairs import SpanList

MAX_WORDS = 8
NAME_POS = {"PROPN", "NOUN", "ADJ", "X"}  # not "In" or "Then" opening the sentence


def _form_end(doc: Doc, i: int, forms: frozenset[str]) -> int:
    """The end of the legal form at token i, with a second one ("Co., Ltd.", "Co. Ltd.")."""
    if i + 2 < len(doc) and doc[i + 1].text == "," and doc[i + 2].text.rstrip(".") in forms:
        return i + 3
    if i + 1 < len(doc) and doc[i + 1].text.rstrip(".") in forms:
        return i + 2
    return i + 1


def company_names(doc: Doc, spans: list[Span], forms: frozenset[str],
                  and_words: frozenset[str]) -> list[Span]:
    """One organisation from the first capitalised word before a legal form in `forms` to the form; "and"
    or "&" joins two words only after a word of `and_words` ("Science and Technology"), so that "Huawei
    and ZTE Corp." stays two names. Not over a span that reaches outside the name."""
    ents = SpanList(spans)
    i = 0
    while i < len(doc):
        tok = doc[i]
        if tok.text.rstrip(".") not in forms or i == 0 or not doc[i - 1].text[:1].isupper() \
                or not tok.whitespace_ and i + 1 < len(doc) and doc[i + 1].text == "-":  # "Co-Conspirators"
            i += 1
            continue
        end = _form_end(doc, i, forms)
        start, words = i, 0
        while start > 0 and words < MAX_WORDS:
            prev = doc[start - 1]
            if prev.text[:1].isupper() and (prev.is_alpha or "-" in prev.text) \
                    and "\n" not in prev.whitespace_ and prev.pos_ in NAME_POS:
                start -= 1
            elif prev.lower_ in ("and", "&") and start > 1 and doc[start - 2].lower_ in and_words:
                start -= 1
            elif prev.text == "-" and not prev.whitespace_ and start > 1 and not doc[start - 2].whitespace_:
                start -= 1  # "Nord-Deutsche"
            else:
                break
            words += 1
        inside = ents.overlapping(start, end)
        if start < i and all(start <= e.start and e.end <= end for e in inside):
            ents.replace(inside, Span(doc, start, end, label="ORGANIZATION"))
        i = end
    return ents.spans
