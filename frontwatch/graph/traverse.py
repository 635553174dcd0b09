"""Neighbourhoods and shortest paths, walked hop by hop in SQL so they stay fast on large stores
(indexed subject/object columns; one query per hop and side). Claims are followed in either
direction; each hop reports the claim as stated, with its evidence."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..errors import NotFoundError
from ..store.queries import find_entity
from ..store.schema import ClaimRow, DocumentRow, EntityRow, EvidenceRow
from .filters import Filters

CHUNK = 5000  # ids per IN (...) list
Hop = tuple[int, int, int]  # (claim id, subject id, object id)


def _hop(session: Session, frontier: set[int], filters: Filters) -> list[Hop]:
    """All claims that touch the frontier and pass the filters."""
    ids = sorted(frontier)
    out: list[Hop] = []
    for i in range(0, len(ids), CHUNK):
        part = ids[i:i + CHUNK]
        out += [(c, s, o) for c, s, o in session.execute(
            select(ClaimRow.id, ClaimRow.subject_id, ClaimRow.object_id)
            .where(filters.where(), or_(ClaimRow.subject_id.in_(part), ClaimRow.object_id.in_(part))))]
    return out


def _entities(session: Session, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    ids = list(ids)
    out = {}
    for i in range(0, len(ids), CHUNK):
        for row in session.execute(select(EntityRow.id, EntityRow.name, EntityRow.type)
                                   .where(EntityRow.id.in_(ids[i:i + CHUNK]))):
            out[row.id] = {"id": row.id, "name": row.name, "type": row.type}
    return out


def _claims(session: Session, ids: Iterable[int], with_evidence: bool = False) -> dict[int, dict[str, Any]]:
    ids = sorted(set(ids))
    out: dict[int, dict[str, Any]] = {}
    for i in range(0, len(ids), CHUNK):
        for c in session.scalars(select(ClaimRow).where(ClaimRow.id.in_(ids[i:i + CHUNK]))):
            out[c.id] = {"id": c.id, "subject_id": c.subject_id, "predicate": c.predicate,
                         "object_id": c.object_id, "stance": c.stance, "tactic": c.tactic,
                         "documents": c.n_documents, "publishers": c.n_publishers,
                         "first_seen": c.first_seen, "last_seen": c.last_seen,
                         "review_status": c.review_status,
                         "confidence": 1.0 if c.confidence is None else round(c.confidence, 4)}
    if with_evidence and out:
        for ev, doc in session.execute(
                select(EvidenceRow, DocumentRow).join(DocumentRow, EvidenceRow.document_id == DocumentRow.id)
                .where(EvidenceRow.claim_id.in_(list(out))).order_by(EvidenceRow.id)):
            out[ev.claim_id].setdefault("evidence", []).append({
                "document": doc.doc_key, "title": doc.title, "url": doc.url, "publisher": doc.publisher,
                "sentence": ev.sentence, "stance": ev.stance, "attributed_to": ev.attributed_to,
                "confidence": 1.0 if ev.confidence is None else round(ev.confidence, 4)})
    return out


def neighbors(session: Session, name: str, depth: int = 1, filters: Filters | None = None,
              limit: int = 5000) -> dict[str, Any]:
    """Entities within `depth` hops of one entity, and the claims between them."""
    filters = filters or Filters()
    center = find_entity(session, name)
    distance = {center.id: 0}
    frontier = {center.id}
    claim_ids: set[int] = set()
    truncated = False
    for d in range(1, depth + 1):
        nxt: set[int] = set()
        for claim_id, s, o in _hop(session, frontier, filters):
            claim_ids.add(claim_id)
            for n in (s, o):
                if n not in distance:
                    distance[n] = d
                    nxt.add(n)
        frontier = nxt
        if len(distance) > limit:
            truncated = True
            break
    nodes = _entities(session, distance)
    claims = _claims(session, claim_ids)
    edges = [c for c in claims.values() if c["subject_id"] in nodes and c["object_id"] in nodes]
    return {
        "center": nodes[center.id], "depth": depth, "filters": filters.describe(), "truncated": truncated,
        "nodes": sorted(({**nodes[i], "distance": distance[i]} for i in nodes),
                        key=lambda n: (n["distance"], n["name"])),
        "edges": [_named(e, nodes) for e in sorted(edges, key=lambda e: e["id"])],
    }


def _named(claim: dict[str, Any], nodes: dict[int, dict[str, Any]]) -> dict[str, Any]:
    return {**claim, "subject": nodes[claim["subject_id"]]["name"],
            "object": nodes[claim["object_id"]]["name"]}


def shortest_paths(session: Session, source: str, target: str, filters: Filters | None = None,
                   max_hops: int = 8, limit: int = 5) -> dict[str, Any]:
    """Up to `limit` shortest paths between two entities (bidirectional search), every hop with its
    claim and evidence."""
    filters = filters or Filters()
    a, b = find_entity(session, source), find_entity(session, target)
    if a.id == b.id:
        raise NotFoundError(f"'{source}' and '{target}' are the same entity ({a.name})")
    parents: tuple[dict[int, list[Hop]], dict[int, list[Hop]]] = ({a.id: []}, {b.id: []})
    frontiers = ({a.id}, {b.id})
    meet: set[int] = set()
    hops = 0
    while not meet and hops < max_hops and frontiers[0] and frontiers[1]:
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1  # expand the smaller side
        seen, other = parents[side], parents[1 - side]
        nxt: set[int] = set()
        level: dict[int, list[Hop]] = {}
        for hop in _hop(session, frontiers[side], filters):
            _, s, o = hop
            for here, there in ((s, o), (o, s)):
                if here in frontiers[side] and there not in seen:
                    level.setdefault(there, []).append(hop)
                    nxt.add(there)
        for n, via in level.items():
            seen[n] = via
        frontiers = (nxt, frontiers[1]) if side == 0 else (frontiers[0], nxt)
        meet = nxt & set(other)
        hops += 1
    if not meet:
        return {"source": a.name, "target": b.name, "paths": [], "filters": filters.describe(),
                "note": f"no path within {max_hops} hops"}
    paths: list[list[Hop]] = []
    for m in sorted(meet):
        for left in _walk(parents[0], m, limit):
            for right in _walk(parents[1], m, limit):
                paths.append(left + list(reversed(right)))
                if len(paths) >= limit:
                    break
    paths = paths[:limit]
    claims = _claims(session, {h[0] for p in paths for h in p}, with_evidence=True)
    nodes = _entities(session, {n for p in paths for h in p for n in h[1:]})
    out = []
    for p in paths:
        steps, at = [], a.id
        for claim_id, s, o in p:
            nxt_node = o if s == at else s
            steps.append({"from": nodes[at]["name"], "to": nodes[nxt_node]["name"],
                          **_named(claims[claim_id], nodes)})
            at = nxt_node
        out.append({"length": len(steps), "hops": steps})
    return {"source": a.name, "target": b.name, "filters": filters.describe(), "paths": out}


def _walk(parents: dict[int, list[Hop]], node: int, limit: int) -> list[list[Hop]]:
    """Hop lists from the search's start to `node` (at most `limit`)."""
    if not parents[node]:
        return [[]]
    out: list[list[Hop]] = []
    for hop in parents[node]:
        prev = hop[1] if hop[2] == node else hop[2]
        for head in _walk(parents, prev, limit):
            out.append(head + [hop])
            if len(out) >= limit:
                return out
    return out
