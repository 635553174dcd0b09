"""Repairs of the statistical NER's spans before they are typed (entity_types): a person read before an
age, a byline, names a slash joins, a number opening a quoted name, a name its acronym spells, a
name cut at its particles, a prosecutor's office and its district, an officer general, a city and its body."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

from .given_names import PARTICLES, is_given_name
from .name_evidence import POSSESSIVES, capword, line_start

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


# what the statistical NER may call a person's name that it did not read as a whole name
NAME_JOINERS = {"and", "of", "for", "&", "de", "des", "du", "la", "le"}
NOT_NAME_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "WORK_OF_ART", "PRODUCT", "LAW", "LANGUAGE",
                   "NORP", "QUANTITY"}


def given_name_people(doc: Doc, spans: list[Span], not_names: Callable[[Token], bool],
                      title: Callable[[Token], bool]) -> list[Span]:
    """A given name and one or two capitalised words ("Darius Jauniskis", "Rolando Álvarez") is a
    person when the statistical NER read it as nothing, as the tail of a date ("13 March 2024 - Darius
    Jauniskis": the date is cut), as a work of art, or took one word of it for a body or place ("Arshad"
    + "Sharif"). Not when the name goes on, when a word of it is a common word or a head of bodies'
    names (not_names), after an article ("the Bay Area"), when a capitalised word that is no title
    comes before ("Nii Kojo Mensah"), or when the NER read the whole as a body or a place ("Morgan
    Stanley"). A title the NER read as a body of its own ("Bishop") joins the person, to be trimmed."""
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
        elif tok.i > 1 and doc[tok.i - 1].lower_ in NAME_JOINERS and capword(doc[tok.i - 2]) \
                and not any(e.label_ == "PERSON" for e in ents.overlapping(tok.i - 2, tok.i - 1)):
            continue  # "Minister for Cities and Urban Infrastructure", "Hôtel des Mille Collines"
        inside = ents.overlapping(start, end)
        if any(e.kb_id_ or e.label_ == "PERSON" or e.end > end
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


def country_suffixed_names(doc: Doc, spans: list[Span], not_names: Callable[[Token], bool]) -> list[Span]:
    """A capitalised name that ends with a state's name is one organisation ("the parcel company Meest UK",
    "Sky News Australia", "Sikh Federation UK"), not a name and a state. Not when a capitalised word
    follows the state's name, when a given name comes before it ("Lisa Monaco"), when the first word opens
    a sentence or follows a stop or a bar and is a common word (not_names: "| Inside Germany's"), when a
    word is a date's ("In October Lithuania"), nor in a title-case heading."""
    ents = SpanList(spans)
    n = len(doc)
    for span in list(ents.spans):
        if span.label_ != "COUNTRY" or not span.kb_id_ or span.start == 0 or len(span) > 2 \
                or span.end < n and doc[span.end].text[:1].isupper() or not capword(doc[span.start - 1]):
            continue
        start = span.start
        while start > max(span.start - 3, 0) and capword(doc[start - 1]) and doc[start - 1].pos_ == "PROPN":
            start -= 1
            if doc[start].is_sent_start or line_start(doc, start):
                break
        opens = doc[start].is_sent_start or line_start(doc, start) or not doc[start - 1].is_alpha
        if start == span.start or opens and not_names(doc[start]) or is_given_name(doc[span.start - 1].text) \
                or _title_case_line(doc, span.start):
            continue
        inside = ents.overlapping(start, span.end)
        if any(e.start < start or e.kb_id_ and e is not span and e.label_ != "ORGANIZATION"
               or e.label_ == "PERSON" or e.label_ in NOT_NAME_LABELS for e in inside):
            continue
        ents.replace(inside, Span(doc, start, span.end, label="ORGANIZATION"))
    return ents.spans


def campaigns(doc: Doc, spans: list[Span], person: Callable[[Span], bool]) -> list[Span]:
    """"the Trump campaign", "the Clinton campaign": a person's name (person) before "campaign" after "the"
    is the campaign, an organisation (election interference targets campaigns), not the candidate nor a
    place ("Clinton"); "the Doppelganger campaign" is the operation, and stays its name."""
    ents = SpanList(spans)
    n = len(doc)
    for span in list(ents.spans):
        if span.end >= n or doc[span.end].lower_ != "campaign" or not doc[span.end].is_lower \
                or span.start == 0 or doc[span.start - 1].lower_ != "the" or len(span) > 3 \
                or not all(capword(t) for t in span) or not person(span):
            continue
        ents.replace([span], Span(doc, span.start, span.end + 1, label="ORGANIZATION"))
    return ents.spans


HEADLINE_TOKENS = 40  # a line longer than this either side of a word is no headline (and is not scanned)


def _title_case_line(doc: Doc, i: int) -> bool:
    """Token i is on a line whose longer words are mostly capitalised: a headline."""
    start = i
    while start > 0 and not line_start(doc, start):
        start -= 1
        if i - start > HEADLINE_TOKENS:
            return False
    end = i
    while end + 1 < len(doc) and not line_start(doc, end + 1):
        end += 1
        if end - i > HEADLINE_TOKENS:
            return False
    words = [t for t in doc[start:end + 1] if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and sum(t.text[:1].isupper() for t in words) > 0.6 * len(words)


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
    ("By Staff Reporter" names nobody)."""
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
            if end >= len(doc) or doc[end].lower_ not in ("and", "&") or line_start(doc, end):
                break
            i = end + 1
    return ents.spans


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


NAME_JOINERS = {"of", "for", "the", "and", "on", "in", "to", "&"}


def acronym_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """A name its acronym spells out is one name, however the NER cut it: "the Arab Struggle Movement for
    the Liberation of Ahvaz (ASMLA)" is one organisation when the initials of its capitalised words are
    the acronym in the brackets after it."""
    found = SpanList(spans)
    for tok in doc:
        if tok.text != "(" or tok.i + 2 >= len(doc) or doc[tok.i + 2].text != ")":
            continue
        acronym = doc[tok.i + 1].text
        if not (2 <= len(acronym) <= 8 and acronym.isalpha() and acronym.isupper()):
            continue
        start = _spelled_out(doc, tok.i, acronym)
        if start is None:
            continue
        inside = found.overlapping(start, tok.i)
        # the NER's spans may take a "the" before the name and the bracketed acronym after it
        if len(inside) < 2 or any(e.end > tok.i + 3 or any(t.lower_ not in NAME_JOINERS
                                                           for t in doc[e.start:start]) for e in inside):
            continue  # one span already, or one reaching beyond the name
        first = min(e.start for e in inside)  # with the NER's "the"
        found.replace(inside, Span(doc, min(first, start), tok.i, label=inside[-1].label_))
    return found.spans


def _spelled_out(doc: Doc, end: int, acronym: str) -> int | None:
    """The start of the words before `end` whose capitalised words' initials are `acronym`."""
    initials = ""
    i = end - 1
    while i >= 0 and len(initials) < len(acronym):
        t = doc[i]
        if capword(t):
            initials = t.text[0].upper() + initials
        elif t.lower_ not in NAME_JOINERS:
            return None
        if initials == acronym:
            return i
        i -= 1
    return None


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


COUNTRY_PREFIXES = (("u.s.",), ("us",), ("u.s",), ("united", "states"))


def district_offices(doc: Doc, spans: list[Span]) -> list[Span]:
    """"U.S. Attorney's Office for the Southern District of Florida" is one body, where the NER reads a
    country, "Office for the Southern District" and a place: the office named by its district ("for the
    X District of Y", or ", X District of Y" in a release's heading)."""
    found = SpanList(spans)
    for tok in doc:
        i = tok.i
        if tok.lower_ != "attorney" or i + 2 >= len(doc) or doc[i + 1].text not in POSSESSIVES \
                or doc[i + 2].lower_ != "office":
            continue
        end = _district_end(doc, i + 3)
        if end is None:
            continue
        start = i
        for prefix in COUNTRY_PREFIXES:
            if i >= len(prefix) and tuple(t.lower_ for t in doc[i - len(prefix):i]) == prefix:
                start = i - len(prefix)
        found.replace(found.overlapping(start, end), Span(doc, start, end, label="STATE_BODY"))
    return found.spans


def _district_end(doc: Doc, j: int) -> int | None:
    """Where "for the Southern District of Florida" (or ", Southern District of New York") after an
    office ends; None when no district follows."""
    if j + 1 < len(doc) and doc[j].lower_ == "for" and doc[j + 1].lower_ == "the":
        j += 2
    elif j < len(doc) and doc[j].text == ",":
        j += 1
    else:
        return None
    district = False
    while j < len(doc) and (capword(doc[j]) or doc[j].lower_ == "of" and j + 1 < len(doc)
                            and capword(doc[j + 1]) and district):
        district = district or doc[j].lower_ == "district"
        j += 1
    return j if district else None


OFFICERS_GENERAL = {"attorney", "prosecutor", "solicitor", "auditor", "inspector", "procurator",
                    "comptroller", "surgeon", "director", "secretary"}


def general_offices(doc: Doc, spans: list[Span]) -> list[Span]:
    """"Office of the Attorney General": the NER stops before "General", which the officer's title takes."""
    out: list[Span] = []
    taken = {t for e in spans for t in range(e.start, e.end)}
    for span in spans:
        end = span.end
        if len(span) > 1 and span[-1].lower_ in OFFICERS_GENERAL and end < len(doc) \
                and doc[end].text == "General" and end not in taken:
            span = Span(doc, span.start, end + 1, label=span.label_, kb_id=span.kb_id_)
        out.append(span)
    return out


def seated_bodies(spans: list[Span], is_state: Callable[[Span], bool],
                  is_state_body: Callable[[Span], bool]) -> list[Span]:
    """A city read apart from the state body its name starts ("Taipei" and "District Prosecutors
    Office"): one body. Not a state's name ("UK Home Office" names the UK and the Home Office)."""
    out = sorted(spans, key=lambda e: e.start)
    for k in range(len(out) - 1, 0, -1):
        city, body = out[k - 1], out[k]
        if city.end == body.start and body.label_ in ("ORG", "STATE_BODY") and not body.kb_id_ \
                and city.label_ in ("GPE", "LOC", "COUNTRY") and not is_state(city) \
                and capword(body[0]) and is_state_body(body):
            out[k - 1:k + 1] = [Span(city.doc, city.start, body.end, label="ORG")]
    return out


def city_stations(doc: Doc, spans: list[Span], station_texts: frozenset[str]) -> list[Span]:
    """"the Rotterdam station", in a text about overseas police stations (one that holds one of
    `station_texts`), is the station named by its city (as SCHEMA names them where it can); in other
    texts a station is a railway's."""
    text = doc.text.lower()
    if not any(s in text for s in station_texts):
        return spans
    found = SpanList(spans)
    for ent in spans:
        end = ent.end
        if ent.label_ in ("PLACE", "GPE", "COUNTRY") and end < len(doc) and doc[end].text == "station" \
                and ent.start > 0 and doc[ent.start - 1].lower_ == "the":
            found.replace([ent], Span(doc, ent.start, end + 1, label="OVERSEAS_STATION"))
    return found.spans
