"""Browsing: documents, entities and claims with facets (counts under the other filters), sorting and
pages, and CSV or JSON Lines downloads of exactly what is listed; the home page's counts and backlog."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import Response

from ...errors import FrontwatchError
from ...export.csv import writer
from ...store.browse import Browse, browse, home
from ..deps import FiltersDep, SessionDep, ViewerDep
from ..models import MAX_ID, AnyReviewStatus, EntityType, PlainText

router = APIRouter(tags=["browse"])
Kind = Annotated[Literal["documents", "entities", "claims"], Path(description="what to list")]
COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("id", "key", "title", "publisher", "published", "url", "claims", "entities", "ingested_at"),
    "entities": ("id", "name", "type", "country", "gazetteer_id", "review_status", "documents", "claims"),
    "claims": ("id", "subject", "predicate", "object", "stance", "asserted_by", "alleged_by", "denied_by",
               "tactic", "documents", "publishers", "first_seen", "last_seen", "review_status", "confidence",
               "sources"),
}


def browse_params(
    filters: FiltersDep,
    review_status: Annotated[AnyReviewStatus | None, Query(description="Entities or claims in this review "
                                                           "state (claims: rejected ones only so).")] = None,
    publisher: Annotated[PlainText | None, Query(max_length=300, description="Documents (claims: with a "
                                                 "source) from this publisher.")] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Z]{2,3}$", description="An entity's country code; a "
                                         "claim's on either end.")] = None,
    type: Annotated[EntityType | None, Query(description="An entity's type; a claim's on either end.")
                    ] = None,
    q: Annotated[PlainText | None, Query(max_length=200, description="Words in a document's title or an "
                                         "entity's name.")] = None,
    entity: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Claims about this entity, documents "
                                        "that mention it.")] = None,
    sort: Annotated[str, Query(pattern=r"^-?[a-z_]{0,20}$", description="A column; '-' first for "
                               "descending (default: newest documents, best-sourced entities and claims).")
                    ] = "",
) -> Browse:
    """The page's choices; `since`/`until` are the claim filters' days, and a document's published day."""
    return Browse(filters=filters, review_status=review_status, publisher=publisher, country=country,
                  type=type, since=filters.since, until=filters.until, q=q, entity=entity, sort=sort)


BrowseDep = Annotated[Browse, Depends(browse_params)]


def _run(session: SessionDep, kind: str, b: Browse) -> dict[str, Any]:
    try:
        return browse(session, kind, b)
    except FrontwatchError as exc:
        if "cannot sort" in str(exc):
            raise HTTPException(422, str(exc)) from None
        raise


@router.get("/api/browse/{kind}", summary="Browse documents, entities or claims")
def list_page(kind: Kind, session: SessionDep, _: ViewerDep, b: BrowseDep,
              limit: Annotated[int, Query(ge=1, le=500)] = 50,
              offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> dict[str, Any]:
    """One page: `items`, `total`, `facets` ({facet: {value: count}}, each counted under the other
    filters) and `sort`. Claims carry their stance and attribution."""
    return _run(session, kind, replace(b, limit=limit, offset=offset))


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v.get("document", "")) if isinstance(v, dict) else str(v) for v in value)
    return "" if value is None else value


@router.get("/api/browse/{kind}/export", summary="Download what a browse page lists",
            responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}})
def export_page(kind: Kind, session: SessionDep, _: ViewerDep, b: BrowseDep,
                format: Annotated[Literal["csv", "jsonl"], Query()],
                limit: Annotated[int, Query(ge=1, le=100_000)] = 50,
                offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> Response:
    """Exactly the rows the page with the same parameters lists, in its order (CSV: every cell quoted,
    formula cells neutralised)."""
    items = _run(session, kind, replace(b, limit=limit, offset=offset))["items"]
    buf = io.StringIO()
    if format == "csv":
        w = writer(buf)
        w.writerow(COLUMNS[kind])
        for item in items:
            w.writerow([_cell(item.get(c)) for c in COLUMNS[kind]])
        media, suffix = "text/csv; charset=utf-8", "csv"
    else:
        for item in items:
            buf.write(json.dumps(item, ensure_ascii=False) + "\n")
        media, suffix = "application/x-ndjson", "jsonl"
    return Response(buf.getvalue(), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="frontwatch-{kind}.{suffix}"'})


@router.get("/api/home", summary="The home page's numbers")
def home_page(session: SessionDep, _: ViewerDep) -> dict[str, Any]:
    """Counts, the documents added last and the review backlog (pending claims)."""
    return home(session)
