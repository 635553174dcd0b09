"""The screening indicators (data in ``frontwatch/data/screen/indicators.yaml``), loaded once and
compiled into spaCy matchers over lower-case lemmas.

Match keys: ``ID`` (any phrase or pattern of an indicator), ``ID#gN`` (group N of ``together``),
``ID#unless``, ``esc#req`` and ``esc#tN`` (escalation), ``cue#self`` and ``cue#other`` (who made
contact).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from ..errors import VocabularyError
from ..vocab import _read

DATA_FILE = "screen/indicators.yaml"
Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Indicator:
    """One warning sign (or, with a negative weight, one sign of a transparent arrangement)."""

    id: str
    title: str
    description: str
    category: str
    weight: float
    advisories: tuple[str, ...] = ()
    early_bonus: bool = False
    skip_negated: bool = False
    window: int = 0  # tokens, for `together`
    groups: int = 0  # number of `together` groups
    has_any: bool = False  # phrases or patterns
    has_unless: bool = False


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    core: bool
    label: str


@dataclass(frozen=True, slots=True)
class Combination:
    all: frozenset[str]
    level: str
    min_score: float
    reason: str


@dataclass(slots=True)
class Catalogue:
    """Everything the detector needs, read from the YAML file."""

    indicators: list[Indicator]
    mitigators: list[Indicator]
    mitigator_cap: float
    mitigator_max_each: int
    categories: dict[str, Category]
    negations: frozenset[str]
    timing: dict[str, float]
    repeats: dict[str, float]
    escalation: Indicator
    escalation_tiers: int
    payment_growth: float
    escalation_requires: frozenset[str]
    cue_window: int
    levels: dict[str, dict[str, Any]]
    combinations: list[Combination]
    specs: dict[str, list[Any]] = field(default_factory=dict)  # match key -> patterns
    phrases: dict[str, list[str]] = field(default_factory=dict)  # match key -> phrases
    groups: dict[str, list[str]] = field(default_factory=dict)
    spellings: dict[str, str] = field(default_factory=dict)  # chat spelling -> lemma ("ur" -> "your")

    @property
    def by_id(self) -> dict[str, Indicator]:
        return {i.id: i for i in (*self.indicators, *self.mitigators, self.escalation)}


def _strings(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise VocabularyError(f"vocabulary file data/{DATA_FILE}: {where} must be a list of strings")
    return [str(v) for v in value]


def _indicator(item: dict[str, Any], cat: Catalogue, advisories: dict[str, str], where: str) -> Indicator:
    if not isinstance(item, dict) or not item.get("id") or not item.get("title"):
        raise VocabularyError(f"vocabulary file data/{DATA_FILE}: {where} needs an id and a title")
    iid = str(item["id"])
    phrases = _strings(item.get("phrases"), f"{iid}.phrases")
    patterns = item.get("patterns") or []
    if phrases:
        cat.phrases[iid] = phrases
    if patterns:
        cat.specs[iid] = list(patterns)
    together = item.get("together") or {}
    groups = together.get("groups") or []
    for n, group in enumerate(groups):
        cat.specs[f"{iid}#g{n}"] = list(group)
    if item.get("unless"):
        cat.specs[f"{iid}#unless"] = list(item["unless"])
    unknown = [a for a in item.get("advisories") or [] if a not in advisories]
    if unknown:
        raise VocabularyError(f"vocabulary file data/{DATA_FILE}: {iid}: unknown advisory {unknown[0]!r}")
    return Indicator(
        id=iid, title=str(item["title"]), description=" ".join(str(item.get("description", "")).split()),
        category=str(item.get("category", "mitigation")), weight=float(item.get("weight", 0)),
        advisories=tuple(advisories[a] for a in item.get("advisories") or []),
        early_bonus=bool(item.get("early_bonus")), skip_negated=bool(item.get("skip_negated")),
        window=int(together.get("window", 0)), groups=len(groups), has_any=bool(phrases or patterns),
        has_unless=bool(item.get("unless")),
    )


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """Read and check the indicator file (once per process)."""
    data = _read(DATA_FILE)
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise VocabularyError(f"vocabulary file data/{DATA_FILE} must have a list of indicators")
    categories = {str(k): Category(str(k), bool(v.get("core")), str(v.get("label", k)))
                  for k, v in (data.get("categories") or {}).items()}
    esc = data.get("escalation") or {}
    mit = data.get("mitigators") or {}
    cues = data.get("approacher") or {}
    cat = Catalogue(
        indicators=[], mitigators=[], mitigator_cap=float(mit.get("cap", 0)),
        mitigator_max_each=int(mit.get("max_each", 1)), categories=categories,
        negations=frozenset(w.lower() for w in _strings(data.get("negations"), "negations")),
        timing={k: float(v) for k, v in (data.get("timing") or {}).items()},
        repeats={k: float(v) for k, v in (data.get("repeats") or {}).items()},
        escalation=Indicator(id="", title="", description="", category="", weight=0),
        escalation_tiers=len(esc.get("tiers") or {}), payment_growth=float(esc.get("payment_growth", 1.5)),
        escalation_requires=frozenset(esc.get("requires_any") or ()), cue_window=int(cues.get("look_at", 10)),
        levels=dict(data.get("levels") or {}),
        combinations=[Combination(frozenset(c["all"]), str(c["level"]), float(c.get("min_score", 0)),
                                  str(c.get("reason", ""))) for c in data.get("combinations") or []],
        groups={str(k): _strings(v, f"groups.{k}") for k, v in (data.get("groups") or {}).items()},
        spellings={str(k).lower(): str(v).lower() for k, v in (data.get("spellings") or {}).items()},
    )
    advisories = {str(k): str(v) for k, v in (data.get("advisories") or {}).items()}
    for n, item in enumerate(data["indicators"], start=1):
        ind = _indicator(item, cat, advisories, f"indicator {n}")
        if ind.category not in categories:
            raise VocabularyError(
                f"vocabulary file data/{DATA_FILE}: {ind.id}: unknown category {ind.category!r}")
        cat.indicators.append(ind)
    for n, item in enumerate(mit.get("items") or [], start=1):
        ind = _indicator(item, cat, advisories, f"mitigator {n}")
        cat.mitigators.append(replace(ind, skip_negated=not item.get("negation_ok")))
    cat.escalation = _indicator({**esc, "patterns": None}, cat, advisories, "escalation")
    cat.specs["esc#req"] = list(esc.get("request") or [])
    if esc.get("growth"):
        cat.specs["esc#grow"] = list(esc["growth"])
    for tier, specs in (esc.get("tiers") or {}).items():
        cat.specs[f"esc#t{int(tier)}"] = list(specs)
    for side in ("self", "other"):
        cat.phrases[f"cue#{side}"] = _strings((cues.get(side) or {}).get("phrases"), f"approacher.{side}")
    return cat


# --- compiling patterns -----------------------------------------------------------------------

_WILD = re.compile(r"~(\d+)")


class _Compiler:
    """Turns the compact pattern strings into spaCy Matcher patterns."""

    def __init__(self, nlp: Language, groups: dict[str, list[str]]) -> None:
        self.nlp = nlp
        self.groups = groups
        self.lemma_cache: dict[str, str] = {}

    def lemmas(self, words: set[str]) -> None:
        todo = sorted(w for w in words if w not in self.lemma_cache)
        for word, doc in zip(todo, self.nlp.pipe(todo), strict=True):
            self.lemma_cache[word] = doc[0].lemma_.lower() if len(doc) == 1 else word

    def words(self, alternatives: str, spec: str) -> list[str]:
        out: set[str] = set()
        for alt in alternatives.split("|"):
            if alt.startswith("@"):
                if alt[1:] not in self.groups:
                    raise VocabularyError(
                        f"vocabulary file data/{DATA_FILE}: unknown group {alt!r} in {spec!r}")
                out.update(w.lower() for w in self.groups[alt[1:]])
            elif alt:
                out.add(alt.lower())
        bad = [w for w in out if all(len(self.nlp.tokenizer(f)) > 1 for f in (w, w.upper(), w.capitalize()))]
        if bad:
            raise VocabularyError(f"vocabulary file data/{DATA_FILE}: {bad[0]!r} in {spec!r} is more than "
                                  "one token; write it as a phrase or a sequence")
        self.lemmas(out)
        return sorted(out | {self.lemma_cache[w] for w in out})

    def compile(self, spec: Any) -> list[dict[str, Any]]:
        if isinstance(spec, list):  # a spaCy Matcher pattern as it is
            return spec
        tokens: list[dict[str, Any]] = []
        for tok in str(spec).split():
            wild = _WILD.fullmatch(tok)
            if wild:
                tokens.append({"OP": f"{{0,{wild.group(1)}}}"})
                continue
            optional = len(tok) > 1 and tok.endswith("?")
            tok = tok[:-1] if optional else tok
            if tok == "#num":
                parts: list[dict[str, Any]] = [{"LIKE_NUM": True}]
            elif tok.startswith("="):  # exact forms: "=linked|=connected"
                forms = [a.removeprefix("=").lower() for a in tok.split("|")]
                parts = [{"LOWER": {"IN": forms}}]
            elif "|" not in tok and not tok.startswith("@") and len(self.nlp.tokenizer(tok)) > 1:
                parts = [{"LOWER": t.lower_} for t in self.nlp.tokenizer(tok)]  # "non-public"
            else:
                parts = [{"LEMMA": {"IN": self.words(tok, str(spec))}}]
            if optional:
                parts[-1]["OP"] = "?"
            tokens.extend(parts)
        if not tokens or "OP" in tokens[0] and tokens[0]["OP"].startswith("{"):
            raise VocabularyError(f"vocabulary file data/{DATA_FILE}: bad pattern {spec!r}")
        return tokens


def lower_lemmas(doc: Doc, spellings: dict[str, str] | None = None) -> Doc:
    """Lemmas in lower case, so that patterns are case-insensitive ("WhatsApp" = "whatsapp"), with
    chat spellings read as the word they stand for ("ur" = "your")."""
    spellings = load_catalogue().spellings if spellings is None else spellings
    for tok in doc:
        lemma = (tok.lemma_ or tok.text).lower()
        tok.lemma_ = spellings.get(tok.lower_, lemma)
    return doc


class Matchers:
    """All patterns of the catalogue, compiled for one spaCy pipeline."""

    def __init__(self, nlp: Language, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.by_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.by_lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        compiler = _Compiler(nlp, catalogue.groups)
        for key, specs in catalogue.specs.items():
            try:
                self.matcher.add(key, [compiler.compile(s) for s in specs])
            except ValueError as exc:  # spaCy's pattern validation
                raise VocabularyError(
                    f"vocabulary file data/{DATA_FILE}: bad pattern in {key}: {exc}") from None
        for key, phrases in catalogue.phrases.items():
            self.by_lower.add(key, [nlp.make_doc(p) for p in phrases])
            self.by_lemma.add(key, [lower_lemmas(d, catalogue.spellings) for d in nlp.pipe(phrases)])

    def find(self, doc: Doc) -> dict[str, list[Span]]:
        """Match key -> token spans in ``doc`` (lemmas already lower case), negated matches removed
        for indicators that skip them."""
        vocab = doc.vocab.strings
        found: dict[str, set[Span]] = defaultdict(set)
        for matches in (self.matcher(doc), self.by_lower(doc), self.by_lemma(doc)):
            for match_id, start, end in matches:
                found[vocab[match_id]].add((start, end))
        by_id = self.catalogue.by_id
        negs = self.catalogue.negations
        out: dict[str, list[Span]] = {}
        for key, spans in found.items():
            ind = by_id.get(key.split("#")[0])
            if ind is not None and ind.skip_negated and not key.endswith("#unless"):
                spans = {s for s in spans if not _negated(doc, s[0], negs)}
            if spans:
                out[key] = sorted(spans, key=lambda s: (s[0], s[1] - s[0]))
        return out


NEGATION_SCOPE = 6  # tokens back from a match that a negation reaches, within its clause
_CLAUSE_END = frozenset({".", ",", ";", ":", "!", "?", "but", "however", "though", "although", "-", "\n"})


def _negated(doc: Doc, start: int, negations: frozenset[str]) -> bool:
    """A negation shortly before the match, in the same clause ("will not share confidential or
    non-public information"; not "don't worry, just send the internal minutes")."""
    for tok in reversed(doc[max(0, start - NEGATION_SCOPE): start]):
        if tok.lower_ in _CLAUSE_END or tok.is_space:
            return False
        if tok.lower_ in negations or tok.lemma_ in negations:
            return True
    return False
