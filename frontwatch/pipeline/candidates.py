"""Claim candidates for the trained model: every ordered pair of entity mentions in a sentence.

Mentions are names (the alias linker's spans), pronouns it resolved (he, she, it, they), nationality
adjectives that stand for their state ("Chinese interference") and definite descriptions or roles
("the agency", "the consulate", "her husband") resolved to the nearest earlier named entity of a
compatible type (data/coref.yaml). Descriptions also become mentions of their entity (coreference
feeds aliases and mentions).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Doc, Span, Token

from .args import DocIndex

MAX_PAIRS = 400  # per sentence; a list sentence naming 40 actors is not 1,600 claims
LOOKBACK_SENTS = 3  # a description resolves to an entity named at most this many sentences before


@dataclass(slots=True, frozen=True)
class CandidateMention:
    """One mention of an entity in a sentence: a name, pronoun, adjective or description."""

    start: int  # token offsets
    end: int
    ent: int
    kind: str  # name | pronoun | demonym | description

    def root(self, doc: Doc) -> Token:
        return doc[self.start:self.end].root


@dataclass(slots=True, frozen=True)
class Candidate:
    """An ordered pair of mentions of two different entities in one sentence (a first)."""

    a: CandidateMention
    b: CandidateMention
    sent: Span


@lru_cache(maxsize=1)
def coref_vocabulary() -> dict[str, dict[str, str]]:
    """Head nouns of definite descriptions and roles, and the entity type each one refers to."""
    text = resources.files("frontwatch").joinpath("data", "coref.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {"descriptions": dict(data["descriptions"]), "roles": dict(data["roles"])}


def sentence_mentions(idx: DocIndex) -> dict[int, list[CandidateMention]]:
    """Mentions of every sentence, keyed by the sentence's first token; one pass over the document."""
    doc = idx.doc
    sent_of = _sentence_starts(doc)
    out: dict[int, list[CandidateMention]] = {}
    taken = [False] * len(doc)
    for ent in idx.ents:
        for m in ent.mentions:
            if m.doc is not doc or m.start >= len(doc):
                continue
            out.setdefault(sent_of[m.start], []).append(CandidateMention(m.start, m.end, ent.idx, "name"))
            for t in range(m.start, m.end):
                taken[t] = True
    inner = _inner_mentions(idx, out)
    pron = dict(_pronouns(idx, sent_of))
    pron.update(idx.pron2ent)  # the alias linker's resolutions win
    for i, e in pron.items():
        if i < len(doc) and not taken[i]:
            out.setdefault(sent_of[i], []).append(CandidateMention(i, i + 1, e, "pronoun"))
            taken[i] = True
    for tok in doc:
        if taken[tok.i] or tok.text not in idx.vocab.demonym_state or tok.pos_ not in ("ADJ", "PROPN"):
            continue
        state = idx.demonym(tok)
        if state is not None:
            out.setdefault(sent_of[tok.i], []).append(CandidateMention(tok.i, tok.i + 1, state, "demonym"))
            taken[tok.i] = True
    for cm in inner + _descriptions(idx, sent_of, taken):
        out.setdefault(sent_of[cm.start], []).append(cm)
    for ms in out.values():
        ms.sort(key=lambda m: (m.start, m.end))
    return out


def _inner_mentions(idx: DocIndex, named: dict[int, list[CandidateMention]]) -> list[CandidateMention]:
    """States and places named inside a body's name: "Russian embassy in Berlin" holds Russia and
    Berlin, "Chinese Ministry of Public Security" holds China."""
    doc = idx.doc
    out = []
    by_name = {norm_text(e.name): e.idx for e in idx.ents if e.type in ("place", "country")}
    for ms in named.values():
        for m in ms:
            if idx.ents[m.ent].type in ("person", "place", "country") or m.end - m.start < 2:
                continue
            for i in range(m.start, m.end):
                tok = doc[i]
                sid = idx.vocab.demonym_state.get(tok.text) or (
                    idx.vocab.state_by_name.get(tok.lower_) if tok.is_title else None)
                if sid and sid in idx.vocab.states:
                    state = idx.state_entity(sid)
                    if state != m.ent:
                        out.append(CandidateMention(i, i + 1, state, "inner"))
                    continue
                if tok.lower_ in ("in", "at") and i + 1 < m.end:
                    place = by_name.get(norm_text(doc[i + 1:m.end].text))
                    if place is not None and place != m.ent:
                        out.append(CandidateMention(i + 1, m.end, place, "inner"))
                    break
    return out


def norm_text(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


PERSON_PRONOUNS = {"he", "she", "him", "his", "her", "himself", "herself"}
BODY_PRONOUNS = {"it", "its", "itself"}
GROUP_PRONOUNS = {"they", "them", "their"}
BODIES = {"state_body", "organization", "diplomatic_mission", "overseas_station", "country"}


def _pronouns(idx: DocIndex, sent_of: list[int]) -> dict[int, int]:
    """he/she -> the last person named in this or the two sentences before; it/its -> the last body;
    they/their -> the last body when no two people were named since (a pronoun guess is a feature the
    model weighs, not a claim by itself)."""
    doc = idx.doc
    out: dict[int, int] = {}
    person: tuple[int, int] | None = None
    body: tuple[int, int] | None = None
    sents = 0
    prev_start = -1
    for tok in doc:
        if sent_of[tok.i] != prev_start:
            prev_start, sents = sent_of[tok.i], sents + 1
        e = idx.tok2ent[tok.i] if tok.i < len(idx.tok2ent) else -1
        if 0 <= e < len(idx.ents):
            typ = idx.ents[e].type
            if typ == "person":
                person = (e, sents)
            elif typ in BODIES:
                body = (e, sents)
            continue
        if tok.pos_ != "PRON":
            continue
        word = tok.lower_
        ref = person if word in PERSON_PRONOUNS else body if word in BODY_PRONOUNS | GROUP_PRONOUNS else None
        if ref is not None and sents - ref[1] <= 2:
            out[tok.i] = ref[0]
    return out


def _sentence_starts(doc: Doc) -> list[int]:
    sent_of = [0] * len(doc)
    for sent in doc.sents:
        for i in range(sent.start, sent.end):
            sent_of[i] = sent.start
    return sent_of


def _descriptions(idx: DocIndex, sent_of: list[int], taken: list[bool]) -> list[CandidateMention]:
    """"the agency" -> the last state body named in the three sentences before; "her husband" -> the
    last person. Only definite (the/this/its/her...) descriptions with no name of their own."""
    vocab = coref_vocabulary()
    doc = idx.doc
    last: dict[str, tuple[int, int]] = {}  # type -> (entity, sentence index)
    sent_index: dict[int, int] = {}
    found: list[CandidateMention] = []
    for tok in doc:
        s = sent_index.setdefault(sent_of[tok.i], len(sent_index))
        e = idx.tok2ent[tok.i] if tok.i < len(idx.tok2ent) else -1
        if e >= 0 and e < len(idx.ents):
            last[idx.ents[e].type] = (e, s)
            continue
        if taken[tok.i] or tok.pos_ != "NOUN":
            continue
        lemma = tok.lemma_.lower()
        typ = vocab["descriptions"].get(lemma) or vocab["roles"].get(lemma)
        if typ is None or not _definite(tok):
            continue
        prior = last.get(typ)
        if prior is None or s - prior[1] > LOOKBACK_SENTS:
            continue
        found.append(CandidateMention(tok.i, tok.i + 1, prior[0], "description"))
    return found


def _definite(tok: Token) -> bool:
    """"the agency", "this group", "her husband", "the former aide": determiner or possessive pronoun."""
    for c in tok.children:
        if c.i > tok.i:
            continue
        if c.dep_ == "det" and c.lower_ in ("the", "this", "that"):
            return True
        if c.dep_ == "poss" and c.pos_ == "PRON":
            return True
    return False


def candidates(idx: DocIndex, mentions: dict[int, list[CandidateMention]]) -> list[Candidate]:
    """Every ordered pair (first, second) of mentions of different entities in each sentence."""
    out: list[Candidate] = []
    for sent in idx.doc.sents:
        ms = mentions.get(sent.start, [])
        pairs = 0
        for i, a in enumerate(ms):
            for b in ms[i + 1:]:
                if a.ent == b.ent or (b.start < a.end and a.kind == b.kind):
                    continue
                out.append(Candidate(a, b, sent))
                pairs += 1
                if pairs >= MAX_PAIRS:
                    break
            if pairs >= MAX_PAIRS:
                break
    return out
