"""Full-text search over documents, entities and claims (SQLite FTS5 / PostgreSQL tsvector + GIN).

`search_index` holds one row per document, live entity (name + every alias, merged ones included) and
evidenced claim (subject predicate object + evidence sentences + who they are attributed to). Ingest and
curation keep it current (`index_*`), in the same transaction as the change. User text never reaches
the query syntax: it is cut into word tokens, each quoted (FTS5) or reduced to letters and digits
(tsquery) and passed as a bound parameter, so no query can fail on quotes or operators.

Migration 0003 creates the tables and backfills them with the same texts as `entity_text` and
`claim_text` (tests check the two agree).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from .schema import SEARCH_TSVECTOR, AliasRow, ClaimRow, DocumentRow, EntityRow, EvidenceRow, SearchRow

MAX_EVIDENCE = 50  # a claim's first evidence rows are indexed (a much-reported claim stays cheap)
MAX_SENTENCES = 20  # distinct sentences among them
MAX_TERMS = 12
MAX_TERM_LENGTH = 64
TOKEN = re.compile(r"[^\W_]+")


# --- what is indexed ---------------------------------------------------------------------------

def entity_text(name: str, aliases: Iterable[str]) -> tuple[str, str]:
    return name, "\n".join(sorted({a for a in aliases if a and a != name}))


def claim_text(subject: str, predicate: str, obj: str, sentences: Iterable[str],
               attributed: Iterable[str | None]) -> tuple[str, str]:
    seen = list(dict.fromkeys(s for s in sentences if s))[:MAX_SENTENCES]
    who = sorted({a for a in attributed if a})
    return f"{subject} {predicate.replace('_', ' ')} {obj}", "\n".join(seen + who)


def _put(session: Session, kind: str, ref_id: int, title: str | None, body: str) -> None:
    _put_many(session, kind, {ref_id: (title, body)})


def _put_many(session: Session, kind: str, items: dict[int, tuple[str | None, str]]) -> None:
    """Insert or update index rows of one kind, with one query for those already there."""
    if not items:
        return
    have = {r.ref_id: r for r in session.scalars(
        select(SearchRow).where(SearchRow.kind == kind, SearchRow.ref_id.in_(list(items))))}
    new = []
    for ref_id, (title, body) in items.items():
        row = have.get(ref_id)
        if row is None:
            new.append({"kind": kind, "ref_id": ref_id, "title": title, "body": body})
        elif row.title != title or row.body != body:
            row.title, row.body = title, body
    if new:  # one executemany (SQLite's FTS triggers fire per row all the same)
        session.execute(insert(SearchRow), new)


def _drop(session: Session, kind: str, ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        session.execute(delete(SearchRow).where(SearchRow.kind == kind, SearchRow.ref_id.in_(ids)))


def index_document(session: Session, doc_row: DocumentRow, new: bool = False) -> None:
    """(Re)index one stored document: its title (else key) and text. A `new` document (one just
    stored: every version is a row of its own) cannot be in the index yet."""
    session.flush()
    if new:
        title = doc_row.title or doc_row.doc_key
        session.execute(insert(SearchRow), [{"kind": "document", "ref_id": doc_row.id, "title": title,
                                             "body": doc_row.text}])
        return
    _put(session, "document", doc_row.id, doc_row.title or doc_row.doc_key, doc_row.text)
    session.flush()


def index_entities(session: Session, entity_ids: Iterable[int]) -> None:
    """(Re)index entities; one merged into another leaves the index (its names live on in the other)."""
    ids = sorted(set(entity_ids))
    if not ids:
        return
    session.flush()
    rows = {e.id: e for e in session.scalars(select(EntityRow).where(EntityRow.id.in_(ids)))}
    gone = [i for i in ids if i not in rows or rows[i].merged_into_id is not None]
    _drop(session, "entity", gone)
    live = [i for i in ids if i not in gone]
    # each live entity with everything merged into it, in a few queries for the whole batch
    owner = {i: i for i in live}
    frontier = set(live)
    while frontier:
        children = session.execute(select(EntityRow.id, EntityRow.merged_into_id)
                                   .where(EntityRow.merged_into_id.in_(frontier))).all()
        frontier = {c for c, _ in children if c not in owner}
        for child, parent in children:
            if parent is not None:
                owner.setdefault(child, owner[parent])
    names: dict[int, list[str]] = defaultdict(list)
    for entity_id, alias in session.execute(select(AliasRow.entity_id, AliasRow.alias)
                                            .where(AliasRow.entity_id.in_(list(owner)))):
        names[owner[entity_id]].append(alias)
    _put_many(session, "entity", {i: entity_text(rows[i].name, names[i]) for i in live})
    session.flush()


def _merged(session: Session, entity_id: int) -> set[int]:
    ids, frontier = {entity_id}, {entity_id}
    while frontier:
        frontier = set(session.scalars(select(EntityRow.id).where(EntityRow.merged_into_id.in_(frontier))))
        frontier -= ids
        ids |= frontier
    return ids


def index_entity(session: Session, entity_id: int) -> None:
    index_entities(session, [entity_id])


def index_claims(session: Session, claim_ids: Iterable[int]) -> None:
    """(Re)index claims; one left without evidence (after a merge or split) leaves the index."""
    ids = sorted(set(claim_ids))
    if not ids:
        return
    session.flush()
    claims = {c.id: c for c in session.scalars(select(ClaimRow).where(ClaimRow.id.in_(ids)))}
    _drop(session, "claim", [i for i in ids if i not in claims or not claims[i].n_documents])
    live = [c for c in claims.values() if c.n_documents]
    if not live:
        session.flush()
        return
    names: dict[int, str] = {i: n for i, n in session.execute(select(EntityRow.id, EntityRow.name).where(
        EntityRow.id.in_({c.subject_id for c in live} | {c.object_id for c in live})))}
    sentences: dict[int, list[str]] = defaultdict(list)
    attributed: dict[int, list[str | None]] = defaultdict(list)
    nth = func.row_number().over(partition_by=EvidenceRow.claim_id, order_by=EvidenceRow.id).label("nth")
    ev = EvidenceRow
    first = (select(ev.id, ev.claim_id, ev.sentence, ev.attributed_to, nth)
             .where(EvidenceRow.claim_id.in_([c.id for c in live])).subquery())
    for claim_id, sentence, who in session.execute(
            select(first.c.claim_id, first.c.sentence, first.c.attributed_to)
            .where(first.c.nth <= MAX_EVIDENCE).order_by(first.c.id)):
        sentences[claim_id].append(sentence)
        attributed[claim_id].append(who)
    _put_many(session, "claim", {
        c.id: claim_text(names.get(c.subject_id, "?"), (c.edits or {}).get("predicate", c.predicate),
                         names.get(c.object_id, "?"), sentences[c.id], attributed[c.id]) for c in live})
    session.flush()


def index_claim(session: Session, claim_id: int) -> None:
    index_claims(session, [claim_id])


def claims_of(session: Session, entity_ids: Iterable[int]) -> set[int]:
    ids = list(entity_ids)
    return set(session.scalars(select(ClaimRow.id).where(
        ClaimRow.subject_id.in_(ids) | ClaimRow.object_id.in_(ids))))


def reindex_after(session: Session, action: str, detail: dict[str, Any]) -> None:
    """Bring the index up to date after a curation step (merge, split, review or undo)."""
    from .schema import AuditRow

    if action == "undo":
        undone = session.get(AuditRow, int(detail.get("undid") or 0))
        if undone is None:
            return
        action, detail = undone.action, undone.detail
    if action in ("merge", "split"):
        entities = [detail[k] for k in ("keep", "gone", "from", "new") if detail.get(k) is not None]
        evidence = [m[0] for m in detail.get("moves", [])]
        claims = {m[1] for m in detail.get("moves", [])} | set(detail.get("created", []))
        if evidence:
            claims |= set(session.scalars(select(EvidenceRow.claim_id).where(EvidenceRow.id.in_(evidence))))
        index_entities(session, {int(e) for e in entities})
        index_claims(session, claims)
    elif action == "review" and detail.get("kind") == "claim":
        index_claims(session, [detail["id"]])
    elif action == "review":
        index_entities(session, [detail["id"]])
        index_claims(session, claims_of(session, [detail["id"]]))


def rebuild(session: Session) -> None:
    """Index everything again from scratch (the same rows ingest and curation keep)."""
    session.execute(delete(SearchRow))
    for doc in session.scalars(select(DocumentRow).order_by(DocumentRow.id)):
        index_document(session, doc)
    index_entities(session, session.scalars(select(EntityRow.id).where(EntityRow.merged_into_id.is_(None))))
    index_claims(session, session.scalars(select(ClaimRow.id).where(ClaimRow.n_documents > 0)))


# --- searching ---------------------------------------------------------------------------------

def terms(q: str) -> list[str]:
    """The words of a query: letters and digits only, so no query syntax can get through."""
    return [t[:MAX_TERM_LENGTH] for t in TOKEN.findall(q or "")][:MAX_TERMS]


def _hits(session: Session, words: list[str], kind: str, limit: int) -> list[tuple[int, str]]:
    """(ref_id, snippet) of the best matches of one kind, every word as a prefix."""
    if session.get_bind().dialect.name == "postgresql":
        query = " & ".join(f"{w}:*" for w in words)
        weighted = ("setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
                    "to_tsvector('english', body)")
        sql = text(f"""
            SELECT ref_id, ts_headline('english', left(body, 20000), q,
                   'StartSel="",StopSel="",MaxWords=24,MinWords=10,MaxFragments=1') AS snippet
            FROM search_index, to_tsquery('english', :q) q
            WHERE kind = :kind AND {SEARCH_TSVECTOR} @@ q
            ORDER BY ts_rank({weighted}, q) DESC, ref_id LIMIT :limit""")
    else:
        query = " ".join(f'"{w}"*' for w in words)
        sql = text("""
            SELECT s.ref_id, snippet(search_fts, 1, '', '', '…', 24) AS snippet
            FROM search_fts JOIN search_index s ON s.id = search_fts.rowid
            WHERE search_fts MATCH :q AND s.kind = :kind
            ORDER BY bm25(search_fts, 10.0, 1.0), s.ref_id LIMIT :limit""")
    return [(int(r), s or "") for r, s in session.execute(sql, {"q": query, "kind": kind, "limit": limit})]


def search(session: Session, q: str, limit: int = 20) -> dict[str, list[dict[str, Any]]]:
    """Entities, claims and documents matching every word of `q` (prefixes too), best first."""
    out: dict[str, list[dict[str, Any]]] = {"entities": [], "claims": [], "documents": []}
    words = terms(q)
    if not words or limit < 1:
        return out
    ent_hits = _hits(session, words, "entity", limit)
    if ent_hits:
        rows = {e.id: e for e in session.scalars(select(EntityRow).where(
            EntityRow.id.in_([i for i, _ in ent_hits]), EntityRow.merged_into_id.is_(None)))}
        aliases: dict[int, set[str]] = defaultdict(set)
        for i in rows:
            group = _merged(session, i)
            aliases[i] = set(session.scalars(select(AliasRow.alias).where(AliasRow.entity_id.in_(group))))
            aliases[i].discard(rows[i].name)
        out["entities"] = [{"id": i, "name": rows[i].name, "type": rows[i].type,
                            "aliases": sorted(aliases[i])} for i, _ in ent_hits if i in rows]
    claim_hits = _hits(session, words, "claim", limit)
    if claim_hits:
        from .queries import claim_views

        claims = list(session.scalars(select(ClaimRow).where(ClaimRow.id.in_([i for i, _ in claim_hits]))))
        views = {v.id: v for v in claim_views(session, claims)}
        out["claims"] = [{"id": i, "subject": views[i].subject, "predicate": views[i].predicate,
                          "object": views[i].object, "stance": views[i].stance, "tactic": views[i].tactic,
                          "documents": views[i].documents, "alleged_by": views[i].alleged_by,
                          "denied_by": views[i].denied_by, "review_status": views[i].review_status,
                          "snippet": snip} for i, snip in claim_hits if i in views]
    doc_hits = _hits(session, words, "document", limit)
    if doc_hits:
        docs = {d.id: d for d in session.scalars(select(DocumentRow).where(
            DocumentRow.id.in_([i for i, _ in doc_hits])))}
        out["documents"] = [{"id": i, "key": docs[i].doc_key, "title": docs[i].title, "url": docs[i].url,
                             "publisher": docs[i].publisher, "published": docs[i].published,
                             "snippet": snip} for i, snip in doc_hits if i in docs]
    return out
