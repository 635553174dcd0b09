"""Finding the entities that fill a claim's roles around a token of the dependency parse."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..vocab import Vocabulary
from .aliases import DocEntity

PLACE_TYPES = {"place", "country"}
INSTITUTIONS = ("country", "state_body", "organization")  # what "Canadian elections" stand for
# groups of people who stand for the body or person they belong to when they are targeted
OWNERS = {"organization", "state_body", "person", "diplomatic_mission"}  # whose members, staff, family
WORKING_FOR = {"work", "act", "spy", "operate"}
PEOPLE_OF = {"member", "staff", "employee", "official", "leader", "supporter", "volunteer", "activist",
             "relative", "family", "parent", "child", "sibling", "associate", "journalist", "reporter"}


@dataclass(slots=True)
class DocIndex:
    """Token-level access to the entities of one document."""

    doc: Doc
    vocab: Vocabulary
    ents: list[DocEntity]
    tok2ent: list[int]
    pron2ent: dict[int, int]
    agent_nouns: frozenset[str]
    extra: dict[str, int] = field(default_factory=dict)  # state id -> entity made for a demonym
    # doc.ents read once, with their start tokens: Doc.ents walks every token of the document, so
    # reading it (or Span.ents, which reads it) once per sentence made long texts quadratic
    _ent_spans: list[Span] | None = None
    _ent_starts: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, doc: Doc, vocab: Vocabulary) -> DocIndex:
        return cls(doc, vocab, doc._.fw_entities or [], doc.user_data.get("fw_tok2ent", []),
                   doc.user_data.get("fw_pron2ent", {}), vocab.words("predicates", "agent_nouns"))

    def entity_at(self, tok: Token) -> int | None:
        return self.entity_at_index(tok.i)

    def entity_at_index(self, i: int) -> int | None:
        """The entity token i names, or the one it stands for as a resolved pronoun."""
        e = self.tok2ent[i] if i < len(self.tok2ent) else -1
        return e if e >= 0 else self.pron2ent.get(i)

    def ents_in(self, span: Span) -> list[Span]:
        """The named-entity spans wholly inside `span`, as `span.ents` gives them, in time proportional
        to their number (doc.ents is read once per DocIndex: the components do not change it)."""
        if self._ent_spans is None:
            self._ent_spans = list(self.doc.ents)
            self._ent_starts = [e.start for e in self._ent_spans]
        spans = self._ent_spans
        out = []
        for i in range(bisect_left(self._ent_starts, span.start), len(spans)):
            if spans[i].end > span.end:
                break
            out.append(spans[i])
        return out

    def state_entity(self, sid: str) -> int:
        """The entity of a state named only by its adjective ("Chinese interference")."""
        for ent in self.ents:
            if ent.type == "country" and (ent.gid == sid or ent.state == sid):
                return ent.idx
        if sid not in self.extra:
            st = self.vocab.states[sid]
            ent = DocEntity(len(self.ents), st.name, "country", sid, sid)
            self.ents.append(ent)
            self.extra[sid] = ent.idx
        return self.extra[sid]

    def demonym(self, tok: Token) -> int | None:
        sid = self.vocab.demonym_state.get(tok.text)
        return self.state_entity(sid) if sid and tok.pos_ in ("ADJ", "PROPN", "NOUN") else None

    def actor(self, tok: Token, depth: int = 0) -> list[int]:
        """Entities a token stands for as an actor: itself, or the body behind "CCP agents",
        "Chinese officials", "proxies of the Consulate", with coordinated ("X and Y") ones."""
        found = self._actor_one(tok, depth)
        for c in tok.children:
            if c.dep_ == "conj":
                found += self._actor_one(c, depth)
        return list(dict.fromkeys(found))

    def _actor_one(self, tok: Token, depth: int) -> list[int]:
        e = self.entity_at(tok)
        if e is not None:
            return [e]
        if tok.pos_ == "PRON":
            return self._pronoun(tok)
        if tok.pos_ == "ADJ" and tok.dep_ == "amod":
            d = self.demonym(tok)
            return [d] if d is not None else []
        if tok.dep_ == "appos":  # "Zhao Wei, a Chinese diplomat accused of ...": the named one
            e = self.entity_at(tok.head)
            if e is not None:
                return [e]
        # "China's main spy agency, the MSS, recruited ...": the name, not the owner of the description
        named = [e for e in self._apposed(tok) if self.ents[e].type != "place"]
        if named:
            return named
        # "men working for the Hong Kong government": whom they work for
        employers = [g for c in tok.children if c.dep_ == "acl" and c.lemma_.lower() in WORKING_FOR
                     for p in c.children if p.dep_ == "prep" and p.lower_ == "for"
                     for g in p.children if g.dep_ == "pobj"]
        if employers and depth <= 1:
            return [e for g in employers for e in self.actor(g, depth + 1) if self.ents[e].type != "place"]
        if tok.lemma_.lower() not in self.agent_nouns and tok.lower_ not in self.agent_nouns or depth > 1:
            return []
        found: list[int] = []
        for c in tok.children:
            if c.dep_ in ("poss", "compound", "nmod", "amod"):
                e = self.entity_at(c)
                if e is None and c.dep_ == "amod":
                    e = self.demonym(c)
                if e is not None and self.ents[e].type != "place":
                    found.append(e)
            elif c.dep_ == "prep" and c.lower_ in ("of", "from", "for") and not found:
                for g in c.children:
                    if g.dep_ == "pobj":
                        found += [x for x in self.actor(g, depth + 1) if self.ents[x].type != "place"]
            elif c.dep_ == "prep" and c.lower_ == "in" and not found:
                # "officials in Beijing": the government of the capital's state
                for g in c.children:
                    e = self.entity_at(g) if g.dep_ == "pobj" else None
                    sid = self.vocab.metonym_state.get(g.text) if e is not None else None
                    if e is not None and self.ents[e].type == "country":
                        found.append(e)
                    elif sid:
                        found.append(self.state_entity(sid))
        return found

    def _apposed(self, tok: Token) -> list[int]:
        """"four nationals, Karan Brar, X and Y" / "the group, a syndicate run by": the named ones."""
        found: list[int] = []
        if tok.dep_ == "appos":
            e = self.entity_at(tok.head)
            if e is not None:
                return [e]
        for c in tok.children:
            if c.dep_ == "appos":
                e = self.entity_at(c)
                if e is not None:
                    found.append(e)
                    found += [x for cc in c.children if cc.dep_ == "conj"
                              for x in [self.entity_at(cc)] if x is not None]
        return found

    def _people_of(self, tok: Token) -> list[int]:
        """"members of the Alliance", "relatives of Masih Alinejad": the body or person they stand for."""
        if tok.lemma_.lower() not in PEOPLE_OF:
            return []
        owners = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                  for g in c.children if g.dep_ == "pobj"]
        owners += [c for c in tok.children if c.dep_ == "poss"]  # "Michael Chong's family"
        # "BBC Persian journalists", "Iran International journalists"
        owners += [c for c in tok.children if c.dep_ in ("compound", "nmod", "amod")]
        found = [self.entity_at(g) for g in owners]
        return [e for e in found if e is not None and self.ents[e].type in OWNERS]

    def _including(self, tok: Token, depth: int = 0) -> list[int]:
        """"members of Parliament, including Justin Trudeau and Pierre Poilievre": the named ones."""
        found: list[int] = []
        for c in tok.children:
            such_as = c.lower_ == "as" and c.i > 0 and c.nbor(-1).lower_ == "such"
            if c.dep_ == "prep" and (c.lower_ in ("including", "like") or such_as):
                for g in c.children:
                    if g.dep_ == "pobj":
                        found += [e for e in [self.entity_at(g)] if e is not None]
                        found += [e for cc in g.subtree if cc.dep_ == "conj" for e in [self.entity_at(cc)]
                                  if e is not None]
            elif c.dep_ == "prep" and c.lower_ == "of" and depth < 3 and not found:
                found += [e for g in c.children if g.dep_ == "pobj" for e in self._including(g, depth + 1)]
        return list(dict.fromkeys(found))

    def _pronoun(self, tok: Token) -> list[int]:
        """"they (the PRC Consulate)" -> the apposition; "X said they ..." -> X."""
        for c in tok.children:
            if c.dep_ == "appos":
                e = self.entity_at(c)
                if e is not None:
                    return [e]
        if tok.lower_ not in ("they", "it", "we"):
            return []
        h = tok.head
        for _ in range(5):
            if h.head.i == h.i:
                return []
            h = h.head
            for c in h.children:
                if c.dep_ == "nsubj" and c.i != tok.i:
                    return self.actor(c, depth=1)
        return []

    def instrument(self, tok: Token) -> list[int]:
        """The actor behind an instrument: "with Chinese disinformation", "with CCP money"."""
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "poss", "nmod"):
                e = self.entity_at(c)
                if e is None and c.dep_ == "amod":
                    e = self.demonym(c)
                if e is not None and self.ents[e].type != "place":
                    return [e]
        return []

    def demonym_people(self, tok: Token) -> list[int]:
        """"Canadian citizens", "activists in Canada": the state whose people are meant."""
        for c in tok.children:
            if c.dep_ == "amod":
                d = self.demonym(c)
                if d is not None:
                    return [d]
            if c.dep_ == "prep" and c.lower_ == "in":
                for g in c.children:
                    e = self.entity_at(g) if g.dep_ == "pobj" else None
                    if e is not None and self.ents[e].type == "country":
                        return [e]
        return []

    def same_state(self, a: int, b: int) -> bool:
        """A body acting on its own state ("Chinese police" and China) is no claim between the two."""
        ea, eb = self.ents[a], self.ents[b]
        return eb.type == "country" and ea.type != "country" and ea.state is not None and ea.state == eb.gid

    def patient(self, tok: Token, institutional: bool = False) -> list[int]:
        """Entities a token stands for as the object of an act; with `institutional`,
        "Canadian elections" or "Canadian politics" stand for Canada."""
        found = self._patient_one(tok, institutional)
        for c in tok.children:
            if c.dep_ == "conj":
                found += self._patient_one(c, institutional)
                for cc in c.children:
                    if cc.dep_ == "conj":
                        found += self._patient_one(cc, institutional)
        return list(dict.fromkeys(found))

    def _patient_one(self, tok: Token, institutional: bool, depth: int = 0) -> list[int]:
        e = self.entity_at(tok)
        if e is not None:
            return [e] if depth == 0 or self.ents[e].type in INSTITUTIONS else []
        named = self._apposed(tok) or self._including(tok) or self._people_of(tok)
        if named and depth == 0:
            return named
        if institutional:
            for c in tok.children:
                if c.dep_ in ("amod", "compound", "poss", "nmod"):
                    e = self.entity_at(c)
                    if e is None and c.dep_ == "amod":
                        e = self.demonym(c)
                    if e is not None and self.ents[e].type in INSTITUTIONS:
                        return [e]
            if depth < 2:  # "the elections of Moldova", "at all levels of the Canadian government"
                for c in tok.children:
                    if c.dep_ == "prep" and c.lower_ in ("of", "at"):
                        for g in c.children:
                            found = self._patient_one(g, institutional, depth + 1) if g.dep_ == "pobj" else []
                            if found:
                                return found
        return []
