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

from sqlalchemy import ColumnElement, false, insert, select, tuple_
from sqlalchemy.orm import Session

from ..errors import FrontwatchError, SourceError
from ..model import Document, Extraction, drop_unconfident
from .db import Store
from .resolver import Resolver
from .schema import ClaimRow, DocEntityRow, DocumentRow, EvidenceRow, MentionRow
from .search import MAX_EVIDENCE, index_claims, index_document, index_entities
from .summary import add_to_summaries

SYMMETRIC = {"meets"}


def content_hash(text: str) -> str:
    """SHA-256 of the text with Unicode and whitespace normalised."""
    normal = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def identity(doc: Document) -> str:
    """What makes a document itself: the hash of its text, and for a structured record (a tracker
    row) its record key as well, so that two rows with the same description stay two records."""
    digest = content_hash(doc.text)
    if doc.record is None:
        return digest
    return hashlib.sha256(f"record\x00{doc.record}\x00{digest}".encode()).hexdigest()


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


def clamp_confidence(value: float | None) -> float:
    """A claim's confidence as stored: in [0, 1], 1.0 when unknown."""
    if value is None or value != value:  # None or NaN
        return 1.0
    return min(max(float(value), 0.0), 1.0)


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
    digest = identity(doc)
    if session.scalar(select(DocumentRow.id).where(DocumentRow.content_hash == digest)) is not None:
        return "unchanged"
    previous = session.scalars(select(DocumentRow).where(*same_source(doc))
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
    resolver.prefetch(session)
    resolved = [(ent, resolver.resolve(session, ent)) for ent in ex.entities]
    renamed = resolver.flush(session)
    # one statement for the document's entities, ids back in order (mentions and evidence need them)
    returning = insert(DocEntityRow).returning(DocEntityRow.id, sort_by_parameter_order=True)
    de_ids = list(session.scalars(returning, [
        dict(document_id=row.id, entity_id=res.entity_id, local_name=ent.name, local_type=ent.type,
             forms=[ent.name, *ent.aliases], rule=res.rule, score=res.score) for ent, res in resolved]
        )) if resolved else []
    local: dict[str, tuple[int, int]] = {}  # a name in the document -> (doc entity id, entity id)
    for (ent, res), de_id in zip(resolved, de_ids, strict=True):
        local[ent.name] = (de_id, res.entity_id)
        for alias in ent.aliases:
            local.setdefault(alias, (de_id, res.entity_id))
    mentions = [{"doc_entity_id": de_id, "start": m.start, "end": m.end, "text": m.text}
                for (ent, _), de_id in zip(resolved, de_ids, strict=True) for m in ent.mentions]
    if mentions:  # plain executemany: nothing needs the mentions' ids back
        session.execute(insert(MentionRow), mentions)
    usable = [c for c in ex.claims if c.subject in local and c.object in local]
    claims = claims_for(session, [(local[c.subject][1], c.predicate, local[c.object][1], c.tactic)
                                  for c in usable])
    touched = {claim.id for claim in claims}
    # a claim's index text comes from its first MAX_EVIDENCE evidence rows: more rows change nothing
    settled = {claim.id for claim in claims if (claim.n_documents or 0) >= MAX_EVIDENCE}
    evidence: list[dict[str, object]] = []
    for c, claim in zip(usable, claims, strict=True):
        (s_de, _), (o_de, _) = local[c.subject], local[c.object]
        att = local.get(c.attributed_to) if c.attributed_to else None
        ev = c.evidence
        evidence.append(dict(
            claim_id=claim.id, document_id=row.id, subject_de_id=s_de, object_de_id=o_de,
            predicate=c.predicate, sentence=ev.text if ev else "", start=ev.start if ev else None,
            end=ev.end if ev else None, stance=c.stance, attributed_to=c.attributed_to,
            attributed_de_id=att[0] if att else None, tactic=c.tactic, date=c.date, amount=c.amount,
            trigger=c.trigger, confidence=clamp_confidence(c.confidence)))
    if evidence:  # one executemany: nothing needs the evidence ids back
        session.execute(insert(EvidenceRow), evidence)
    stances: dict[int, set[str]] = {}
    confidences: dict[int, float] = {}  # several of the document's claims can land on one stored claim
    for c, claim in zip(usable, claims, strict=True):
        stances.setdefault(claim.id, set()).add(c.stance)
        confidences[claim.id] = max(confidences.get(claim.id, 0.0), clamp_confidence(c.confidence))
    add_to_summaries(session, claims, row, stances, confidences)
    # full-text search stays current in the same transaction: the document, its entities, its claims
    index_document(session, row, new=True)
    index_entities(session, renamed)  # the others' indexed names are what they were
    index_claims(session, touched - settled)
    return "updated" if previous else "new"


def same_source(doc: Document) -> list[ColumnElement[bool]]:
    """Which stored documents are earlier versions of `doc`: the same URL, else (a local file) the
    same file and key; a structured record's versions share its key as well. Versions share a
    lineage and count once for corroboration."""
    if doc.url:
        where = [DocumentRow.url == doc.url]
    elif doc.source:
        where = [DocumentRow.url.is_(None), DocumentRow.source == doc.source, DocumentRow.doc_key == doc.id]
    else:
        return [false()]
    if doc.record is not None:
        where.append(DocumentRow.doc_key == doc.id)
    return where


def claims_for(session: Session, keys: list[tuple[int, str, int, str | None]]) -> list[ClaimRow]:
    """The canonical claim of each (subject id, predicate, object id, tactic), got or created, with
    one query for those that exist; a symmetric predicate is stored in one direction."""
    wanted = [(o, p, s) if p in SYMMETRIC and o < s else (s, p, o) for s, p, o, _ in keys]
    found: dict[tuple[int, str, int], ClaimRow] = {}
    distinct = list(dict.fromkeys(wanted))
    for i in range(0, len(distinct), 200):
        part = distinct[i:i + 200]
        found.update(((c.subject_id, c.predicate, c.object_id), c) for c in session.scalars(
            select(ClaimRow).where(tuple_(ClaimRow.subject_id, ClaimRow.predicate, ClaimRow.object_id)
                                   .in_(part))))
    out = []
    for key, (_, _, _, tactic) in zip(wanted, keys, strict=True):
        claim = found.get(key)
        if claim is None:
            claim = found[key] = ClaimRow(subject_id=key[0], predicate=key[1], object_id=key[2],
                                          tactic=tactic)
            session.add(claim)
        elif claim.tactic is None and tactic and (claim.review_status or "pending") == "pending":
            claim.tactic = tactic  # never over an analyst's decision
        out.append(claim)
    session.flush()  # the new claims get their ids, in one round
    return out


def ingest(store: Store, items: Iterable[Document | SourceError], *, jobs: int = 1,
           on_progress: Callable[[str, str], None] | None = None,
           min_confidence: float = 0.0) -> IngestReport:
    """Extract and store documents; unreadable ones and failed writes are reported, never fatal.
    Claims whose confidence is below `min_confidence` are not stored."""
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
    known = known_hashes(store, [identity(d) for d in documents])
    pending: list[Document] = []
    for doc in documents:
        if identity(doc) in known:
            report.unchanged.append(doc.id)
            tick(doc.id, "unchanged")
        else:
            pending.append(doc)
    # extraction runs in worker processes while this one writes: the two overlap
    for ex in extract_documents(pending, jobs=jobs, background=True):
        name = ex.document.source or ex.document.id
        try:
            status: str = store.retry(partial(write_extraction, ex=drop_unconfident(ex, min_confidence),
                                              resolver=resolver),
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
