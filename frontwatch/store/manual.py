"""An analyst's own claims, edits of every field of a claim, and notes (issue 14 item 1).

A claim added by hand is a piece of evidence like the extractor's: a sentence of a stored document read
between two entities, with its stance, attribution, tactic and date, marked with the analyst who added
it (`evidence.added_by`). An edit changes the claim and its evidence in place. Every step is an audit
entry naming who, when, and the claim before and after (names, not ids), and `undo` reverses it exactly.
Ingest only ever adds documents and evidence, so nothing here is overwritten by a later ingest: a
re-ingested document is unchanged, and a new version's evidence for the claim as first read goes to
that reading's claim, never to the edited one.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..errors import FrontwatchError, NotFoundError
from ..model import ENTITY_TYPES, PREDICATES, STANCES, TACTICS
from ..resolve.candidate import norm
from .ingest import SYMMETRIC, claims_for
from .queries import find_entity, merged_ids
from .schema import (
    AliasRow,
    AuditRow,
    ClaimRow,
    DocEntityRow,
    DocumentRow,
    EntityRow,
    EvidenceRow,
    MentionRow,
    NoteRow,
)
from .search import index_claims, index_entities
from .summary import refresh_claims

MANUAL_ACTIONS = ("add_claim", "edit_claim", "note")
EDITABLE = ("subject", "predicate", "object", "tactic", "stance", "attributed_to", "date")
MAX_FIELD = 400




def check_values(predicate: str | None = None, stance: str | None = None, tactic: str | None = None,
                 date: str | None = None) -> None:
    """Refuse a predicate, stance or tactic the vocabularies do not know, or a malformed date."""
    if predicate is not None and predicate not in PREDICATES:
        raise FrontwatchError(f"unknown predicate '{predicate}' (one of {', '.join(PREDICATES)})")
    if stance is not None and stance not in STANCES:
        raise FrontwatchError(f"unknown stance '{stance}' (one of {', '.join(STANCES)})")
    if tactic and tactic not in TACTICS:
        raise FrontwatchError(f"unknown tactic '{tactic}' (one of {', '.join(TACTICS)})")
    if date and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
        raise FrontwatchError(f"a date is YYYY, YYYY-MM or YYYY-MM-DD, not '{date}'")


def audit_entry(session: Session, actor: str, action: str, target: str, detail: dict[str, Any]) -> AuditRow:
    row = AuditRow(actor=actor, action=action, target=target, detail=detail)
    session.add(row)
    session.flush()
    return row


def find_document(session: Session, ref: str) -> DocumentRow:
    """A stored document by id, else by key (its newest version)."""
    ref = ref.strip()
    row = session.get(DocumentRow, int(ref)) if ref.isdigit() and len(ref) < 12 else None
    if row is None:
        row = session.scalars(select(DocumentRow).where(DocumentRow.doc_key == ref)
                              .order_by(DocumentRow.version.desc()).limit(1)).first()
    if row is None:
        raise NotFoundError(f"no document '{ref}'")
    return row


def _entity(session: Session, name: str, type_: str | None, created: list[int]) -> EntityRow:
    """An existing entity by name or id; a new one (listed in `created`) when not found and a type is
    given."""
    name = name.strip()
    if not name:
        raise FrontwatchError("a claim needs a subject and an object")
    try:
        return find_entity(session, name, fuzzy=False)
    except NotFoundError as exc:
        if "several" in str(exc):
            raise
        if not type_:
            raise NotFoundError(f"no entity named '{name}': give its type to create it "
                                f"({', '.join(ENTITY_TYPES)})") from None
    if type_ not in ENTITY_TYPES or len(name) > MAX_FIELD:
        raise FrontwatchError(f"unknown entity type '{type_}' (one of {', '.join(ENTITY_TYPES)})"
                              if type_ not in ENTITY_TYPES else f"an entity name is at most {MAX_FIELD} "
                              "characters")
    row = EntityRow(name=name, type=type_)
    row.aliases.append(AliasRow(alias=name, norm=norm(name)))
    session.add(row)
    session.flush()
    created.append(row.id)
    return row


def _doc_entity(session: Session, doc: DocumentRow, ent: EntityRow, sentence: tuple[int, str],
                created: list[int], mentions: list[int]) -> DocEntityRow:
    """The document's own entity that stands for `ent`, made (rule "manual") when it has none."""
    found = session.scalars(select(DocEntityRow).where(
        DocEntityRow.document_id == doc.id, DocEntityRow.entity_id.in_(merged_ids(session, ent.id)))
        .order_by(DocEntityRow.id).limit(1)).first()
    if found is not None:
        return found
    taken = set(session.scalars(select(DocEntityRow.local_name).where(DocEntityRow.document_id == doc.id)))
    local = ent.name if ent.name not in taken else f"{ent.name} [{ent.id}]"
    de = DocEntityRow(document_id=doc.id, entity_id=ent.id, local_name=local, local_type=ent.type,
                      forms=[ent.name], rule="manual", score=1.0)
    session.add(de)
    session.flush()
    created.append(de.id)
    start, text = sentence
    at = text.find(ent.name)
    if at >= 0:
        mention = MentionRow(doc_entity_id=de.id, start=start + at, end=start + at + len(ent.name),
                             text=ent.name)
        session.add(mention)
        session.flush()
        mentions.append(mention.id)
    return de


def _locate(doc: DocumentRow, sentence: str) -> tuple[int, int]:
    """Where the sentence stands in the document (whitespace may differ)."""
    sentence = sentence.strip()
    if not sentence:
        raise FrontwatchError("a claim added by hand needs the sentence it is read from")
    at = doc.text.find(sentence)
    if at >= 0:
        return at, at + len(sentence)
    pattern = r"\s+".join(re.escape(w) for w in sentence.split())
    match = re.search(pattern, doc.text)
    if match is None:
        raise NotFoundError(f"document {doc.id} ({doc.doc_key}) has no sentence '{sentence[:80]}'")
    return match.start(), match.end()


def claim_names(session: Session, claim: ClaimRow) -> dict[str, Any]:
    """A claim as people read it: names, never ids, with its sources' stances and attributions."""
    def name(i: int) -> str:
        row = session.get(EntityRow, i)
        return row.name if row is not None else "?"

    evs = session.scalars(select(EvidenceRow).where(EvidenceRow.claim_id == claim.id)
                          .order_by(EvidenceRow.id)).all()
    edits = claim.edits or {}
    return {"subject": name(claim.subject_id), "predicate": edits.get("predicate", claim.predicate),
            "object": name(claim.object_id), "tactic": edits.get("tactic", claim.tactic),
            "stance": sorted({ev.stance for ev in evs}),
            "attributed_to": sorted({ev.attributed_to for ev in evs if ev.attributed_to}),
            "date": sorted({ev.date for ev in evs if ev.date})}


def add_claim(session: Session, *, document: str, sentence: str, subject: str, predicate: str, object_: str,
              actor: str, stance: str = "alleged", attributed_to: str | None = None,
              tactic: str | None = None, date: str | None = None, subject_type: str | None = None,
              object_type: str | None = None) -> AuditRow:
    """Add a claim read from a sentence of a stored document; entities not yet in the store are made
    when their type is given. The claim is the analyst's: accepted by them."""
    check_values(predicate, stance, tactic, date)
    attributed_to = (attributed_to or "").strip()[:MAX_FIELD] or None
    doc = find_document(session, document)
    start, end = _locate(doc, sentence)
    text = doc.text[start:end]
    entities: list[int] = []
    doc_entities: list[int] = []
    mentions: list[int] = []
    subj = _entity(session, subject, subject_type, entities)
    obj = _entity(session, object_, object_type, entities)
    if subj.id == obj.id:
        raise FrontwatchError(f"a claim joins two entities; '{subject}' and '{object_}' are one")
    s_de = _doc_entity(session, doc, subj, (start, text), doc_entities, mentions)
    o_de = _doc_entity(session, doc, obj, (start, text), doc_entities, mentions)
    att_de = None
    if attributed_to:
        try:
            who = find_entity(session, attributed_to, fuzzy=False)
            att_de = _doc_entity(session, doc, who, (start, text), doc_entities, mentions).id
        except NotFoundError:
            att_de = None
    last = session.scalar(select(ClaimRow.id).order_by(ClaimRow.id.desc()).limit(1)) or 0
    [claim] = claims_for(session, [(subj.id, predicate, obj.id, tactic)])
    new_claim = claim.id > last
    if session.scalar(select(EvidenceRow.id).where(
            EvidenceRow.claim_id == claim.id, EvidenceRow.document_id == doc.id,
            EvidenceRow.start == start, EvidenceRow.stance == stance).limit(1)) is not None:
        raise FrontwatchError(f"claim {claim.id} already has this sentence of document {doc.id} as evidence")
    review_before = [claim.review_status, claim.reviewed_by,
                     claim.reviewed_at.isoformat() if claim.reviewed_at else None]
    if new_claim:
        claim.review_status, claim.reviewed_by, claim.reviewed_at = "accepted", actor, datetime.now(UTC)
    ev = EvidenceRow(claim_id=claim.id, document_id=doc.id, subject_de_id=s_de.id, object_de_id=o_de.id,
                     predicate=predicate,
                     sentence=text, start=start, end=end, stance=stance, attributed_to=attributed_to,
                     attributed_de_id=att_de, tactic=tactic, date=date or None, confidence=1.0,
                     added_by=actor)
    session.add(ev)
    session.flush()
    refresh_claims(session, [claim.id])
    index_entities(session, entities)
    index_claims(session, [claim.id])
    after = {"subject": subj.name, "predicate": predicate, "object": obj.name, "stance": stance,
             "attributed_to": attributed_to, "tactic": tactic, "date": date or None,
             "document": doc.title or doc.doc_key, "sentence": text}
    return audit_entry(session, actor, "add_claim", f"claim {claim.id}", {
        "claim": claim.id, "evidence": ev.id, "new_claim": new_claim, "entities": entities,
        "doc_entities": doc_entities, "mentions": mentions, "review_before": review_before,
        "before": None, "after": after})


def _resolve_edit(session: Session, claim: ClaimRow, changes: dict[str, str | None],
                  types: dict[str, str | None], entities: list[int]) -> tuple[int, str, int]:
    """The claim's (subject id, predicate, object id) after the edit; refuses one another claim holds."""
    s_id, p, o_id = claim.subject_id, claim.predicate, claim.object_id
    if changes.get("subject"):
        s_id = _entity(session, str(changes["subject"]), types.get("subject"), entities).id
    if changes.get("object"):
        o_id = _entity(session, str(changes["object"]), types.get("object"), entities).id
    if changes.get("predicate"):
        p = str(changes["predicate"])
    if s_id == o_id:
        raise FrontwatchError("a claim joins two entities; subject and object would be one")
    if p in SYMMETRIC and o_id < s_id:
        s_id, o_id = o_id, s_id
    other = session.scalars(select(ClaimRow).where(
        ClaimRow.subject_id == s_id, ClaimRow.predicate == p, ClaimRow.object_id == o_id,
        ClaimRow.id != claim.id)).first()
    if other is not None:
        raise FrontwatchError(f"claim {other.id} already says that; edit or review it instead")
    return s_id, p, o_id


def edit_claim(session: Session, claim_id: int, changes: dict[str, str | None], actor: str, *,
               document: str | None = None, subject_type: str | None = None,
               object_type: str | None = None) -> AuditRow:
    """Change any field of a claim: subject, predicate, object and tactic on the claim and all its
    evidence; stance, attribution and date on its evidence (only that of `document` when given).
    A field given as "" clears the tactic, attribution or date."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise FrontwatchError(f"cannot edit {', '.join(unknown)} (fields: {', '.join(EDITABLE)})")
    changes = {k: (v.strip()[:MAX_FIELD] if isinstance(v, str) else v) for k, v in changes.items()
               if v is not None}
    if not changes:
        raise FrontwatchError("nothing to change: give at least one field")
    for key in ("subject", "predicate", "object", "stance"):
        if key in changes and not changes[key]:
            raise FrontwatchError(f"a claim's {key} cannot be empty")
    check_values(changes.get("predicate"), changes.get("stance"), changes.get("tactic"), changes.get("date"))
    claim = session.get(ClaimRow, claim_id)
    if claim is None:
        raise NotFoundError(f"no claim with id {claim_id}")
    before = claim_names(session, claim)
    entities: list[int] = []
    doc_entities: list[int] = []
    s_id, p, o_id = _resolve_edit(session, claim, changes, {"subject": subject_type, "object": object_type},
                                  entities)
    evs = list(session.scalars(select(EvidenceRow).where(EvidenceRow.claim_id == claim.id)
                               .order_by(EvidenceRow.id)))
    scoped = evs
    if document is not None:
        doc = find_document(session, document)
        scoped = [ev for ev in evs if ev.document_id == doc.id]
        if not scoped:
            raise NotFoundError(f"claim {claim_id} has no evidence in document {doc.id} ({doc.doc_key})")
    saved = [[ev.id, ev.subject_de_id, ev.object_de_id, ev.predicate, ev.stance, ev.attributed_to,
              ev.attributed_de_id, ev.date, ev.tactic] for ev in evs]
    columns = [claim.subject_id, claim.predicate, claim.object_id, claim.tactic]
    review_before = [claim.review_status, claim.reviewed_by,
                     claim.reviewed_at.isoformat() if claim.reviewed_at else None]
    edits_before = claim.edits
    moved = (s_id, o_id) != (claim.subject_id, claim.object_id)
    claim.subject_id, claim.predicate, claim.object_id = s_id, p, o_id
    if "tactic" in changes:
        claim.tactic = changes["tactic"] or None
    if claim.edits:  # an earlier review's correction of these fields gives way to the new values
        kept = {k: v for k, v in claim.edits.items() if k not in changes}
        claim.edits = kept or None
    for ev in evs:
        ev.predicate = p
        if "tactic" in changes:
            ev.tactic = changes["tactic"] or None
        if moved:  # the evidence reads the new entities in its document: merges and splits follow
            doc_row = session.get(DocumentRow, ev.document_id)
            assert doc_row is not None
            span = (ev.start or 0, ev.sentence)
            for attr, ent_id in (("subject_de_id", s_id), ("object_de_id", o_id)):
                de = session.get(DocEntityRow, getattr(ev, attr))
                if de is None or de.entity_id not in merged_ids(session, ent_id):
                    ent = session.get(EntityRow, ent_id)
                    assert ent is not None
                    setattr(ev, attr, _doc_entity(session, doc_row, ent, span, doc_entities, []).id)
    for ev in scoped:
        if "stance" in changes:
            ev.stance = str(changes["stance"])
        if "attributed_to" in changes:
            ev.attributed_to, ev.attributed_de_id = changes["attributed_to"] or None, None
        if "date" in changes:
            ev.date = changes["date"] or None
    claim.review_status, claim.reviewed_by, claim.reviewed_at = "edited", actor, datetime.now(UTC)
    session.flush()
    refresh_claims(session, [claim.id])
    index_entities(session, entities)
    index_claims(session, [claim.id])
    after = claim_names(session, claim)
    return audit_entry(session, actor, "edit_claim", f"claim {claim.id}", {
        "claim": claim.id, "fields": sorted(changes), "document": document, "evidence": saved,
        "columns": columns, "review_before": review_before, "edits_before": edits_before,
        "entities": entities, "doc_entities": doc_entities,
        "before": {k: v for k, v in before.items() if v != after[k]},
        "after": {k: v for k, v in after.items() if v != before[k]}})


def _later_edit(session: Session, entry: AuditRow) -> AuditRow | None:
    """A later add or edit of the same claim that is still in force."""
    return session.scalars(select(AuditRow).where(
        AuditRow.id > entry.id, AuditRow.action.in_(("add_claim", "edit_claim")),
        AuditRow.target == entry.target, AuditRow.undone_by.is_(None)).order_by(AuditRow.id).limit(1)).first()


def _drop_made(session: Session, d: dict[str, Any]) -> None:
    """Delete the mentions, document entities and entities an add or edit made, unless something
    else has come to use them since."""
    if d.get("mentions"):
        session.execute(delete(MentionRow).where(MentionRow.id.in_(d["mentions"])))
    for de_id in d.get("doc_entities", []):
        used = session.scalar(select(EvidenceRow.id).where(
            (EvidenceRow.subject_de_id == de_id) | (EvidenceRow.object_de_id == de_id)
            | (EvidenceRow.attributed_de_id == de_id)).limit(1))
        de = session.get(DocEntityRow, de_id)
        if used is None and de is not None and de.rule == "manual":
            session.execute(delete(MentionRow).where(MentionRow.doc_entity_id == de_id))
            session.delete(de)
    session.flush()
    for ent_id in d.get("entities", []):
        ent = session.get(EntityRow, ent_id)
        used = session.scalar(select(DocEntityRow.id).where(DocEntityRow.entity_id == ent_id).limit(1)) or \
            session.scalar(select(ClaimRow.id).where(
                (ClaimRow.subject_id == ent_id) | (ClaimRow.object_id == ent_id)).limit(1)) or \
            session.scalar(select(EntityRow.id).where(EntityRow.merged_into_id == ent_id).limit(1))
        if ent is not None and used is None:
            session.delete(ent)
    session.flush()
    index_entities(session, d.get("entities", []))


def undo_manual(session: Session, entry: AuditRow) -> dict[str, Any]:
    """Reverse an added claim, an edit or a note exactly (called by curation.undo)."""
    d = entry.detail
    if entry.action == "note":
        note = session.get(NoteRow, d["note"])
        if note is not None:
            session.delete(note)
        session.flush()
        return {}
    later = _later_edit(session, entry)
    if later is not None:
        raise FrontwatchError(f"audit entry {entry.id} ({entry.action}) cannot be undone while later entry "
                              f"{later.id} ({later.action}) changes the same claim: undo it first")
    claim = session.get(ClaimRow, d["claim"])
    deleted: list[int] = []
    if entry.action == "add_claim":
        ev = session.get(EvidenceRow, d["evidence"])
        if ev is not None:
            session.delete(ev)
            session.flush()
        if claim is not None:
            status, by, at = d["review_before"]
            if d["new_claim"] and session.scalar(select(EvidenceRow.id).where(
                    EvidenceRow.claim_id == claim.id).limit(1)) is None:
                session.delete(claim)
                deleted.append(claim.id)
                claim = None
            elif d["new_claim"] and claim.reviewed_by == entry.actor:
                claim.review_status, claim.reviewed_by = status, by
                claim.reviewed_at = datetime.fromisoformat(at) if at else None
        session.flush()
    elif claim is not None:
        s_id, p, o_id, tactic = d["columns"]
        other = session.scalars(select(ClaimRow).where(
            ClaimRow.subject_id == s_id, ClaimRow.predicate == p, ClaimRow.object_id == o_id,
            ClaimRow.id != claim.id)).first()
        if other is not None:
            raise FrontwatchError(f"audit entry {entry.id} (edit_claim) cannot be undone: claim {other.id} "
                                  "has since been stored with the claim's earlier reading")
        claim.subject_id, claim.predicate, claim.object_id, claim.tactic = s_id, p, o_id, tactic
        for ev_id, s_de, o_de, pred, stance, att, att_de, date, ev_tactic in d["evidence"]:
            ev = session.get(EvidenceRow, ev_id)
            if ev is not None:
                ev.subject_de_id, ev.object_de_id, ev.predicate, ev.stance = s_de, o_de, pred, stance
                ev.attributed_to, ev.attributed_de_id, ev.date, ev.tactic = att, att_de, date, ev_tactic
        status, by, at = d["review_before"]
        claim.review_status, claim.reviewed_by = status, by
        claim.reviewed_at = datetime.fromisoformat(at) if at else None
        claim.edits = d.get("edits_before")
        session.flush()
    _drop_made(session, d)
    if claim is not None:
        refresh_claims(session, [claim.id])
    index_claims(session, [d["claim"]])
    return {"deleted_claims": deleted}
