"""A claim's corroboration summary (headline stance, documents, publishers, first and last date,
confidence), recomputed from its evidence whenever evidence is added or moved, so that graph filters run
in SQL.

A claim's dates are its event dates when any of its sentences gives one ("in June 2022"), else the
published dates of its documents, else unknown: never the day a document was ingested."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from ..dates import event_period, published_day
from .schema import ClaimRow, DocumentRow, EvidenceRow

STANCE_ORDER = ("asserted", "alleged", "denied")
HEADLINES = (*STANCE_ORDER, "contested")  # a claim's headline stance


def headline(stances: Iterable[str]) -> str:
    """The headline stance of a claim whose sources take these stances: `contested` when any source
    denies it and another asserts or alleges it (dissent is never hidden), else the strongest of
    asserted > alleged > denied."""
    found = set(stances)
    if "denied" in found and found - {"denied"}:
        return "contested"
    return next((s for s in STANCE_ORDER if s in found), "alleged")


def stance_counts(pairs: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Documents per stance from (stance, document lineage) pairs: {"asserted": 1, "alleged": 3,
    "denied": 1}; a document that both alleges and denies counts under each."""
    docs: dict[str, set[int]] = defaultdict(set)
    for stance, lineage in pairs:
        docs[stance].add(lineage)
    return {s: len(docs[s]) for s in STANCE_ORDER if docs.get(s)}


def document_date(published: str | None, ingested_at: datetime | None = None) -> str | None:
    """When a document speaks: its published day (YYYY-MM-DD), else unknown (None). The day it was
    ingested is not when it was published; `ingested_at` is ignored and kept for old callers."""
    return published_day(published)


def claim_dates(session: Session, claim_ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    """claim id -> (first day, last day, date source) for claims with a known date. The source is
    "event" when any of the claim's sentences names a date (the span of all of them), else
    "published" (the span of its documents' published days); claims with neither are left out."""
    ids = sorted(set(claim_ids))
    found: dict[int, tuple[str, str, str]] = {}
    if not ids:
        return found
    events: dict[int, list[tuple[str, str]]] = defaultdict(list)
    published: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for chunk in range(0, len(ids), 5000):
        part = ids[chunk:chunk + 5000]
        for claim_id, text in session.execute(
                select(EvidenceRow.claim_id, EvidenceRow.date).distinct()
                .where(EvidenceRow.claim_id.in_(part), EvidenceRow.date.is_not(None))):
            period = event_period(text)
            if period:
                events[claim_id].append(period)
        for claim_id, value in session.execute(
                select(EvidenceRow.claim_id, DocumentRow.published).distinct()
                .join(DocumentRow, EvidenceRow.document_id == DocumentRow.id)
                .where(EvidenceRow.claim_id.in_(part), DocumentRow.published.is_not(None))):
            period = event_period(published_day(value))  # "2024" spans the year
            if period:
                published[claim_id].append(period)
    for claim_id in ids:
        for source, spans in (("event", events.get(claim_id)), ("published", published.get(claim_id))):
            if spans:
                found[claim_id] = (min(s for s, _ in spans), max(e for _, e in spans), source)
                break
    return found


def _set_dates(session: Session, claims: list[ClaimRow]) -> None:
    dates = claim_dates(session, (c.id for c in claims))
    for claim in claims:
        claim.first_seen, claim.last_seen, _ = dates.get(claim.id, (None, None, None))


def refresh_claims(session: Session, claim_ids: Iterable[int]) -> None:
    """Recompute the summary columns of these claims from their evidence (aggregated in SQL: a
    much-reported claim has thousands of evidence rows, and this runs for every document)."""
    ids = sorted(set(claim_ids))
    if not ids:
        return
    session.flush()
    doc, ev = DocumentRow, EvidenceRow
    rows = {r[0]: r[1:] for r in session.execute(
        select(ev.claim_id,
               func.count(func.distinct(func.coalesce(doc.lineage_id, doc.id))),
               func.count(func.distinct(func.nullif(doc.publisher, ""))),
               func.max(ev.confidence),
               *(func.max(case((ev.stance == s, 1), else_=0)) for s in STANCE_ORDER))
        .join(doc, ev.document_id == doc.id).where(ev.claim_id.in_(ids)).group_by(ev.claim_id))}
    claims = list(session.scalars(select(ClaimRow).where(ClaimRow.id.in_(ids))))
    for claim in claims:
        if claim.id not in rows:  # no evidence left (after a merge or split)
            claim.stance, claim.n_documents, claim.n_publishers = "alleged", 0, 0
            claim.first_seen = claim.last_seen = None
            claim.confidence = 1.0
            continue
        n_docs, n_pubs, conf, *stances = rows[claim.id]
        claim.confidence = 1.0 if conf is None else float(conf)  # the most confident of its evidence
        claim.stance = headline(s for s, seen in zip(STANCE_ORDER, stances, strict=True) if seen)
        claim.n_documents, claim.n_publishers = n_docs, n_pubs
    _set_dates(session, [c for c in claims if c.id in rows])


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
    lineage = doc.lineage_id or doc.id
    publisher = doc.publisher or None
    for claim in claims:
        found = stances.get(claim.id, set())
        confidence = (confidences or {}).get(claim.id, 1.0)
        earlier = claim.n_documents or 0  # evidence from other documents, as the summary says
        if not earlier:
            claim.confidence = confidence
            claim.stance = headline(found)
            claim.n_documents, claim.n_publishers = 1, 1 if publisher else 0
            continue
        before = {"denied", "alleged"} if claim.stance == "contested" else {claim.stance}
        claim.stance = headline(found | before)
        claim.confidence = max(1.0 if claim.confidence is None else claim.confidence, confidence)
        # a first version brings a new lineage; a new version counts only if no earlier one backs it
        if lineage == doc.id or not _cited(session, claim.id, doc.id, DocumentRow.lineage_id == lineage):
            claim.n_documents += 1
        if publisher and not _cited(session, claim.id, doc.id, DocumentRow.publisher == publisher):
            claim.n_publishers += 1
    _set_dates(session, claims)  # event dates of any sentence, else published days (claim_dates)


def _cited(session: Session, claim_id: int, doc_id: int, where: ColumnElement[bool]) -> bool:
    """Whether evidence from another document that meets `where` backs the claim."""
    return session.scalar(
        select(EvidenceRow.id).join(DocumentRow, EvidenceRow.document_id == DocumentRow.id)
        .where(EvidenceRow.claim_id == claim_id, DocumentRow.id != doc_id, where).limit(1)) is not None
