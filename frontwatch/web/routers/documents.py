"""One document: its text with the offsets of every mention and every piece of evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy import select
from sqlalchemy.orm import aliased

from ...errors import NotFoundError
from ...store.schema import ClaimRow, DocEntityRow, DocumentRow, EntityRow, EvidenceRow, MentionRow
from ..deps import SessionDep, ViewerDep
from ..models import MAX_ID, DocumentOut, EvidenceOut, MentionOut

router = APIRouter(prefix="/api/documents", tags=["documents"])


@router.get("/{document_id}", response_model=DocumentOut)
def get_document(document_id: Annotated[int, Path(ge=1, le=MAX_ID)], session: SessionDep, _: ViewerDep
                 ) -> DocumentOut:
    """The text, each mention (offsets into `text`, with its canonical entity) and each piece of evidence
    (offsets of the sentence, the claim it supports, its own stance and attribution)."""
    doc = session.get(DocumentRow, document_id)
    if doc is None:
        raise NotFoundError(f"no document with id {document_id}")
    mentions = [MentionOut(start=m.start, end=m.end, entity_id=e.id, entity=e.name, type=e.type)
                for m, e in session.execute(
                    select(MentionRow, EntityRow)
                    .join(DocEntityRow, DocEntityRow.id == MentionRow.doc_entity_id)
                    .join(EntityRow, EntityRow.id == DocEntityRow.entity_id)
                    .where(DocEntityRow.document_id == doc.id).order_by(MentionRow.start, MentionRow.id))]
    subject, obj = aliased(EntityRow), aliased(EntityRow)
    evidence = [EvidenceOut(claim_id=c.id, start=ev.start, end=ev.end,
                            predicate=(c.edits or {}).get("predicate", c.predicate), subject=s.name,
                            object=o.name, stance=ev.stance, attributed_to=ev.attributed_to,
                            sentence=ev.sentence, confidence=round(ev.confidence, 4))
                for ev, c, s, o in session.execute(
                    select(EvidenceRow, ClaimRow, subject, obj)
                    .join(ClaimRow, ClaimRow.id == EvidenceRow.claim_id)
                    .join(subject, subject.id == ClaimRow.subject_id)
                    .join(obj, obj.id == ClaimRow.object_id)
                    .where(EvidenceRow.document_id == doc.id).order_by(EvidenceRow.start, EvidenceRow.id))]
    return DocumentOut(id=doc.id, key=doc.doc_key, title=doc.title, url=doc.url, publisher=doc.publisher,
                       published=doc.published, ingested_at=doc.ingested_at.isoformat(), text=doc.text,
                       mentions=mentions, evidence=evidence)
