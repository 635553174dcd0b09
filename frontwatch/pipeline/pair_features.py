"""Features of a claim candidate, read off the parse: what the trained claim model weighs.

Each feature is a string (present or absent). They describe the dependency path between the two
mentions (lemmas and labels), trigger words of the predicate vocabulary on or near the path, the entity
types, the kind words in bodies' names ("court", "embassy") and whether the two belong to different
states, the words between, negation and hedge cues, and the votes of the v1 rules for this pair.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Token

from ..vocab import Vocabulary
from .aliases import DocEntity
from .args import DocIndex
from .candidates import Candidate

MAX_PATH = 7
MAX_BETWEEN = 10
NEGATIONS = {"not", "never", "no", "n't", "deny", "reject", "dismiss", "refute"}


_TRIGGERS: dict[int, dict[str, frozenset[str]]] = {}
_KIND_WORDS: dict[int, frozenset[str]] = {}
_NAMED_TYPES = ("person", "country", "place")  # types whose names say nothing of what the entity does
# types.yaml lists whose nouns say what kind of body a name is ("court", "embassy", "police", "group")
_KIND_LISTS = ("organization_heads", "name_heads", "body_name_heads", "state_organs", "local_organs",
               "organization_nouns", "seated_bodies")


def kind_words(vocab: Vocabulary) -> frozenset[str]:
    """The last words of the body and organisation nouns of types.yaml, lower case."""
    found = _KIND_WORDS.get(id(vocab))
    if found is None:
        lists = [*vocab.types["head_nouns"].values(), *(vocab.types[k] for k in _KIND_LISTS)]
        found = _KIND_WORDS[id(vocab)] = frozenset(str(w).split()[-1].lower() for ws in lists for w in ws)
    return found


def name_kinds(vocab: Vocabulary, ent: DocEntity) -> list[str]:
    """The kind words in a body's or organisation's name ("Kosovo Police" -> police); none for people
    and places, whose names say nothing of what they do."""
    if ent.type in _NAMED_TYPES:
        return []
    words = kind_words(vocab)
    return sorted({w for w in ent.name.lower().replace("'s", " ").split() if w in words})


def other_states(a: DocEntity, b: DocEntity) -> bool:
    """Both entities are states or bodies of a state, and not the same state ("Unit 29155" of Russia
    and "Czech Republic"): what a state does abroad, never a body and its own state."""
    sa = a.gid if a.type == "country" else a.state
    sb = b.gid if b.type == "country" else b.state
    return bool(sa and sb and sa != sb)


def triggers(vocab: Vocabulary) -> dict[str, frozenset[str]]:
    """Lemma -> the predicates whose trigger vocabulary names it ("inv_funds" for "received")."""
    found = _TRIGGERS.get(id(vocab))
    if found is None:
        found = _TRIGGERS[id(vocab)] = _trigger_lexicon(vocab)
    return found


def _trigger_lexicon(vocab: Vocabulary) -> dict[str, frozenset[str]]:
    lex: dict[str, set[str]] = {}
    for pred, spec in vocab.predicates["predicates"].items():
        for key, tag in (("verbs", ""), ("nouns", ""), ("inverse_verbs", "inv_"), ("patient_nouns", "pat_")):
            for lemma in spec.get(key, []) or []:
                lex.setdefault(str(lemma).split()[-1].lower(), set()).add(tag + pred)
    return {k: frozenset(v) for k, v in lex.items()}


def dependency_path(a: Token, b: Token) -> tuple[list[Token], list[Token]]:
    """Tokens from a up to the lowest common ancestor, and from b up to it (the ancestor is the last
    of the first list); ([], []) when they are in different trees."""
    doc = a.doc
    up, down = index_path(a.i, b.i, lambda i: doc[i].head.i)
    return [doc[i] for i in up], [doc[i] for i in down]


def index_path(a: int, b: int, head: Callable[[int], int]) -> tuple[list[int], list[int]]:
    """dependency_path over token indexes, given each token's head (a root is its own head)."""
    up_a = [a]
    while head(up_a[-1]) != up_a[-1]:
        up_a.append(head(up_a[-1]))
    index = {t: n for n, t in enumerate(up_a)}
    up_b: list[int] = []
    t = b
    while True:
        if t in index:
            return up_a[:index[t] + 1], up_b
        up_b.append(t)
        if head(t) == t:
            return [], []
        t = head(t)


class TokenFacts:
    """What pair_features reads of every token, read once per document: a candidate's path and the
    words between its mentions are then list lookups, not spaCy Token objects (building those was most
    of the claim component's time)."""

    __slots__ = ("dep", "head", "lemma", "lower", "near", "neg", "passive", "pos", "questions", "trig")

    def __init__(self, doc: Doc, lex: dict[str, frozenset[str]]) -> None:
        n = len(doc)
        self.dep = [""] * n
        self.head = [0] * n
        self.lemma = [""] * n
        self.lower = [""] * n
        self.pos = [""] * n
        self.neg = [False] * n
        self.passive = [False] * n
        # a noun trigger hanging from a word ("provided funding to X"): the predicates, child by child
        self.near: list[list[str]] = [[] for _ in range(n)]
        near_deps = ("dobj", "attr", "nsubj", "nsubjpass")
        self.questions: dict[int, bool] = {}  # sentence start -> whether it ends with "?"
        for t in doc:
            i, dep = t.i, t.dep_
            h = t.head.i
            self.dep[i], self.head[i], self.lower[i], self.pos[i] = dep, h, t.lower_, t.pos_
            self.lemma[i] = t.lemma_.lower()
            if h != i:
                if dep == "neg":
                    self.neg[h] = True
                elif dep == "auxpass":
                    self.passive[h] = True
        self.trig = [lex.get(w, ()) for w in self.lemma]
        for i in range(n):
            if self.lemma[i] in NEGATIONS:
                self.neg[i] = True
        # children in order, as Token.children gives them
        for i in range(n):
            h = self.head[i]
            if h != i and self.dep[i] in near_deps and self.trig[i]:
                self.near[h].extend(self.trig[i])

    def path(self, a: int, b: int) -> tuple[list[int], list[int]]:
        """dependency_path over token indexes."""
        return index_path(a, b, self.head.__getitem__)


def pair_features(idx: DocIndex, c: Candidate, rule_votes: dict[tuple[int, int], set[str]],
                  facts: TokenFacts) -> list[str]:
    """The feature strings of one candidate (`facts`: the document's, built once by the caller)."""
    doc: Doc = idx.doc
    dep, lemma = facts.dep, facts.lemma
    ta, tb = idx.ents[c.a.ent].type, idx.ents[c.b.ent].type
    types = f"{ta}|{tb}"
    ra = c.a.start if c.a.end - c.a.start == 1 else c.a.root(doc).i
    rb = c.b.start if c.b.end - c.b.start == 1 else c.b.root(doc).i
    f = [f"t:{types}", f"ta:{ta}", f"tb:{tb}", f"k:{c.a.kind}|{c.b.kind}",
         f"da:{dep[ra]}", f"db:{dep[rb]}", f"dab:{dep[ra]}|{dep[rb]}",
         f"ha:{lemma[facts.head[ra]]}", f"hb:{lemma[facts.head[rb]]}"]
    ea, eb = idx.ents[c.a.ent], idx.ents[c.b.ent]
    f += [x for w in name_kinds(idx.vocab, ea) for x in (f"wa:{w}", f"wa_tb:{w}|{tb}")]
    f += [x for w in name_kinds(idx.vocab, eb) for x in (f"wb:{w}", f"wb_ta:{w}|{ta}")]
    if other_states(ea, eb):
        f += ["states:other", f"states_t:other|{types}"]
    up, down = facts.path(ra, rb)
    if up:
        lca = up[-1]
        labels = "^".join(dep[t] for t in up[:-1]) + ">" + "v".join(dep[t] for t in reversed(down))
        plen = len(up) + len(down) - 1
        f += [f"plen:{min(plen, MAX_PATH)}", f"lca:{lemma[lca]}", f"lcapos:{facts.pos[lca]}",
              f"lca_t:{lemma[lca]}|{types}"]
        if plen <= MAX_PATH:
            f += [f"path:{labels}", f"path_t:{labels}|{types}"]
            words = [lemma[t] for t in up[1:-1]] + [lemma[lca]] + [lemma[t] for t in down[1:]]
            f.append("pathw:" + "_".join(words))
        inner = up[1:] + down[1:]
        for t in inner:
            w = lemma[t]
            f.append(f"pl:{w}")
            f.append(f"pld:{w}:{dep[t]}")
            for p in facts.trig[t]:
                f += [f"trig:{p}", f"trig_t:{p}|{types}", f"trig_d:{p}|{dep[ra]}|{dep[rb]}"]
            if facts.neg[t]:
                f.append("neg_path")
            if facts.passive[t]:
                f.append("passive_path")
        for t in inner:
            for p in facts.near[t]:
                f += [f"trig_near:{p}", f"trig_near_t:{p}|{types}"]
    else:
        f.append("nopath")
    gap = max(c.b.start - c.a.end, 0)
    f.append(f"gap:{min(gap, 12) if gap < 6 else (6 if gap < 10 else 10)}")
    between = range(c.a.end, c.a.end + gap)
    if gap <= MAX_BETWEEN:
        for t in between:
            f.append(f"bw:{lemma[t]}")
            for p in facts.trig[t]:
                f.append(f"trig_bw:{p}")
        if gap <= 3:
            f.append("bws:" + "_".join(facts.lower[t] for t in between))
    lower = facts.lower
    f += [f"prev_b:{lower[c.b.start - 1]}" if c.b.start > 0 else "prev_b:^",
          f"prev_a:{lower[c.a.start - 1]}" if c.a.start > c.sent.start else "prev_a:^",
          f"next_b:{lower[c.b.end]}" if c.b.end < c.sent.end else "next_b:$"]
    n_other = sum(1 for t in between if idx.entity_at_index(t) not in (None, c.a.ent, c.b.ent))
    f.append(f"nb_ents:{min(n_other, 3)}")
    if any(lower[t] == ";" for t in between):
        f.append("semicolon_between")
    question = facts.questions.get(c.sent.start)
    if question is None:
        question = facts.questions[c.sent.start] = c.sent.text.rstrip().endswith("?")
    if question:
        f.append("question")
    for pred in rule_votes.get((c.a.ent, c.b.ent), ()):
        f += [f"rule:{pred}:fwd", "rule:any"]
    for pred in rule_votes.get((c.b.ent, c.a.ent), ()):
        f += [f"rule:{pred}:rev", "rule:any"]
    return f


DOCUMENT_FEATURES = ("nco:", "nco_t:", "same_state:", "same_state_t:")  # the prefixes document_features uses


def document_features(idx: DocIndex, cands: list[Candidate]) -> list[list[str]]:
    """Nuisance features of each candidate's pair, read over the whole document: in how many sentences
    the two entities meet, by type pair, and whether one is a body of the state the other is ("Russia"
    and its GRU). Training labels every sentence where a gold pair meets as stating the claim, which is
    often untrue when the pair meets in many sentences; these features take up that noise while the
    model is fitted, and their weights are then dropped (training.NUISANCE), so the model never reads
    them at run time."""
    seen: dict[frozenset[int], set[int]] = {}
    for c in cands:
        seen.setdefault(frozenset((c.a.ent, c.b.ent)), set()).add(c.sent.start)
    out = []
    for c in cands:
        a, b = idx.ents[c.a.ent], idx.ents[c.b.ent]
        types = f"{a.type}|{b.type}"
        n = min(len(seen[frozenset((c.a.ent, c.b.ent))]), 4)
        f = [f"nco:{n}", f"nco_t:{n}|{types}"]
        if a.state and b.type == "country" and b.gid == a.state:
            f += ["same_state:ab", f"same_state_t:{types}"]
        if b.state and a.type == "country" and a.gid == b.state:
            f += ["same_state:ba", f"same_state_t:{types}"]
        out.append(f)
    return out
