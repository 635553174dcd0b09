"""A claim's corroboration summary (stance, documents, publishers, first and last seen), recomputed
from its evidence whenever evidence is added or moved, so that graph filters run in SQL."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .schema import ClaimRow, DocumentRow, EvidenceRow

STANCE_ORDER = ("asserted", "alleged", "denied")


def document_date(published: str | None, ingested_at: datetime) -> str:
    """When a document speaks: its published date, else the day it was ingested (YYYY-MM-DD)."""
    return (published or ingested_at.date().isoformat())[:10]


def refresh_claims(session: Session, claim_ids: Iterable[int]) -> None:
    """Recompute the summary columns of these claims from their evidence."""
    ids = sorted(set(claim_ids))
    if not ids:
        return
    session.flush()
    # only the columns the summary needs: never the documents' text
    rows = session.execute(
        select(EvidenceRow.claim_id, EvidenceRow.stance, DocumentRow.id, DocumentRow.lineage_id,
               DocumentRow.publisher, DocumentRow.published, DocumentRow.ingested_at)
        .join(DocumentRow, EvidenceRow.document_id == DocumentRow.id)
        .where(EvidenceRow.claim_id.in_(ids))).all()
    stances: dict[int, set[str]] = defaultdict(set)
    lineages: dict[int, set[int]] = defaultdict(set)
    publishers: dict[int, set[str]] = defaultdict(set)
    dates: dict[int, list[str]] = defaultdict(list)
    for claim_id, stance, doc_id, lineage_id, publisher, published, ingested_at in rows:
        stances[claim_id].add(stance)
        lineages[claim_id].add(lineage_id or doc_id)
        if publisher:
            publishers[claim_id].add(publisher)
        dates[claim_id].append(document_date(published, ingested_at))
    for claim in session.scalars(select(ClaimRow).where(ClaimRow.id.in_(ids))):
        found = stances.get(claim.id, set())
        claim.stance = next((s for s in STANCE_ORDER if s in found), "alleged")
        claim.n_documents = len(lineages.get(claim.id, ()))
        claim.n_publishers = len(publishers.get(claim.id, ()))
        seen = sorted(dates.get(claim.id, []))
        claim.first_seen, claim.last_seen = (seen[0], seen[-1]) if seen else (None, None)
