"""Analysts' notes on claims, entities and documents (issue 14 item 1): audited, undoable
(`undo` removes the note), never touched by ingest."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import FrontwatchError, NotFoundError
from .manual import audit_entry, claim_names, find_document
from .queries import find_entity
from .schema import AuditRow, ClaimRow, NoteRow

NOTE_KINDS = ("claim", "entity", "document")
MAX_NOTE = 10_000


def note_target(session: Session, kind: str, ref: str) -> tuple[int, str]:
    """The id and a readable name of what a note is about."""
    if kind not in NOTE_KINDS:
        raise FrontwatchError(f"a note is on a claim, an entity or a document, not '{kind}'")
    if kind == "entity":
        ent = find_entity(session, ref, fuzzy=False)
        return ent.id, ent.name
    if kind == "document":
        doc = find_document(session, ref)
        return doc.id, doc.title or doc.doc_key
    claim = session.get(ClaimRow, int(ref)) if ref.strip().isdigit() and len(ref) < 12 else None
    if claim is None:
        raise NotFoundError(f"no claim with id {ref}")
    n = claim_names(session, claim)
    return claim.id, f"{n['subject']} {n['predicate']} {n['object']}"


def add_note(session: Session, kind: str, ref: str, text: str, actor: str) -> AuditRow:
    """An analyst's note on a claim, an entity or a document."""
    text = text.strip()
    if not text:
        raise FrontwatchError("a note needs some text")
    if len(text) > MAX_NOTE:
        raise FrontwatchError(f"a note is at most {MAX_NOTE} characters")
    ref_id, name = note_target(session, kind, ref)
    note = NoteRow(kind=kind, ref_id=ref_id, text=text, author=actor)
    session.add(note)
    session.flush()
    return audit_entry(session, actor, "note", f"{kind} {ref_id}", {
        "note": note.id, "kind": kind, "ref": ref_id, "before": None, "after": {kind: name, "note": text}})


def notes_for(session: Session, kind: str, ref_id: int) -> list[dict[str, Any]]:
    """The notes on one claim, entity or document, oldest first."""
    rows = session.scalars(select(NoteRow).where(NoteRow.kind == kind, NoteRow.ref_id == ref_id)
                           .order_by(NoteRow.id))
    return [{"id": n.id, "kind": n.kind, "ref_id": n.ref_id, "text": n.text, "author": n.author,
             "created_at": n.created_at.isoformat()} for n in rows]
