"""Entities: list and find, profile, and the analyst's corrections (merge, split, review)."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query
from sqlalchemy import func, or_, select

from ...resolve.candidate import norm
from ...store.curation import merge, review, split
from ...store.queries import entity_profile
from ...store.schema import AliasRow, DocEntityRow, EntityRow
from ..deps import AnalystDep, SessionDep, ViewerDep, WriteStoreDep
from ..models import (
    MAX_ID,
    AuditId,
    EntityItem,
    EntityPage,
    EntityProfile,
    EntityReview,
    EntityType,
    Merge,
    PlainText,
    Split,
)

router = APIRouter(prefix="/api/entities", tags=["entities"])
EntityId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@router.get("", response_model=EntityPage)
def list_entities(session: SessionDep, _: ViewerDep,
                  q: Annotated[PlainText | None, Query(max_length=400, description="Part of a name or alias.")
                               ] = None,
                  type: Annotated[EntityType | None, Query()] = None,
                  limit: Annotated[int, Query(ge=1, le=500)] = 50,
                  offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> EntityPage:
    """Live entities (merged ones live on in the entity they joined), most documents first."""
    docs = (select(DocEntityRow.entity_id, func.count(func.distinct(DocEntityRow.document_id)).label("n"))
            .group_by(DocEntityRow.entity_id).subquery())
    n = func.coalesce(docs.c.n, 0)
    conds: list[Any] = [EntityRow.merged_into_id.is_(None)]
    if type:
        conds.append(EntityRow.type == type)
    if q and q.strip():
        key = norm(q)
        by_alias = select(AliasRow.entity_id).where(AliasRow.norm.like(_like(key), escape="\\"))
        conds.append(or_(func.lower(EntityRow.name).like(_like(q.strip().lower()), escape="\\"),
                         EntityRow.id.in_(by_alias) if key else EntityRow.id.is_(None)))
    total = session.scalar(select(func.count(EntityRow.id)).where(*conds)) or 0
    rows = session.execute(select(EntityRow, n).outerjoin(docs, docs.c.entity_id == EntityRow.id)
                           .where(*conds).order_by(n.desc(), EntityRow.name, EntityRow.id)
                           .limit(limit).offset(offset)).all()
    aliases: dict[int, set[str]] = defaultdict(set)
    ids = [e.id for e, _ in rows]
    if ids:
        for entity_id, alias in session.execute(select(AliasRow.entity_id, AliasRow.alias)
                                                .where(AliasRow.entity_id.in_(ids))):
            aliases[entity_id].add(alias)
    items = [EntityItem(id=e.id, name=e.name, type=e.type, aliases=sorted(aliases[e.id] - {e.name}),
                        documents=int(count), review_status=e.review_status) for e, count in rows]
    return EntityPage(items=items, total=int(total))


@router.post("/merge", response_model=AuditId)
def merge_entities(body: Merge, store: WriteStoreDep, user: AnalystDep) -> AuditId:
    """Merge `gone` into `keep` (one real-world actor); reversible with undo (analyst)."""
    return AuditId(audit_id=store.retry(lambda s: merge(s, str(body.keep), str(body.gone), user.name).id))


@router.get("/{entity_id:int}", response_model=EntityProfile)
def profile(entity_id: EntityId, session: SessionDep, _: ViewerDep) -> EntityProfile:
    """Type, aliases, documents and every claim in and out, each with stance, attribution and sources.
    A merged entity's id answers with the entity it was merged into."""
    return EntityProfile.model_validate(entity_profile(session, str(entity_id)))


@router.post("/{entity_id:int}/split", response_model=AuditId)
def split_entity(entity_id: EntityId, body: Split, store: WriteStoreDep, user: AnalystDep) -> AuditId:
    """Move the entity's mentions in some documents (by key) or under some written forms to a new entity
    (analyst); reversible with undo."""
    if not body.documents and not body.forms:
        raise HTTPException(422, "say which mentions move: give documents or forms")
    return AuditId(audit_id=store.retry(lambda s: split(
        s, str(entity_id), documents=body.documents, forms=body.forms, new_name=body.name,
        actor=user.name).id))


@router.post("/{entity_id:int}/review", response_model=AuditId)
def review_entity(entity_id: EntityId, body: EntityReview, store: WriteStoreDep, user: AnalystDep
                  ) -> AuditId:
    """Accept, reject or reset an entity; a new name or type records a correction ("edited")."""
    edits = {k: v for k, v in (("name", body.name), ("type", body.type)) if v}
    return AuditId(audit_id=store.retry(
        lambda s: review(s, "entity", str(entity_id), body.status, user.name, edits).id))
