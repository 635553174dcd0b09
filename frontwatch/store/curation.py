"""Analyst corrections: merge and split entities, review claims and entities; all in the audit log,
all reversible (`undo`). Claims are re-derived from their evidence, so a merge or split only moves a
document's entities between canonical entities and re-homes the evidence that touches them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import FrontwatchError, NotFoundError
from ..model import ENTITY_TYPES
from ..resolve.candidate import norm
from .ingest import SYMMETRIC, claims_for
from .manual import MANUAL_ACTIONS, audit_entry, check_values, undo_manual
from .queries import MAX_ROW_ID, find_entity, merged_ids, row_id
from .schema import (
    REVIEW_STATES,
    AliasRow,
    AuditRow,
    ClaimRow,
    DocEntityRow,
    DocumentRow,
    EntityRow,
    EvidenceRow,
)
from .search import reindex_after
from .summary import refresh_claims


def _audit(session: Session, actor: str, action: str, target: str, detail: dict[str, Any]) -> AuditRow:
    row = audit_entry(session, actor, action, target, detail)
    reindex_after(session, action, detail)  # full-text search follows every correction
    return row


def _rehome(session: Session, de_ids: set[int]) -> dict[str, Any]:
    """Move the evidence that touches these document entities to the claim their entities now make.
    Everything it changes is recorded so that `undo` can put it back exactly: each move as
    [evidence id, claim before, claim after], the claims it created, the review states it copied onto
    a claim and the tactics it filled in."""
    moves: list[list[int]] = []
    created: list[int] = []
    reviews: list[list[Any]] = []
    tactics: list[list[Any]] = []
    if not de_ids:
        return {"moves": moves, "created": created, "reviews": reviews, "tactics": tactics}
    evs = session.scalars(select(EvidenceRow).where(
        EvidenceRow.subject_de_id.in_(de_ids) | EvidenceRow.object_de_id.in_(de_ids))
        .order_by(EvidenceRow.id)).all()
    tactic_seen: set[int] = set()
    for ev in evs:
        s = session.get(DocEntityRow, ev.subject_de_id)
        o = session.get(DocEntityRow, ev.object_de_id)
        assert s is not None and o is not None
        before = session.scalar(select(ClaimRow.id).order_by(ClaimRow.id.desc()).limit(1))
        existing = _claim_of(session, s.entity_id, ev.predicate, o.entity_id)
        old_tactic = existing.tactic if existing is not None else None
        [target] = claims_for(session, [(s.entity_id, ev.predicate, o.entity_id, ev.tactic)])
        if existing is not None and target.id not in tactic_seen and target.tactic != old_tactic:
            tactics.append([target.id, old_tactic])
        tactic_seen.add(target.id)
        if target.id == ev.claim_id:
            continue
        if before is None or target.id > before:
            created.append(target.id)
        source = session.get(ClaimRow, ev.claim_id)
        if source is not None and source.review_status != "pending" and target.review_status == "pending":
            reviews.append([target.id, target.review_status, target.reviewed_by,
                            target.reviewed_at.isoformat() if target.reviewed_at else None])
            target.review_status, target.reviewed_by = source.review_status, source.reviewed_by
            target.reviewed_at = source.reviewed_at
        moves.append([ev.id, ev.claim_id, target.id])
        ev.claim_id = target.id
    refresh_claims(session, {m[1] for m in moves} | {ev.claim_id for ev in evs})
    return {"moves": moves, "created": created, "reviews": reviews, "tactics": tactics}


def _claim_of(session: Session, subject_id: int, predicate: str, object_id: int) -> ClaimRow | None:
    """The stored claim (subject, predicate, object), if any (a symmetric one in its stored order)."""
    if predicate in SYMMETRIC and object_id < subject_id:
        subject_id, object_id = object_id, subject_id
    return session.scalars(select(ClaimRow).where(
        ClaimRow.subject_id == subject_id, ClaimRow.predicate == predicate,
        ClaimRow.object_id == object_id)).first()


def merge(session: Session, keep_name: str, gone_name: str, actor: str) -> AuditRow:
    """Merge entity `gone` into `keep` (same real-world actor)."""
    # changes name entities exactly (or by id): a near miss must not merge the wrong actor
    keep, gone = find_entity(session, keep_name, fuzzy=False), find_entity(session, gone_name, fuzzy=False)
    if keep.id == gone.id:
        raise FrontwatchError(f"'{keep_name}' and '{gone_name}' are already one entity ({keep.name})")
    des = session.scalars(select(DocEntityRow).where(DocEntityRow.entity_id == gone.id)).all()
    for de in des:
        de.entity_id = keep.id
    gone.merged_into_id = keep.id
    session.flush()
    # document entities stored after this one are those ingest may resolve through gone's names
    water = session.scalar(select(func.max(DocEntityRow.id))) or 0
    detail = {"keep": keep.id, "gone": gone.id, "doc_entities": [d.id for d in des], "de_water": water,
              **_rehome(session, {d.id for d in des})}
    return _audit(session, actor, "merge", f"entity {gone.id} -> {keep.id}", detail)


def split(session: Session, name: str, *, documents: list[str], forms: list[str], new_name: str | None,
          actor: str) -> AuditRow:
    """Move the mentions of an entity in some documents (or under some surface forms) to a new entity."""
    ent = find_entity(session, name, fuzzy=False)
    des = session.scalars(select(DocEntityRow).where(DocEntityRow.entity_id == ent.id)).all()
    keys = {d.id: d for d in session.scalars(select(DocumentRow).where(
        DocumentRow.id.in_({de.document_id for de in des})))}
    wanted = {f.casefold() for f in forms}
    chosen = [de for de in des if keys[de.document_id].doc_key in documents
              or any(f.casefold() in wanted for f in [de.local_name, *de.forms])]
    if not chosen:
        raise NotFoundError(f"no mention of '{ent.name}' matches those documents or forms")
    if len(chosen) == len(des):
        raise FrontwatchError(f"that would move every mention of '{ent.name}'; rename it instead")
    new = EntityRow(name=new_name or chosen[0].local_name, type=chosen[0].local_type)
    new.aliases.append(AliasRow(alias=new.name, norm=norm(new.name)))
    session.add(new)
    session.flush()
    for de in chosen:
        de.entity_id = new.id
    session.flush()
    detail = {"from": ent.id, "new": new.id, "doc_entities": [d.id for d in chosen],
              **_rehome(session, {d.id for d in chosen})}
    return _audit(session, actor, "split", f"entity {ent.id} -> {new.id}", detail)


def review(session: Session, kind: str, ident: str, status: str, actor: str,
           edits: dict[str, str] | None = None) -> AuditRow:
    """Set the review state of a claim (by id) or an entity (by id or name)."""
    if status not in REVIEW_STATES:
        raise FrontwatchError(f"review status must be one of {', '.join(REVIEW_STATES)}")
    check_edits(kind, edits or {})
    row: ClaimRow | EntityRow | None
    if kind == "claim":
        number = row_id(ident)
        row = session.get(ClaimRow, number) if number is not None else None
    else:
        row = find_entity(session, ident, fuzzy=False)
    if row is None:
        raise NotFoundError(f"no {kind} with id {ident}")
    before = [row.review_status, row.reviewed_by, row.reviewed_at.isoformat() if row.reviewed_at else None]
    old_edits = getattr(row, "edits", None)
    row.review_status, row.reviewed_by, row.reviewed_at = status, actor, datetime.now(UTC)
    if edits and isinstance(row, ClaimRow):
        row.edits = {**(row.edits or {}), **edits}
        row.review_status = "edited"
    elif edits and isinstance(row, EntityRow):
        row.name = edits.get("name", row.name)
        row.type = edits.get("type", row.type)
        row.review_status = "edited"
    return _audit(session, actor, "review", f"{kind} {row.id}",
                  {"kind": kind, "id": row.id, "before": before, "edits_before": old_edits, "status": status,
                   "edits": edits or {}})


EDITABLE = {"claim": ("predicate", "tactic"), "entity": ("name", "type")}  # what a review may correct


def check_edits(kind: str, edits: dict[str, str]) -> None:
    """Refuse a correction that is not a field of that kind or not in its vocabulary (it is exported)."""
    fields = EDITABLE.get(kind)
    if fields is None:
        raise FrontwatchError("review what? 'claim' or 'entity'")
    for key in edits:
        if key not in fields:
            raise FrontwatchError(f"a {kind} review cannot change '{key}' (only {', '.join(fields)})")
    check_values(predicate=edits.get("predicate"), tactic=edits.get("tactic"))
    if "type" in edits and edits["type"] not in ENTITY_TYPES:
        raise FrontwatchError(f"unknown type '{edits['type']}' (one of {', '.join(ENTITY_TYPES)})")
    if "name" in edits and not edits["name"].strip():
        raise FrontwatchError(f"a {kind}'s name cannot be empty")


def _dependents(session: Session, entry: AuditRow) -> list[int]:
    """The later merges and splits (not undone) that moved a document entity or a piece of evidence
    this merge or split moved: undoing it first would hand their evidence to the wrong entity."""
    d = entry.detail
    des = set(d.get("doc_entities", []))
    evs = {m[0] for m in d.get("moves", [])}
    later = session.scalars(select(AuditRow).where(
        AuditRow.id > entry.id, AuditRow.action.in_(("merge", "split")), AuditRow.undone_by.is_(None))
        .order_by(AuditRow.id)).all()
    return [e.id for e in later if des & set(e.detail.get("doc_entities", []))
            or evs & {m[0] for m in e.detail.get("moves", [])}]


def _check_undoable(session: Session, entry: AuditRow) -> None:
    """Refuse to undo a merge or split unless the store still holds exactly what it left."""
    d = entry.detail
    blockers = _dependents(session, entry)
    if blockers:
        listed = ", ".join(str(i) for i in blockers)
        which = f"entries {listed} depend" if len(blockers) > 1 else f"entry {listed} depends"
        raise FrontwatchError(f"audit entry {entry.id} ({entry.action}) cannot be undone while later "
                              f"{which} on it: undo {'those' if len(blockers) > 1 else 'it'} first")
    at = d["keep"] if entry.action == "merge" else d["new"]
    moved = [de for de in (session.get(DocEntityRow, i) for i in d["doc_entities"]) if de is not None]
    evs = {m[0]: m for m in d["moves"]}
    now = {ev.id: ev.claim_id for ev in session.scalars(select(EvidenceRow).where(
        EvidenceRow.id.in_(evs)))} if evs else {}
    if any(de.entity_id != at for de in moved) or any(
            len(m) > 2 and m[0] in now and now[m[0]] != m[2] for m in evs.values()):
        raise FrontwatchError(f"audit entry {entry.id} ({entry.action}) cannot be undone: the entities "
                              "or evidence it moved have been changed since")


def undo(session: Session, audit_id: int, actor: str) -> AuditRow:
    """Reverse one merge, split, review, added claim, claim edit or note exactly; a merge or split
    that later merges or splits depend on is refused until those are undone."""
    entry = session.get(AuditRow, audit_id) if 0 < audit_id <= MAX_ROW_ID else None
    if entry is None:
        raise NotFoundError(f"no audit entry {audit_id}")
    if entry.undone_by is not None:
        raise FrontwatchError(f"audit entry {audit_id} was already undone (by entry {entry.undone_by})")
    d = entry.detail
    deleted: list[int] = []
    followed: dict[str, Any] = {"doc_entities": []}
    if entry.action in ("merge", "split"):
        _check_undoable(session, entry)
        back_to = d["gone"] if entry.action == "merge" else d["from"]
        for de_id in d["doc_entities"]:
            de = session.get(DocEntityRow, de_id)
            if de is not None:
                de.entity_id = back_to
        touched: set[int] = set()
        for ev_id, claim_id, *_ in reversed(d["moves"]):
            ev = session.get(EvidenceRow, ev_id)
            if ev is not None:
                touched |= {ev.claim_id, claim_id}
                ev.claim_id = claim_id
        for claim_id, status, by, *at in d["reviews"]:
            claim = session.get(ClaimRow, claim_id)
            if claim is not None:
                claim.review_status, claim.reviewed_by = status, by
                if at:
                    claim.reviewed_at = datetime.fromisoformat(at[0]) if at[0] else None
        for claim_id, tactic in d.get("tactics", []):
            claim = session.get(ClaimRow, claim_id)
            if claim is not None:
                claim.tactic = tactic
        refresh_claims(session, touched | set(d.get("created", [])))
        deleted = _drop_empty(session, d.get("created", []))
        if entry.action == "merge":
            gone = session.get(EntityRow, d["gone"])
            if gone is not None:
                followers = _followers(session, d)
                gone.merged_into_id = None
                for de in followers:
                    de.entity_id = gone.id
                session.flush()
                followed = {"doc_entities": [de.id for de in followers],
                            **_rehome(session, {de.id for de in followers})}
        else:
            new = session.get(EntityRow, d["new"])
            if new is not None:
                new.merged_into_id = d["from"]  # retired, its names lead back to the original
    elif entry.action == "review":
        row = session.get(ClaimRow, d["id"]) if d["kind"] == "claim" else session.get(EntityRow, d["id"])
        if row is not None:
            status, by, at = d["before"]
            row.review_status, row.reviewed_by = status, by
            row.reviewed_at = datetime.fromisoformat(at) if at else None
            if isinstance(row, ClaimRow):
                row.edits = d.get("edits_before")
    elif entry.action in MANUAL_ACTIONS:  # an analyst's own claim, edit or note (store/manual.py)
        deleted = undo_manual(session, entry).get("deleted_claims", [])
    else:
        raise FrontwatchError(f"audit entry {audit_id} ({entry.action}) cannot be undone")
    session.flush()
    done = _audit(session, actor, "undo", f"audit {audit_id}",
                  {"undid": audit_id, "deleted_claims": deleted, "followed": followed})
    if followed["doc_entities"]:
        reindex_after(session, "merge", {"gone": d["gone"], **followed})
    entry.undone_by = done.id
    return done


def _followers(session: Session, d: dict[str, Any]) -> list[DocEntityRow]:
    """The document entities ingest resolved into `keep` through the names of `gone` after the merge
    (and through none of keep's own names): undoing the merge takes them back to gone."""
    if d.get("de_water") is None:
        return []
    gone_ids = merged_ids(session, d["gone"])
    keep_ids = merged_ids(session, d["keep"]) - gone_ids
    def names(ids: set[int]) -> set[str]:
        return set(session.scalars(select(AliasRow.norm).where(AliasRow.entity_id.in_(ids))))

    gone_names, keep_names = names(gone_ids), names(keep_ids)
    later = session.scalars(select(DocEntityRow).where(
        DocEntityRow.id > d["de_water"], DocEntityRow.entity_id == d["keep"]).order_by(DocEntityRow.id))
    out = []
    for de in later:
        forms = {norm(f) for f in [de.local_name, *(de.forms or [])]}
        if forms & gone_names and not forms & keep_names:
            out.append(de)
    return out


def _drop_empty(session: Session, claim_ids: list[int]) -> list[int]:
    """Delete the claims a merge or split created that its undo left without evidence (unless an
    analyst has reviewed or edited them since): the store is as it was before."""
    dropped = []
    for claim_id in sorted(set(claim_ids)):
        claim = session.get(ClaimRow, claim_id)
        if claim is None or claim.review_status != "pending" or claim.edits:
            continue
        if session.scalar(select(EvidenceRow.id).where(EvidenceRow.claim_id == claim_id).limit(1)) is None:
            session.delete(claim)
            dropped.append(claim_id)
    session.flush()
    return dropped


def audit_log(session: Session, limit: int = 50) -> list[dict[str, Any]]:
    """The newest entries: who, when, what; an analyst's claims, edits and notes also say what the
    claim read before and after (names, not ids)."""
    rows = session.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)).all()
    return [{"id": r.id, "at": r.at.isoformat(), "actor": r.actor, "action": r.action, "target": r.target,
             "undone_by": r.undone_by,
             **({"before": r.detail.get("before"), "after": r.detail.get("after")}
                if r.action in MANUAL_ACTIONS else {})} for r in rows]
