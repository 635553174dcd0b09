"""Names the statistical NER leaves out, found by what the text says they are: a person in apposition
with a role ("Breon Peace, the U.S. attorney in Brooklyn"), an organisation in apposition with a kind of
organisation ("STOIC, a political marketing firm", "its trading company, Lord Energy,")."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from .name_evidence import POSSESSIVES, capword
from .span_repairs import NON_NAME_LABELS, SpanList

ROLE_DETS = {"the", "a", "an", "its", "his", "her", "their", "our"}
PLACE_LABELS = {"LOC", "GPE", "FAC"}
NOT_NAMES = NON_NAME_LABELS | {"EVENT"}  # what an apposition's name may be read over ("March 2024 - ...")


def described_people(doc: Doc, spans: list[Span], roles: frozenset[str]) -> list[Span]:
    """Two or three capitalised words the statistical NER left out (or read as a place the gazetteer does
    not know), in apposition with a role or another noun for a person: "Breon Peace, the U.S. attorney in
    Brooklyn, said", "Its spokesperson, Randhir Jaiswal, described", "Pouria Zeraati, a presenter", are a
    person. The noun must be a lower-case word of `role_nouns` or `person_nouns`, the head of its phrase
    (not "an activist group"), right after "the"/"a"/"its"... and at most three words (a state, a title)
    before it."""
    ents = SpanList(spans)
    n = len(doc)
    i = 0
    while i < n:
        tok = doc[i]
        if not (capword(tok) and tok.pos_ == "PROPN") or (i and capword(doc[i - 1])):
            i += 1
            continue
        end = i
        while end < n and end - i < 4 and capword(doc[end]) and doc[end].pos_ == "PROPN":
            end += 1
        if not 2 <= end - i <= 3:
            i = end
            continue
        inside = ents.overlapping(i, end)
        # a date or a title the NER read over the name ("March 2024 - Judith Collins") gives way, and
        # so does a piece of the name read as a person ("Houghton" of "Irungu Houghton")
        # and so does a place the gazetteer does not know ("Pouria Zeraati, a presenter")
        if all(e.label_ in NOT_NAMES or not e.kb_id_ and (
                e.label_ == "PERSON" and i <= e.start and e.end <= end or e.label_ in PLACE_LABELS)
               for e in inside) and (
                _role_after(doc, end, roles) or _role_before(doc, i, end, roles)):
            ents.replace(inside, Span(doc, i, end, label="PERSON"))
        i = end
    return ents.spans


def described_bodies(doc: Doc, spans: list[Span], nouns: frozenset[str]) -> tuple[list[Span], set[str]]:
    """A name the statistical NER left out, in apposition with a kind of organisation: "hired STOIC, a
    political marketing firm", "Zeno, an outlet that ...", "whose company, Lord Energy, was". The name
    is one to four capitalised (or upper-case) proper nouns no other span touches; the noun, a
    lower-case word of `nouns` at most four words after "a"/"the"/"its"... or just before the name's
    comma, is the name's apposition in the parse. Also returns the names found, which are names
    wherever the document writes them ("STOIC" opening a sentence is tagged an adjective)."""
    ents = SpanList(spans)
    n = len(doc)
    named: set[tuple[str, ...]] = set()
    i = 0
    while i < n:
        if not _name_word(doc[i]) or (i and _name_word(doc[i - 1])):
            i += 1
            continue
        end = i
        while end < n and end - i < 5 and _name_word(doc[end]):
            end += 1
        if end - i <= 4 and not ents.overlapping(i, end) and not (end - i == 1 and doc[i].is_sent_start
                                                                   and not doc[i].is_upper) \
                and (_kind_after(doc, i, end, nouns) or _kind_before(doc, i, end, nouns)):
            named.add(tuple(t.text for t in doc[i:end]))
        i = end
    # the name stands for the same body wherever else the document writes it
    for j in range(n):
        for words in named:
            k = j + len(words)
            if tuple(t.text for t in doc[j:k]) == words and not ents.overlapping(j, k) \
                    and (j == 0 or not _name_word(doc[j - 1])) and (k >= n or not _name_word(doc[k])):
                ents.replace([], Span(doc, j, k, label="ORG"))
    return ents.spans, {" ".join(words) for words in named}


def _name_word(tok: Token) -> bool:
    """A word of a name: a capitalised proper noun, or a word in capitals whatever its tag ("STOIC"
    is tagged an adjective)."""
    return tok.is_alpha and (tok.pos_ == "PROPN" and tok.text[:1].isupper() or tok.is_upper and len(tok) > 1)


def _kind_after(doc: Doc, start: int, end: int, nouns: frozenset[str]) -> bool:
    """", a political marketing firm": a kind of organisation in apposition after a name."""
    if end + 2 >= len(doc) or doc[end].text != "," or doc[end + 1].lower_ not in ROLE_DETS:
        return False
    root = doc[start:end].root
    for tok in doc[end + 2:min(end + 7, len(doc))]:
        if tok.is_lower and tok.lower_ in nouns:
            return tok.dep_ == "appos" and tok.head.i == root.i
        if tok.is_punct and tok.text != "-" or tok.is_lower and tok.pos_ not in ("ADJ", "NOUN", "PROPN"):
            return False
    return False


def _kind_before(doc: Doc, start: int, end: int, nouns: frozenset[str]) -> bool:
    """"whose trading company, Lord Energy, was based": a definite kind of organisation, a comma, the
    name in apposition with it and a comma."""
    if start < 2 or doc[start - 1].text != "," or end >= len(doc) or doc[end].text != ",":
        return False
    noun = doc[start - 2]
    root = doc[start:end].root
    # a definite noun ("its company", "the network"), not an item of a list ("accounts, Pages, Groups")
    definite = any(ch.dep_ in ("det", "poss") for ch in noun.children)
    return noun.is_lower and noun.lower_ in nouns and definite and root.dep_ == "appos" \
        and root.head.i == noun.i


def _role_after(doc: Doc, end: int, roles: frozenset[str]) -> bool:
    """", the minister responsible for ...", ", a spokesman for ...", ", Tsikhanouskaya's chief adviser,",
    ", the U.S. Attorney for ...": a role in apposition after a name (capitalised as a title too, when no
    name of a body goes on after it: not "the U.S. Attorney's Office")."""
    n = len(doc)
    if end + 2 >= n or doc[end].text != ",":
        return False
    k = end + 1
    if doc[k].lower_ not in ROLE_DETS:  # or an owner's possessive: "Tsikhanouskaya's"
        while k < min(end + 4, n) and capword(doc[k]):
            k += 1
        if k == end + 1 or k >= n or doc[k].text not in POSSESSIVES:
            return False
    for tok in doc[k + 1:min(k + 5, n)]:
        titled = tok.is_title and doc[k].lower_ == "the" and _role_ends(tok)
        if tok.lower_ in roles and (tok.is_lower or titled) and tok.dep_ not in ("compound", "amod"):
            return True  # the head of the apposition: not "an activist group"
        if tok.is_punct or tok.is_lower and tok.pos_ not in ("ADJ", "NOUN"):
            return False
    return False


def _role_ends(tok: Token) -> bool:
    """A capitalised role no body's name goes on after ("the U.S. Attorney for", not "Attorney's Office")."""
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.text not in POSSESSIVES and not capword(nxt)


def _role_before(doc: Doc, start: int, end: int, roles: frozenset[str]) -> bool:
    """"Its spokesperson, Randhir Jaiswal, said": a role, a comma, the name and a comma."""
    return start >= 2 and doc[start - 1].text == "," and doc[start - 2].is_lower \
        and doc[start - 2].lower_ in roles and end < len(doc) and doc[end].text == ","
