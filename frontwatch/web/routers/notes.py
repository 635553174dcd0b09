"""Analysts' notes on claims, entities and documents (store/notes.py): read by anyone who may read,
written by an analyst, audited and reversible with undo."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy.orm import Session

from ...store.notes import add_note, note_target, notes_for
from ...store.schema import NoteRow
from ..deps import AnalystDep, SessionDep, ViewerDep, WriteStoreDep
from ..models import MAX_ID, NoteAdded, NoteIn, NoteKind, NoteOut

router = APIRouter(prefix="/api/notes", tags=["notes"])


@router.get("/{kind}/{ref}", response_model=list[NoteOut])
def list_notes(session: SessionDep, _: ViewerDep, kind: Annotated[NoteKind, Path()],
               ref: Annotated[int, Path(ge=1, le=MAX_ID, description="The claim, entity or document id.")]
               ) -> list[NoteOut]:
    """The notes on one claim, entity or document, oldest first."""
    ref_id, _name = note_target(session, kind, str(ref))
    return [NoteOut.model_validate(n) for n in notes_for(session, kind, ref_id)]


@router.post("", response_model=NoteAdded, status_code=201)
def create_note(body: NoteIn, store: WriteStoreDep, user: AnalystDep) -> NoteAdded:
    """Add a note (analyst); `undo` of its audit entry removes it."""

    def work(session: Session) -> NoteAdded:
        entry = add_note(session, body.kind, str(body.ref), body.text, user.name)
        note = session.get(NoteRow, entry.detail["note"])
        assert note is not None
        return NoteAdded(audit_id=entry.id, note=NoteOut(
            id=note.id, kind=note.kind, ref_id=note.ref_id, text=note.text, author=note.author,
            created_at=note.created_at.isoformat()))

    return store.retry(work)
