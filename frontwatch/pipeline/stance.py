"""frontwatch.stance.v1: asserted / alleged / denied, and who the claim belongs to.

A claim inside the complement of a reporting verb is alleged by the verb's subject ("CSIS alleges",
"the Globe reported"); "according to X" attributes to X; hedges ("reportedly", "may") make it alleged;
a denial verb over the claim, or an anaphoric denial ("denied those claims") by the accused in the next
sentence, makes it denied by the denier. Generic denials ("denied any wrongdoing") leave it alleged.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..vocab import Vocabulary, load_vocabulary
from .args import DocIndex
from .claims import FoundClaim


class StanceTagger:
    """Sets stance and attribution on the claims of a document."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.reporting = vocab.words("stance", "reporting_verbs")
        self.report_nouns = vocab.words("stance", "report_nouns")
        self.hedges = vocab.words("stance", "hedges")
        self.according = [tuple(p.split()) for p in vocab.stance["according_phrases"]]
        self.denials = vocab.words("stance", "denial_verbs")
        self.denial_objects = vocab.words("stance", "denial_objects")
        self.generic = vocab.words("stance", "generic_denial_words")

    def __call__(self, doc: Doc) -> Doc:
        idx = DocIndex.of(doc, self.vocab)
        claims: list[FoundClaim] = doc._.fw_claims or []
        for c in claims:
            self._tag(idx, c)
        self._anaphoric_denials(idx, doc, claims)
        return doc

    def _tag(self, idx: DocIndex, c: FoundClaim) -> None:
        if c.trigger is None:
            return  # structural claims (roles, possessives, names with places) are the text's own description
        anchor = c.trigger
        for a in _ancestors(anchor):
            lemma = a.lemma_.lower()
            if a.pos_ not in ("VERB", "AUX") and lemma not in ("according",):
                continue
            if lemma in self.denials:
                objs = [t for ch in a.children if ch.dep_ in ("dobj", "ccomp", "xcomp", "pcomp")
                        for t in ch.subtree]
                if not any(t.lower_ in self.generic for t in objs):
                    c.stance, c.attributed = "denied", self._speaker(idx, a)
                    return
            if lemma in self.reporting and a.i != anchor.i:
                c.stance, c.attributed = "alleged", self._speaker(idx, a)
                if c.attributed == c.obj and c.pred != "investigates":
                    c.attributed = None
                return
        speaker = self._according(idx, c.sent) or self._headline_source(idx, c.sent)
        if speaker is not None:
            c.stance, c.attributed = "alleged", speaker
            return
        if any(t.lower_ in self.hedges or t.lemma_.lower() in self.hedges for t in c.sent):
            c.stance = "alleged"
            c.attributed = self._report_source(idx, c.sent)

    def _speaker(self, idx: DocIndex, verb: Token) -> int | None:
        for ch in verb.children:
            if ch.dep_ in ("nsubj", "nsubjpass") or ch.dep_ == "agent":
                toks = [ch] if ch.dep_ != "agent" else [g for g in ch.children if g.dep_ == "pobj"]
                for t in toks:
                    e = self._source_entity(idx, t)
                    if e is not None:
                        return e
        return None

    def _source_entity(self, idx: DocIndex, tok: Token) -> int | None:
        """The entity a speaker token names: itself, or the source of "a CSIS report"."""
        e = idx.entity_at(tok)
        if e is not None:
            return e
        if tok.lemma_.lower() in self.report_nouns or tok.lower_ in self.report_nouns:
            for ch in tok.subtree:
                e = idx.entity_at(ch)
                if e is not None and idx.ents[e].type != "place":
                    return e
        return None

    def _according(self, idx: DocIndex, sent: Span) -> int | None:
        words = [t.lower_ for t in sent]
        for phrase in self.according:
            n = len(phrase)
            for i in range(len(words) - n + 1):
                if tuple(words[i:i + n]) == phrase:
                    for t in sent[i + n:]:
                        e = self._source_entity(idx, t)
                        if e is not None:
                            return e
                        if t.is_punct:
                            break
        return None

    def _headline_source(self, idx: DocIndex, sent: Span) -> int | None:
        """"Illegal police activity shut down in Canada, but investigation ongoing: RCMP"."""
        toks = [t for t in sent if not t.is_space]
        for k in range(len(toks) - 1, max(len(toks) - 6, 0), -1):
            if toks[k].text in (":", "—", "–") and k + 1 < len(toks):
                e = idx.entity_at(toks[k + 1])
                if e is not None and all(idx.entity_at(t) == e or t.is_punct for t in toks[k + 1:]):
                    return e
        return None

    def _report_source(self, idx: DocIndex, sent: Span) -> int | None:
        """"a classified CSIS document alleges": the source named with a report noun."""
        for t in sent:
            if t.lemma_.lower() in self.report_nouns and t.dep_ in ("nsubj", "pobj"):
                e = self._source_entity(idx, t)
                if e is not None:
                    return e
        return None

    def _anaphoric_denials(self, idx: DocIndex, doc: Doc, claims: list[FoundClaim]) -> None:
        """"The Chinese government has denied those claims." applies to the previous sentence's claims
        about the denier (or a body of the same state)."""
        sents = list(doc.sents)
        by_sent: dict[int, list[FoundClaim]] = {}
        for c in claims:
            by_sent.setdefault(c.sent.start, []).append(c)
        for k, sent in enumerate(sents[1:], start=1):
            for tok in sent:
                if tok.lemma_.lower() not in self.denials or tok.pos_ != "VERB":
                    continue
                objs = [ch for ch in tok.children if ch.dep_ == "dobj"]
                anaphors = self.denial_objects
                if not any(o.lower_ in anaphors or o.lemma_.lower() in anaphors for o in objs):
                    continue
                denier = self._speaker(idx, tok)
                if denier is None:
                    continue
                for c in by_sent.get(sents[k - 1].start, []):
                    if self._same_side(idx, denier, c.subj):
                        c.stance, c.attributed = "denied", denier

    def _same_side(self, idx: DocIndex, a: int, b: int) -> bool:
        ea, eb = idx.ents[a], idx.ents[b]
        return a == b or (ea.state is not None and ea.state == eb.state)


def _ancestors(tok: Token) -> list[Token]:
    out = [tok]
    while tok.head.i != tok.i:
        tok = tok.head
        out.append(tok)
    return out


@Language.factory("frontwatch_stance_v1", default_config={})
def make_stance_tagger(nlp: Language, name: str) -> StanceTagger:
    """Tags each claim asserted, alleged or denied, with the entity it is attributed to."""
    return StanceTagger(load_vocabulary())
