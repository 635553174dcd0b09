"""Ingest: documents -> extraction -> the store, one transaction per document.

A document's identity is the hash of its normalised text: the same text again adds nothing; the same
URL with new text becomes a new version of that document (same lineage). Extraction runs outside the
transaction; the write is short and retried when another writer holds the store.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import urlparse

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ..errors import FrontwatchError, SourceError
from ..model import Document, Entity, Extraction
from .db import Store
from .resolver import Resolver
from .schema import ClaimRow, DocEntityRow, DocumentRow, EvidenceRow, MentionRow
from .search import index_claims, index_document, index_entities
from .summary import refresh_claims

SYMMETRIC = {"meets"}


def content_hash(text: str) -> str:
    """SHA-256 of the text with Unicode and whitespace normalised."""
    normal = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


@dataclass
class IngestReport:
    """What one ingest run did."""

    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def processed(self) -> int:
        return len(self.new) + len(self.updated) + len(self.unchanged)


def publisher_of(doc: Document) -> str | None:
    """The publisher named by the page, else the site's host."""
    if doc.publisher:
        return doc.publisher
    if doc.url:
        host = urlparse(doc.url).hostname or ""
        return host.removeprefix("www.") or None
    return None


def known_hashes(store: Store, hashes: list[str]) -> set[str]:
    """Which of these content hashes the store already holds."""
    found: set[str] = set()
    with store.read() as session:
        for i in range(0, len(hashes), 500):
            found |= set(session.scalars(select(DocumentRow.content_hash).where(
                DocumentRow.content_hash.in_(hashes[i:i + 500]))))
    return found


def write_extraction(session: Session, ex: Extraction, resolver: Resolver) -> str:
    """Store one extraction; returns "new", "updated" or "unchanged"."""
    doc = ex.document
    digest = content_hash(doc.text)
    if session.scalar(select(DocumentRow.id).where(DocumentRow.content_hash == digest)) is not None:
        return "unchanged"
    previous = None
    if doc.url:
        previous = session.scalars(select(DocumentRow).where(DocumentRow.url == doc.url)
                                   .order_by(DocumentRow.version.desc()).limit(1)).first()
    row = DocumentRow(
        doc_key=doc.id, content_hash=digest, title=doc.title, url=doc.url, publisher=publisher_of(doc),
        published=doc.date, source=doc.source, text=doc.text,
        version=previous.version + 1 if previous else 1,
        lineage_id=previous.lineage_id if previous else None,
    )
    session.add(row)
    session.flush()
    if row.lineage_id is None:
        row.lineage_id = row.id
    local: dict[str, DocEntityRow] = {}
    rows: list[tuple[DocEntityRow, Entity]] = []
    resolver.prefetch(session, ex.entities)
    for ent in ex.entities:
        res = resolver.resolve(session, ent)
        de = DocEntityRow(document_id=row.id, entity_id=res.entity_id, local_name=ent.name,
                          local_type=ent.type, forms=[ent.name, *ent.aliases], rule=res.rule, score=res.score)
        session.add(de)
        rows.append((de, ent))
        local[ent.name] = de
        for alias in ent.aliases:
            local.setdefault(alias, de)
    session.flush()  # one round of inserts for the document's entities, then their mentions
    mentions = [{"doc_entity_id": de.id, "start": m.start, "end": m.end, "text": m.text}
                for de, ent in rows for m in ent.mentions]
    if mentions:  # plain executemany: nothing needs the mentions' ids back
        session.execute(insert(MentionRow), mentions)
    touched: set[int] = set()
    evidence: list[dict[str, object]] = []
    for c in ex.claims:
        s_de, o_de = local.get(c.subject), local.get(c.object)
        if s_de is None or o_de is None:
            continue
        claim = claim_for(session, s_de.entity_id, c.predicate, o_de.entity_id, c.tactic)
        touched.add(claim.id)
        att = local.get(c.attributed_to) if c.attributed_to else None
        ev = c.evidence
        evidence.append(dict(
            claim_id=claim.id, document_id=row.id, subject_de_id=s_de.id, object_de_id=o_de.id,
            predicate=c.predicate, sentence=ev.text if ev else "", start=ev.start if ev else None,
            end=ev.end if ev else None, stance=c.stance, attributed_to=c.attributed_to,
            attributed_de_id=att.id if att else None, tactic=c.tactic, date=c.date, amount=c.amount,
            trigger=c.trigger))
    if evidence:  # one executemany: nothing needs the evidence ids back
        session.execute(insert(EvidenceRow), evidence)
    refresh_claims(session, touched)
    # full-text search stays current in the same transaction: the document, its entities, its claims
    index_document(session, row)
    index_entities(session, {de.entity_id for de, _ in rows})
    index_claims(session, touched)
    return "updated" if previous else "new"


def claim_for(session: Session, subject_id: int, predicate: str, object_id: int, tactic: str | None
              ) -> ClaimRow:
    """The canonical claim (get or create); a symmetric predicate is stored in one direction."""
    if predicate in SYMMETRIC and object_id < subject_id:
        subject_id, object_id = object_id, subject_id
    claim = session.scalars(select(ClaimRow).where(
        ClaimRow.subject_id == subject_id, ClaimRow.predicate == predicate,
        ClaimRow.object_id == object_id)).first()
    if claim is None:
        claim = ClaimRow(subject_id=subject_id, predicate=predicate, object_id=object_id, tactic=tactic)
        session.add(claim)
        session.flush()
    elif claim.tactic is None and tactic and claim.review_status == "pending":
        claim.tactic = tactic  # never over an analyst's decision
    return claim


def ingest(store: Store, items: Iterable[Document | SourceError], *, jobs: int = 1,
           on_progress: Callable[[str, str], None] | None = None) -> IngestReport:
    """Extract and store documents; unreadable ones and failed writes are reported, never fatal."""
    from ..extract import extract_documents  # spaCy loads only when there is work to do

    report = IngestReport()
    resolver = Resolver()

    def tick(name: str, status: str) -> None:
        if on_progress is not None:
            on_progress(name, status)

    documents: list[Document] = []
    for item in items:
        if isinstance(item, SourceError):
            report.failed.append((item.path, item.reason))
            tick(item.path, "failed")
        else:
            documents.append(item)
    known = known_hashes(store, [content_hash(d.text) for d in documents])
    pending: list[Document] = []
    for doc in documents:
        if content_hash(doc.text) in known:
            report.unchanged.append(doc.id)
            tick(doc.id, "unchanged")
        else:
            pending.append(doc)
    # extraction runs in worker processes while this one writes: the two overlap
    for ex in extract_documents(pending, jobs=jobs, background=True):
        name = ex.document.source or ex.document.id
        try:
            status: str = store.retry(partial(write_extraction, ex=ex, resolver=resolver),
                                      on_rollback=resolver.forget)
        except FrontwatchError as exc:
            resolver.forget()
            report.failed.append((name, str(exc)))
            tick(name, "failed")
            continue
        getattr(report, status).append(ex.document.id)
        tick(ex.document.id, status)
    return report


def store_extractions(store: Store, extractions: Iterable[Extraction]) -> IngestReport:
    """Store ready-made extractions (imports from STIX, FollowTheMoney or trackers) like ingested ones."""
    report = IngestReport()
    resolver = Resolver()
    for ex in extractions:
        try:
            status: str = store.retry(partial(write_extraction, ex=ex, resolver=resolver),
                                      on_rollback=resolver.forget)
        except FrontwatchError as exc:
            resolver.forget()
            report.failed.append((ex.document.source or ex.document.id, str(exc)))
            continue
        getattr(report, status).append(ex.document.id)
    return report
