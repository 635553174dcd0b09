"""Cross-document entity resolution at ingest: one canonical entity per real-world actor.

Candidates come from the store by gazetteer id, by any normalised name or alias, by acronym and
expansion, and by fuzzy similarity within the same type; `resolve.matcher.decide` makes the call with
its safeguards (surnames, cities of missions, states of same-named bodies). Every resolution keeps
its rule and score on the document's entity row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import process
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from ..model import Entity
from ..resolve.candidate import Candidate, acronym, norm
from ..resolve.matcher import decide
from ..vocab import load_vocabulary
from .queries import live_entity
from .schema import AliasRow, EntityRow

FUZZY_POOL = 5  # fuzzy candidates looked at per name


@dataclass(slots=True)
class Resolution:
    entity_id: int
    rule: str
    score: float
    created: bool = False


@dataclass
class Resolver:
    """Resolves extracted entities to store entities; caches names per type for fuzzy lookup."""

    by_type: dict[str, dict[str, int]] = field(default_factory=dict)  # type -> norm -> entity id
    loaded: set[str] = field(default_factory=set)

    def candidate(self, ent: Entity) -> Candidate:
        state = None
        vocab = load_vocabulary()
        if ent.gazetteer_id in vocab.states:
            state = ent.gazetteer_id
        elif ent.gazetteer_id and ent.gazetteer_id in vocab.entry_by_id:
            state = vocab.entry_by_id[ent.gazetteer_id].state
        return Candidate(ent.name, ent.type, tuple(ent.aliases), ent.gazetteer_id, state)

    @staticmethod
    def stored(row: EntityRow) -> Candidate:
        return Candidate(row.name, row.type, tuple(a.alias for a in row.aliases), row.gazetteer_id, row.state)

    def resolve(self, session: Session, ent: Entity) -> Resolution:
        cand = self.candidate(ent)
        best: tuple[float, EntityRow, str] | None = None
        for row in self._pool(session, cand):
            d = decide(cand, self.stored(row))
            if d.match and (best is None or d.score > best[0]):
                best = (d.score, row, d.rule)
        if best is not None:
            score, row, rule = best
            self._add_aliases(session, row, [ent.name, *ent.aliases])
            return Resolution(row.id, rule, score)
        row = EntityRow(name=ent.name, type=ent.type, gazetteer_id=ent.gazetteer_id, state=cand.state)
        session.add(row)
        session.flush()
        self._add_aliases(session, row, [ent.name, *ent.aliases])
        return Resolution(row.id, "new", 1.0, created=True)

    def _pool(self, session: Session, cand: Candidate) -> list[EntityRow]:
        """Live (unmerged) entities that could be the same actor."""
        norms = {norm(n) for n in (cand.name, *cand.aliases) if norm(n)}
        norms |= {norm(acronym(n)) for n in (cand.name, *cand.aliases) if len(acronym(n)) >= 2}
        conds: list[ColumnElement[bool]] = [AliasRow.norm.in_(norms)]
        if cand.gazetteer_id:
            conds.append(EntityRow.gazetteer_id == cand.gazetteer_id)
        ids = set(session.scalars(select(EntityRow.id).outerjoin(AliasRow).where(or_(*conds))))
        ids |= self._fuzzy(session, cand, norms)
        # names of merged entities still count: they lead to the entity they were merged into
        return list({row.id: row for row in (live_entity(session, i) for i in ids)}.values())

    def _fuzzy(self, session: Session, cand: Candidate, norms: set[str]) -> set[int]:
        names = self._names(session, cand.type)
        keys = list(names)
        found: set[int] = set()
        for n in norms:
            for choice, _, _ in process.extract(n, keys, limit=FUZZY_POOL, score_cutoff=80):
                found.add(names[choice])
        return found

    def _names(self, session: Session, typ: str) -> dict[str, int]:
        if typ not in self.loaded:
            rows = session.execute(
                select(AliasRow.norm, AliasRow.entity_id).join(EntityRow).where(EntityRow.type == typ))
            self.by_type[typ] = {n: eid for n, eid in rows}
            self.loaded.add(typ)
        return self.by_type[typ]

    def _add_aliases(self, session: Session, row: EntityRow, forms: list[str]) -> None:
        have = {a.norm for a in row.aliases}
        for form in forms:
            n = norm(form)
            if n and n not in have:
                row.aliases.append(AliasRow(alias=form, norm=n))
                have.add(n)
                self.by_type.setdefault(row.type, {})[n] = row.id

    def forget(self) -> None:
        """Drop the cache (after a rolled-back transaction or a merge)."""
        self.by_type.clear()
        self.loaded.clear()
