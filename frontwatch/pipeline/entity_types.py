"""frontwatch.entity_types.v1: every entity span typed into one of the seven SCHEMA types.

Gazetteer labels are kept; statistical labels are mapped, then head nouns decide organisation-like spans.
Spans that are not SCHEMA entities (dates, money, nationality adjectives, page furniture) are dropped.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..model import ENTITY_TYPES
from ..vocab import load_vocabulary
from .body_runs import BODY_NAME_JOINERS, BodyRuns
from .body_spans import (
    acronym_names,
    campaigns,
    city_stations,
    community_bodies_in_states,
    country_suffixed_names,
    district_offices,
    ezafe_names,
    field_offices,
    general_offices,
    peoples_courts,
    seated_bodies,
)
from .company_names import company_names
from .described_names import described_bodies, described_people
from .given_names import is_given_name
from .name_evidence import DASHES, POSSESSIVES, capword, city_names, kind_of_place_after
from .outlet_names import outlet_names
from .span_repairs import (
    aged_people,
    bylines,
    given_name_people,
    initialled_people,
    numbered_names,
    particle_names,
    peer_names,
    pieces,
    placeholder_names,
    pronoun_surnames,
    quoted_numbers,
    slashed,
)

# a date names a year or a month: "61" in "Wang, 61," is an age, "three" a count
SPECIFIC_DATE = re.compile(
    r"\b(1[89]\d\d|20\d\d)s?\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)
OUR_LABELS = {t.upper() for t in ENTITY_TYPES}
TRIM_START = {"the", "a", "an", "'s", "’s", "-", "—", "–", "“", "\"", "'", "”"}
STANCE_PREFIXES = {"pro", "anti"}  # lower case: "Anti-Corruption Foundation" is a name
TRIM_END = {"'s", "’s", "'", "-", "—", "–", ",", ".", "”", "\"", ":", ";"}


# words before "'s" that make no owner of a unit: "African People's Socialist Party", "King's College"
COMMON_OWNERS = {"people", "peoples", "workers", "women", "children", "citizens", "nations", "king", "queen",
                 "lord", "st", "saint", "martyrs", "veterans", "farmers", "men", "youth", "mothers"}
NAME_PREPS = {"of", "on", "for", "into", "in", "against"}


class EntityTyper(BodyRuns):
    """Maps NER labels and head nouns to SCHEMA types; trims and filters spans."""

    def __call__(self, doc: Doc) -> Doc:
        out: list[Span] = []
        # words the document also writes in lower case: a capitalised one is a common word ("Politics")
        self._lower_words = {t.text for t in doc if t.is_lower and t.is_alpha}
        # dates and amounts are not entities, but claims report them
        doc.user_data["fw_dates"] = [(e.start, e.end) for e in doc.ents if e.label_ == "DATE"
                                     and SPECIFIC_DATE.search(e.text)]  # not "years", "last week"
        doc.user_data["fw_money"] = [(e.start, e.end) for e in doc.ents if e.label_ == "MONEY"]
        self._capitals = self.capitals.uses(doc)
        self._surnames = self._names_alone(doc)
        # names the statistical NER reads as a person somewhere: a person wherever else they stand
        people = [e for e in doc.ents if e.label_ == "PERSON" and all(capword(t) for t in e)]
        self._person_texts = {e.text for e in people}
        # and their surnames, when the NER reads one alone as a place or body ("RCMP widens Nijjar probe"
        # after "Hardeep Singh Nijjar"), unless it names a city or a state
        self._person_texts |= {e[-1].text for e in people if len(e) > 1 and e[-1].text not in city_names()
                               and e[-1].text.lower() not in self.vocab.state_by_name}
        spans = ezafe_names(doc, acronym_names(doc, quoted_numbers(doc, self._with_named_bodies(doc))))
        spans = outlet_names(doc, spans, self.outlet_heads, self.page_kinds)
        spans = general_offices(doc, district_offices(doc, particle_names(doc, spans)))
        spans = peoples_courts(doc, field_offices(doc, spans))
        spans = city_stations(doc, spans, self.station_texts)
        spans = initialled_people(doc, aged_people(doc, bylines(doc, spans, self.roles)))
        spans = given_name_people(doc, spans, self._no_word_of_a_person, self._title_word,
                                  lambda t: t.lower_ in self.not_given or t.lower_ in self.person_nouns)
        spans = pronoun_surnames(doc, peer_names(doc, spans, self._title_word))
        spans = placeholder_names(doc, numbered_names(doc, spans), self.placeholder_heads)
        spans = company_names(doc, spans, self.company_forms, self.company_and_words)
        spans = country_suffixed_names(doc, spans, lambda t: t.lower_ in self._lower_words)
        spans = campaigns(doc, spans, lambda e: e.label_ == "PERSON" or e.text in self._person_texts)
        spans = described_people(doc, spans, self.person_nouns)
        spans, described = described_bodies(doc, spans, self.medium_nouns | self.org_heads)
        spans = self._listed_people(self._units_of_bodies(self._people_of_bodies(slashed(spans))))
        spans = community_bodies_in_states(doc, spans, self.name_heads | {"community", "board"},
                                           self._names_a_state)
        spans = seated_bodies(spans, self._names_a_state, lambda e: self._head_type(e) == "state_body")
        facilities: list[int] = []  # indexes in out of places the NER read as facilities
        for ent in self._coordinated_bodies(spans):
            span = self._trim(ent)
            if span is None or tuple(t.text for t in span) in self.person_titles:
                continue  # "Crown Prince" left before a known name ("Mohammed bin Salman")
            span = self._given_name(span, ent.label_)
            label = self._type(span, ent.label_) if span.label_ != "PERSON" else "person"
            if label == "place":  # a capital too: "a Moscow court"
                organ = self._local_organ(span)
                if organ is not None:  # "the Longueuil police", "Vancouver city council"
                    span, label = organ, "state_body"
            if label == "state_body" and not ent.kb_id_:
                # "the High Court in Podgorica", "Court of Appeals for the Second Circuit"
                span = self._seat(span)
            # gazetteer names are deliberate: "MPS" is a ministry even though "MPs" are not entities;
            # so are names the document describes ("STOIC, a firm")
            deliberate = bool(ent.kb_id_) or span.text in described
            if label is None or (not deliberate and not self._keep(span, label)):
                continue
            # a capital read as a place is no longer its state ("in Ottawa")
            kb = ent.kb_id_ if label.upper() == ent.label_ or ent.label_ not in OUR_LABELS else ""
            out.append(Span(doc, span.start, span.end, label=label.upper(), kb_id=kb))
            if ent.label_ == "FAC" and label == "place":
                facilities.append(len(out) - 1)
        # a facility named as a person elsewhere is that person ("[Photo: Chau Chak Wing leaves the court]",
        # then "Chau Chak Wing, the property developer")
        named_people = {e.text for e in out if e.label_ == "PERSON"}
        for k in facilities:
            if out[k].text in named_people:
                out[k] = Span(doc, out[k].start, out[k].end, label="PERSON")
        doc.ents = filter_spans(out)
        return doc

    def _people_of_bodies(self, spans: list[Span]) -> list[Span]:
        """A person and their body read as one name ("Detective Sergeant Nick Bailey of Wiltshire
        Police"): two spans, the person from the given name on, and the body after "of"."""
        out: list[Span] = []
        for span in spans:
            doc = span.doc
            k = next((t.i for t in span if t.lower_ == "of"), None)
            if span.kb_id_ or k is None or k + 1 >= span.end:
                out.append(span)
                continue
            first = next((t.i for t in doc[span.start:k] if is_given_name(t.text)), None)
            body = doc[k + 1:span.end]
            if body[0].lower_ == "the":
                body = doc[k + 2:span.end]
            person = doc[first:k] if first is not None else None
            if person is None or not len(body) or not self._given_and_surname(person) \
                    or self._head_type(body) not in ("state_body", "organization"):
                out.append(span)
                continue
            out += [Span(doc, person.start, person.end, label="PERSON"),
                    Span(doc, body.start, body.end, label=span.label_)]
        return out

    def _units_of_bodies(self, spans: list[Span]) -> list[Span]:
        """A body and its named unit read as one name ("Amnesty International's Security Lab", "the
        Justice Department's National Security Division"): two spans, the body and the unit. A state
        before "'s" stays ("China's Ministry of State Security" is the ministry), as do common words
        ("People's Daily")."""
        out: list[Span] = []
        for span in spans:
            doc = span.doc
            k = next((t.i for t in span[1:-2] if t.text in POSSESSIVES), None)
            owner_id = self.entry_names.get(doc[span.start:k].text) if k is not None else None
            owner_entry = self.vocab.entry_by_id.get(owner_id) if owner_id else None
            # a place's possessive may open a body's name ("Hong Kong's national security police")
            if k is None or span.kb_id_ and (owner_entry is None or owner_entry.type == "place"):
                out.append(span)
                continue
            owner, unit = doc[span.start:k], doc[k + 1:span.end]
            if span.kb_id_ and owner_id:  # the gazetteer's "Amnesty International's Security Lab"
                out += [Span(doc, owner.start, owner.end, label=span.label_, kb_id=owner_id),
                        Span(doc, unit.start, unit.end, label=span.label_, kb_id=span.kb_id_)]
                continue
            if unit[0].lower_ == "the" or not all(capword(t) or t.lower_ in BODY_NAME_JOINERS
                                                  for t in unit) \
                    or self._head_type(unit) not in ("state_body", "organization") \
                    or self._names_state(owner) or owner[-1].lower_ in COMMON_OWNERS \
                    or len(owner) == 1 and owner[0].lower_ in self._lower_words:
                out.append(span)
                continue
            out += [Span(doc, owner.start, owner.end, label=span.label_),
                    Span(doc, unit.start, unit.end, label=span.label_)]
        return out

    def _coordinated_bodies(self, spans: list[Span]) -> list[Span]:
        """Two bodies read as one name ("the University of Chicago and Pennsylvania State University"):
        two spans, when both sides of the "and" end in a head noun of bodies, the first holds a head that
        ends names ("university", "ministry": not "Slovenian Intelligence and Security Agency") and the
        second is capitalised."""
        out: list[Span] = []
        for span in spans:
            doc = span.doc
            k = next((t.i for t in span[1:-1] if t.lower_ == "and"), None)
            left, right = (doc[span.start:k], doc[k + 1:span.end]) if k is not None else (None, None)
            if span.kb_id_ or left is None or right is None or not capword(right[0]) \
                    or self._head_type(left) is None or self._head_type(right) is None \
                    or not any(t.lower_ in self.run_heads for t in left):
                out.append(span)
                continue
            out += [Span(doc, left.start, left.end, label=span.label_),
                    Span(doc, right.start, right.end, label=span.label_)]
        return out

    def _listed_people(self, spans: list[Span]) -> list[Span]:
        """People the NER reads as one name ("a GRU team, Petrov, Boshirov and a third man"): each part
        between commas and "and" is a person, when every part is a person the text names elsewhere."""
        out: list[Span] = []
        for span in spans:
            cuts = [t.i for t in span if t.text == "," or t.lower_ == "and"]
            parts = pieces(span, cuts)
            if span.kb_id_ or not cuts or not all(
                    1 <= len(p) <= 3 and p.text in self._person_texts for p in parts):
                out.append(span)
                continue
            out += [Span(span.doc, p.start, p.end, label="PERSON") for p in parts]
        return out

    def _names_state(self, span: Span) -> bool:
        text = span.text
        return (text.lower() in self.vocab.state_by_name or text in self.vocab.metonym_state
                or text in self.vocab.demonym_state or any(t.ent_type_ in ("COUNTRY", "GPE") for t in span))

    def _seat(self, span: Span) -> Span:
        """A capitalised court named with its seat or circuit: "High Court in Podgorica", "District Court
        for the District of Columbia" (types.yaml, seated_bodies)."""
        doc, end = span.doc, span.end
        if span[-1].lower_ not in self.seated or not span[-1].text[:1].isupper() or end + 1 >= len(doc):
            return span
        place = doc[end + 1]
        if doc[end].lower_ == "in" and place.ent_type_ in ("GPE", "PLACE") and place.text[:1].isupper():
            stop = end + 1
            while (stop < len(doc) and doc[stop].ent_iob_ in ("B", "I")
                   and doc[stop].ent_type_ == place.ent_type_
                   and (stop == end + 1 or doc[stop].ent_iob_ == "I")):
                stop += 1
            return doc[span.start:stop]
        if doc[end].lower_ == "for" and end + 2 < len(doc) and doc[end + 1].lower_ == "the" \
                and capword(doc[end + 2]):
            stop = end + 2
            while stop < len(doc) and (
                    capword(doc[stop]) or doc[stop].like_num
                    or doc[stop].lower_ == "of" and stop + 1 < len(doc) and capword(doc[stop + 1])):
                stop += 1
            return doc[span.start:stop]
        return span

    def _given_name(self, span: Span, label: str) -> Span:
        """"Amrit Singh" read as a place "Singh": an unknown one-word place after a capitalised word
        that is no entity is the surname of a person."""
        doc = span.doc
        if label not in ("GPE", "LOC") or len(span) != 1:
            return span
        if span.end + 1 < len(doc) and span[0].whitespace_ == " ":  # "Milan Knežević": a given name
            nxt, after = doc[span.end], doc[span.end + 1]
            if nxt.pos_ == "PROPN" and capword(nxt) and not nxt.ent_type_ and not after.text[:1].isupper() \
                    and nxt.lower_ not in self.generic and nxt.lower_ not in self.name_heads \
                    and nxt.lower_ not in self.org_heads and nxt.lower_ not in self.medium_nouns \
                    and nxt.lower_ not in self.capital_direction:
                return self._two_word_name(doc, span.start, span.end + 1, label)
        if span.start == 0:
            return span
        prev = doc[span.start - 1]
        known = span.text.lower() in self.vocab.place_state or span.text.lower() in self.vocab.state_by_name
        if known or prev.ent_type_ or not prev.is_title or prev.pos_ != "PROPN" or prev.is_sent_start:
            return span
        return self._two_word_name(doc, span.start - 1, span.end, label)

    def _two_word_name(self, doc: Doc, start: int, end: int, label: str) -> Span:
        """The place and the word beside it as a person, unless a noun in apposition makes them an
        organisation ("Cambridge Analytica, the consultancy"): then they keep the place's label for typing."""
        two = Span(doc, start, end, label="PERSON")
        return Span(doc, start, end, label=label) if self._descriptor_type(two) == "organization" else two

    def _trim(self, span: Span) -> Span | None:
        start, end = span.start, span.end
        doc = span.doc
        while start < end and (doc[start].lower_ in TRIM_START or doc[start].is_punct
                               or doc[start].text in self.titles
                               or doc[start].like_num and start + 1 < end and doc[start + 1].text in DASHES):
            start += 1  # "2013 - McMaster University": a timeline's year and dash
        if span.label_ == "PERSON":
            start += self._title_words(doc, start, end)
        if end - start >= 3 and doc[start].text in STANCE_PREFIXES and doc[start + 1].text in "-‑":
            # "pro-Kremlin", "pro-Hong Kong" describe; "pro-Russian Opposition Platform" names what follows
            rest = [i for i in range(start + 3, end) if doc[i].text[:1].isupper()]
            if len(rest) < 2:
                return None
            start += 3
        opened = next((i for i in range(start, end) if doc[i].text == "("), None)
        if opened is not None and not any(doc[i].text == ")" for i in range(opened, end)):
            end = opened  # "the Democratic Front (DF": the acronym in brackets joins as an alias
        while end > start and (doc[end - 1].lower_ in TRIM_END or doc[end - 1].is_punct
                               and doc[end - 1].text not in (".",)):
            end -= 1
        if end - start > 2 and doc[end - 1].like_num and doc[end - 2].lower_ == "of":
            end -= 2  # "the Pegasus Project of 2021"
        return doc[start:end] if end > start else None

    def _title_words(self, doc: Doc, start: int, end: int) -> int:
        """How many words of a written-out title open a person's full name ("Senator Ben Cardin": 1,
        "Crown Prince Mohammed bin Salman": 2); 0 when no title, or when one name alone would be left
        ("Prince Andrew")."""
        for n in range(self.longest_title, 0, -1):
            if end - start - n >= 2 and tuple(t.text for t in doc[start:start + n]) in self.person_titles:
                return n
        return 0

    def _type(self, span: Span, label: str) -> str | None:
        last = span[-1]
        if label not in OUR_LABELS and len(span) > 1 and last.is_title and last.lower_ in self.law_heads:
            return None  # a law or treaty: "the Foreign Trade and Payments Act"
        if label == "PERSON":
            head = self._head_type(span)
            if head in ("state_body", "diplomatic_mission", "place") and len(span) > 1:
                return head
            if (self._city(span) or self._after_place_preposition(span)) and not self._speaks(span):
                return "place"  # "a warehouse in Leyton, east London"
            if self._names_a_thing(span) or self._descriptor_type(span) == "organization":
                return head or "organization"  # "the Chosun Ilbo newspaper", "Gmail accounts", "TV4"
            if self._opens_with_no_name(span):
                return "organization"  # "Brussels Ledger", "The Metropolitan Herald"
            return "person"
        if label in OUR_LABELS:
            if label == "COUNTRY" and self._locative_metonym(span):
                return "place"
            return label.lower()
        if label in ("GPE", "LOC"):
            if self._names_a_state(span):
                return "country"
            if span.text in self.vocab.metonym_state and not self._locative_metonym(span):
                return "country"
            head = self._head_type(span)
            if head and head != "place":
                return head  # "Serbia's Gendarmerie"
            if self._described_as_person(span) or self._person_name(span) or self._person_elsewhere(span):
                return "person"
            if self._company(span) or self._after_medium_noun(span):
                return "organization"  # "the Foxconn founder", "the state airline Belavia"
            return self._descriptor_type(span) or "place"  # "Belavia, Belarus's national airline"
        if label in ("ORG", "FAC", "NORP"):
            head = self._head_type(span)
            if head:
                return head
            if label == "NORP":
                return None
            desc = self._descriptor_type(span)
            if desc == "organization":
                return desc  # "Fair Trials, a London-based rights group": the apposition over a given name
            if label in ("ORG", "FAC") and (self._after_role(span) or self._described_as_person(span)
                                   or self._person_name(span) or self._person_elsewhere(span)):
                return "person"  # "spokesperson Robin Percival": a role noun names a person next
            if desc == "place":
                return desc  # "Mayfair, central London"
            if self._city(span) or kind_of_place_after(span, self.place_nouns):
                return "place"  # "the city's Sisli district"
            if label == "FAC":
                return "place"
            return "organization"
        return self.ner.get(label)

    def _names_a_state(self, span: Span) -> bool:
        """The span is a state's name ("Germany"), not a capital standing for it ("Manila")."""
        return span.text.lower() in self.vocab.state_by_name

    def _head_type(self, span: Span) -> str | None:
        words = tuple(t.lower_ for t in span)
        if words and words[-1] in self.org_heads:
            return "organization"
        for head, typ in self.heads:
            if words[-len(head):] == head:
                return typ
        # "Department of Civil Aviation", "Investigative Committee on the Deportation of ...": the noun
        # before the first preposition heads the name
        for i, w in enumerate(words[1:], start=1):
            if w in NAME_PREPS:
                noun = words[i - 1]
                if noun == "general" and i >= 2:  # "Directorate General for ...", "Prosecutor General of ..."
                    noun = words[i - 2]
                if noun in self.org_heads:
                    return "organization"
                if noun in self.prep_heads:
                    return "state_body"
                break
        return None


@Language.factory("frontwatch_entity_types_v1", default_config={})
def make_entity_typer(nlp: Language, name: str) -> EntityTyper:
    """Types entity spans into the SCHEMA entity types."""
    return EntityTyper(load_vocabulary())
