"""Who am I, health, search, and the audit log (with undo)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import func, select

from ...store.curation import audit_log, undo
from ...store.schema import DocumentRow
from ...store.search import search as run_search
from ..deps import AnalystDep, AuthDep, SessionDep, ViewerDep, WriteStoreDep
from ..models import MAX_ID, AuditEntry, AuditId, Health, Me, PlainText, SearchResult, UserOut

router = APIRouter(prefix="/api", tags=["meta"])


@router.get("/me", response_model=Me)
def me(auth: AuthDep) -> Me:
    """The logged-in user (or null), the session's CSRF token and whether the workbench is read-only."""
    user = UserOut(name=auth.user.name, role=auth.user.role) if auth.user else None
    return Me(user=user, csrf=auth.csrf, read_only=auth.read_only)


@router.get("/health", response_model=Health)
def health(session: SessionDep) -> Health:
    return Health(ok=True, documents=int(session.scalar(select(func.count(DocumentRow.id))) or 0))


@router.get("/search", response_model=SearchResult)
def search(session: SessionDep, _: ViewerDep,
           q: Annotated[PlainText, Query(max_length=500, description="Words to find (prefixes match).")],
           limit: Annotated[int, Query(ge=1, le=100)] = 20) -> SearchResult:
    """Entities, claims and documents matching every word of `q`, best first."""
    return SearchResult.model_validate(run_search(session, q, limit))


@router.get("/audit", response_model=list[AuditEntry])
def audit(session: SessionDep, _: ViewerDep, limit: Annotated[int, Query(ge=1, le=1000)] = 50
          ) -> list[AuditEntry]:
    """Merges, splits, reviews and undos, newest first."""
    return [AuditEntry.model_validate(r) for r in audit_log(session, limit)]


@router.post("/audit/{audit_id}/undo", response_model=AuditId)
def undo_entry(audit_id: Annotated[int, Path(ge=1, le=MAX_ID)], store: WriteStoreDep, user: AnalystDep
               ) -> AuditId:
    """Reverse a merge, split or review (analyst)."""
    return AuditId(audit_id=store.retry(lambda s: undo(s, audit_id, user.name).id))
