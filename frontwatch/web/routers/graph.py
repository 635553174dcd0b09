"""The network: an entity's neighbourhood, shortest paths between two entities, a large filtered view.
Every edge carries its summary stance and who alleges or denies it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...graph.traverse import neighbors, shortest_paths
from ...store.queries import live_entity
from ...store.schema import ClaimRow, EntityRow, EvidenceRow
from ...store.summary import claim_dates
from ..deps import FiltersDep, SessionDep, ViewerDep
from ..models import MAX_ID, GraphEdge, GraphNode, Neighborhood, NetworkOut, Paths

router = APIRouter(prefix="/api/graph", tags=["graph"])
CHUNK = 5000


def attribution(session: Session, claim_ids: Iterable[int]) -> dict[int, tuple[list[str], list[str]]]:
    """Who alleges and who denies each claim (from its evidence)."""
    ids = sorted(set(claim_ids))
    alleged: dict[int, set[str]] = defaultdict(set)
    denied: dict[int, set[str]] = defaultdict(set)
    for i in range(0, len(ids), CHUNK):
        for claim_id, stance, who in session.execute(
                select(EvidenceRow.claim_id, EvidenceRow.stance, EvidenceRow.attributed_to)
                .where(EvidenceRow.claim_id.in_(ids[i:i + CHUNK]), EvidenceRow.stance != "asserted")):
            if stance == "alleged" and who:
                alleged[claim_id].add(who)
            elif stance == "denied":
                denied[claim_id].add(who or "?")
    return {i: (sorted(alleged[i]), sorted(denied[i])) for i in ids}


def _with_attribution(session: Session, edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    who = attribution(session, (e["id"] for e in edges))
    return [{**e, "alleged_by": who[e["id"]][0], "denied_by": who[e["id"]][1]} for e in edges]


@router.get("/neighbors/{entity_id}", response_model=Neighborhood)
def graph_neighbors(entity_id: Annotated[int, Path(ge=1, le=MAX_ID)], session: SessionDep, _: ViewerDep,
                    filters: FiltersDep, depth: Annotated[int, Query(ge=1, le=4)] = 1) -> Neighborhood:
    """Entities within `depth` hops (claims followed either way) and the claims between them."""
    data = neighbors(session, str(entity_id), depth, filters)
    data["edges"] = _with_attribution(session, data["edges"])
    return Neighborhood.model_validate(data)


@router.get("/path", response_model=Paths)
def graph_path(session: SessionDep, _: ViewerDep, filters: FiltersDep,
               source: Annotated[int, Query(ge=1, le=MAX_ID)], target: Annotated[int, Query(ge=1, le=MAX_ID)],
               max_hops: Annotated[int, Query(ge=1, le=8)] = 6) -> Paths:
    """Up to five shortest paths, every hop with its claim, stance and evidence."""
    if live_entity(session, source).id == live_entity(session, target).id:
        name = live_entity(session, source).name
        return Paths(source=name, target=name, filters=filters.describe(), paths=[],
                     note="source and target are the same entity")
    data = shortest_paths(session, str(source), str(target), filters, max_hops=max_hops)
    for path in data["paths"]:
        path["hops"] = _with_attribution(session, path["hops"])
    return Paths.model_validate(data)


@router.get("/network", response_model=NetworkOut)
def graph_network(session: SessionDep, _: ViewerDep, filters: FiltersDep,
                  limit: Annotated[int, Query(ge=1, le=50_000)] = 2000) -> NetworkOut:
    """The filtered network, best-corroborated claims first, at most `limit` of them."""
    claims = list(session.scalars(select(ClaimRow).where(filters.where())
                                  .order_by(ClaimRow.n_documents.desc(), ClaimRow.id).limit(limit + 1)))
    truncated = len(claims) > limit
    claims = claims[:limit]
    ids = sorted({c.subject_id for c in claims} | {c.object_id for c in claims})
    nodes: dict[int, GraphNode] = {}
    for i in range(0, len(ids), CHUNK):
        for row in session.execute(select(EntityRow.id, EntityRow.name, EntityRow.type)
                                   .where(EntityRow.id.in_(ids[i:i + CHUNK]))):
            nodes[row.id] = GraphNode(id=row.id, name=row.name, type=row.type)
    who = attribution(session, (c.id for c in claims))
    dates = claim_dates(session, (c.id for c in claims))
    edges = [GraphEdge(id=c.id, subject_id=c.subject_id, object_id=c.object_id,
                       subject=nodes[c.subject_id].name, object=nodes[c.object_id].name,
                       predicate=(c.edits or {}).get("predicate", c.predicate),
                       stance=c.stance, tactic=(c.edits or {}).get("tactic", c.tactic),
                       documents=c.n_documents,
                       publishers=c.n_publishers, first_seen=c.first_seen, last_seen=c.last_seen,
                       review_status=c.review_status, alleged_by=who[c.id][0], denied_by=who[c.id][1],
                       confidence=round(c.confidence, 4), date_source=dates.get(c.id, (None, None, None))[2])
             for c in claims]
    return NetworkOut(nodes=sorted(nodes.values(), key=lambda n: n.id), edges=edges, truncated=truncated)
