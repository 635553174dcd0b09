"""A claim's corroboration summary (stance, documents, publishers, first and last seen, confidence),
recomputed from its evidence whenever evidence is added or moved, so that graph filters run in SQL."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from .schema import ClaimRow, DocumentRow, EvidenceRow

STANCE_ORDER = ("asserted", "alleged", "denied")


def document_date(published: str | None, ingested_at: datetime) -> str:
    """When a document speaks: its published date, else the day it was ingested (YYYY-MM-DD)."""
    return (published or ingested_at.date().isoformat())[:10]


def refresh_claims(session: Session, claim_ids: Iterable[int]) -> None:
    """Recompute the summary columns of these claims from their evidence (aggregated in SQL: a
    much-reported claim has thousands of evidence rows, and this runs for every document)."""
    ids = sorted(set(claim_ids))
    if not ids:
        return
    session.flush()
    doc, ev = DocumentRow, EvidenceRow
    published = func.nullif(doc.published, "")
    undated = published.is_(None)
    rows = {r[0]: r[1:] for r in session.execute(
        select(ev.claim_id,
               func.count(func.distinct(func.coalesce(doc.lineage_id, doc.id))),
               func.count(func.distinct(func.nullif(doc.publisher, ""))),
               func.min(case((~undated, published))), func.max(case((~undated, published))),
               func.min(case((undated, doc.ingested_at))), func.max(case((undated, doc.ingested_at))),
               func.max(ev.confidence),
               *(func.max(case((ev.stance == s, 1), else_=0)) for s in STANCE_ORDER))
        .join(doc, ev.document_id == doc.id).where(ev.claim_id.in_(ids)).group_by(ev.claim_id))}
    for claim in session.scalars(select(ClaimRow).where(ClaimRow.id.in_(ids))):
        if claim.id not in rows:  # no evidence left (after a merge or split)
            claim.stance, claim.n_documents, claim.n_publishers = "alleged", 0, 0
            claim.first_seen = claim.last_seen = None
            claim.confidence = 1.0
            continue
        n_docs, n_pubs, pub_min, pub_max, ing_min, ing_max, conf, *stances = rows[claim.id]
        claim.confidence = 1.0 if conf is None else float(conf)  # the most confident of its evidence
        claim.stance = next((s for s, seen in zip(STANCE_ORDER, stances, strict=True) if seen), "alleged")
        claim.n_documents, claim.n_publishers = n_docs, n_pubs
        # a document's date is its published date, else the day it was ingested (document_date)
        first = [d for d in (pub_min, ing_min and document_date(None, ing_min)) if d]
        last = [d for d in (pub_max, ing_max and document_date(None, ing_max)) if d]
        claim.first_seen = min(first)[:10] if first else None
        claim.last_seen = max(last)[:10] if last else None


def add_to_summaries(session: Session, claims: Iterable[ClaimRow], doc: DocumentRow,
                     stances: dict[int, set[str]], confidences: dict[int, float] | None = None) -> None:
    """Update the summaries of `claims` for the evidence a newly stored document `doc` just gave
    them (`stances`: claim id -> the stances of its new evidence; `confidences`: claim id -> the
    highest confidence of its new evidence, 1.0 when not given). The same result as
    `refresh_claims`, without reading every earlier piece of evidence: a much-reported claim has
    thousands, and ingest does this for every document. Each check below stops at the first row."""
    claims = list({c.id: c for c in claims}.values())
    if not claims:
        return
    session.flush()
    day = document_date(doc.published, doc.ingested_at)
    lineage = doc.lineage_id or doc.id
    publisher = doc.publisher or None
    for claim in claims:
        found = stances.get(claim.id, set())
        confidence = (confidences or {}).get(claim.id, 1.0)
        earlier = claim.n_documents or 0  # evidence from other documents, as the summary says
        if not earlier:
            claim.confidence = confidence
            claim.stance = next((s for s in STANCE_ORDER if s in found), "alleged")
            claim.n_documents, claim.n_publishers = 1, 1 if publisher else 0
            claim.first_seen = claim.last_seen = day
            continue
        claim.stance = next((s for s in STANCE_ORDER if s in found or s == claim.stance), "alleged")
        claim.confidence = max(1.0 if claim.confidence is None else claim.confidence, confidence)
        # a first version brings a new lineage; a new version counts only if no earlier one backs it
        if lineage == doc.id or not _cited(session, claim.id, doc.id, DocumentRow.lineage_id == lineage):
            claim.n_documents += 1
        if publisher and not _cited(session, claim.id, doc.id, DocumentRow.publisher == publisher):
            claim.n_publishers += 1
        claim.first_seen = min(claim.first_seen or day, day)
        claim.last_seen = max(claim.last_seen or day, day)


def _cited(session: Session, claim_id: int, doc_id: int, where: ColumnElement[bool]) -> bool:
    """Whether evidence from another document that meets `where` backs the claim."""
    return session.scalar(
        select(EvidenceRow.id).join(DocumentRow, EvidenceRow.document_id == DocumentRow.id)
        .where(EvidenceRow.claim_id == claim_id, DocumentRow.id != doc_id, where).limit(1)) is not None
