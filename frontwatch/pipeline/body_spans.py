"""Repairs of the statistical NER's spans for the names of bodies, before they are typed (entity_types): a
name its acronym spells, a prosecutor's office and its district, an officer general, a city and its body,
an overseas station named by its city, a name that ends with a state's name, a candidate's campaign, a
community body named with its state ("Central Council of Jews in Germany"), a body's office in a city ("the
FBI's Boston field office")."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

from .given_names import is_given_name
from .name_evidence import POSSESSIVES, capword, line_start
from .span_repairs import NOT_NAME_LABELS, SpanList


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


# Persian and Arabic particles of names: "Lashkar-e-Taiba", "Tehrik-i-Taliban", "Hizb-ut-Tahrir"
EZAFE = {"e", "i", "ul", "ut"}
HYPHENS = {"-", "‐"}


def ezafe_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """Two capitalised words joined by a Persian or Arabic particle between hyphens ("Jaish-e-Mohammed",
    "Lashkar-e-Taiba", "Hizb-ut-Tahrir"), or after one ("Mujahedin-e Khalq"), are one organisation's
    name, where the NER reads one word of it as a person or a body. Names of the gazetteer, and spans
    reaching beyond the name, are kept."""
    ents = SpanList(spans)
    n = len(doc)
    for i in range(n - 3):
        first, dash, part = doc[i], doc[i + 1], doc[i + 2]
        if dash.text not in HYPHENS or part.lower_ not in EZAFE or not part.is_lower or first.whitespace_ \
                or dash.whitespace_ or not capword(first):
            continue
        if not part.whitespace_ and i + 4 < n and doc[i + 3].text in HYPHENS and not doc[i + 3].whitespace_:
            last = i + 4  # "Jaish-e-Mohammed"
        elif part.whitespace_ == " ":
            last = i + 3  # "Mujahedin-e Khalq"
        else:
            continue
        if not capword(doc[last]):
            continue
        inside = ents.overlapping(i, last + 1)
        if any(e.kb_id_ or e.start < i or e.end > last + 1 for e in inside):
            continue
        ents.replace(inside, Span(doc, i, last + 1, label="ORG"))
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


# the small words inside a name its acronym spells ("... for the Liberation of ...")
ACRONYM_JOINERS = {"of", "for", "the", "and", "on", "in", "to", "&"}


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
        if len(inside) < 2 or any(e.end > tok.i + 3 or any(t.lower_ not in ACRONYM_JOINERS
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
        elif t.lower_ not in ACRONYM_JOINERS:
            return None
        if initials == acronym:
            return i
        i -= 1
    return None


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


def community_bodies_in_states(doc: Doc, spans: list[Span], heads: frozenset[str],
                               is_state: Callable[[Span], bool]) -> list[Span]:
    """"the Central Council of Jews in Germany", "the Chinese Artists Association in Sweden": a name that
    ends with a capitalised community word or a plural, then "in" and a state, is one organisation (the
    statistical NER stops where the gazetteer found the state). `heads`: association, council, ..."""
    ents = SpanList(spans)
    n = len(doc)
    for span in list(ents.spans):
        end = span.end
        if span.label_ != "ORG" or span.kb_id_ or len(span) < 2 or end + 1 >= n or doc[end].lower_ != "in":
            continue
        last = doc[end - 1]
        if not (last.is_title and (last.lower_ in heads or last.tag_ == "NNPS")):
            continue
        state = next((e for e in ents.overlapping(end + 1, end + 2) if e.start == end + 1), None)
        if state is None or state.label_ != "COUNTRY" or not state.kb_id_ or not is_state(state) \
                or state.end < n and (capword(doc[state.end]) or doc[state.end].lower_ == "and"):
            continue
        ents.replace([span, state], Span(doc, span.start, state.end, label="ORG"))
    return ents.spans


FIELD_OFFICE_NOUNS = {"office", "division"}


def field_offices(doc: Doc, spans: list[Span]) -> list[Span]:
    """A body's office in a city is a body of its own ("the FBI's Boston field office", "FBI Washington
    Field Office"): the body, its possessive, the city and "(field) office" make one state body."""
    ents = SpanList(spans)
    for span in list(ents.spans):
        if span.label_ != "STATE_BODY":
            continue
        j = span.end + (span.end < len(doc) and doc[span.end].text in POSSESSIVES)
        place = next((e for e in ents.overlapping(j, j + 1) if e.start == j), None)
        if place is None or place.label_ not in ("PLACE", "GPE", "COUNTRY") or len(place) > 3:
            continue
        k = place.end + (place.end < len(doc) and doc[place.end].lower_ == "field")
        if k < len(doc) and doc[k].lower_ in FIELD_OFFICE_NOUNS:
            ents.replace([span, place, *ents.overlapping(place.end, k + 1)],
                         Span(doc, span.start, k + 1, label="STATE_BODY"))
    return ents.spans


PEOPLES_BODIES = {"court", "procuratorate"}


def peoples_courts(doc: Doc, spans: list[Span]) -> list[Span]:
    """China's courts and procuratorates are named by their city and rank ("Tianjin No. 1 Intermediate
    People's Court", "Shenzhen Intermediate People's Court"): the capitalised words, "No." and its number
    before "People's Court" make one state body, with the city the NER reads alone."""
    ents = SpanList(spans)
    for tok in doc:
        i = tok.i
        if tok.text != "People" or i + 2 >= len(doc) or doc[i + 1].text not in POSSESSIVES \
                or doc[i + 2].lower_ not in PEOPLES_BODIES or not doc[i + 2].is_title:
            continue
        start = i
        while start > max(i - 8, 0) and "\n" not in doc[start - 1].whitespace_ and (
                capword(doc[start - 1]) and doc[start - 1].lower_ != "the"
                or start > 1 and doc[start - 1].text in ("No.", ".") and doc[start - 2].text in ("No", "No.")
                or start > 1 and doc[start - 1].like_num and doc[start - 2].text in ("No.", ".")):
            start -= 1
        inside = ents.overlapping(start, i + 3)
        if start < i and all(start <= e.start for e in inside):
            ents.replace(inside, Span(doc, start, max([i + 3, *(e.end for e in inside)]), label="STATE_BODY"))
    return ents.spans
