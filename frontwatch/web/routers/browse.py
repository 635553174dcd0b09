"""Browsing: documents, entities and claims with facets (counts under the other filters), sorting and
pages, and CSV or JSON Lines downloads of exactly what is listed; the home page's counts and backlog."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session

from ...export.csv import writer
from ...store.browse import Browse, browse, home
from ..deps import FiltersDep, SessionDep, ViewerDep
from ..models import MAX_ID, AnyReviewStatus, EntityType, PlainText

router = APIRouter(tags=["browse"])
COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("id", "key", "title", "publisher", "published", "url", "claims", "entities", "ingested_at"),
    "entities": ("id", "name", "type", "country", "gazetteer_id", "review_status", "documents", "claims"),
    "claims": ("id", "subject", "predicate", "object", "stance", "asserted_by", "alleged_by", "denied_by",
               "tactic", "documents", "publishers", "first_seen", "last_seen", "review_status", "confidence",
               "sources"),
}


DocumentSort = Literal["published", "-published", "title", "-title", "publisher", "-publisher", "claims",
                      "-claims", "entities", "-entities", "ingested", "-ingested"]
EntitySort = Literal["name", "-name", "type", "-type", "country", "-country", "documents", "-documents",
                     "claims", "-claims", "created", "-created"]
ClaimSort = Literal["id", "-id", "documents", "-documents", "publishers", "-publishers", "confidence",
                   "-confidence", "first_seen", "-first_seen", "last_seen", "-last_seen", "predicate",
                   "-predicate", "stance", "-stance"]
SORT_HELP = ("A column; '-' first for descending (default: newest documents, best-sourced entities and "
             "claims).")
DocumentSortQ = Annotated[DocumentSort | None, Query(description=SORT_HELP)]
EntitySortQ = Annotated[EntitySort | None, Query(description=SORT_HELP)]
ClaimSortQ = Annotated[ClaimSort | None, Query(description=SORT_HELP)]
Limit = Annotated[int, Query(ge=1, le=500)]
ExportLimit = Annotated[int, Query(ge=1, le=100_000)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
ExportFormat = Annotated[Literal["csv", "jsonl"], Query()]
DOWNLOAD: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}}


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
) -> Browse:
    """The page's choices; `since`/`until` are the claim filters' days, and a document's published day."""
    return Browse(filters=filters, review_status=review_status, publisher=publisher, country=country,
                  type=type, since=filters.since, until=filters.until, q=q, entity=entity)


BrowseDep = Annotated[Browse, Depends(browse_params)]


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v.get("document", "")) if isinstance(v, dict) else str(v) for v in value)
    return "" if value is None else value


def _page(session: Session, kind: str, b: Browse, sort: str | None, limit: int, offset: int
          ) -> dict[str, Any]:
    return browse(session, kind, replace(b, sort=sort or "", limit=limit, offset=offset))


def _download(kind: str, items: list[dict[str, Any]], format: str) -> Response:
    """Exactly these rows (CSV: every cell quoted, formula cells neutralised)."""
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


@router.get("/api/browse/documents")
def browse_documents(session: SessionDep, _: ViewerDep, b: BrowseDep, limit: Limit = 50, offset: Offset = 0,
                     sort: DocumentSortQ = None) -> dict[str, Any]:
    """One page of documents: `items`, `total`, `sort` and `facets` ({facet: {value: count}}, each
    counted under the other choices): publisher, year (since/until: the published day)."""
    return _page(session, "documents", b, sort, limit, offset)


@router.get("/api/browse/entities")
def browse_entities(session: SessionDep, _: ViewerDep, b: BrowseDep, limit: Limit = 50, offset: Offset = 0,
                    sort: EntitySortQ = None) -> dict[str, Any]:
    """One page of live entities with facets type, country and review_status."""
    return _page(session, "entities", b, sort, limit, offset)


@router.get("/api/browse/claims")
def browse_claims(session: SessionDep, _: ViewerDep, b: BrowseDep, limit: Limit = 50, offset: Offset = 0,
                  sort: ClaimSortQ = None) -> dict[str, Any]:
    """One page of claims (the claim filters of /api/claims) with stance and attribution; facets
    predicate, stance, tactic, review_status, publisher, country and type."""
    return _page(session, "claims", b, sort, limit, offset)


@router.get("/api/browse/documents/export", responses=DOWNLOAD)
def export_documents(session: SessionDep, _: ViewerDep, b: BrowseDep, format: ExportFormat,
                     limit: ExportLimit = 50, offset: Offset = 0,
                     sort: DocumentSortQ = None) -> Response:
    """Exactly the documents the same parameters list, in order, as CSV or JSON Lines."""
    return _download("documents", _page(session, "documents", b, sort, limit, offset)["items"], format)


@router.get("/api/browse/entities/export", responses=DOWNLOAD)
def export_entities(session: SessionDep, _: ViewerDep, b: BrowseDep, format: ExportFormat,
                    limit: ExportLimit = 50, offset: Offset = 0,
                    sort: EntitySortQ = None) -> Response:
    """Exactly the entities the same parameters list, in order, as CSV or JSON Lines."""
    return _download("entities", _page(session, "entities", b, sort, limit, offset)["items"], format)


@router.get("/api/browse/claims/export", responses=DOWNLOAD)
def export_claims(session: SessionDep, _: ViewerDep, b: BrowseDep, format: ExportFormat,
                  limit: ExportLimit = 50, offset: Offset = 0,
                  sort: ClaimSortQ = None) -> Response:
    """Exactly the claims the same parameters list, in order, as CSV or JSON Lines (stance, who
    asserts, alleges and denies each)."""
    return _download("claims", _page(session, "claims", b, sort, limit, offset)["items"], format)


@router.get("/api/home", summary="The home page's numbers")
def home_page(session: SessionDep, _: ViewerDep) -> dict[str, Any]:
    """Counts, the documents added last and the review backlog (pending claims)."""
    return home(session)
