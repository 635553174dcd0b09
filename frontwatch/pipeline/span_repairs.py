"""Repairs of the statistical NER's spans before they are typed (entity_types): a person read before an
age, an initialled or given name the NER missed, a byline, names a slash joins, a number opening a quoted
name, a name cut at its particles, court filings' anonymous names ("Individual-1"). The names of bodies
are repaired in body_spans.py, companies' in company_names.py."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

from .given_names import PARTICLES, is_given_name
from .name_evidence import capword, line_start

AGE_AFTER = {",", ")", "-", "–", "—", ";"}


class SpanList:
    """Entity spans sorted by start, with the ones overlapping a token range found by bisection: a
    scan of every span per candidate name made a long text quadratic."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans: list[Span] = []
        self.starts: list[int] = []
        self.longest = 0
        self._index(spans)

    def _index(self, spans: list[Span]) -> None:
        self.spans = sorted(spans, key=lambda e: (e.start, e.end))
        self.starts = [e.start for e in self.spans]
        self.longest = max((len(e) for e in self.spans), default=0)

    def overlapping(self, start: int, end: int) -> list[Span]:
        lo = bisect_left(self.starts, start - self.longest)
        hi = bisect_left(self.starts, end)
        return [e for e in self.spans[lo:hi] if e.end > start]

    def replace(self, old: list[Span], new: Span) -> None:
        self._index([e for e in self.spans if e not in old] + [new])

    def remove(self, old: list[Span]) -> None:
        self._index([e for e in self.spans if e not in old])


def aged_people(doc: Doc, spans: list[Span]) -> list[Span]:
    """A run of capitalised words followed by an age in apposition ("Vardanjani, 32, had worked",
    "Karan Brar, 22,") is a person, whatever the statistical NER made of it (an organisation, a
    piece of it or nothing); names of the gazetteer are kept."""
    ents = SpanList(spans)
    for tok in doc:
        age = tok.text.isdigit() and 10 <= int(tok.text) <= 110
        if not age or tok.i < 2 or doc[tok.i - 1].text != "," or tok.i + 1 >= len(doc) \
                or doc[tok.i + 1].text not in AGE_AFTER:
            continue
        end = tok.i - 1
        start = end
        while start > 0 and end - start < 4 and capword(doc[start - 1]) and doc[start - 1].pos_ == "PROPN":
            start -= 1
        if start == end:
            continue
        inside = ents.overlapping(start, end)
        if any(e.kb_id_ or e.start < start or e.end > end or e.label_ == "PERSON" and e.start == start
               for e in inside):
            continue  # a gazetteer name, a span reaching outside, or already this person
        ents.replace(inside, Span(doc, start, end, label="PERSON"))
    return ents.spans


def initialled_people(doc: Doc, spans: list[Span]) -> list[Span]:
    """A given name followed by initials ("Ina F.", "Dieter S.", the way German courts and press name
    defendants) is a person, whatever the statistical NER made of it; names of the gazetteer are kept."""
    ents = SpanList(spans)
    n = len(doc)
    for tok in doc:
        # the cheap tests first: this runs on every token
        if not tok.is_title or tok.i + 1 >= n or not _initial(doc, tok.i + 1):
            continue
        end = tok.i + 1
        while end < n and end - tok.i <= 2 and _initial(doc, end):
            end += 2 if len(doc[end].text) == 1 else 1
        if not is_given_name(tok.text) or end < n and capword(doc[end]):
            continue  # not a given name; or "Anna K. Smith": a middle initial, the name goes on
        inside = ents.overlapping(tok.i, end)
        if any(e.kb_id_ or e.start < tok.i or e.end > end or e.label_ == "PERSON" for e in inside):
            continue  # a gazetteer name, a span reaching outside, or already a person
        ents.replace(inside, Span(doc, tok.i, end, label="PERSON"))
    return ents.spans


NUMBERED = re.compile(r"^\d{1,5}(\.\d)?$")  # "Group 24", "Lahav 433", "Guccifer 2.0"
NAMED_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC"}
NUMBER_UNITS = {"%", "percent", "per", "years", "year", "months", "days", "hours", "people", "times", "km",
                "miles", "million", "billion", "kg", "metres", "meters"}


def numbered_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """A name that ends in a number is one name ("Group 24", "Lahav 433", "Marywilska 44"), where the NER
    reads a name and a count or a date: the number joins it. A person's name never ends in a number, so
    one becomes a body's. Only after a name the NER read (a proper noun it left out is too often a
    common word: "Box 3", "Flight 4978"). Not a year ("Spring 2024"), a product's number ("Boeing
    737"), a number the NER joined to a date or a law ("Article 5"), one before a month or a unit, nor
    across a line."""
    ents = SpanList(spans)
    for tok in doc:
        i = tok.i + 1
        if i >= len(doc) or not NUMBERED.match(doc[i].text) or not _name_before_number(tok):
            continue
        if i + 1 < len(doc) and (doc[i + 1].ent_type_ == "DATE" or doc[i + 1].lower_ in NUMBER_UNITS):
            continue
        if doc[i].ent_type_ == "DATE" and (doc[i].ent_iob_ == "I"
                                           or i + 1 < len(doc) and doc[i + 1].ent_iob_ == "I"):
            continue  # "Oct 21", "24 March": the number is a date's
        owner = ents.overlapping(tok.i, tok.i + 1)
        if len(owner) != 1 or owner[0].end != i or owner[0].label_ not in NAMED_LABELS or owner[0].kb_id_:
            continue
        inside = ents.overlapping(tok.i, i + 1)
        label = "ORG" if owner[0].label_ == "PERSON" else owner[0].label_
        ents.replace(inside, Span(doc, owner[0].start, i + 1, label=label))
    return ents.spans


def _name_before_number(tok: Token) -> bool:
    """A capitalised proper noun followed on its line by a number that is no year and no product's."""
    num = tok.doc[tok.i + 1]
    year = len(num.text) == 4 and num.text[:2] in ("18", "19", "20")
    return capword(tok) and tok.pos_ == "PROPN" and bool(tok.whitespace_) and "\n" not in tok.whitespace_ \
        and num.ent_type_ in ("", "CARDINAL", "DATE") and not year


PLACEHOLDER = re.compile(r"^([A-Za-z]+)-(\d{1,2})$")


def placeholder_names(doc: Doc, spans: list[Span], heads: dict[str, str]) -> list[Span]:
    """Court filings' anonymous names, a word and a number ("Individual-1", "UC-2"), with the capitalised
    words before them on their line ("Foreign Official-1", "Co-Conspirator-1", "Royal Family
    Member-1"), at most three; `heads` gives the type by the word before the number."""
    ents = SpanList(spans)
    for tok in doc:
        m = PLACEHOLDER.match(tok.text)
        label = heads.get(m.group(1).lower()) if m else None
        if label is None:
            continue
        start, words = tok.i, 0
        while start > 0 and words < 3:
            prev = doc[start - 1]
            if prev.text == "-" and not prev.whitespace_ and start > 1 and doc[start - 2].is_alpha \
                    and not doc[start - 2].whitespace_:
                start -= 2  # "Co-Conspirator-1"
            elif prev.is_title and prev.is_alpha and "\n" not in prev.whitespace_ \
                    and prev.ent_type_ not in ("DATE", "TIME") and prev.pos_ in ("PROPN", "NOUN", "ADJ"):
                start -= 1
            else:
                break
            words += 1
        ents.replace(ents.overlapping(start, tok.i + 1), Span(doc, start, tok.i + 1, label=label))
    return ents.spans


PEER_TITLES = {"Lord", "Lady", "Baroness", "Baron"}


def peer_names(doc: Doc, spans: list[Span], titles: Callable[[Token], bool]) -> list[Span]:
    """A peer named by title, surname and territory is a person ("Lord Hughes of Ombersley", "Baroness
    Hale"), where the NER reads the surname as a body or the territory as a place; not an office ("Lord
    Chancellor", "Lord Justice Fulford": `titles`)."""
    ents = SpanList(spans)
    for tok in doc:
        i = tok.i
        if tok.text not in PEER_TITLES or i + 1 >= len(doc) or not capword(doc[i + 1]) or titles(doc[i + 1]) \
                or "\n" in tok.whitespace_:
            continue
        end = i + 2
        if end + 1 < len(doc) and doc[end].lower_ == "of" and capword(doc[end + 1]):
            end += 2
            while end < len(doc) and capword(doc[end]) and end < i + 6:
                end += 1
        inside = ents.overlapping(i, end)
        if all(i <= e.start and e.end <= end for e in inside):
            ents.replace(inside, Span(doc, i, end, label="PERSON"))
    return ents.spans


# Chinese surnames that are English pronouns: "She Zhijiang", "He Jianping"
PRONOUN_SURNAMES = {"He", "She"}


def pronoun_surnames(doc: Doc, spans: list[Span]) -> list[Span]:
    """"She Zhijiang": a pronoun's word capitalised inside a sentence, tagged a proper noun, before a
    capitalised proper noun, is a surname and the two are a person (the NER reads "Zhijiang" as a
    people, and the pronoun resolver skips a proper noun). Not at a sentence's or line's start, nor
    after an opening quote, where "He" may be the pronoun; names of the gazetteer are kept."""
    ents = SpanList(spans)
    n = len(doc)
    for tok in doc:
        if tok.text not in PRONOUN_SURNAMES or tok.pos_ != "PROPN" or tok.is_sent_start \
                or line_start(doc, tok.i) or tok.i + 1 >= n or not capword(doc[tok.i + 1]) \
                or doc[tok.i + 1].pos_ != "PROPN" or doc[tok.i - 1].text in OPEN_QUOTES:
            continue
        end = tok.i + 2
        inside = ents.overlapping(tok.i, end)
        if any(e.kb_id_ or e.start < tok.i or e.end > end or e.label_ == "PERSON" and e.start == tok.i
               for e in inside):
            continue  # a gazetteer name, a span reaching outside, or already this person
        ents.replace(inside, Span(doc, tok.i, end, label="PERSON"))
    return ents.spans


# small words inside a longer name ("Cities and Urban Infrastructure", "Hôtel des Mille Collines"): a given
# name after one and a capitalised word is that name's, no person's
GIVEN_NAME_JOINERS = {"and", "of", "for", "the", "on", "in", "to", "&", "de", "des", "du", "la", "le"}
# NER labels of what is never an actor's name: dates, numbers, titles of works, laws, products
NON_NAME_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "WORK_OF_ART", "PRODUCT",
                             "LAW"})
# what the NER may call a person's name it did not read as a name ("Urdu", "Kurdish" as a surname)
NOT_NAME_LABELS = NON_NAME_LABELS | {"LANGUAGE", "NORP"}


def given_name_people(doc: Doc, spans: list[Span], not_names: Callable[[Token], bool],
                      title: Callable[[Token], bool], not_given: Callable[[Token], bool]) -> list[Span]:
    """A given name and one or two capitalised words ("Darius Jauniskis", "Rolando Álvarez") is a
    person when the statistical NER read it as nothing, as the tail of a date ("13 March 2024 - Darius
    Jauniskis": the date is cut), as a work of art, or took one word of it for a body or place ("Arshad"
    + "Sharif"). Not when the name goes on, when a word of it is a common word or a head of bodies'
    names (not_names), after an article ("the Bay Area"), when a capitalised word that is no title
    comes before ("Nii Kojo Mensah"), or when the NER read the whole as a body or a place ("Morgan
    Stanley"). A title the NER read as a body of its own ("Bishop") joins the person, to be trimmed. When
    the NER read only the surname as the person ("Mehmet" + "Görmez"), the given name joins it, unless it
    is a word that opens other names or a noun for a person (not_given: "April", "Marine", "Princess")."""
    ents = SpanList(spans)
    n = len(doc)
    for tok in doc:
        # the cheap tests first: this runs on every token
        if not tok.is_title or tok.i + 1 >= n or not capword(doc[tok.i + 1]) or not tok.is_alpha:
            continue
        end = tok.i + 1
        while end < n and end - tok.i < 3 and capword(doc[end]):
            end += 1
        if end < n and (capword(doc[end]) or doc[end].is_upper and doc[end].is_alpha) \
                or tok.pos_ != "PROPN" or not is_given_name(tok.text) or any(map(not_names, doc[tok.i:end])) \
                or tok.i and doc[tok.i - 1].lower_ in ("the", "a", "an"):
            continue
        start = tok.i
        if tok.i and not line_start(doc, tok.i) and not tok.is_sent_start and capword(doc[tok.i - 1]):
            if not title(doc[tok.i - 1]):
                continue
            if all(e.start == tok.i - 1 and e.end == tok.i and not e.kb_id_
                   for e in ents.overlapping(tok.i - 1, tok.i)):
                start = tok.i - 1
        elif tok.i > 1 and doc[tok.i - 1].lower_ in GIVEN_NAME_JOINERS and capword(doc[tok.i - 2]) \
                and not any(e.label_ == "PERSON" for e in ents.overlapping(tok.i - 2, tok.i - 1)):
            continue  # "Minister for Cities and Urban Infrastructure", "Hôtel des Mille Collines"
        inside = ents.overlapping(start, end)
        surname_only = len(inside) == 1 and inside[0].label_ == "PERSON" and inside[0].start == tok.i + 1 \
            and inside[0].end == end and start == tok.i and not title(tok) and not not_given(tok)
        if any(e.kb_id_ or e.label_ == "PERSON" and not surname_only or e.end > end
               or e.start < start and e.label_ not in NOT_NAME_LABELS
               or (e.start, e.end) == (tok.i, end) and e.label_ not in NOT_NAME_LABELS for e in inside):
            continue
        ents.replace(inside, Span(doc, start, end, label="PERSON"))
        for e in inside:  # the date before the name stays a date
            cut = start
            while cut > e.start and not doc[cut - 1].is_alpha and not doc[cut - 1].like_num:
                cut -= 1
            if e.start < cut:
                ents.replace([], Span(doc, e.start, cut, label=e.label_))
    return ents.spans


def _initial(doc: Doc, i: int) -> bool:
    """An initial: "F." as one token, or "F" then "." (the end of a sentence)."""
    text = doc[i].text
    if len(text) == 2 and text[0].isupper() and text[0].isalpha() and text[1] == ".":
        return True
    return len(text) == 1 and text.isupper() and i + 1 < len(doc) and doc[i + 1].text == "."


BYLINE_ENDS = {",", "|", "and", "&", "/"}
NOT_BYLINE = {"staff", "desk", "team", "newsroom", "agencies", "wire", "wires"}


def bylines(doc: Doc, spans: list[Span], roles: frozenset[str]) -> list[Span]:
    """"By Helena Brandt, The Civic Post", "By Sana Mirza and Arjun Khanna | Reuters": the names after
    "By" at the start of a line are the authors, people, whatever the statistical NER made of them
    ("By Staff Reporter" names nobody), and a job title after an author's name ("By Helen Marsh, Legal
    Affairs Correspondent") names no body."""
    ents = SpanList(spans)
    for tok in doc:
        if tok.text != "By" or not line_start(doc, tok.i):
            continue
        i = tok.i + 1
        while i < len(doc):
            end = _name_run(doc, i)
            words = [t.lower_ for t in doc[i:end]]
            if end - i < 2 or any(w in roles or w in NOT_BYLINE for w in words) or not _byline_end(doc, end):
                break
            inside = ents.overlapping(i, end)
            if not any(e.kb_id_ or e.start < i or e.end > end for e in inside):
                ents.replace(inside, Span(doc, i, end, label="PERSON"))
            if end < len(doc) and doc[end].text == "," and not line_start(doc, end + 1):
                _drop_job_title(doc, ents, end + 1, roles)
            if end >= len(doc) or doc[end].lower_ not in ("and", "&") or line_start(doc, end):
                break
            i = end + 1
    return ents.spans


def _drop_job_title(doc: Doc, ents: SpanList, i: int, roles: frozenset[str]) -> None:
    """"By Helen Marsh, Legal Affairs Correspondent": the author's job title names no body."""
    end = _name_run(doc, i)
    if end > i and doc[end - 1].lower_ in roles and _byline_end(doc, end):
        ents.remove([e for e in ents.overlapping(i, end) if not e.kb_id_])


def _name_run(doc: Doc, i: int) -> int:
    """The end of the capitalised words (with particles and inner hyphens) from i, on one line, at most 5."""
    end = i
    while end < len(doc) and end - i < 5 and (end == i or not line_start(doc, end)):
        tok = doc[end]
        hyphen = tok.text == "-" and end > i and end + 1 < len(doc) and capword(doc[end + 1]) \
            and not tok.whitespace_ and not doc[end - 1].whitespace_
        if not (capword(tok) or (end > i and _particle(tok)) or hyphen):
            break
        end += 1
    return end


def _byline_end(doc: Doc, end: int) -> bool:
    """A byline's name ends the line or stops at a comma, a bar or "and"."""
    return end >= len(doc) or line_start(doc, end) or doc[end].is_space or doc[end].text in BYLINE_ENDS


def pieces(span: Span, cuts: list[int]) -> list[Span]:
    """The parts of `span` between the cut tokens (token indices inside it), empty ones included."""
    bounds = zip([span.start] + [c + 1 for c in cuts], cuts + [span.end], strict=True)
    return [span.doc[start:end] for start, end in bounds]


def slashed(spans: list[Span]) -> list[Span]:
    """Names a slash joins are several ("Credit: Belga / Jan Peeters"); a part that starts with a given
    name is a person."""
    out: list[Span] = []
    for span in spans:
        cuts = [t.i for t in span if t.text == "/"]
        if span.kb_id_ or not cuts:
            out.append(span)
            continue
        for part in pieces(span, cuts):
            if len(part):
                person = len(part) >= 2 and is_given_name(part[0].text)
                out.append(Span(span.doc, part.start, part.end, label="PERSON" if person else span.label_))
    return out


OPEN_QUOTES = {'"', "“", "'", "‘"}
CLOSE_QUOTES = {'"', "”", "'", "’"}


def quoted_numbers(doc: Doc, spans: list[Span]) -> list[Span]:
    """A number that opens a quoted name is part of it: "the "912 Special Project Working Group"" (the NER
    leaves the number out). Only inside quotes: "the 14 Chinese Students Associations" counts them."""
    out: list[Span] = []
    for span in spans:
        start, end = span.start, span.end
        if start >= 2 and doc[start - 1].text.isdigit() and doc[start - 2].text in OPEN_QUOTES \
                and end < len(doc) and doc[end].text in CLOSE_QUOTES:
            span = Span(doc, start - 1, end, label=span.label_, kb_id=span.kb_id_)
        out.append(span)
    return out


def particle_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """A person's name runs on through lower-case particles to the capitalised word after them:
    "Ursula von der Leyen" is one person where the NER read "Ursula von der" and a place "Leyen". A span of
    another label that ends in a particle ("Ursula von" read as a body) was cut inside a person's name."""
    found = SpanList(spans)
    cut = [e for e in spans if e.label_ == "PERSON" or len(e) > 1 and _particle(e[-1]) and not e.kb_id_]
    for span in cut:
        end = span.end
        while end > span.start + 1 and _particle(doc[end - 1]):
            end -= 1  # the NER's span may hold the particles
        j = end
        while j < len(doc) and _particle(doc[j]):
            j += 1
        if j == end or j >= len(doc) or not capword(doc[j]):
            continue
        while j < len(doc) and capword(doc[j]):
            j += 1
        found.replace(found.overlapping(span.start, j), Span(doc, span.start, j, label="PERSON"))
    return found.spans


def _particle(tok: Token) -> bool:
    """A lower-case particle of a person's name ("von", "bin")."""
    return tok.is_lower and tok.lower_ in PARTICLES


