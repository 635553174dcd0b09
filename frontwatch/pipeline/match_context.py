"""Tests of the words around a gazetteer match that decide whether it stands as a name: a place inside a
longer name ("Liberation of Ahvaz"), one part of a hyphenated name ("Hydro-Québec"), a place before a
surname (a given name), an agency credited for a photo ("Jack Guez/AFP")."""

from __future__ import annotations

from spacy.tokens import Doc

from .mission_names import mission_noun_end
from .name_evidence import DASHES, POSSESSIVES

HYPHENS = {"-", "‑", "–"}


def inside_name(doc: Doc, start: int) -> bool:
    """A place preceded by "of" and a capitalised word is part of a longer name, unless that word ends a
    mission's noun ("Embassy of", "High Commission of")."""
    if start < 2 or doc[start - 1].lower_ != "of" or not doc[start - 2].is_title:
        return False
    return start - 1 not in (mission_noun_end(doc, start - 2), mission_noun_end(doc, max(start - 3, 0)))


def word_of_a_name(doc: Doc, i: int) -> bool:
    """Token i, a one-word name, is a word of a longer capitalised name: between two capitalised words
    ("National Liberation Front", "People's Liberation Army") or before "of" and one ("the Liberation of
    Ahvaz")."""
    tok = doc[i]
    if tok.is_upper or i + 1 >= len(doc):
        return False
    nxt, prev = doc[i + 1], doc[i - 1] if i else None
    if nxt.lower_ == "of":
        return i + 2 < len(doc) and doc[i + 2].is_title
    return nxt.is_title and nxt.is_alpha and prev is not None and (
        prev.is_title and prev.is_alpha and not prev.is_sent_start or prev.text in POSSESSIVES)


def hyphenated(doc: Doc, start: int, end: int, starts: set[int], ends: set[int]) -> bool:
    """The match is one part of a hyphenated name ("Hydro-Québec"): not a name on its own, unless the
    other part is a known name too ("Quebec-Ontario border"), and the pair is not the start of a longer
    name ("China-Sweden International Technology Transfer Center")."""
    before = start >= 2 and doc[start - 1].text in HYPHENS and not doc[start - 2].whitespace_ \
        and not doc[start - 1].whitespace_ and doc[start - 2].is_alpha \
        and (start - 1 not in ends or name_goes_on(doc, end))
    after = end + 1 < len(doc) and doc[end].text in HYPHENS and not doc[end - 1].whitespace_ \
        and not doc[end].whitespace_ and doc[end + 1].text[:1].isupper() \
        and (end + 1 not in starts or name_goes_on(doc, end + 2))
    return before or after


def name_goes_on(doc: Doc, i: int) -> bool:
    """Token i continues a name: a capitalised word that is not a sentence's first."""
    return i < len(doc) and doc[i].is_alpha and doc[i].text[:1].isupper() and not doc[i].is_sent_start



def given_name_after(doc: Doc, end: int, starts: set[int], not_surnames: frozenset[str]) -> bool:
    """The one-word place is followed by a capitalised proper noun that starts no known name and is
    followed by no further capitalised word: a person's given name and surname."""
    if end >= len(doc) or end in starts or doc[end - 1].whitespace_ != " ":
        return False
    nxt = doc[end]
    after = doc[end + 1] if end + 1 < len(doc) else None
    return (nxt.pos_ == "PROPN" and nxt.is_alpha and nxt.text[:1].isupper() and not nxt.is_upper
            and nxt.lower_ not in not_surnames and (after is None or not after.text[:1].isupper()))


def in_credit(doc: Doc, start: int, end: int, credit_words: frozenset[str]) -> bool:
    """Whether doc[start:end] credits a photo or a wire story: beside a slash ("Jack Guez/AFP",
    "AFP/Getty Images") or "via", alone in parentheses before a dash or at a line's end ("PARIS (AFP)
    -", "... in Sialkot. (AFP)"), or just after "Photo:" or "Credit:"."""
    n = len(doc)
    before = doc[start - 1] if start else None
    after = doc[end] if end < n else None
    if (before is not None and before.text == "/") or (after is not None and after.text in ("/", "via")):
        return True
    if before is not None and before.text == "(" and after is not None and after.text == ")":
        nxt = doc[end + 1] if end + 1 < n else None
        if nxt is None or nxt.is_space or "\n" in after.whitespace_ or nxt.text in DASHES:
            return True
    return start >= 2 and doc[start - 1].text == ":" and doc[start - 2].lower_ in credit_words
