"""Browsing the store: documents, entities and claims with facets, sorting and pages. A facet's counts
are taken under every other filter chosen (not its own), so each count says what choosing it would give.
Claims are filtered with graph.filters.Filters, the filters of /api/claims, the graph and the exports."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import ColumnElement, and_, distinct, exists, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from ..errors import FrontwatchError
from ..graph.filters import Filters
from ..model import STANCES
from .queries import claim_views, live_entity
from .schema import REVIEW_STATES, ClaimRow, DocEntityRow, DocumentRow, EntityRow, EvidenceRow

KINDS = ("documents", "entities", "claims")
DEFAULT_SORT = {"documents": "-published", "entities": "-documents", "claims": "-documents"}


@dataclass(frozen=True)
class Browse:
    """What to list: the claim filters, the other facets, the words to look for, the order and the page."""

    filters: Filters = field(default_factory=Filters)
    review_status: str | None = None
    publisher: str | None = None
    country: str | None = None  # an entity's country code (ISO 3166 alpha-2); a claim's on either end
    type: str | None = None  # an entity's type; a claim's on either end
    since: str | None = None  # documents: published on or after (claims: filters.since)
    until: str | None = None
    q: str | None = None  # words in a document's title or an entity's name
    entity: int | None = None  # claims about this entity, documents that mention it
    sort: str = ""
    limit: int = 50
    offset: int = 0

    def without(self, facet: str) -> Browse:
        """The same browse with one facet's choice dropped (for that facet's counts)."""
        drop: dict[str, Any] = {"predicates": ()} if facet == "predicate" else {facet: None}
        if facet in ("predicate", "stance", "tactic"):
            return replace(self, filters=replace(self.filters, **drop))
        return replace(self, **drop)


# --- documents ---------------------------------------------------------------------------------------

DOC_CLAIMS = (select(func.count(distinct(EvidenceRow.claim_id)))
              .where(EvidenceRow.document_id == DocumentRow.id).correlate(DocumentRow).scalar_subquery())
DOC_ENTITIES = (select(func.count(distinct(DocEntityRow.entity_id)))
                .where(DocEntityRow.document_id == DocumentRow.id).correlate(DocumentRow).scalar_subquery())
DOC_SORTS: dict[str, Any] = {"published": DocumentRow.published, "title": DocumentRow.title,
                             "publisher": DocumentRow.publisher, "ingested": DocumentRow.id,
                             "claims": DOC_CLAIMS, "entities": DOC_ENTITIES}
DOC_FACETS: dict[str, Any] = {"publisher": DocumentRow.publisher,
                              "year": func.substr(DocumentRow.published, 1, 4)}


def _words(column: Any, q: str | None) -> list[ColumnElement[bool]]:
    return [column.ilike(f"%{w.replace('%', '').replace('_', '')}%") for w in (q or "").split()[:10]]


def _document_where(b: Browse, session: Session) -> ColumnElement[bool]:
    conds: list[ColumnElement[bool]] = _words(DocumentRow.title, b.q)
    if b.publisher:
        conds.append(DocumentRow.publisher == b.publisher)
    if b.since:
        conds.append(DocumentRow.published >= b.since)
    if b.until:
        conds.append(DocumentRow.published <= b.until + "\uffff")  # the whole day, month or year
    if b.entity:
        ent = live_entity(session, b.entity)
        conds.append(exists().where(DocEntityRow.document_id == DocumentRow.id,
                                    DocEntityRow.entity_id == ent.id))
    return and_(true(), *conds)


def _document_item(row: Any) -> dict[str, Any]:
    doc: DocumentRow = row[0]
    return {"id": doc.id, "key": doc.doc_key, "title": doc.title, "url": doc.url, "publisher": doc.publisher,
            "published": doc.published, "ingested_at": doc.ingested_at.isoformat(), "version": doc.version,
            "claims": int(row[1] or 0), "entities": int(row[2] or 0)}


# --- entities ----------------------------------------------------------------------------------------

ENT_DOCS = (select(func.count(distinct(DocEntityRow.document_id)))
            .where(DocEntityRow.entity_id == EntityRow.id).correlate(EntityRow).scalar_subquery())
ENT_CLAIMS = (select(func.count(ClaimRow.id)).where(
    or_(ClaimRow.subject_id == EntityRow.id, ClaimRow.object_id == EntityRow.id), ClaimRow.n_documents > 0)
    .correlate(EntityRow).scalar_subquery())
ENT_SORTS: dict[str, Any] = {"name": func.lower(EntityRow.name), "type": EntityRow.type,
                             "country": EntityRow.state, "documents": ENT_DOCS, "claims": ENT_CLAIMS,
                             "created": EntityRow.id}
ENT_FACETS: dict[str, Any] = {"type": EntityRow.type, "country": EntityRow.state,
                              "review_status": EntityRow.review_status}


def _entity_where(b: Browse, session: Session) -> ColumnElement[bool]:
    conds: list[ColumnElement[bool]] = [EntityRow.merged_into_id.is_(None), *_words(EntityRow.name, b.q)]
    for facet, column in ENT_FACETS.items():
        value = getattr(b, facet)
        if value:
            conds.append(column == value)
    return and_(true(), *conds)


def _entity_item(row: Any) -> dict[str, Any]:
    e: EntityRow = row[0]
    return {"id": e.id, "name": e.name, "type": e.type, "country": e.state, "gazetteer_id": e.gazetteer_id,
            "review_status": e.review_status, "documents": int(row[1] or 0), "claims": int(row[2] or 0)}


# --- claims ------------------------------------------------------------------------------------------

CLAIM_SORTS: dict[str, Any] = {"id": ClaimRow.id, "documents": ClaimRow.n_documents,
                               "publishers": ClaimRow.n_publishers, "confidence": ClaimRow.confidence,
                               "first_seen": ClaimRow.first_seen, "last_seen": ClaimRow.last_seen,
                               "predicate": ClaimRow.predicate, "stance": ClaimRow.stance}
CLAIM_COLUMNS: dict[str, Any] = {"predicate": ClaimRow.predicate, "tactic": ClaimRow.tactic}


def _either_end(column: str, value: str) -> ColumnElement[bool]:
    end = aliased(EntityRow)  # never correlated with an EntityRow of the outer query
    ends = select(end.id).where(getattr(end, column) == value)
    return or_(ClaimRow.subject_id.in_(ends), ClaimRow.object_id.in_(ends))


def _claim_where(b: Browse, session: Session) -> ColumnElement[bool]:
    conds: list[ColumnElement[bool]] = [b.filters.where(b.review_status)]
    if b.publisher:
        ev, doc = aliased(EvidenceRow), aliased(DocumentRow)
        conds.append(select(ev.id).join(doc, doc.id == ev.document_id)
                     .where(ev.claim_id == ClaimRow.id, doc.publisher == b.publisher)
                     .correlate(ClaimRow).exists())
    if b.country:
        conds.append(_either_end("state", b.country))
    if b.type:
        conds.append(_either_end("type", b.type))
    if b.entity:
        ent = live_entity(session, b.entity)
        conds.append(or_(ClaimRow.subject_id == ent.id, ClaimRow.object_id == ent.id))
    return and_(*conds)


def _claim_facets(session: Session, b: Browse) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for facet, column in CLAIM_COLUMNS.items():
        cond = _claim_where(b.without(facet), session)
        out[facet] = _counts(session.execute(select(column, func.count(ClaimRow.id)).where(cond)
                                             .group_by(column)))
    # stance and review state: counted as the filter means them (a source with that stance, say)
    choices = {"stance": [replace(b, filters=replace(b.filters, stance=s)) for s in _stances()],
               "review_status": [replace(b, review_status=s) for s in REVIEW_STATES]}
    for facet, browses in choices.items():
        out[facet] = _counts((getattr(x.filters if facet == "stance" else x, facet), session.scalar(
            select(func.count(ClaimRow.id)).where(_claim_where(x, session)))) for x in browses)
    cond = _claim_where(b.without("publisher"), session)
    ev, doc = aliased(EvidenceRow), aliased(DocumentRow)  # the filters' own subqueries stay correlated
    out["publisher"] = _counts(session.execute(
        select(doc.publisher, func.count(distinct(ClaimRow.id))).select_from(ClaimRow)
        .join(ev, ev.claim_id == ClaimRow.id).join(doc, doc.id == ev.document_id)
        .where(cond, doc.publisher.is_not(None)).group_by(doc.publisher)))
    for facet, name in (("country", "state"), ("type", "type")):
        cond = _claim_where(b.without(facet), session)
        end = aliased(EntityRow)
        column = getattr(end, name)
        out[facet] = _counts(session.execute(
            select(column, func.count(distinct(ClaimRow.id))).select_from(ClaimRow)
            .join(end, or_(end.id == ClaimRow.subject_id, end.id == ClaimRow.object_id))
            .where(cond, column.is_not(None)).group_by(column)))
    return out


def _stances() -> list[str]:
    """The stances a claim filter takes (the three, and 'contested' where the filters know it)."""
    out = list(STANCES)
    try:
        Filters(stance="contested")
        out.append("contested")
    except FrontwatchError:
        pass
    return out


def _claim_items(session: Session, rows: list[ClaimRow]) -> list[dict[str, Any]]:
    out = []
    for row, view in zip(rows, claim_views(session, rows), strict=True):
        out.append({**view.to_dict(), "subject_id": row.subject_id, "object_id": row.object_id,
                    "last_seen": row.last_seen})
    return out


# --- all three ---------------------------------------------------------------------------------------

def _counts(rows: Any) -> dict[str, int]:
    pairs = [(str(k), int(n or 0)) for k, n in rows if k is not None and k != "" and n]
    return dict(sorted(pairs, key=lambda kv: (-kv[1], kv[0])))


def _order(sorts: dict[str, Any], sort: str, default: str, tiebreak: Any) -> list[Any]:
    key = sort or default
    name = key.removeprefix("-")
    if name not in sorts:
        raise FrontwatchError(f"cannot sort by '{name}' (one of {', '.join(sorts)}; "
                              "'-' first for descending)")
    column = sorts[name]
    return [column.desc().nulls_last() if key.startswith("-") else column.asc().nulls_last(),
            tiebreak.desc() if key.startswith("-") else tiebreak]


def browse(session: Session, kind: str, b: Browse) -> dict[str, Any]:
    """{"items", "total", "facets", "sort"}: one page of documents, entities or claims."""
    if kind == "documents":
        where = _document_where(b, session)
        order = _order(DOC_SORTS, b.sort, DEFAULT_SORT[kind], DocumentRow.id)
        total = session.scalar(select(func.count(DocumentRow.id)).where(where)) or 0
        rows = session.execute(select(DocumentRow, DOC_CLAIMS, DOC_ENTITIES).where(where).order_by(*order)
                               .limit(b.limit).offset(b.offset)).all()
        items = [_document_item(r) for r in rows]
        facets = {f: _counts(session.execute(select(col, func.count(DocumentRow.id)).where(_document_where(
            b.without(f) if f != "year" else replace(b, since=None, until=None), session)).group_by(col)))
                  for f, col in DOC_FACETS.items()}
    elif kind == "entities":
        where = _entity_where(b, session)
        order = _order(ENT_SORTS, b.sort, DEFAULT_SORT[kind], EntityRow.id)
        total = session.scalar(select(func.count(EntityRow.id)).where(where)) or 0
        rows = session.execute(select(EntityRow, ENT_DOCS, ENT_CLAIMS).where(where).order_by(*order)
                               .limit(b.limit).offset(b.offset)).all()
        items = [_entity_item(r) for r in rows]
        facets = {f: _counts(session.execute(select(col, func.count(EntityRow.id))
                                              .where(_entity_where(b.without(f), session)).group_by(col)))
                  for f, col in ENT_FACETS.items()}
    elif kind == "claims":
        where = _claim_where(b, session)
        order = _order(CLAIM_SORTS, b.sort, DEFAULT_SORT[kind], ClaimRow.id)
        total = session.scalar(select(func.count(ClaimRow.id)).where(where)) or 0
        claims = list(session.scalars(select(ClaimRow).where(where).order_by(*order)
                                      .limit(b.limit).offset(b.offset)))
        items = _claim_items(session, claims)
        facets = _claim_facets(session, b)
    else:
        raise FrontwatchError(f"nothing to browse called '{kind}' (one of {', '.join(KINDS)})")
    return {"items": items, "total": int(total), "facets": facets, "sort": b.sort or DEFAULT_SORT[kind]}


def home(session: Session, recent: int = 10) -> dict[str, Any]:
    """The home page: what the store holds, the documents added last and the review backlog."""
    from .queries import stats

    counts = stats(session)
    docs = session.execute(select(DocumentRow, DOC_CLAIMS, DOC_ENTITIES)
                           .order_by(DocumentRow.ingested_at.desc(), DocumentRow.id.desc())
                           .limit(recent)).all()
    pending = session.scalar(select(func.count(ClaimRow.id)).where(Filters().where("pending"))) or 0
    return {"documents": counts["documents"], "entities": counts["entities"],
            "claims": int(session.scalar(select(func.count(ClaimRow.id)).where(Filters().where())) or 0),
            "evidence": counts["evidence"], "publishers": counts["publishers"],
            "claims_by_review": counts["claims_by_review"], "pending_claims": int(pending),
            "recent_documents": [_document_item(r) for r in docs]}
