"""Saved investigations: a named set of entities and claims with notes and the graph page's layout.
Every create, update and delete goes in the audit log (who, when, before and after, with names)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import FrontwatchError, NotFoundError
from .manual import audit_entry
from .queries import live_entity
from .schema import AuditRow, ClaimRow, EntityRow, InvestigationRow, utcnow

FIELDS = ("name", "notes", "entity_ids", "claim_ids", "layout")
MAX_NAME = 200


def to_dict(row: InvestigationRow, full: bool = True, session: Session | None = None) -> dict[str, Any]:
    """The investigation as the API gives it; with a session, its ids as the store holds them now
    (`current`)."""
    out: dict[str, Any] = {"id": row.id, "name": row.name, "created_by": row.created_by,
                           "created_at": row.created_at.isoformat(), "updated_at": row.updated_at.isoformat(),
                           "entities": len(row.entity_ids or []), "claims": len(row.claim_ids or [])}
    if full:
        entity_ids, claim_ids, layout = (current(session, row) if session is not None else
                                         (list(row.entity_ids or []), list(row.claim_ids or []),
                                          dict(row.layout or {})))
        out |= {"notes": row.notes, "entity_ids": entity_ids, "claim_ids": claim_ids, "layout": layout}
    return out


def current(session: Session, row: InvestigationRow) -> tuple[list[int], list[int], dict[str, Any]]:
    """The investigation's entity ids, claim ids and layout after the merges and splits made since it
    was saved: an entity merged into another is that other, and a claim a merge or split emptied is
    the claim its evidence went to (the audit log's moves). Nothing stored changes, so undoing them
    gives the saved ids back."""
    ids = list(row.entity_ids or [])
    live = {i: _live(session, i) for i in ids}
    entity_ids = list(dict.fromkeys(live[i] for i in ids))
    out_claims = list(row.claim_ids or [])
    emptied = {c.id for c in _rows(session, ClaimRow, out_claims) if c.n_documents == 0}
    if emptied:  # a merge or split moved all their evidence: to where the audit log says it went
        moved_to = _moved(session, emptied)
        out_claims = [moved_to.get(cid, cid) for cid in out_claims]
    layout: dict[str, Any] = {}
    for key, pos in dict(row.layout or {}).items():
        now = str(live.get(int(key), int(key))) if key.isdigit() else key
        layout.setdefault(now, pos)
    return entity_ids, list(dict.fromkeys(out_claims)), layout


def _moved(session: Session, claim_ids: set[int]) -> dict[int, int]:
    """Claim -> the claim most of its evidence went to by merges and splits not undone, followed
    through later ones."""
    went: dict[int, Counter[int]] = {}
    entries = session.scalars(select(AuditRow).where(
        AuditRow.action.in_(("merge", "split")), AuditRow.undone_by.is_(None)).order_by(AuditRow.id))
    for entry in entries:
        for move in entry.detail.get("moves", []):
            if len(move) > 2:
                went.setdefault(int(move[1]), Counter())[int(move[2])] += 1
    out: dict[int, int] = {}
    for cid in claim_ids:
        now, seen = cid, {cid}
        while now in went:
            now = went[now].most_common(1)[0][0]
            if now in seen:
                break
            seen.add(now)
        if now != cid:
            out[cid] = now
    return out


def _live(session: Session, entity_id: int) -> int:
    """The entity an entity was merged into (through any chain of merges), else itself."""
    try:
        return live_entity(session, entity_id).id
    except NotFoundError:
        return entity_id


def _rows(session: Session, table: type[ClaimRow], ids: list[int]) -> list[ClaimRow]:
    out: list[ClaimRow] = []
    for i in range(0, len(ids), 5000):
        out += session.scalars(select(table).where(table.id.in_(ids[i:i + 5000])))
    return out


def _check(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Clean values: a name that is not blank, ids that exist (each once, in order)."""
    out = dict(values)
    if "name" in out:
        name = " ".join(str(out["name"]).split())
        if not name:
            raise FrontwatchError("an investigation needs a name")
        if len(name) > MAX_NAME:
            raise FrontwatchError(f"an investigation's name has at most {MAX_NAME} characters")
        out["name"] = name
    for key, table in (("entity_ids", EntityRow), ("claim_ids", ClaimRow)):
        if key not in out:
            continue
        ids = list(dict.fromkeys(int(i) for i in out[key]))
        known: set[int] = set()
        for i in range(0, len(ids), 5000):
            known |= set(session.scalars(select(table.id).where(table.id.in_(ids[i:i + 5000]))))
        missing = [i for i in ids if i not in known]
        if missing:
            what = "entity" if key == "entity_ids" else "claim"
            raise NotFoundError(f"no {what} with id {', '.join(map(str, missing[:5]))}"
                                + (f" (and {len(missing) - 5} more)" if len(missing) > 5 else ""))
        out[key] = ids
    if "layout" in out:
        layout = {}
        for key, pos in dict(out["layout"]).items():
            layout[str(key)] = {"x": float(pos["x"]), "y": float(pos["y"])}
        out["layout"] = layout
    return out


def _summary(session: Session, row: InvestigationRow) -> dict[str, Any]:
    """What the audit log keeps of an investigation: its name, notes and entity names, claim ids."""
    ids = list(row.entity_ids or [])
    names = dict(session.execute(select(EntityRow.id, EntityRow.name).where(EntityRow.id.in_(ids))).all())
    return {"name": row.name, "notes": row.notes, "entities": [names.get(i, str(i)) for i in ids],
            "claim_ids": list(row.claim_ids or []), "layout_nodes": len(row.layout or {})}


def _audit(session: Session, actor: str, action: str, row: InvestigationRow, detail: dict[str, Any]) -> None:
    audit_entry(session, actor, action, f"investigation {row.id}", {"investigation": row.id, **detail})


def list_investigations(session: Session) -> list[dict[str, Any]]:
    """Every investigation, the last changed first (without notes and layout)."""
    rows = session.scalars(select(InvestigationRow).order_by(InvestigationRow.updated_at.desc(),
                                                             InvestigationRow.id.desc()))
    return [to_dict(r, full=False) for r in rows]


def get_investigation(session: Session, investigation_id: int) -> InvestigationRow:
    row = session.get(InvestigationRow, investigation_id)
    if row is None:
        raise NotFoundError(f"no investigation with id {investigation_id}")
    return row


def create_investigation(session: Session, actor: str, values: dict[str, Any]) -> InvestigationRow:
    """A new investigation; `values` has a name and optionally notes, entity_ids, claim_ids, layout."""
    clean = _check(session, {k: v for k, v in values.items() if k in FIELDS})
    if "name" not in clean:
        raise FrontwatchError("an investigation needs a name")
    now = utcnow()
    row = InvestigationRow(name=clean["name"], notes=clean.get("notes") or "",
                           entity_ids=clean.get("entity_ids", []), claim_ids=clean.get("claim_ids", []),
                           layout=clean.get("layout", {}), created_by=actor, created_at=now, updated_at=now)
    session.add(row)
    session.flush()
    _audit(session, actor, "investigation.create", row, {"after": _summary(session, row)})
    return row


def update_investigation(session: Session, investigation_id: int, actor: str, values: dict[str, Any]
                         ) -> InvestigationRow:
    """Change the fields given (the others stay as they are)."""
    row = get_investigation(session, investigation_id)
    clean = _check(session, {k: v for k, v in values.items() if k in FIELDS and v is not None})
    before = _summary(session, row)
    for key, value in clean.items():
        setattr(row, key, value)
    row.updated_at = utcnow()
    session.flush()
    _audit(session, actor, "investigation.update", row, {"before": before, "after": _summary(session, row)})
    return row


def delete_investigation(session: Session, investigation_id: int, actor: str) -> None:
    row = get_investigation(session, investigation_id)
    _audit(session, actor, "investigation.delete", row, {"before": _summary(session, row)})
    session.delete(row)
    session.flush()
