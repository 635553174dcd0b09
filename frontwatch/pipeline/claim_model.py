"""frontwatch.claims.v2: a trained model decides the predicate and direction of every candidate pair.

The v1 rules run first; their claims become features ("rule votes"), as do the parse around each pair
(pair_features.py). A multinomial logistic regression trained by `make train` (frontwatch/training.py)
scores the classes "none", "<predicate>>" (first mention is the subject), "<predicate><" (the second
is) and "meets" for each sentence; a second one, the pair model, scores each pair of entities over all
the sentences where they meet (pair_bags.py). A claim whose geometric mean of the two reaches the
threshold is kept, with that mean as its confidence. Both are one JSON file shipped in the package
(data/claim_model.json.gz); a file without a pair model decides by the sentence model alone.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..errors import ModelNotFoundError
from ..vocab import Vocabulary, load_vocabulary
from .args import DocIndex
from .candidates import Candidate, CandidateMention, candidates, sentence_mentions
from .claims import OBJECT_TYPES, SUBJECT_TYPES, FoundClaim
from .pair_bags import bags
from .pair_features import TokenFacts, dependency_path, pair_features, triggers

MODEL_FILE = "claim_model.json.gz"
# classes that name one claim: affiliated_with(first, second) is controls(second, first)
EQUIVALENT_CLASSES = {"controls<": "affiliated_with>", "controls>": "affiliated_with<"}
FORMAT = "frontwatch-claim-model"
SAME_CLAIM = {"affiliated_with": "controls", "controls": "affiliated_with"}  # with subject and object swapped


@dataclass(slots=True)
class ClaimModel:
    """Weights of the trained claim model: class scores are sums of feature weights, then softmax."""

    classes: list[str]
    intercept: list[float]
    weights: dict[str, dict[int, float]]
    threshold: float
    meta: dict[str, object]
    # the pair model (pair_bags): with it a claim's score is the geometric mean of this model's
    # (over its sentences) and the pair model's
    bag: ClaimModel | None = None
    # the weights as one matrix (feature index, features x classes), built on first use
    _matrix: tuple[dict[str, int], Any] | None = field(default=None, repr=False, compare=False)
    _groups: list[list[int]] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> ClaimModel:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ModelNotFoundError("claim model file: not a frontwatch claim model")
        weights = {str(f): {int(k): float(v) for k, v in ws.items()} for f, ws in data["weights"].items()}
        bag = cls.from_dict(data["bag"]) if data.get("bag") is not None else None
        return cls([str(c) for c in data["classes"]], [float(x) for x in data["intercept"]], weights,
                   float(data["threshold"]), dict(data.get("meta") or {}), bag)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "format": FORMAT, "classes": self.classes, "intercept": self.intercept,
            "threshold": self.threshold, "meta": self.meta,
            "weights": {f: {str(k): v for k, v in sorted(ws.items())}
                        for f, ws in sorted(self.weights.items())}}
        if self.bag is not None:
            out["bag"] = self.bag.to_dict()
        return out

    def save(self, path: Path) -> None:
        raw = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":")).encode()
        path.write_bytes(gzip.compress(raw, mtime=0))  # mtime 0: same weights, same bytes

    def probabilities_of(self, rows: list[list[str]]) -> list[list[float]]:
        """Each class's probability (softmax of summed feature weights) for each of many feature lists."""
        return self.probability_matrix(rows).tolist()  # type: ignore[no-any-return]

    def probability_matrix(self, rows: list[list[str]]) -> Any:
        """probabilities_of as a numpy array (rows x classes): one matrix sum instead of a Python loop over
        every feature of every candidate (it took a fifth of the claim component's time)."""
        import numpy as np

        if not rows:
            return np.zeros((0, len(self.classes)))
        if self._matrix is None:
            index = {f: i for i, f in enumerate(self.weights)}
            matrix = np.zeros((len(index), len(self.classes)))
            for f, i in index.items():
                for k, w in self.weights[f].items():
                    matrix[i, k] = w
            self._matrix = (index, matrix)
        index, matrix = self._matrix
        get = index.get
        cols = [[j for j in map(get, set(fs)) if j is not None] for fs in rows]
        owners = np.repeat(np.arange(len(rows)), [len(c) for c in cols])
        logits = np.tile(np.array(self.intercept), (len(rows), 1))
        np.add.at(logits, owners, matrix[np.array([i for c in cols for i in c], dtype=np.int64)])
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        return exp / exp.sum(axis=1, keepdims=True)

    def decisions(self, rows: list[list[str]], least: float) -> list[tuple[int, int, float]]:
        """(row, class, probability) of each distinct claim of each row whose probability reaches
        `least`, row by row: classes that SCHEMA scores as one claim (affiliated_with(B, A) is
        controls(A, B)) pool their probability under the likelier name."""
        import numpy as np

        probs = self.probability_matrix(rows)
        if not len(probs):
            return []
        groups = self.claim_classes()
        best = np.empty((len(probs), len(groups)), dtype=np.int64)
        total = np.empty((len(probs), len(groups)))
        for g, ks in enumerate(groups):
            sub = probs[:, ks]
            best[:, g] = np.array(ks)[sub.argmax(axis=1)]  # the first of equals, as max() gives
            total[:, g] = sub.sum(axis=1)
        rows_at, groups_at = np.nonzero(total >= least)
        return [(int(r), int(best[r, g]), float(total[r, g]))
                for r, g in zip(rows_at, groups_at, strict=True)]

    def claim_classes(self) -> list[list[int]]:
        """The classes grouped by the claim they name (affiliated_with(B, A) is controls(A, B))."""
        if self._groups is None:
            groups: dict[str, list[int]] = {}
            for k, label in enumerate(self.classes):
                if label != "none":
                    groups.setdefault(EQUIVALENT_CLASSES.get(label, label), []).append(k)
            self._groups = list(groups.values())
        return self._groups

    def explain(self, features: list[str], k: int, n: int = 5) -> list[str]:
        """The n features that pushed class k up the most, with their weights."""
        contrib = sorted(((self.weights.get(f, {}).get(k, 0.0), f) for f in set(features)), reverse=True)
        return [f"{f} {w:+.2f}" for w, f in contrib[:n] if w > 0]


@lru_cache(maxsize=4)
def load_claim_model(path: str | None = None) -> ClaimModel:
    """The shipped model (or one at `path`), loaded once per process."""
    try:
        if path:
            raw = Path(path).read_bytes()
        else:
            raw = resources.files("frontwatch").joinpath("data", MODEL_FILE).read_bytes()
        return ClaimModel.from_dict(json.loads(gzip.decompress(raw)))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelNotFoundError(f"claim model {path or MODEL_FILE}: cannot be read ({exc}); "
                                 "run `make train` or select frontwatch_claims_v1") from exc


def rule_votes(found: list[FoundClaim]) -> dict[int, dict[tuple[int, int], set[str]]]:
    """The v1 rules' claims of each sentence: sentence start -> (subject, object) -> predicates."""
    votes: dict[int, dict[tuple[int, int], set[str]]] = {}
    for c in found:
        votes.setdefault(c.sent.start, {}).setdefault((c.subj, c.obj), set()).add(c.pred)
    return votes


def document_candidates(idx: DocIndex, found: list[FoundClaim]) -> list[tuple[Candidate, list[str]]]:
    """Every candidate of a document with its features (the model's input, at training and run time)."""
    votes = rule_votes(found)
    mentions = sentence_mentions(idx)
    idx.doc.user_data["fw_coref_mentions"] = [
        (m.ent, _description(idx.doc, m)) for ms in mentions.values() for m in ms if m.kind == "description"]
    facts = TokenFacts(idx.doc, triggers(idx.vocab))
    return [(c, pair_features(idx, c, votes.get(c.sent.start, {}), facts)) for c in candidates(idx, mentions)]


def _description(doc: Doc, m: CandidateMention) -> tuple[int, int]:
    """Character offsets of a description with its determiner and modifiers ("the former aide")."""
    head = doc[m.start]
    first = min([c.i for c in head.lefts if c.dep_ in ("det", "amod", "compound", "poss", "nummod")]
                + [m.start])
    return doc[first].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text)


class ModelClaimExtractor:
    """Replaces the rules' claims with the model's decisions over all candidate pairs."""

    def __init__(self, vocab: Vocabulary, model: ClaimModel, threshold: float | None,
                 aggregate: str | None = None) -> None:
        self.vocab = vocab
        self.model = model
        self.threshold = model.threshold if threshold is None else threshold
        self.reporting = vocab.words("stance", "reporting_verbs") | vocab.words("stance", "denial_verbs")
        self.aggregate = aggregate or str(model.meta.get("aggregate", "max"))
        # a claim the v1 rules found counts with at least this probability (0: the model alone decides)
        self.rules_floor = float(str(model.meta.get("rules_floor", 0.0)))

    def __call__(self, doc: Doc) -> Doc:
        idx = DocIndex.of(doc, self.vocab)
        rules: list[FoundClaim] = doc._.fw_claims or []
        by_key = {(c.sent.start, c.subj, c.pred, c.obj): c for c in rules}
        floor = self.threshold / 2 if self.aggregate == "noisy_or" else self.threshold
        if self.model.bag is not None:
            floor = float(str(self.model.meta.get("sentence_floor", floor)))
        found: list[FoundClaim] = []
        cands = document_candidates(idx, rules)
        for row, k, p in self.model.decisions([f for _, f in cands], floor):
            cand, feats = cands[row]
            claim = self._claim(idx, cand, self.model.classes[k], p, by_key)
            if claim is not None:
                claim.features = self.model.explain(feats, k)
                found.append(claim)
        if self.rules_floor > 0:
            found += [FoundClaim(r.subj, r.pred, r.obj, r.sent, r.trigger, anchor=r.anchor,
                                 confidence=self.rules_floor, features=["rule"]) for r in rules]
        doc._.fw_entities = idx.ents
        pairs, why = self._pair_scores(cands, rules) if self.model.bag is not None else (None, {})
        doc._.fw_claims = self._decide(found, pairs, why)
        return doc

    def _pair_scores(self, cands: list[tuple[Candidate, list[str]]],
                     rules: list[FoundClaim]) -> tuple[dict[tuple[str, int, int], float],
                                                       dict[tuple[str, int, int], Callable[[], list[str]]]]:
        """The pair model's probability of each claim (canonical key), from all the sentences where
        its two entities meet, and the features that pushed it most; a claim the rules found has at
        least the rules' floor."""
        model = self.model.bag
        assert model is not None
        out: dict[tuple[str, int, int], float] = {}
        why: dict[tuple[str, int, int], Callable[[], list[str]]] = {}
        # a claim's score is the geometric mean with a sentence probability (at most 1): a pair model
        # probability under the threshold's square can never make one
        least = self.threshold * self.threshold * 0.999
        all_bags = bags(cands)
        for row, k, p in model.decisions([b.features for b in all_bags], least):
            bag = all_bags[row]
            label = model.classes[k]
            s, o = (bag.second, bag.first) if label.endswith("<") else (bag.first, bag.second)
            key = canonical(s, label.rstrip("<>"), o)
            if p > out.get(key, 0.0):
                out[key] = p
                # read only for the claims kept: explaining every pair and class costs 10 % of the run
                why[key] = partial(_pair_reasons, model, bag.features, k, p)
        for r in rules:
            key = canonical(r.subj, r.pred, r.obj)
            if self.rules_floor > out.get(key, 0.0):
                out[key] = self.rules_floor
                why[key] = partial(_rule_reason, self.rules_floor)
        return out, why

    def _decide(self, found: list[FoundClaim], pairs: dict[tuple[str, int, int], float] | None = None,
                why: dict[tuple[str, int, int], Callable[[], list[str]]] | None = None) -> list[FoundClaim]:
        """One decision per claim of the document: the best sentence's probability,
        or with "noisy_or" the chance that at least one sentence states it; with the pair model, the
        geometric mean of that and the pair model's probability. Each key's sentences are kept, the
        most probable first (it gives the claim its evidence). The key is SCHEMA's (`canonical`): a
        sentence's affiliated_with(B, A) and another's controls(A, B) are one claim, named as the likelier."""
        groups: dict[tuple[str, int, int], list[FoundClaim]] = {}
        for c in found:
            groups.setdefault(canonical(c.subj, c.pred, c.obj), []).append(c)
        out: list[FoundClaim] = []
        for key, claims in groups.items():
            claims.sort(key=lambda c: -c.confidence)
            top = claims[0]  # affiliated_with(B, A) and controls(A, B) are one claim: the likelier name
            claims = [c if c.pred == top.pred else replace(c, subj=top.subj, pred=top.pred, obj=top.obj)
                      for c in claims]
            miss = 1.0
            for c in claims:
                miss *= 1.0 - c.confidence
            score = 1.0 - miss if self.aggregate == "noisy_or" else claims[0].confidence
            if pairs is not None:
                score = math.sqrt(score * pairs.get(key, 0.0))
            if score < self.threshold:
                continue
            # --explain: the pair model's reasons, after the sentence's
            reasons = why[key]() if why and key in why else []
            for c in claims:
                c.confidence = round(score, 4)
                c.features = [*(c.features or []), *reasons]
            out += claims
        return out

    def _claim(self, idx: DocIndex, cand: Candidate, label: str, p: float,
               by_key: dict[tuple[int, int, str, int], FoundClaim]) -> FoundClaim | None:
        pred, direction = label.rstrip("<>"), label[-1]
        s, o = (cand.b, cand.a) if direction == "<" else (cand.a, cand.b)
        if not typed(idx, s.ent, pred, o.ent):
            return None
        rule = by_key.get((cand.sent.start, s.ent, pred, o.ent))
        if rule is None and pred in SAME_CLAIM:  # the rules' controls(B, A) is this affiliated_with(A, B)
            rule = by_key.get((cand.sent.start, o.ent, SAME_CLAIM[pred], s.ent))
        if rule is not None:  # the rules found it too: their trigger or anchor places it in the parse
            return FoundClaim(s.ent, pred, o.ent, cand.sent, rule.trigger, anchor=rule.anchor, confidence=p)
        trigger, anchor = self._trigger(idx, cand, pred)
        return FoundClaim(s.ent, pred, o.ent, cand.sent, trigger, anchor=anchor, confidence=p)

    def _trigger(self, idx: DocIndex, cand: Candidate, pred: str) -> tuple[Token | None, Token | None]:
        """A word of the predicate's vocabulary on the path between the mentions; else the path's top,
        as the trigger when it is a verb ("linked X to Y", "X acted for Y": reporting verbs, hedges and
        denials over it decide the stance), as an anchor otherwise ("X, Y's airline" describes)."""
        doc = idx.doc
        up, down = dependency_path(cand.a.root(doc), cand.b.root(doc))
        lex = triggers(self.vocab)
        for t in up[1:] + down[1:]:
            if any(p.endswith(pred) for p in lex.get(t.lemma_.lower(), ())):
                return t, None
        lca = up[-1] if up else cand.b.root(doc)
        if lca.pos_ == "VERB" and lca.lemma_.lower() not in self.reporting:
            return lca, None
        return None, lca


def _pair_reasons(model: ClaimModel, features: list[str], k: int, p: float) -> list[str]:
    return [f"pair {p:.2f}: " + ", ".join(model.explain(features, k, 3))]


def _rule_reason(p: float) -> list[str]:
    return [f"pair {p:.2f}: rule"]


def canonical(s: int, pred: str, o: int) -> tuple[str, int, int]:
    """The key SCHEMA scores a claim by: affiliated_with(B, A) is controls(A, B); meets is symmetric."""
    if pred in ("affiliated_with", "controls"):
        return ("controls", o, s) if pred == "affiliated_with" else ("controls", s, o)
    if pred == "meets":
        return (pred, min(s, o), max(s, o))
    return (pred, s, o)


def typed(idx: DocIndex, s: int, pred: str, o: int) -> bool:
    """SCHEMA's argument types: a place acts only by being somewhere; places hold, and so on."""
    st, ot = idx.ents[s].type, idx.ents[o].type
    if s == o or (pred != "located_in" and st == "place"):
        return False
    if pred in ("affiliated_with", "controls") and _foreign_organ(idx, s, o):
        return False
    return st in SUBJECT_TYPES.get(pred, {st}) and ot in OBJECT_TYPES.get(pred, {ot})


ORGANS = {"state_body", "diplomatic_mission", "overseas_station"}


def _foreign_organ(idx: DocIndex, a: int, b: int) -> bool:
    """A state's organ and another country: the FBI is no part of China, whatever the sentence's
    shape (38 of 40 such gold links on train join a body to its own state; the 2 others are
    mistyped entities)."""
    for body, country in ((idx.ents[a], idx.ents[b]), (idx.ents[b], idx.ents[a])):
        if body.type in ORGANS and country.type == "country":
            mine, theirs = body.state, country.gid or country.state
            return bool(mine and theirs and mine != theirs)
    return False


@Language.factory("frontwatch_claims_v2", default_config={"model_path": None, "threshold": None})
def make_model_claim_extractor(nlp: Language, name: str, model_path: str | None,
                               threshold: float | None) -> ModelClaimExtractor:
    """Decides the claims of every candidate pair with the trained model (after the v1 rules)."""
    if not Doc.has_extension("fw_claims"):
        Doc.set_extension("fw_claims", default=None)
    return ModelClaimExtractor(load_vocabulary(), load_claim_model(model_path), threshold)
