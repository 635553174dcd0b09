"""The timeline: claims by their date (the event date their sentences give, else the day their documents
were published; `date_source` says which; undated claims come last), optionally about one actor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import and_, select

from ...store.queries import live_entity
from ...store.schema import ClaimRow, EntityRow
from ...store.summary import claim_dates
from ..deps import FiltersDep, SessionDep, ViewerDep
from ..models import MAX_ID, Timeline, TimelineItem
from .graph import attribution

router = APIRouter(prefix="/api", tags=["timeline"])


@router.get("/timeline", response_model=Timeline)
def timeline(session: SessionDep, _: ViewerDep, filters: FiltersDep,
             actor: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Claims with this entity on "
                                                "either end.")] = None,
             limit: Annotated[int, Query(ge=1, le=20_000)] = 2000) -> Timeline:
    """Claims in date order (date = first_seen: an event date, else a published day, as `date_source`
    says; undated claims last), with stance and attribution."""
    cond = filters.where()
    if actor is not None:
        ent = live_entity(session, actor)
        cond = and_(cond, (ClaimRow.subject_id == ent.id) | (ClaimRow.object_id == ent.id))
    claims = list(session.scalars(select(ClaimRow).where(cond)
                                  .order_by(ClaimRow.first_seen.is_(None), ClaimRow.first_seen, ClaimRow.id)
                                  .limit(limit + 1)))
    truncated = len(claims) > limit
    claims = claims[:limit]
    ids = {c.subject_id for c in claims} | {c.object_id for c in claims}
    names: dict[int, str] = {i: n for i, n in session.execute(
        select(EntityRow.id, EntityRow.name).where(EntityRow.id.in_(ids)))} if ids else {}
    who = attribution(session, (c.id for c in claims))
    dates = claim_dates(session, (c.id for c in claims))
    items = [TimelineItem(claim_id=c.id, date=c.first_seen, subject=names.get(c.subject_id, "?"),
                          subject_id=c.subject_id, predicate=(c.edits or {}).get("predicate", c.predicate),
                          object=names.get(c.object_id, "?"), object_id=c.object_id, stance=c.stance,
                          tactic=(c.edits or {}).get("tactic", c.tactic), documents=c.n_documents,
                          alleged_by=who[c.id][0], denied_by=who[c.id][1],
                          date_source=dates.get(c.id, (None, None, None))[2]) for c in claims]
    return Timeline(items=items, truncated=truncated)
