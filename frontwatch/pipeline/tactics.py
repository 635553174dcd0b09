"""frontwatch.tactics.v1: the SCHEMA tactic of each claim, from its predicate and its sentence's words."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from ..vocab import Vocabulary, load_vocabulary
from .args import DocIndex
from .claims import FoundClaim

COVERT_ROLES = frozenset({"agent", "agents", "spy", "spies", "proxy", "proxies", "asset", "assets",
                          "operative", "operatives", "informant", "informants", "handler", "mouthpiece",
                          "front"})
STRUCTURAL = {"affiliated_with", "located_in", "controls"}


class TacticTagger:
    """Picks a claim's tactic: keywords in its sentence choose among the predicate's allowed tactics."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        t = vocab.tactics
        self.defaults: dict[str, str | None] = t["defaults"]
        self.allowed: dict[str, list[str]] = t["allowed"]
        self.patterns = {
            tactic: re.compile(r"\b(" + "|".join(re.escape(str(w).lower()) for w in words) + r")\b")
            for tactic, words in t["keywords"].items()
        }
        # acting covertly for a state takes the tactic of the activity (SCHEMA); an officer of one's
        # own agency or a member of a party is a plain structural link
        self.agentive = COVERT_ROLES

    def __call__(self, doc: Doc) -> Doc:
        idx = DocIndex.of(doc, self.vocab)
        for c in doc._.fw_claims or []:
            c.tactic = self._tactic(idx, c)
        return doc

    def _tactic(self, idx: DocIndex, c: FoundClaim) -> str | None:
        subj, obj = idx.ents[c.subj], idx.ents[c.obj]
        if "overseas_station" in (subj.type, obj.type):
            return "covert_policing"
        if c.pred in STRUCTURAL and (c.trigger is None or c.trigger.lemma_.lower() not in self.agentive
                                     and c.pred != "controls"):
            return None
        text = c.sent.text.lower()
        for tactic in self.patterns:
            if tactic in self.allowed.get(c.pred, []) and self.patterns[tactic].search(text):
                return tactic
        return self.defaults.get(c.pred)


@Language.factory("frontwatch_tactics_v1", default_config={})
def make_tactic_tagger(nlp: Language, name: str) -> TacticTagger:
    """Assigns each claim one of the SCHEMA tactics (or none)."""
    return TacticTagger(load_vocabulary())
