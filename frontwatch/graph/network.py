"""The filtered network in memory: nodes (canonical entities) and edges (claims with their evidence).
Exports and whole-graph analysis (centrality, communities, brokers) start from here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store.schema import AliasRow, ClaimRow, DocumentRow, EntityRow, EvidenceRow
from ..store.summary import claim_dates, document_date, stance_counts
from .filters import Filters


@dataclass
class Node:
    id: int
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    gazetteer_id: str | None = None
    state: str | None = None
    review_status: str = "pending"


@dataclass
class Evidence:
    document: str  # the document's key (file stem or record id)
    sentence: str
    stance: str
    attributed_to: str | None
    date: str | None
    amount: str | None
    start: int | None = None
    end: int | None = None
    confidence: float = 1.0  # the extractor's confidence in this sentence's claim


@dataclass
class Edge:
    """A canonical claim: stance and attribution travel with it, in every export."""

    id: int
    source: int
    target: int
    predicate: str
    tactic: str | None
    stance: str
    documents: int
    publishers: int
    first_seen: str | None
    last_seen: str | None
    review_status: str
    alleged_by: list[str] = field(default_factory=list)
    denied_by: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 1.0  # the extractor's: the highest of its evidence (1.0 from rules alone)
    asserted_by: list[str] = field(default_factory=list)
    stance_counts: dict[str, int] = field(default_factory=dict)  # documents per stance of its sources
    date_source: str | None = None  # first_seen/last_seen are "event" dates, else "published" days


@dataclass
class SourceDocument:
    key: str
    title: str | None
    url: str | None
    publisher: str | None
    published: str | None
    date: str | None  # published (YYYY-MM-DD), else unknown: never the day it was ingested


@dataclass
class Network:
    nodes: dict[int, Node]
    edges: list[Edge]
    documents: dict[str, SourceDocument]
    filters: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"filters": self.filters, "nodes": [asdict(n) for n in self.nodes.values()],
                "edges": [asdict(e) for e in self.edges],
                "documents": [asdict(d) for d in self.documents.values()]}


def load_network(session: Session, filters: Filters | None = None, entity_ids: set[int] | None = None,
                 only_claims: list[int] | None = None) -> Network:
    """Claims that pass the filters (optionally only among some entities), their ends and evidence.
    With `only_claims`, exactly those claims instead (a saved investigation, the subgraph on screen)."""
    filters = filters or Filters()
    if only_claims is not None:
        q = select(ClaimRow).where(ClaimRow.id.in_(only_claims)).order_by(ClaimRow.id)
    else:
        q = select(ClaimRow).where(filters.where()).order_by(ClaimRow.id)
    if entity_ids is not None:
        q = q.where(ClaimRow.subject_id.in_(entity_ids), ClaimRow.object_id.in_(entity_ids))
    claims = list(session.scalars(q))
    ids = {c.subject_id for c in claims} | {c.object_id for c in claims} | (entity_ids or set())
    nodes: dict[int, Node] = {}
    for row in session.scalars(select(EntityRow).where(EntityRow.id.in_(ids))):
        nodes[row.id] = Node(row.id, row.name, row.type, [], row.gazetteer_id, row.state, row.review_status)
    for entity_id, alias in session.execute(select(AliasRow.entity_id, AliasRow.alias)
                                            .where(AliasRow.entity_id.in_(ids))):
        if alias != nodes[entity_id].name and alias not in nodes[entity_id].aliases:
            nodes[entity_id].aliases.append(alias)
    evidence: dict[int, list[tuple[EvidenceRow, DocumentRow]]] = defaultdict(list)
    documents: dict[str, SourceDocument] = {}
    claim_ids = [c.id for c in claims]
    for chunk in range(0, len(claim_ids), 5000):
        for ev, doc in session.execute(
                select(EvidenceRow, DocumentRow).join(DocumentRow, EvidenceRow.document_id == DocumentRow.id)
                .where(EvidenceRow.claim_id.in_(claim_ids[chunk:chunk + 5000])).order_by(EvidenceRow.id)):
            evidence[ev.claim_id].append((ev, doc))
            when = document_date(doc.published, doc.ingested_at)
            documents.setdefault(doc.doc_key, SourceDocument(doc.doc_key, doc.title, doc.url, doc.publisher,
                                                             doc.published, when))
    dates = claim_dates(session, claim_ids)
    edges = []
    for c in claims:
        evs = evidence.get(c.id, [])
        edges.append(Edge(
            id=c.id, source=c.subject_id, target=c.object_id,
            predicate=(c.edits or {}).get("predicate", c.predicate),
            tactic=(c.edits or {}).get("tactic", c.tactic), stance=c.stance, documents=c.n_documents,
            publishers=c.n_publishers, first_seen=c.first_seen, last_seen=c.last_seen,
            review_status=c.review_status,
            alleged_by=sorted({e.attributed_to for e, _ in evs if e.stance == "alleged" and e.attributed_to}),
            denied_by=sorted({e.attributed_to or "?" for e, _ in evs if e.stance == "denied"}),
            evidence=[Evidence(d.doc_key, e.sentence, e.stance, e.attributed_to, e.date, e.amount, e.start,
                               e.end, 1.0 if e.confidence is None else e.confidence) for e, d in evs],
            confidence=1.0 if c.confidence is None else c.confidence,
            asserted_by=sorted({e.attributed_to for e, _ in evs
                                if e.stance == "asserted" and e.attributed_to}),
            stance_counts=stance_counts((e.stance, d.lineage_id or d.id) for e, d in evs),
            date_source=dates.get(c.id, (None, None, None))[2]))
    described = filters.describe() if only_claims is None else {"claims": len(claims)}
    return Network(nodes, edges, documents, described)
