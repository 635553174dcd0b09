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
from .claims import LINK_VERBS, FoundClaim

MODALS = {"may", "might", "could"}


class StanceTagger:
    """Sets stance and attribution on the claims of a document."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.reporting = vocab.words("stance", "reporting_verbs")
        self.accusing = vocab.words("stance", "accusation_verbs")
        self.report_nouns = vocab.words("stance", "report_nouns")
        self.hedges = vocab.words("stance", "hedges")
        self.according = [tuple(p.split()) for p in vocab.stance["according_phrases"]]
        self.denials = vocab.words("stance", "denial_verbs")
        self.denial_objects = vocab.words("stance", "denial_objects")
        self.generic = vocab.words("stance", "generic_denial_words")
        self.evidence = vocab.words("stance", "evidence_nouns")

    def __call__(self, doc: Doc) -> Doc:
        idx = DocIndex.of(doc, self.vocab)
        claims: list[FoundClaim] = doc._.fw_claims or []
        for c in claims:
            self._tag(idx, c)
            if c.stance == "asserted" and c.trigger is not None and c.sent.text.rstrip().endswith("?"):
                c.stance = "alleged"  # "Did the FSB recruit her?" asks, it does not state
            if c.trigger is not None and c.stance != "denied":
                negated = self._negated(c.trigger)
                if negated is not None:  # "X did not fund Y", "no evidence that X funded Y"
                    c.stance = "denied"
                    if negated.i != c.trigger.i and c.attributed is None:  # who has no evidence, if named
                        c.attributed = self._speaker(idx, negated.head)
        self._anaphoric_denials(idx, doc, claims)
        return doc

    def _negated(self, trigger: Token) -> Token | None:
        """What negates the claim in its own words: the trigger for "did not fund", "never met", "no
        funding from"; the evidence noun for "there is no evidence that X funded". None when a
        negation elsewhere in the sentence is not the claim's."""
        words = [trigger]
        if trigger.dep_ in ("dobj", "attr", "pobj") and trigger.pos_ == "NOUN":  # "did not provide funding"
            words.append(trigger.head if trigger.dep_ != "pobj" else trigger.head.head)
        if any(c.dep_ == "neg" or c.dep_ == "det" and c.lower_ == "no" for w in words for c in w.children):
            return trigger
        for a in _ancestors(trigger)[1:]:
            none = [c for c in a.children if c.dep_ in ("det", "neg", "amod") and c.lower_ in NONE_WORDS]
            if a.lemma_.lower() in self.evidence and none:
                return a
        return None

    def _tag(self, idx: DocIndex, c: FoundClaim) -> None:
        anchor = c.head
        if c.trigger is None and anchor.pos_ == "VERB" and anchor.lemma_.lower() in self.accusing:
            # the two are joined by the accusation alone: "prosecutors charged X with acting for Y"
            self._allege(c, self._speakers(idx, anchor))
            return
        if c.trigger is None and not _existential(anchor):
            # roles, possessives and places in names describe; "X reports there is a station in Y" reports
            return
        structural = c.trigger is None
        if c.trigger is not None and c.trigger.lemma_.lower() in LINK_VERBS:
            # "the Foreign Office linked X to Russia": an attribution, the linker's
            self._allege(c, self._speakers(idx, c.trigger))
            return
        reported: tuple[Token, list[int]] | None = None
        path = _ancestors(anchor)
        for n, a in enumerate(path):
            lemma = a.lemma_.lower()
            if a.pos_ not in ("VERB", "AUX") and lemma not in ("according",):
                continue
            if lemma in self.denials and any(ch.dep_ == "neg" for ch in a.children):
                continue  # "did not deny that X funded Y" denies nothing
            if lemma in self.denials and _coordinated_away(path, n):
                continue  # "rejected the idea that X was a journalist and described him as Y's agent"
            if lemma in self.denials:
                objs = [t for ch in a.children if ch.dep_ in ("dobj", "ccomp", "xcomp", "pcomp")
                        for t in ch.subtree]
                # "denied any wrongdoing" is generic, "denied any involvement in the attack on X" is not:
                # the claim sits inside what is denied
                if anchor in objs or not any(t.lower_ in self.generic for t in objs):
                    c.stance, c.attributed = "denied", self._speaker(idx, a)
                    return
            if lemma in self.reporting and a.i != anchor.i and not (structural and a.i == anchor.head.i
                                                                       and anchor.dep_.startswith("nsubj")):
                # the outermost reporting verb with a known speaker is the document's source
                speakers = self._speakers(idx, a)
                if reported is None or speakers:
                    reported = (a, speakers)
        if reported is None:
            reported = self._inverted_report(idx, anchor)
        if reported is not None:
            self._allege(c, reported[1])
            return
        speaker = self._according(idx, c.sent)
        if speaker is None:  # entity 0 is a speaker too: compare with None, never truthiness
            speaker = self._headline_source(idx, c.sent)
        if speaker is not None:
            self._allege(c, [speaker])
            return
        quoted = self._quote_source(idx, c.sent)
        if quoted is not None:
            self._allege(c, [quoted] if quoted >= 0 else [])
            return
        if not structural and self._hedged(anchor):
            c.stance = "alleged"
            c.attributed = self._report_source(idx, c.sent)

    def _inverted_report(self, idx: DocIndex, anchor: Token) -> tuple[Token, list[int]] | None:
        """A reporting clause the parser hung below the claim: "CSIS assessed: '... X met Y'", "X, the
        report says, met Y" (a ccomp or parataxis of the claim's clause, with its own speaker)."""
        scope = {t.i for t in _ancestors(anchor)}
        for a in _ancestors(anchor):
            for ch in a.children:
                if (ch.dep_ in ("ccomp", "parataxis") and ch.i not in scope and ch.pos_ == "VERB"
                        and ch.lemma_.lower() in self.reporting):
                    speakers = self._speakers(idx, ch)
                    if speakers or any(c.dep_ == "nsubj" for c in ch.children):
                        return ch, speakers
        return None

    def _hedged(self, anchor: Token) -> bool:
        """A hedge on the claim's own clause: on the trigger or a word that governs it ("reportedly
        directed", "is believed to", "an alleged scheme"); not one elsewhere in the sentence."""
        scope = {t.i for t in _ancestors(anchor)}
        for t in anchor.sent:
            word = t.lower_ if t.lower_ in self.hedges else t.lemma_.lower()
            if word not in self.hedges or (word in MODALS and t.tag_ != "MD"):
                continue  # "in May 2024" is no hedge
            if t.i in scope or t.head.i in scope:
                return True
        return False

    @staticmethod
    def _allege(c: FoundClaim, speakers: list[int]) -> None:
        """Alleged by the speaker; an actor describing its own act ("CSIS said it ...") asserts it."""
        if c.subj in speakers:
            c.stance, c.attributed = "asserted", None
        else:
            c.stance, c.attributed = "alleged", speakers[0] if speakers else None

    def _speakers(self, idx: DocIndex, verb: Token) -> list[int]:
        """The speaker and those coordinated with it ("CSIS and other agencies said")."""
        first = self._speaker(idx, verb)
        if first is None:
            return []
        found = [first]
        for ch in verb.children:
            if ch.dep_ == "nsubj":
                found += [e for c in ch.children if c.dep_ == "conj" for e in idx.actor(c)]
        return list(dict.fromkeys(found))

    def _quote_source(self, idx: DocIndex, sent: Span) -> int | None:
        """A sentence in quotation marks after "X says:" or before "..., X said." is X's (-1: unknown)."""
        first = next((t for t in sent if not t.is_space), None)
        if first is None or first.text not in ("“", '"', "‘"):
            return None
        doc = sent.doc
        before = doc[sent.start - 1] if sent.start > 0 else None
        for neighbour in (before.sent if before is not None else None,
                          doc[sent.end].sent if sent.end < len(doc) else None):
            if neighbour is None:
                continue
            for t in neighbour:
                if t.lemma_.lower() in self.reporting and t.pos_ == "VERB":
                    speaker = self._speaker(idx, t)
                    if speaker is not None:
                        return speaker
        return -1

    def _speaker(self, idx: DocIndex, verb: Token) -> int | None:
        """Who speaks: the subject of an active verb, the "by" agent of a passive one."""
        passive = any(ch.dep_ in ("nsubjpass", "auxpass") for ch in verb.children)
        for ch in verb.children:
            toks = []
            if ch.dep_ == "nsubj" and not passive:
                toks = [ch]
            elif ch.dep_ == "agent":
                toks = [g for g in ch.children if g.dep_ == "pobj"]
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
        if tok.pos_ == "PRON":  # "CSIS issued a warning detailing how it says ..."
            found = idx.actor(tok)
            return found[0] if found else None
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
                # the accusation is usually in the sentence before, sometimes two before
                for prev in sents[max(k - 2, 0):k]:
                    for c in by_sent.get(prev.start, []):
                        # an accusation, not a description ("UFWD, a department of the CCP")
                        accusation = c.trigger is not None and c.pred not in ("affiliated_with", "located_in")
                        if accusation and self._same_side(idx, denier, c.subj):
                            c.stance, c.attributed = "denied", denier

    def _same_side(self, idx: DocIndex, a: int, b: int) -> bool:
        ea, eb = idx.ents[a], idx.ents[b]
        return a == b or (ea.state is not None and ea.state == eb.state)


def _coordinated_away(path: list[Token], n: int) -> bool:
    """The claim (path[0]) reaches the denial (path[n]) through words the denial does not govern: a
    clause before it, a conjunct of the denial itself, or a subjectless "-ing" conjunct of a clause
    with its own subject, which the parser hangs low but belongs to the denier ("rejecting the idea
    that X was a journalist and describing him as Y's agent")."""
    if n and path[n - 1].dep_ == "advcl" and path[n - 1].i < path[n].i:
        return True  # a clause before the denial sets the scene: "Questioned by the FBI, X denies ..."
    for j in range(n):
        t = path[j]
        if t.dep_ != "conj":
            continue
        if j + 1 == n or t.tag_ == "VBG" and not _has_subject(t) and _has_subject(t.head):
            return True
    return False


def _has_subject(tok: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in tok.children)


def _existential(tok: Token) -> bool:
    """"there is a station in Prato": the mention's existence is what is stated."""
    return tok.dep_ in ("attr", "nsubj") and any(c.dep_ == "expl" for c in tok.head.children)


NONE_WORDS = {"no", "little", "not"}


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
