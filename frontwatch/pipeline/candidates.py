"""Claim candidates for the trained model: every ordered pair of entity mentions in a sentence.

Mentions are names (the alias linker's spans), pronouns it resolved (he, she, it, they), nationality
adjectives that stand for their state ("Chinese interference") and definite descriptions or roles
("the agency", "the consulate", "her husband") resolved to the nearest earlier named entity of a
compatible type, or whose name holds the noun ("the council" -> "National Security Council"), and
plural descriptions ("both men", "the pair", "the four officers") that stand for every person of an
earlier coordination (data/coref.yaml), and the case body a judicial verb without a named actor stands
for ("was charged": case_bodies.py). Descriptions also become mentions of their entity (coreference
feeds aliases and mentions).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Doc, Span, Token

from .args import DocIndex
from .case_bodies import PARTNERS, case_mentions
from .pronouns import resolve_pronouns

MAX_PAIRS = 400  # per sentence; a list sentence naming 40 actors is not 1,600 claims
LOOKBACK_SENTS = 3  # a description resolves to an entity named at most this many sentences before
LOOKBACK_NAMED = 8  # "the council" resolves to a body whose name holds "council" this far back
LOOKBACK_GROUP = 12  # "the four officers" resolves to a coordination of four people this far back


@dataclass(slots=True, frozen=True)
class CandidateMention:
    """One mention of an entity in a sentence: a name, pronoun, adjective or description."""

    start: int  # token offsets
    end: int
    ent: int
    kind: str  # name | pronoun | demonym | inner | description | group | implicit

    def root(self, doc: Doc) -> Token:
        return doc[self.start:self.end].root


@dataclass(slots=True, frozen=True)
class Candidate:
    """An ordered pair of mentions of two different entities in one sentence (a first)."""

    a: CandidateMention
    b: CandidateMention
    sent: Span


@lru_cache(maxsize=1)
def coref_vocabulary() -> dict[str, dict]:
    """Head nouns of definite descriptions and roles, and the entity type each one refers to."""
    text = resources.files("frontwatch").joinpath("data", "coref.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {"descriptions": dict(data["descriptions"]), "roles": dict(data["roles"]),
            "groups": {str(k): int(v) for k, v in (data.get("groups") or {}).items()},
            "numbers": {str(k): int(v) for k, v in (data.get("numbers") or {}).items()},
            "plural": {str(k): "" for k in data.get("plural") or []},
            "names": {str(k): "" for k in data.get("names") or []},
            **{k: {str(w): "" for w in data.get(k) or []}
               for k in ("case_verbs", "plea_verbs", "verdict_verbs", "police_verbs")},
            "case_bodies": {str(k): str(v) for k, v in (data.get("case_bodies") or {}).items()}}


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
    for ent in idx.ents:
        for m in ent.listed:  # "consulates" of "Iran's consulates in Frankfurt, Hamburg and Munich"
            out.setdefault(sent_of[m.start], []).append(CandidateMention(m.start, m.end, ent.idx, "name"))
    inner = _inner_mentions(idx, out)
    pron = dict(resolve_pronouns(idx, sent_of))
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
    for cm in inner + _descriptions(idx, sent_of, taken) + _groups(idx, sent_of, taken):
        out.setdefault(sent_of[cm.start], []).append(cm)
    named_in = {st: {m.ent for m in ms if m.kind == "name"} for st, ms in out.items()}
    for i, e in case_mentions(idx, sent_of, coref_vocabulary(), named_in):
        out.setdefault(sent_of[i], []).append(CandidateMention(i, i + 1, e, "implicit"))
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


def _sentence_starts(doc: Doc) -> list[int]:
    sent_of = [0] * len(doc)
    for sent in doc.sents:
        for i in range(sent.start, sent.end):
            sent_of[i] = sent.start
    return sent_of


def _descriptions(idx: DocIndex, sent_of: list[int], taken: list[bool]) -> list[CandidateMention]:
    """"the agency" -> the last state body named in the three sentences before; "her husband" -> the
    last person. Only definite (the/this/its/her...) descriptions with no name of their own. A head noun
    that is a word of a body's name ("the council" after "National Security Council", "the team's"
    after "Team Jorge") refers to that body, named up to LOOKBACK_NAMED sentences before. Plural
    roles ("the men") are groups (_groups), not one person."""
    vocab = coref_vocabulary()
    doc = idx.doc
    heads, words = _name_words(idx)
    last: dict[str, tuple[int, int]] = {}  # type -> (entity, sentence index)
    by_head: dict[str, tuple[int, int]] = {}  # the head word of a body's name -> (entity, sentence index)
    by_word: dict[str, tuple[int, int]] = {}  # any word of a body's name
    sent_index: dict[int, int] = {}
    found: list[CandidateMention] = []
    for tok in doc:
        s = sent_index.setdefault(sent_of[tok.i], len(sent_index))
        e = idx.tok2ent[tok.i] if tok.i < len(idx.tok2ent) else -1
        if e >= 0 and e < len(idx.ents):
            last[idx.ents[e].type] = (e, s)
            for w in heads.get(e, ()):
                by_head[w] = (e, s)
            for w in words.get(e, ()):
                by_word[w] = (e, s)
            continue
        if taken[tok.i] or tok.pos_ not in ("NOUN", "PROPN") or tok.tag_ in ("NNS", "NNPS"):
            continue
        lemma = tok.lemma_.lower()
        typ = vocab["descriptions"].get(lemma) or vocab["roles"].get(lemma)
        if (typ is None and lemma not in vocab["names"]) or not _definite(tok):
            continue
        proper = tok.pos_ == "PROPN" or tok.is_title and tok.i > sent_of[tok.i] + 1
        if proper and not _bare_title(tok):
            continue  # a word of a name the linker did not take ("the Party Speaks for You")
        named = None
        if lemma in vocab["names"]:
            for table in (by_head, by_word):
                named = table.get(lemma)
                if named is not None and (proper or s - named[1] <= LOOKBACK_NAMED):
                    break
                named = None
        if named is not None:
            found.append(CandidateMention(tok.i, tok.i + 1, named[0], "description"))
            continue
        prior = last.get(typ) if typ else None
        if proper or prior is None or s - prior[1] > LOOKBACK_SENTS:
            continue  # "the Bureau" is a body's name cut short, not any body
        found.append(CandidateMention(tok.i, tok.i + 1, prior[0], "description"))
    return found


NAME_PREPS = {"of", "for", "in", "on", "to", "at", "against"}


def _name_words(idx: DocIndex) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Head words ("council" of "National Security Council", "office" of "Attorney's Office for the
    Eastern District") and all words of the names and forms of every body (not people)."""
    heads: dict[int, set[str]] = {}
    words: dict[int, set[str]] = {}
    for ent in idx.ents:
        if ent.type == "person":
            continue
        for text in [ent.name, *ent.forms]:
            ws = [w.strip(".,'’()\"").removesuffix("'s").removesuffix("’s") for w in text.lower().split()]
            ws = [w for w in ws if w.isalpha()]
            if not ws:
                continue
            cut = next((i for i, w in enumerate(ws) if w in NAME_PREPS), len(ws))
            if cut:
                heads.setdefault(ent.idx, set()).add(_singular(ws[cut - 1]))
            words.setdefault(ent.idx, set()).update(_singular(w) for w in ws if w not in NAME_PREPS)
    return heads, words


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 else word


def _bare_title(tok: Token) -> bool:
    """"the Bureau", "the Ministry's": a capitalised head noun after "the" with no other name words."""
    doc = tok.doc
    prev = doc[tok.i - 1] if tok.i > 0 else None
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if prev is None or prev.lower_ not in ("the", "this", "that"):
        return False
    if nxt is not None and (nxt.is_title or nxt.pos_ == "PROPN") and nxt.tag_ != "POS":
        return False
    return not any(c.dep_ in ("compound", "amod", "nmod") for c in tok.children)


def _groups(idx: DocIndex, sent_of: list[int], taken: list[bool]) -> list[CandidateMention]:
    """Plural descriptions of people named before: "both men", "the pair", "the two", "the four
    officers", "all six", "the brothers" -> every person of the last coordination ("X and Y", "X, Y
    and Z") of that many people (up to LOOKBACK_GROUP sentences before), else the people of the last
    sentence naming people (up to two before) if it names exactly that many. Without a number ("the
    men", only the plural roles of coref.yaml): the last coordination in the three sentences before.
    One mention per person, all on the description's token."""
    vocab = coref_vocabulary()
    doc = idx.doc
    sent_index: dict[int, int] = {}
    for st in sent_of:
        sent_index.setdefault(st, len(sent_index))
    persons: list[tuple[int, int, int]] = []  # (token, entity, sentence index) of person names, in order
    for ent in idx.ents:
        if ent.type != "person":
            continue
        for m in ent.mentions:
            if m.doc is doc and m.start < len(doc):
                persons.append((m.root.i, ent.idx, sent_index[sent_of[m.start]]))
    persons.sort()
    if len(persons) < 2:
        return []
    ent_at = {t: e for t, e, _ in persons}
    # coordinations: person names joined by conj, or listed as appositions ("He Feng, Ji Jie, ...")
    parent = {t: t for t, _, _ in persons}

    def top(t: int) -> int:
        while parent[t] != t:
            t = parent[t]
        return t

    for t, _, _ in persons:
        tok = doc[t]
        if tok.dep_ in ("conj", "appos") and tok.head.i in ent_at:
            parent[top(t)] = top(tok.head.i)
    coords: dict[int, list[int]] = {}
    for t, _, _ in persons:
        coords.setdefault(top(t), []).append(t)
    groups = []  # (last token, sentence index, members)
    for ts in coords.values():
        people = list(dict.fromkeys(ent_at[t] for t in ts))
        if len(people) >= 2:
            groups.append((max(ts), sent_index[sent_of[max(ts)]], people))
    groups.sort()
    found: list[CandidateMention] = []
    for tok in doc:
        if taken[tok.i] or (idx.tok2ent[tok.i] if tok.i < len(idx.tok2ent) else -1) >= 0:
            continue
        n = _group_size(tok, vocab, idx)
        if n is None:
            continue
        s = sent_index[sent_of[tok.i]]
        members: list[int] = []
        for end, gs, ms in reversed(groups):
            if end >= tok.i:
                continue
            if s - gs > (LOOKBACK_GROUP if n else LOOKBACK_SENTS):
                break
            if n in (0, len(ms)):
                members = ms
                break
        if not members and n:
            # "Trinh, together with his companion Thi ... The pair": the last sentence naming people
            # names exactly that many
            last_s = next((ps for t, _, ps in reversed(persons) if t < tok.i), None)
            if last_s is not None and s - last_s <= 2:
                named = list(dict.fromkeys(e for t, e, ps in persons if ps == last_s and t < tok.i))
                if len(named) == n:
                    members = named
        for e in members:
            found.append(CandidateMention(tok.i, tok.i + 1, e, "group"))
    return found


def _group_size(tok: Token, vocab: dict[str, dict], idx: DocIndex) -> int | None:
    """How many people a plural description stands for (0: some), or None if it is not one."""
    numbers = vocab["numbers"]
    # the tests on the token itself first: this runs on every token of the document
    if tok.pos_ == "NUM":
        if tok.dep_ == "nummod" or tok.lower_ not in numbers:
            return None
        # "the two walked", "all six face deportation"
        return numbers[tok.lower_] if _determiners(tok) & {"the", "all", "these", "those"} else None
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    lemma = tok.lemma_.lower()
    if lemma in vocab["groups"]:  # "the pair", "the couple"
        return vocab["groups"][lemma] if _determiners(tok) & {"the", "this", "that"} else None
    plural = tok.tag_ in ("NNS", "NNPS")
    people = vocab["roles"].get(lemma) == "person" or (
        tok.tag_ == "NNPS" and tok.text[:-1] in idx.vocab.demonym_state)  # "the two Russians"
    if not plural or not people:
        return None
    det_words = _determiners(tok)
    nums = [numbers[c.lower_] for c in tok.children if c.dep_ == "nummod" and c.lower_ in numbers]
    if "both" in det_words:
        return 2
    if not det_words & {"the", "these", "those", "all"}:
        return None
    if nums:
        return nums[0]
    return 0 if lemma in vocab["plural"] else None  # "the men", not "the defendants" (of which case?)


def _determiners(tok: Token) -> set[str]:
    """The determiners before a noun, lower case ("the", "all", "both")."""
    return {c.lower_ for c in tok.children if c.i < tok.i and c.dep_ in ("det", "predet", "preconj")}


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


def _implicit_pair(idx: DocIndex, a: CandidateMention, b: CandidateMention) -> bool:
    """A case body's implicit mention pairs only with people and organisations (who is charged)."""
    if a.kind == "implicit":
        return b.kind != "implicit" and idx.ents[b.ent].type in PARTNERS
    return b.kind != "implicit" or idx.ents[a.ent].type in PARTNERS


def candidates(idx: DocIndex, mentions: dict[int, list[CandidateMention]]) -> list[Candidate]:
    """Every ordered pair (first, second) of mentions of different entities in each sentence."""
    out: list[Candidate] = []
    # a mission named by a list pairs with its own place only, not with the other places of its list
    others = {(x.ent, p) for x in idx.doc.user_data.get("fw_listed", ()) for p in x.places if p != x.place}
    for sent in idx.doc.sents:
        ms = mentions.get(sent.start, [])
        pairs = 0
        for i, a in enumerate(ms):
            for b in ms[i + 1:]:
                if a.ent == b.ent or (b.start < a.end and a.kind == b.kind) or (a.ent, b.ent) in others \
                        or (b.ent, a.ent) in others or not _implicit_pair(idx, a, b):
                    continue
                out.append(Candidate(a, b, sent))
                pairs += 1
                if pairs >= MAX_PAIRS:
                    break
            if pairs >= MAX_PAIRS:
                break
    return out
