"""Claims: filtered lists, one claim with its documents, review by an analyst, and an analyst's own
claims and edits of every field (store/manual.py)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from ...errors import NotFoundError
from ...graph.filters import Filters
from ...store.curation import review
from ...store.manual import add_claim, edit_claim
from ...store.queries import claim_views, find_entity
from ...store.schema import ClaimRow, EvidenceRow
from ..deps import AnalystDep, FiltersDep, SessionDep, ViewerDep, WriteStoreDep
from ..models import (
    MAX_ID,
    AnyReviewStatus,
    ClaimChange,
    ClaimCreate,
    ClaimDetail,
    ClaimEdit,
    ClaimOut,
    ClaimPage,
    ClaimReview,
    PlainText,
)
from ..routing import SharedPathRoute, share_paths

router = APIRouter(prefix="/api/claims", tags=["claims"], route_class=SharedPathRoute)
ClaimId = Annotated[int, Path(ge=1, le=MAX_ID)]
ClaimOrder = Literal["oldest", "newest", "least_confident"]
# "newest" puts the last ingested claims first: what an analyst reviews after an ingest
ORDERS = {"oldest": (ClaimRow.id,), "newest": (ClaimRow.id.desc(),),
          "least_confident": (ClaimRow.confidence, ClaimRow.id)}


def claim_condition(filters: Filters, review_status: str | None) -> ColumnElement[bool]:
    """The filters' SQL condition, optionally for one review state (rejected ones included)."""
    return filters.where(review_status)


def view(session: Session, claim_id: int) -> ClaimOut:
    row = session.get(ClaimRow, claim_id)
    if row is None:
        raise NotFoundError(f"no claim with id {claim_id}")
    return ClaimOut.model_validate(claim_views(session, [row])[0].to_dict())


@router.get("", response_model=ClaimPage)
def list_claims(session: SessionDep, _: ViewerDep, filters: FiltersDep,
                about: Annotated[PlainText | None, Query(max_length=400,
                                                         description="An entity (id or name) on either end.")
                                 ] = None,
                review_status: Annotated[AnyReviewStatus | None, Query(
                    description="Only claims in this review state (the review queue: pending).")] = None,
                order: Annotated[ClaimOrder, Query(
                    description="oldest (default), newest or least_confident first.")] = "oldest",
                limit: Annotated[int, Query(ge=1, le=500)] = 50,
                offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> ClaimPage:
    """Claims that pass the filters, with corroboration: stance, who alleges and denies, every source."""
    cond = claim_condition(filters, review_status)
    if about and about.strip():
        ent = find_entity(session, about.strip())
        cond = and_(cond, (ClaimRow.subject_id == ent.id) | (ClaimRow.object_id == ent.id))
    total = session.scalar(select(func.count(ClaimRow.id)).where(cond)) or 0
    rows = list(session.scalars(select(ClaimRow).where(cond).order_by(*ORDERS[order])
                                .limit(limit).offset(offset)))
    return ClaimPage(items=[ClaimOut.model_validate(v.to_dict()) for v in claim_views(session, rows)],
                     total=int(total))


@router.get("/{claim_id}", response_model=ClaimDetail)
def get_claim(claim_id: ClaimId, session: SessionDep, _: ViewerDep) -> ClaimDetail:
    """One claim, plus the ids of the documents its evidence is in (link to /documents/{id}#claim-{id})."""
    base = view(session, claim_id)
    docs = sorted(set(session.scalars(select(EvidenceRow.document_id)
                                      .where(EvidenceRow.claim_id == claim_id))))
    return ClaimDetail(**base.model_dump(), document_ids=docs)


@router.post("/{claim_id}/review", response_model=ClaimOut)
def review_claim(claim_id: ClaimId, body: ClaimReview, store: WriteStoreDep, user: AnalystDep) -> ClaimOut:
    """Accept, reject or reset a claim; a new predicate or tactic records a correction ("edited")."""
    edits: dict[str, str] = {k: v for k, v in (("predicate", body.predicate), ("tactic", body.tactic)) if v}

    def work(session: Session) -> ClaimOut:
        if session.get(ClaimRow, claim_id) is None:
            raise NotFoundError(f"no claim with id {claim_id}")
        review(session, "claim", str(claim_id), body.status, user.name, edits)
        return view(session, claim_id)

    return store.retry(work)


def change(session: Session, audit_id: int, claim_id: int) -> ClaimChange:
    row = session.get(ClaimRow, claim_id)
    assert row is not None
    return ClaimChange(audit_id=audit_id, claim=view(session, claim_id), subject_id=row.subject_id,
                       object_id=row.object_id)


@router.post("", response_model=ClaimChange, status_code=201)
def create_claim(body: ClaimCreate, store: WriteStoreDep, user: AnalystDep) -> ClaimChange:
    """Add a claim read in a sentence of a stored document (analyst): subject and object name existing
    entities (name or id), or new ones when their type is given. Audited; reversible with undo."""

    def work(session: Session) -> ClaimChange:
        entry = add_claim(session, document=str(body.document), sentence=body.sentence, subject=body.subject,
                          predicate=body.predicate, object_=body.object, actor=user.name, stance=body.stance,
                          attributed_to=body.attributed_to, tactic=body.tactic, date=body.date,
                          subject_type=body.subject_type, object_type=body.object_type)
        return change(session, entry.id, int(entry.detail["claim"]))

    return store.retry(work)


@router.patch("/{claim_id}", response_model=ClaimChange)
def patch_claim(claim_id: ClaimId, body: ClaimEdit, store: WriteStoreDep, user: AnalystDep) -> ClaimChange:
    """Change any field of a claim (analyst): subject, predicate, object and tactic; stance, attribution
    and date of its evidence (of one document's evidence with `document`). Audited with the claim before
    and after; reversible with undo; a later ingest never overwrites it."""
    fields = body.model_dump(exclude_none=True, exclude={"subject_type", "object_type", "document"})

    def work(session: Session) -> ClaimChange:
        entry = edit_claim(session, claim_id, fields, user.name,
                           document=str(body.document) if body.document else None,
                           subject_type=body.subject_type, object_type=body.object_type)
        return change(session, entry.id, claim_id)

    return store.retry(work)


share_paths(router)
