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
from ..vocab import Vocabulary, load_vocabulary

SPECIFIC_DATE = re.compile(r"\d|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)
OUR_LABELS = {t.upper() for t in ENTITY_TYPES}
LOCATIVE_PREPS = {"in", "at", "to", "near", "outside", "from", "across", "around", "into", "inside"}
TRIM_START = {"the", "a", "an", "'s", "’s", "-", "—", "–", "“", "\"", "'", "”"}
TRIM_END = {"'s", "’s", "'", "-", "—", "–", ",", ".", "”", "\"", ":", ";"}


NAME_JOINERS = {"of", "and", "for", "&"}


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
        self.person_nouns = self.roles | vocab.words("types", "person_nouns")

    def __call__(self, doc: Doc) -> Doc:
        out: list[Span] = []
        # dates and amounts are not entities, but claims report them
        doc.user_data["fw_dates"] = [(e.start, e.end) for e in doc.ents if e.label_ == "DATE"
                                     and SPECIFIC_DATE.search(e.text)]  # not "years", "last week"
        doc.user_data["fw_money"] = [(e.start, e.end) for e in doc.ents if e.label_ == "MONEY"]
        for ent in self._with_named_bodies(doc):
            span = self._trim(ent)
            if span is None:
                continue
            span = self._given_name(span, ent.label_)
            label = self._type(span, ent.label_) if span.label_ != "PERSON" else "person"
            # gazetteer names are deliberate: "MPS" is a ministry even though "MPs" are not entities
            if label is None or (not ent.kb_id_ and not self._keep(span, label)):
                continue
            # a capital read as a place is no longer its state ("in Ottawa")
            kb = ent.kb_id_ if label.upper() == ent.label_ or ent.label_ not in OUR_LABELS else ""
            out.append(Span(doc, span.start, span.end, label=label.upper(), kb_id=kb))
        doc.ents = filter_spans(out)
        return doc

    def _with_named_bodies(self, doc: Doc) -> list[Span]:
        """The entity spans, where a run of capitalised words ending in a body noun ("Canada Toronto
        FuQing Business Association") replaces the places and pieces the NER made of it; gazetteer
        names are kept."""
        ents = list(doc.ents)
        for head in doc:
            if head.lower_ not in self.name_heads or not head.is_title or head.i == 0:
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
            if head.i - start < 1 or "\n" in doc[start:head.i + 1].text:
                continue
            inside = [e for e in ents if e.start < head.i + 1 and e.end > start]
            if any(e.start <= start and e.end >= head.i + 1 or e.start < start or e.end > head.i + 1
                   or e.kb_id_ and e.label_ not in ("PLACE", "COUNTRY") for e in inside):
                continue  # already one name, a span reaching outside, a body of the gazetteer: as it is
            ents = [e for e in ents if e not in inside] + [Span(doc, start, head.i + 1, label="ORG")]
        return sorted(ents, key=lambda e: e.start)

    def _given_name(self, span: Span, label: str) -> Span:
        """"Amrit Singh" read as a place "Singh": an unknown one-word place after a capitalised word
        that is no entity is the surname of a person."""
        doc = span.doc
        if label not in ("GPE", "LOC") or len(span) != 1 or span.start == 0:
            return span
        prev = doc[span.start - 1]
        known = span.text.lower() in self.vocab.place_state or span.text.lower() in self.vocab.state_by_name
        if known or prev.ent_type_ or not prev.is_title or prev.pos_ != "PROPN" or prev.is_sent_start:
            return span
        return Span(doc, span.start - 1, span.end, label="PERSON")

    def _trim(self, span: Span) -> Span | None:
        start, end = span.start, span.end
        doc = span.doc
        while start < end and (doc[start].lower_ in TRIM_START or doc[start].is_punct):
            start += 1
        while end > start and (doc[end - 1].lower_ in TRIM_END or doc[end - 1].is_punct
                               and doc[end - 1].text not in (".",)):
            end -= 1
        return doc[start:end] if end > start else None

    def _type(self, span: Span, label: str) -> str | None:
        if label in OUR_LABELS:
            if label == "COUNTRY" and self._locative_metonym(span):
                return "place"
            return label.lower()
        if label == "GPE":
            if span.text.lower() in self.vocab.state_by_name:
                return "country"
            if span.text in self.vocab.metonym_state and not self._locative_metonym(span):
                return "country"
            return "person" if self._described_as_person(span) else "place"
        if label == "PERSON":
            head = self._head_type(span)
            return head if head in ("state_body", "diplomatic_mission") else "person"
        if label in ("ORG", "FAC", "NORP"):
            head = self._head_type(span)
            if head:
                return head
            if label == "NORP":
                return None
            if label == "FAC":
                return "place"
            if label == "ORG" and (self._after_role(span) or self._described_as_person(span)):
                return "person"  # "spokesperson Robin Percival": a role noun names a person next
            return "organization"
        return self.ner.get(label)

    def _head_type(self, span: Span) -> str | None:
        words = tuple(t.lower_ for t in span)
        if words and words[-1] in self.org_heads:
            return "organization"
        for head, typ in self.heads:
            if words[-len(head):] == head:
                return typ
        return None

    def _after_role(self, span: Span) -> bool:
        """Two or three capitalised words (no acronym) right after a lower-case role noun."""
        if span.start == 0 or not 2 <= len(span) <= 3:
            return False
        prev = span.doc[span.start - 1]
        return (prev.lower_ in self.roles and prev.text.islower()
                and all(t.is_title and t.is_alpha for t in span))

    def _described_as_person(self, span: Span) -> bool:
        """A two- or three-word name in apposition with a person noun: "Ilan Shor, a fugitive oligarch"."""
        if not 2 <= len(span) <= 3 or not all(t.is_title and t.is_alpha for t in span):
            return False
        root = span.root
        nouns = [c for c in root.children if c.dep_ == "appos"]
        nouns += [root.head] if root.dep_ == "appos" else []
        return any(n.lemma_.lower() in self.person_nouns or n.lower_ in self.person_nouns for n in nouns)

    def _locative_metonym(self, span: Span) -> bool:
        """A capital used as a place ("in Ottawa") rather than as its government ("Beijing's interests")."""
        text = span.text
        if text not in self.vocab.metonym_state:
            return False
        prev = span.doc[span.start - 1] if span.start > 0 else None
        return prev is not None and prev.lower_ in LOCATIVE_PREPS and text not in ("Beijing", "Kremlin")

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
        return not (label == "person" and len(span) == 1 and span[0].is_upper and len(text) > 4)


@Language.factory("frontwatch_entity_types_v1", default_config={})
def make_entity_typer(nlp: Language, name: str) -> EntityTyper:
    """Types entity spans into the SCHEMA entity types."""
    return EntityTyper(load_vocabulary())
