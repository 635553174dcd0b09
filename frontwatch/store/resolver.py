"""Cross-document entity resolution at ingest: one canonical entity per real-world actor.

Candidates come from the store by gazetteer id, by any normalised name or alias, by acronym and
expansion, and by fuzzy similarity within the same type; `resolve.matcher.decide` makes the call with
its safeguards (surnames, cities of missions, states of same-named bodies). Every resolution keeps
its rule and score on the document's entity row.

The store's names are indexed in memory once per run; at the start of every write transaction the
index replays the names other writers stored since (by alias id: writers hold the store's write lock
for a whole transaction, so ids are in commit order), so an entity another ingest process or Dask
worker created meanwhile is found, not duplicated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import process
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from ..model import Entity
from ..resolve.candidate import Candidate, acronym, norm
from ..resolve.matcher import decide
from ..vocab import load_vocabulary
from .schema import AliasRow, EntityRow

FUZZY_POOL = 5  # fuzzy candidates looked at per name
FUZZY_CUTOFF = 80
BLOCK_PREFIX = 4  # fuzzy matching looks only at names sharing a word's first letters with the query
BLOCK_SKIP = frozenset({"of", "the", "and", "for", "in", "on", "de", "du", "la", "le", "al", "el"})
FULL_SCAN_SHARE = 0.5  # a block holding this share of a type's names: scan them all (no gain)

# the same pairs come up again and again (a much-reported actor in every document): decide is pure
_decide = lru_cache(maxsize=1 << 16)(decide)


def blocks(key: str) -> set[str]:
    """The blocking keys of a normalised name: the first letters of each significant word."""
    words = [w for w in key.split() if w not in BLOCK_SKIP] or key.split()
    return {w[:BLOCK_PREFIX] for w in words}


@dataclass(slots=True)
class Resolution:
    entity_id: int
    rule: str
    score: float
    created: bool = False


@dataclass
class _Index:
    """The store's entities as resolution needs them: names by norm, ids by gazetteer id."""

    cands: dict[int, Candidate] = field(default_factory=dict)
    merged_into: dict[int, int] = field(default_factory=dict)
    by_norm: dict[str, set[int]] = field(default_factory=dict)
    by_gid: dict[str, set[int]] = field(default_factory=dict)
    fuzzy: dict[str, tuple[list[str], list[int]]] = field(default_factory=dict)  # type -> (norms, ids)
    blocked: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # type -> block -> positions

    def add(self, entity_id: int, cand: Candidate, merged_into: int | None = None) -> None:
        self.cands[entity_id] = cand
        if merged_into is not None:
            self.merged_into[entity_id] = merged_into
        if cand.gazetteer_id:
            self.by_gid.setdefault(cand.gazetteer_id, set()).add(entity_id)
        for form in (cand.name, *cand.aliases):
            self.add_norm(entity_id, cand.type, norm(form))

    def add_norm(self, entity_id: int, typ: str, key: str) -> None:
        if key and entity_id not in self.by_norm.setdefault(key, set()):
            self.by_norm[key].add(entity_id)
            names, ids = self.fuzzy.setdefault(typ, ([], []))
            by_block = self.blocked.setdefault(typ, {})
            for block in blocks(key):
                by_block.setdefault(block, []).append(len(names))
            names.append(key)
            ids.append(entity_id)

    def close_names(self, typ: str, key: str) -> list[int]:
        """Entities of this type with a name close to `key` (at most FUZZY_POOL, best first). Only
        names sharing a block with it are scored: a name that shares no word's first letters with
        another scores below the cutoff all but always, and scoring every name grows with the store."""
        names, ids = self.fuzzy.get(typ, ([], []))
        if not names:
            return []
        by_block = self.blocked[typ]
        found: set[int] = set()
        for block in blocks(key):
            found.update(by_block.get(block, ()))
        if len(found) >= FULL_SCAN_SHARE * len(names):
            return [ids[pos] for _, _, pos in process.extract(key, names, limit=FUZZY_POOL,
                                                               score_cutoff=FUZZY_CUTOFF)]
        positions = sorted(found)  # the order of the full list, so ties rank the same
        choices = [names[p] for p in positions]
        return [ids[positions[pos]] for _, _, pos in process.extract(key, choices, limit=FUZZY_POOL,
                                                                     score_cutoff=FUZZY_CUTOFF)]

    def live(self, entity_id: int) -> int:
        seen = {entity_id}
        while entity_id in self.merged_into and self.merged_into[entity_id] not in seen:
            entity_id = self.merged_into[entity_id]
            seen.add(entity_id)
        return entity_id

    def group(self, entity_id: int) -> set[int]:
        """A live entity and every entity merged into it, directly or through others."""
        live = self.live(entity_id)
        return {live} | {i for i in self.merged_into if self.live(i) == live}


@dataclass
class Resolver:
    """Resolves extracted entities to store entities."""

    index: _Index | None = None
    high_water: int = 0  # the highest entity id the index has seen
    alias_water: int = 0  # the highest alias id the index has seen
    pending_entities: list[dict[str, Any]] = field(default_factory=list)  # resolved, not yet written
    pending_aliases: list[dict[str, Any]] = field(default_factory=list)

    def candidate(self, ent: Entity) -> Candidate:
        vocab = load_vocabulary()
        state = None
        if ent.gazetteer_id in vocab.states:
            state = ent.gazetteer_id
        elif ent.gazetteer_id and ent.gazetteer_id in vocab.entry_by_id:
            state = vocab.entry_by_id[ent.gazetteer_id].state
        return Candidate(ent.name, ent.type, tuple(ent.aliases), ent.gazetteer_id, state)

    def prefetch(self, session: Session) -> None:
        """Before a document's entities are resolved (the write lock is held from here on), bring the
        index up to date with what other writers stored since it was read: their names, replayed in
        the order they were stored, so that writers taking turns decide as one writer would."""
        index = self._index(session)
        rows = session.execute(select(AliasRow.id, AliasRow.entity_id, AliasRow.alias, AliasRow.norm)
                               .where(AliasRow.id > self.alias_water).order_by(AliasRow.id)).all()
        # entities made since the index last looked have higher ids (writers take turns); one range
        # scan of the primary key, where "id IN (...) OR id > n" made PostgreSQL read the whole table
        loaded = {e.id: e for e in session.scalars(select(EntityRow).where(
            EntityRow.id > self.high_water))} if rows else {}
        for alias_id, entity_id, alias, key in rows:
            self.alias_water = max(self.alias_water, alias_id)
            if entity_id not in index.cands:  # its name comes first: the row written when it was made
                e = loaded[entity_id]
                index.add(e.id, Candidate(e.name, e.type, (), e.gazetteer_id, e.state), e.merged_into_id)
            if entity_id in index.by_norm.get(key, set()):
                continue  # a name this writer stored itself, or the entity's own name
            cand = index.cands[entity_id]
            index.add_norm(entity_id, cand.type, key)
            index.cands[entity_id] = Candidate(cand.name, cand.type, (*cand.aliases, alias),
                                               cand.gazetteer_id, cand.state)
        for e in loaded.values():  # entities stored without names (none that ingest makes)
            if e.id not in index.cands:
                index.add(e.id, Candidate(e.name, e.type, (), e.gazetteer_id, e.state), e.merged_into_id)
        self.high_water = max(self.high_water, *loaded, 0)
        # an analyst's merges (and their undos) since: few rows, one indexed query
        index.merged_into = {i: m for i, m in session.execute(select(
            EntityRow.id, EntityRow.merged_into_id).where(EntityRow.merged_into_id.is_not(None))) if m}

    def resolve(self, session: Session, ent: Entity) -> Resolution:
        index = self._index(session)
        cand = self.candidate(ent)
        match = self._best(index, cand, self._pool(index, cand))
        if match is not None:
            entity_id, via, rule, score = match
            # new names go to the entity the match came through: an analyst merged it into the live
            # one, and undoing that merge takes them back with it
            self._add_aliases(session, index, via, [ent.name, *ent.aliases])
            return Resolution(entity_id, rule, score)
        entity_id = self._new_id(session)
        self.pending_entities.append(dict(id=entity_id, name=ent.name, type=ent.type,
                                          gazetteer_id=ent.gazetteer_id, state=cand.state))
        index.add(entity_id, Candidate(ent.name, ent.type, (), ent.gazetteer_id, cand.state))
        self._add_aliases(session, index, entity_id, [ent.name, *ent.aliases], new=True)
        return Resolution(entity_id, "new", 1.0, created=True)

    def _new_id(self, session: Session) -> int:
        """The id the next entity gets, as the database would give it (its rows are written later,
        together, by `flush`)."""
        if session.get_bind().dialect.name == "postgresql":
            return int(session.scalar(text("SELECT nextval(pg_get_serial_sequence('entities', 'id'))")))
        stored = session.scalar(select(func.max(EntityRow.id))) or 0
        return max([stored, *(e["id"] for e in self.pending_entities)]) + 1

    def flush(self, session: Session) -> set[int]:
        """Write the entities and names resolution has added since the last flush (two statements);
        the entities whose names changed."""
        renamed = {a["entity_id"] for a in self.pending_aliases}
        if self.index is not None:  # a merged entity's names are found under the one it joined
            renamed |= {self.index.live(i) for i in renamed}
        if self.pending_entities:
            session.execute(insert(EntityRow), self.pending_entities)
        if self.pending_aliases:  # in the order they were added: other writers replay them by id
            session.execute(insert(AliasRow), self.pending_aliases)
        self.pending_entities, self.pending_aliases = [], []
        return renamed

    @staticmethod
    def _best(index: _Index, cand: Candidate, ids: set[int]) -> tuple[int, int, str, float] | None:
        """The best match as (live entity, the entity whose names matched, rule, score). An entity
        an analyst merged away still matches by its own names and gazetteer id, and stands for the
        entity it was merged into."""
        best: tuple[int, int, str, float] | None = None
        # live entities first, so that they win ties
        for via in sorted({index.live(i) for i in ids} | ids, key=lambda i: (i in index.merged_into, i)):
            d = _decide(cand, index.cands[via])
            if d.match and (best is None or d.score > best[3]):
                best = (index.live(via), via, d.rule, d.score)
        return best

    @staticmethod
    def _keys(cand: Candidate) -> set[str]:
        forms = (cand.name, *cand.aliases)
        keys = {norm(n) for n in forms}
        keys |= {norm(acronym(n)) for n in forms if len(acronym(n)) >= 2}
        return {k for k in keys if k}

    def _pool(self, index: _Index, cand: Candidate) -> set[int]:
        """Entities that could be the same actor: same gazetteer id, a shared name or acronym, or a
        close name of the same type."""
        keys = self._keys(cand)
        ids: set[int] = set(index.by_gid.get(cand.gazetteer_id or "", set()))
        for key in keys:
            ids |= index.by_norm.get(key, set())
        for key in keys:
            ids.update(index.close_names(cand.type, key))
        return ids

    def _index(self, session: Session) -> _Index:
        if self.index is None:
            self.index = _Index()
            self._load(session, self.index)
            self.high_water = max(self.index.cands, default=0)
            self.alias_water = session.scalar(select(func.max(AliasRow.id))) or 0
        return self.index

    @staticmethod
    def _load(session: Session, index: _Index) -> None:
        """Read every entity and its names into the index."""
        rows = {r.id: r for r in session.scalars(select(EntityRow))}
        aliases: dict[int, list[str]] = {i: [] for i in rows}
        for entity_id, alias in session.execute(select(AliasRow.entity_id, AliasRow.alias)
                                                .order_by(AliasRow.id)):
            if entity_id in aliases:
                aliases[entity_id].append(alias)
        for r in rows.values():
            index.add(r.id, Candidate(r.name, r.type, tuple(a for a in aliases[r.id] if a != r.name),
                                      r.gazetteer_id, r.state), r.merged_into_id)

    def _add_aliases(self, session: Session, index: _Index, entity_id: int, forms: list[str],
                     new: bool = False) -> None:
        # the index mirrors the stored aliases, the name among them (a stale index fails the unique
        # key and the write is retried with a fresh one)
        cand = index.cands[entity_id]
        # a name of any entity merged with this one is known already (and stays where it is)
        have = set() if new else {norm(f) for e in index.group(entity_id)
                                  for f in (index.cands[e].name, *index.cands[e].aliases)}
        added = []
        for form in forms:
            key = norm(form)
            if key and key not in have:
                self.pending_aliases.append(dict(entity_id=entity_id, alias=form, norm=key))
                added.append(form)
                have.add(key)
                index.add_norm(entity_id, cand.type, key)
        added = [a for a in added if norm(a) != norm(cand.name)]
        if added:
            index.cands[entity_id] = Candidate(cand.name, cand.type, (*cand.aliases, *added),
                                               cand.gazetteer_id, cand.state)

    def forget(self) -> None:
        """Drop the index (after a rolled-back transaction or a merge)."""
        self.index = None
        self.pending_entities, self.pending_aliases = [], []
