"""A claim's corroboration summary (stance, documents, publishers, first and last seen), recomputed
from its evidence whenever evidence is added or moved, so that graph filters run in SQL."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import case, func, select
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
               *(func.max(case((ev.stance == s, 1), else_=0)) for s in STANCE_ORDER))
        .join(doc, ev.document_id == doc.id).where(ev.claim_id.in_(ids)).group_by(ev.claim_id))}
    for claim in session.scalars(select(ClaimRow).where(ClaimRow.id.in_(ids))):
        if claim.id not in rows:  # no evidence left (after a merge or split)
            claim.stance, claim.n_documents, claim.n_publishers = "alleged", 0, 0
            claim.first_seen = claim.last_seen = None
            continue
        n_docs, n_pubs, pub_min, pub_max, ing_min, ing_max, *stances = rows[claim.id]
        claim.stance = next((s for s, seen in zip(STANCE_ORDER, stances, strict=True) if seen), "alleged")
        claim.n_documents, claim.n_publishers = n_docs, n_pubs
        # a document's date is its published date, else the day it was ingested (document_date)
        first = [d for d in (pub_min, ing_min and document_date(None, ing_min)) if d]
        last = [d for d in (pub_max, ing_max and document_date(None, ing_max)) if d]
        claim.first_seen = min(first)[:10] if first else None
        claim.last_seen = max(last)[:10] if last else None
