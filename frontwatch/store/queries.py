"""Read-side queries: store statistics, entity profiles and claims with their corroboration."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFoundError
from ..graph.filters import STANCE_FILTERS, date_conditions, stance_condition
from ..resolve.candidate import norm
from .schema import AliasRow, ClaimRow, DocEntityRow, DocumentRow, EntityRow, EvidenceRow
from .summary import claim_dates, headline, stance_counts


@dataclass
class Source:
    document: str
    title: str | None
    url: str | None
    publisher: str | None
    stance: str
    attributed_to: str | None
    evidence: str
    date: str | None
    document_id: int | None = None  # for links to the document view (keys need not be unique)
    start: int | None = None  # the evidence sentence's offsets in the document text
    end: int | None = None
    confidence: float = 1.0  # the extractor's confidence in this sentence's claim


@dataclass
class ClaimView:
    """A canonical claim with its corroboration: never a bare fact."""

    id: int
    subject: str
    predicate: str
    object: str
    tactic: str | None
    stance: str  # the headline: contested when a source denies it and another asserts or alleges it,
    # else asserted if any source asserts it, else alleged if any alleges it, else denied (summary.headline)
    documents: int  # distinct documents (versions of one URL count once)
    publishers: int
    alleged_only_in: list[str] = field(default_factory=list)
    alleged_by: list[str] = field(default_factory=list)
    denied_by: list[str] = field(default_factory=list)
    review_status: str = "pending"
    reviewed_by: str | None = None
    sources: list[Source] = field(default_factory=list)
    first_seen: str | None = None  # the claim's dates: event dates, else published days (date_source)
    confidence: float = 1.0  # the extractor's: the highest of its sources' (1.0 from rules alone)
    asserted_by: list[str] = field(default_factory=list)
    stance_counts: dict[str, int] = field(default_factory=dict)  # documents per stance of its sources
    last_seen: str | None = None
    date_source: str | None = None  # "event" (a sentence gives a date) or "published"; None: unknown

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def live_entity(session: Session, entity_id: int) -> EntityRow:
    """The entity an entity was merged into, through any chain of merges (a cycle stops where it closes)."""
    seen = {entity_id}
    row = session.get(EntityRow, entity_id)
    while row is not None and row.merged_into_id is not None and row.merged_into_id not in seen:
        seen.add(row.merged_into_id)
        row = session.get(EntityRow, row.merged_into_id)
    if row is None:
        raise NotFoundError(f"no entity with id {entity_id}")
    return row


def merged_ids(session: Session, entity_id: int) -> set[int]:
    """The entity and every entity merged into it, directly or through others."""
    ids, frontier = {entity_id}, {entity_id}
    while frontier:
        frontier = set(session.scalars(select(EntityRow.id).where(EntityRow.merged_into_id.in_(frontier))))
        frontier -= ids
        ids |= frontier
    return ids


MAX_ROW_ID = 2_147_483_647  # PostgreSQL integer; a larger number is no row's id (SQLite cannot even bind it)


def row_id(text: str) -> int | None:
    """`text` as a row id when it is one: ASCII digits, at most MAX_ROW_ID (else None)."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    value = int(text)
    return value if value <= MAX_ROW_ID else None


def find_entity(session: Session, name: str, fuzzy: bool = True) -> EntityRow:
    """An entity by id, exact name or alias, else (with `fuzzy`) a name that differs only slightly."""
    number = row_id(name)
    if number is not None:
        return live_entity(session, number)
    key = norm(name)
    ids = session.scalars(select(AliasRow.entity_id).where(AliasRow.norm == key)).all()
    live = {live_entity(session, i).id for i in ids}
    if len(live) == 1:
        return live_entity(session, live.pop())
    if len(live) > 1:
        rows = [session.get(EntityRow, i) for i in sorted(live)]
        listed = ", ".join(f"{r.id}: {r.name} ({r.type})" for r in rows if r)
        raise NotFoundError(f"'{name}' names several entities ({listed}); use the id")
    if not fuzzy:
        raise NotFoundError(f"no entity named '{name}'")
    known: dict[str, int] = {n: i for n, i in session.execute(select(AliasRow.norm, AliasRow.entity_id))}
    best = process.extractOne(key, list(known), scorer=fuzz.token_sort_ratio, score_cutoff=90)
    if best is None:
        raise NotFoundError(f"no entity named '{name}'")
    return live_entity(session, known[best[0]])


def stats(session: Session) -> dict[str, Any]:
    """Counts of what the store holds."""
    def count(q: Any) -> int:
        return int(session.scalar(q) or 0)

    live = EntityRow.merged_into_id.is_(None)
    return {
        "documents": count(select(func.count(DocumentRow.id))),
        "entities": count(select(func.count(EntityRow.id)).where(live)),
        "claims": count(select(func.count(ClaimRow.id))),
        "evidence": count(select(func.count(EvidenceRow.id))),
        "entities_by_type": dict(session.execute(
            select(EntityRow.type, func.count(EntityRow.id)).where(live).group_by(EntityRow.type)).all()),
        "claims_by_predicate": dict(session.execute(
            select(ClaimRow.predicate, func.count(ClaimRow.id)).group_by(ClaimRow.predicate)).all()),
        "claims_by_stance": dict(session.execute(  # the headline stance, contested included
            select(ClaimRow.stance, func.count(ClaimRow.id)).where(ClaimRow.n_documents > 0)
            .group_by(ClaimRow.stance)).all()),
        "evidence_by_stance": dict(session.execute(
            select(EvidenceRow.stance, func.count(EvidenceRow.id)).group_by(EvidenceRow.stance)).all()),
        "claims_by_review": dict(session.execute(
            select(ClaimRow.review_status, func.count(ClaimRow.id)).group_by(ClaimRow.review_status)).all()),
        "publishers": count(select(func.count(func.distinct(DocumentRow.publisher)))),
    }


def claim_views(session: Session, claims: list[ClaimRow]) -> list[ClaimView]:
    """Claims with their sources and corroboration counts."""
    if not claims:
        return []
    ids = [c.id for c in claims]
    rows = session.execute(
        select(EvidenceRow, DocumentRow).join(DocumentRow, EvidenceRow.document_id == DocumentRow.id)
        .where(EvidenceRow.claim_id.in_(ids)).order_by(EvidenceRow.id)).all()
    by_claim: dict[int, list[tuple[EvidenceRow, DocumentRow]]] = defaultdict(list)
    for ev, doc in rows:
        by_claim[ev.claim_id].append((ev, doc))
    names = {e.id: e.name for e in session.scalars(select(EntityRow).where(
        EntityRow.id.in_({c.subject_id for c in claims} | {c.object_id for c in claims})))}
    dates = claim_dates(session, ids)
    views = []
    for c in claims:
        evs = by_claim.get(c.id, [])
        stances_by_doc: dict[int, set[str]] = defaultdict(set)
        for ev, doc in evs:
            stances_by_doc[doc.lineage_id or doc.id].add(ev.stance)
        stance = headline(s for ss in stances_by_doc.values() for s in ss)
        first, last, date_source = dates.get(c.id, (None, None, None))
        view = ClaimView(
            id=c.id, subject=names.get(c.subject_id, "?"), predicate=c.predicate,
            object=names.get(c.object_id, "?"), tactic=c.tactic, stance=stance,
            documents=len(stances_by_doc), publishers=len({d.publisher for _, d in evs if d.publisher}),
            alleged_only_in=sorted({d.doc_key for ev, d in evs
                                    if stances_by_doc[d.lineage_id or d.id] == {"alleged"}}),
            alleged_by=sorted({ev.attributed_to for ev, _ in evs
                               if ev.stance == "alleged" and ev.attributed_to}),
            denied_by=sorted({ev.attributed_to or "?" for ev, _ in evs if ev.stance == "denied"}),
            asserted_by=sorted({ev.attributed_to for ev, _ in evs
                                if ev.stance == "asserted" and ev.attributed_to}),
            stance_counts=stance_counts((ev.stance, d.lineage_id or d.id) for ev, d in evs),
            review_status=c.review_status, reviewed_by=c.reviewed_by,
            sources=[Source(d.doc_key, d.title, d.url, d.publisher, ev.stance, ev.attributed_to, ev.sentence,
                            ev.date, d.id, ev.start, ev.end, _confidence(ev.confidence)) for ev, d in evs],
            first_seen=first, last_seen=last, date_source=date_source,
            confidence=max((_confidence(ev.confidence) for ev, _ in evs), default=_confidence(c.confidence)),
        )
        if c.edits:
            view.predicate = c.edits.get("predicate", view.predicate)
            view.tactic = c.edits.get("tactic", view.tactic)
        views.append(view)
    return views


def _confidence(value: float | None) -> float:
    return 1.0 if value is None else round(float(value), 4)


def list_claims(session: Session, *, about: str | None = None, predicate: str | None = None,
                stance: str | None = None, tactic: str | None = None, min_sources: int = 1,
                since: str | None = None, until: str | None = None, limit: int | None = None
                ) -> list[ClaimView]:
    """Claims filtered as the `claims` command describes: `stance` and `since`/`until` mean what they
    mean in the graph, the timeline and exports (graph.filters.stance_condition, date_conditions)."""
    for value in (since, until):
        if value:
            datetime.fromisoformat(value)  # a clear ValueError for a bad date, caught by the CLI
    if stance and stance not in STANCE_FILTERS:
        raise ValueError(f"unknown stance '{stance}'")
    q = select(ClaimRow).where(ClaimRow.n_documents >= max(min_sources, 1), *date_conditions(since, until))
    if about:
        ent = find_entity(session, about)
        q = q.where((ClaimRow.subject_id == ent.id) | (ClaimRow.object_id == ent.id))
    if predicate:
        q = q.where(ClaimRow.predicate == predicate)
    if tactic:
        q = q.where(ClaimRow.tactic == tactic)
    if stance:
        q = q.where(stance_condition(stance))
    q = q.order_by(ClaimRow.id)
    return claim_views(session, list(session.scalars(q.limit(limit) if limit else q)))


def entity_profile(session: Session, name: str) -> dict[str, Any]:
    """Type, aliases, documents and claims in and out of one entity."""
    ent = find_entity(session, name)
    out_ = claim_views(session, list(session.scalars(
        select(ClaimRow).where(ClaimRow.subject_id == ent.id).order_by(ClaimRow.id))))
    in_ = claim_views(session, list(session.scalars(
        select(ClaimRow).where(ClaimRow.object_id == ent.id).order_by(ClaimRow.id))))
    out_, in_ = [v for v in out_ if v.documents], [v for v in in_ if v.documents]
    # as accuser: claims some source attributes to it (an attribution resolved to this entity)
    accuses = claim_views(session, list(session.scalars(
        select(ClaimRow).where(ClaimRow.id.in_(
            select(EvidenceRow.claim_id).join(DocEntityRow, EvidenceRow.attributed_de_id == DocEntityRow.id)
            .where(DocEntityRow.entity_id == ent.id))).order_by(ClaimRow.id))))
    documents = list(session.execute(
        select(DocumentRow.id, DocumentRow.doc_key, DocumentRow.title, DocumentRow.publisher,
               DocumentRow.published).where(DocumentRow.id.in_(
                   select(DocEntityRow.document_id).where(DocEntityRow.entity_id == ent.id)))
        .order_by(DocumentRow.published.is_(None), DocumentRow.published.desc(), DocumentRow.id)))
    merged = merged_ids(session, ent.id)
    aliases = set(session.scalars(select(AliasRow.alias).where(AliasRow.entity_id.in_(merged))))
    return {
        "id": ent.id, "name": ent.name, "type": ent.type, "gazetteer_id": ent.gazetteer_id,
        "aliases": sorted(aliases - {ent.name}), "documents": len(documents),
        "review_status": ent.review_status, "claims_out": [v.to_dict() for v in out_],
        "claims_in": [v.to_dict() for v in in_], "accuses": [v.to_dict() for v in accuses if v.documents],
        "document_list": [{"id": i, "key": k, "title": t, "publisher": p, "published": d}
                          for i, k, t, p, d in documents],
        "publishers": sorted({p for *_, p, _ in documents if p}),
    }
