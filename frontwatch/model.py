"""The data model every stage shares: documents in, entities and evidence-backed claims out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ENTITY_TYPES = (
    "person", "state_body", "diplomatic_mission", "overseas_station", "organization", "country", "place",
)
PREDICATES = (
    "controls", "affiliated_with", "funds", "supports", "meets", "recruits", "targets",
    "interferes_in", "located_in", "investigates",
)
STANCES = ("asserted", "alleged", "denied")
TACTICS = ("covert_funding", "political_influence", "disinformation", "intimidation", "forced_return",
           "covert_policing", "espionage", "illicit_finance", "countermeasure")


@dataclass(slots=True)
class Document:
    """A text to extract from, with where it came from."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    date: str | None = None
    source: str | None = None  # the file it was read from
    publisher: str | None = None  # who published it (a web page's site name), if known
    record: str | None = None  # a structured record's own identity (a tracker row), kept apart from its text


@dataclass(slots=True)
class Mention:
    """One occurrence of an entity in the document text (character offsets)."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class Entity:
    """A named actor, place or body with every surface form the document uses."""

    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    gazetteer_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "aliases": self.aliases,
            "gazetteer_id": self.gazetteer_id,
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass(slots=True)
class Evidence:
    """The sentence a claim was read from (character offsets into the document)."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Claim:
    """subject -predicate-> object, with stance, attribution and tactic; never a bare fact."""

    subject: str
    predicate: str
    object: str
    stance: str = "asserted"
    attributed_to: str | None = None
    tactic: str | None = None
    evidence: Evidence | None = None
    date: str | None = None
    amount: str | None = None
    trigger: str | None = None
    confidence: float = 1.0  # the claim model's probability in [0, 1]; 1.0 for rule-only extractors
    explanation: list[str] = field(default_factory=list)  # what decided it (`extract --explain`)

    def key(self) -> tuple[str, str, str]:
        return (self.subject, self.predicate, self.object)

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "predicate": self.predicate,
            "object": self.object,
            "stance": self.stance,
            "attributed_to": self.attributed_to,
            "tactic": self.tactic,
            "evidence": self.evidence.text if self.evidence else None,
            "evidence_span": (
                {"start": self.evidence.start, "end": self.evidence.end} if self.evidence else None
            ),
            "date": self.date,
            "amount": self.amount,
            "trigger": self.trigger,
            "confidence": round(self.confidence, 4),
        }


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one document."""

    document: Document
    entities: list[Entity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        doc = self.document
        return {
            "doc_id": doc.id,
            "title": doc.title,
            "url": doc.url,
            "date": doc.date,
            "source": doc.source,
            "publisher": doc.publisher,
            "entities": [e.to_dict() for e in self.entities],
            "claims": [c.to_dict() for c in self.claims],
        }


def drop_unconfident(extraction: Extraction, min_confidence: float) -> Extraction:
    """The extraction without the claims whose confidence is below `min_confidence` (0 keeps all)."""
    if min_confidence <= 0:
        return extraction
    kept = [c for c in extraction.claims if c.confidence >= min_confidence]
    if len(kept) == len(extraction.claims):
        return extraction
    return Extraction(extraction.document, extraction.entities, kept)
