"""frontwatch.claims.v1: claims between entities, read off the dependency parse.

Verb triggers ("funded", "was funded by"), noun triggers ("funding from", "Chinese interference in"),
inverse verbs ("received funding from") and structural patterns (roles, possessives, locations) give
candidate claims; predicate argument types filter them. Stance and tactic are set by later components.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..vocab import Vocabulary, load_vocabulary
from .args import DocIndex
from .clauses import active_subjects, attempted, described, verb_roles
from .structure import structural_claims

INVOLVEMENT = {"involve", "participate", "engage", "implicate", "take", "play", "join", "collaborate"}
FAVOUR = {"favour", "favor", "support"}  # "in favour of X": the verb's subject supports X
INVOLVEMENT_NOUNS = {"involvement", "participation", "role", "complicity", "hand"}
VICTIM_PREPS = {"of", "against", "on"}
LINK_VERBS = {"link", "tie", "connect", "attribute", "trace"}  # "X linked to Y": X belongs to Y
# which entity types may fill each role (the rest are parser noise)
SUBJECT_TYPES = {
    "located_in": {"overseas_station", "diplomatic_mission", "organization", "person", "state_body"},
    "investigates": {"state_body", "country", "organization", "person"},
}
OBJECT_TYPES = {
    "located_in": {"place", "country"},
    "interferes_in": {"country", "place", "state_body", "organization", "diplomatic_mission"},
    "affiliated_with": {"state_body", "organization", "country", "diplomatic_mission", "overseas_station"},
    "controls": {"organization", "overseas_station", "person", "state_body", "diplomatic_mission"},
    "targets": {"person", "organization", "state_body", "country", "place"},
    "recruits": {"person", "organization"},
    "funds": {"person", "organization", "state_body", "overseas_station"},
    "supports": {"person", "organization", "country", "state_body"},
}


@dataclass(slots=True)
class FoundClaim:
    """A claim found in one sentence; stance, attribution and tactic are filled in later."""

    subj: int
    pred: str
    obj: int
    sent: Span
    trigger: Token | None = None  # None for structural claims (roles, possessives, places in names)
    stance: str = "asserted"
    attributed: int | None = None
    tactic: str | None = None
    anchor: Token | None = None  # where a structural claim sits in the parse
    confidence: float = 1.0  # the claim model's probability (v2); rules alone give 1.0
    features: list[str] | None = None  # what the claim model weighed (v2, for --explain)

    @property
    def head(self) -> Token:
        """The token whose ancestors decide the claim's stance."""
        return self.trigger if self.trigger is not None else (self.anchor or self.sent.root)


class ClaimExtractor:
    """Finds trigger words and fills their subject and object from the parse."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        preds = vocab.predicates["predicates"]
        self.verbs: dict[str, list[str]] = {}
        self.nouns: dict[str, list[str]] = {}
        self.inverse: dict[str, list[str]] = {}
        self.patient_nouns: dict[str, str] = {}
        self.phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.obj_preps: dict[str, set[str]] = {}
        self.subj_preps: dict[str, set[str]] = {}
        self.needs_money = set(preds["funds"].get("needs_money", []))
        self.prep_only = {p for p, spec in preds.items() if spec.get("prep_only")}
        for pred, spec in preds.items():
            for lemma in spec.get("verbs", []):
                self.verbs.setdefault(lemma, []).append(pred)
            for lemma in spec.get("nouns", []):
                if " " in lemma:  # "financial support": the head word counts only after its modifier
                    self.phrases.setdefault(lemma.split()[-1], []).append((tuple(lemma.split()[:-1]), pred))
                else:
                    self.nouns.setdefault(lemma, []).append(pred)
            for lemma in spec.get("patient_nouns", []):
                self.patient_nouns[lemma] = pred
            for lemma in spec.get("inverse_verbs", []):
                self.inverse.setdefault(lemma, []).append(pred)
            self.obj_preps[pred] = set(spec.get("object_preps", []))
            self.subj_preps[pred] = set(spec.get("subject_preps", []))
        self.money = vocab.words("predicates", "money_nouns")
        self.principal = vocab.words("predicates", "principal_nouns")
        self.denials = vocab.words("stance", "denial_verbs")
        self.speech = vocab.words("stance", "reporting_verbs") | self.denials

    def __call__(self, doc: Doc) -> Doc:
        idx = DocIndex.of(doc, self.vocab)
        found: list[FoundClaim] = []
        for sent in doc.sents:
            if not any(idx.tok2ent[t.i] >= 0 for t in sent) and not any(
                    t.text in self.vocab.demonym_state for t in sent):
                continue
            money = any(t.lemma_.lower() in self.money or t.ent_type_ == "MONEY" or t.text in ("$", "€", "£")
                        for t in sent)
            for tok in sent:
                lemma = tok.lemma_.lower()
                if tok.pos_ == "VERB":
                    if lemma in LINK_VERBS:
                        found += self._link(idx, tok, sent)
                    elif lemma in self.verbs:
                        found += self._verb(idx, tok, sent, money)
                    if lemma in self.inverse:
                        found += self._inverse(idx, tok, sent, money)
                elif tok.lower_ == "behind" and tok.dep_ == "prep" and tok.head.lemma_ == "be":
                    found += self._behind(idx, tok, sent)
                elif tok.pos_ == "NOUN" and lemma in self.patient_nouns:
                    found += self._patient_noun(idx, tok, sent)
                elif tok.pos_ in ("NOUN", "PROPN") and (lemma in self.nouns or tok.lower_ in self.nouns
                                                        or lemma in self.phrases):
                    found += self._noun(idx, tok, sent)
            found += [FoundClaim(s, p, o, sent, None, anchor=a)
                      for s, p, o, a in structural_claims(idx, sent)]
        doc._.fw_entities = idx.ents
        doc._.fw_claims = [person_roles(idx, c) for c in found if self._typed(idx, c)]
        return doc

    def _typed(self, idx: DocIndex, c: FoundClaim) -> bool:
        if c.subj == c.obj:
            return False
        st, ot = idx.ents[c.subj].type, idx.ents[c.obj].type
        if c.pred != "located_in" and st == "place":
            return False
        return st in SUBJECT_TYPES.get(c.pred, {st}) and ot in OBJECT_TYPES.get(c.pred, {ot})

    # -- verbs ---------------------------------------------------------------------------------------
    def _verb(self, idx: DocIndex, v: Token, sent: Span, money: bool) -> list[FoundClaim]:
        lemma = v.lemma_.lower()
        if lemma in self.needs_money and not money:
            return []
        subj_toks, obj_toks, preps, passive = verb_roles(v)
        out: list[FoundClaim] = []
        for pred in self.verbs[lemma]:
            subjects = [e for t in subj_toks for e in idx.actor(t)]
            if passive:
                subjects += [e for p, t in preps if p in self.subj_preps[pred] and p != "of"
                             for e in idx.actor(t)]
                if not subjects:  # "attacked with Chinese disinformation": the adjective names the actor
                    subjects = [e for p, t in preps if p == "with" for e in idx.instrument(t)]
            institutional = pred == "interferes_in"
            if pred in self.prep_only and passive and not subjects:
                # "a firm based in Tel Aviv", "X is headquartered in Y": the passive subject is located
                subjects = [e for t in obj_toks for e in idx.patient(t)]
            objects = [] if pred in self.prep_only else [
                e for t in obj_toks for e in self._object(idx, t, pred, institutional)]
            objects += [e for p, t in preps if p in self.obj_preps[pred] and not (passive and p == "by")
                        for e in (idx.patient(t, institutional) or
                                  (idx.actor(t) if pred == "investigates" else []))]
            if pred not in self.prep_only:  # "flooded the accounts of MPs, including X and Y"
                objects += [e for p, t in preps if p == "including" for e in idx.patient(t)]
            if pred in ("targets", "recruits") and subjects and not objects:
                # "targeting Canadian citizens": interference in Canada
                objects = [e for t in obj_toks for e in idx.demonym_people(t)]
                pred = "interferes_in" if objects else pred
            if pred == "controls" and attempted(v):
                pred = "interferes_in"  # "attempting to control global bodies": an attempt, not control
            claims = [FoundClaim(s, retarget(idx, pred, o), o, sent, v) for s in dict.fromkeys(subjects)
                      for o in dict.fromkeys(objects)]
            claims = [c for c in claims if self._typed(idx, c) and not idx.same_state(c.subj, c.obj)]
            if claims:
                return claims
            out = claims
        return out

    def _link(self, idx: DocIndex, v: Token, sent: Span) -> list[FoundClaim]:
        """"linked X to Y", "X was tied to Y", "an operation it attributed to Russia": X belongs to Y
        (an organisation or state) or is run by Y (when Y is a person acting for it)."""
        linked = [c for c in v.children if c.dep_ in ("dobj", "nsubjpass")]
        if not linked and v.dep_ in ("relcl", "acl"):
            linked = [v.head]  # the noun the clause modifies is what was linked
        targets = [g for c in v.children if c.dep_ == "prep" and c.lower_ in ("to", "with")
                   for g in c.children if g.dep_ == "pobj"]
        out = []
        for x in {e for t in linked for e in idx.patient(t)}:
            for y in {e for t in targets for e in idx.actor(t) or idx.patient(t)}:
                out.append(FoundClaim(x, "affiliated_with", y, sent, v))
        return [c for c in out if self._typed(idx, c)]

    def _behind(self, idx: DocIndex, prep: Token, sent: Span) -> list[FoundClaim]:
        """"Iran was behind the compromise of the Trump campaign": X did it, to Y."""
        be = prep.head
        actors = [e for c in be.children if c.dep_ == "nsubj" for e in idx.actor(c)]
        out = []
        for pobj in (g for g in prep.children if g.dep_ == "pobj"):
            named = idx.patient(pobj)
            for a in actors:
                if named:  # "behind Doppelganger": it runs the named operation
                    out += [FoundClaim(a, "controls", n, sent, prep) for n in named]
                    continue
                victims = [e for c in pobj.children if c.dep_ == "prep" and c.lower_ in VICTIM_PREPS
                           for g in c.children if g.dep_ == "pobj" for e in idx.patient(g, True)]
                out += [FoundClaim(a, retarget(idx, "targets", v), v, sent, prep) for v in victims]
        return [c for c in out if self._typed(idx, c)]

    def _object(self, idx: DocIndex, tok: Token, pred: str, institutional: bool) -> list[int]:
        """The object entity, looking through "funds to X" / "support for X" when tok is not one."""
        found = idx.patient(tok, institutional)
        if found:
            return found
        for c in tok.children:  # not "of": "intimidating targets of the CCP" are the CCP's targets
            if c.dep_ == "prep" and c.lower_ in self.obj_preps[pred] and c.lower_ != "of":
                for g in c.children:
                    if g.dep_ == "pobj":
                        found += idx.patient(g, institutional)
        return found

    def _inverse(self, idx: DocIndex, v: Token, sent: Span, money: bool) -> list[FoundClaim]:
        """"Y received C$250,000 in funding from X" -> funds(X, Y); "Y won support from X" -> supports."""
        subj_toks, obj_toks, preps, passive = verb_roles(v)
        if passive:
            return []
        sources = [t for p, t in preps if p in ("from", "by")]
        for t in obj_toks:
            for c in t.subtree:
                if c.dep_ == "prep" and c.lower_ == "from":
                    sources += [g for g in c.children if g.dep_ == "pobj"]
        words = {t.lemma_.lower() for o in obj_toks for t in o.subtree}
        preds = [p for p in self.inverse[v.lemma_.lower()] if p == "funds" and (money or words & self.money)
                 or p == "supports" and words & {"support", "backing", "endorsement", "help", "assistance"}]
        out = []
        for pred in preds[:1]:
            for s in {e for t in sources for e in idx.actor(t)}:
                for o in {e for t in subj_toks for e in idx.actor(t)}:
                    out.append(FoundClaim(s, pred, o, sent, v))
        return out

    # -- nouns ---------------------------------------------------------------------------------------
    def _noun(self, idx: DocIndex, n: Token, sent: Span) -> list[FoundClaim]:
        preds = list(self.nouns.get(n.lemma_.lower()) or self.nouns.get(n.lower_, []))
        for words, pred in self.phrases.get(n.lemma_.lower(), []):
            before = tuple(t.lower_ for t in n.doc[max(n.i - len(words), 0):n.i])
            if before == words and pred not in preds:
                preds.insert(0, pred)
        for pred in preds:
            if pred == "affiliated_with":
                claims = list(self._membership(idx, n, sent))
            else:
                claims = list(self._nominal(idx, n, sent, pred))
            claims = [c for c in claims if self._typed(idx, c)]
            if claims:
                return claims
        return []

    def _nominal(self, idx: DocIndex, n: Token, sent: Span, pred: str) -> Iterable[FoundClaim]:
        if n.lemma_.lower() in FAVOUR and n.dep_ == "pobj" and n.head.lower_ == "in":
            yield from self._in_favour(idx, n, sent, pred)
            return
        subjects: list[int] = []
        objects: list[int] = []
        institutional = pred == "interferes_in"
        for c in n.children:
            if c.dep_ in ("poss", "compound", "nmod", "amod"):
                e = idx.entity_at(c)
                if e is None and c.dep_ == "amod":
                    e = idx.demonym(c)
                if e is not None and idx.ents[e].type not in ("place",):
                    subjects.append(e)
        for c in n.children:
            if c.dep_ == "prep":
                pobjs = [g for g in c.children if g.dep_ == "pobj"]
                # "his support of Ukraine": with an owner named, "of" introduces the object
                if c.lower_ in self.subj_preps[pred] and not (c.lower_ == "of" and subjects
                                                               and c.lower_ in self.obj_preps[pred]):
                    subjects += [e for g in pobjs for e in idx.actor(g)]
                elif c.lower_ in self.obj_preps[pred]:
                    objects += [e for g in pobjs for e in idx.patient(g, institutional)]
        head = n.head
        if not objects and n.dep_ == "dobj" and head.pos_ == "VERB":
            # "placed bounties on X", "launched attacks against X": the object hangs from the verb
            objects += [e for c in head.children if c.dep_ == "prep" and c.lower_ in self.obj_preps[pred]
                        and c.lower_ != "of" for g in c.children if g.dep_ == "pobj"
                        for e in idx.patient(g, institutional)]
        if not subjects and n.dep_ == "pobj" and head.head.lemma_.lower() in INVOLVEMENT:
            # "agents were involved in the killing of X", "took part in a plot against X"
            verb = head.head
            subjects = [e for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for e in idx.actor(c)]
        if not subjects and n.dep_ == "pobj" and head.lower_ == "in" \
                and head.head.lemma_.lower() in INVOLVEMENT_NOUNS:  # "X's role in the attack on Y"
            subjects = self._involved(idx, head.head)
        if not subjects and n.dep_ in ("dobj", "attr") and head.lemma_.lower() not in self.speech:
            subjects = active_subjects(idx, head)
        if pred == "controls" and n.dep_ == "pobj" and head.dep_ == "prep":
            verb = head.head
            if n.lemma_.lower() in self.principal or n.lower_ in self.principal:
                # "harassed Y on behalf of X", "killed by agents on the orders of X": X stands behind
                # whoever acted, not behind the one acted on
                objects += [e for t in verb_roles(verb)[0] for e in idx.actor(t)]
            else:  # "established under the guidance of X": X controls what was established
                objects += [e for c in verb.children if c.dep_ in ("nsubjpass", "nsubj", "dobj")
                            for e in idx.patient(c)]
        for s in dict.fromkeys(subjects):
            for o in dict.fromkeys(objects):
                yield FoundClaim(s, retarget(idx, pred, o), o, sent, n)

    def _in_favour(self, idx: DocIndex, n: Token, sent: Span, pred: str) -> Iterable[FoundClaim]:
        """"sought to sway the election in favour of X", "lobbied in support of X": whoever acts
        supports X."""
        verb = n.head.head
        if verb.pos_ != "VERB" and verb.dep_ in ("dobj", "pobj") and verb.head.pos_ == "VERB":
            verb = verb.head  # "sway the election in favour of X"
        if verb.pos_ != "VERB":
            return
        subjects = active_subjects(idx, verb)
        objects = [e for c in n.children if c.dep_ == "prep" and c.lower_ == "of"
                   for g in c.children if g.dep_ == "pobj" for e in idx.patient(g)]
        for s in dict.fromkeys(subjects):
            for o in dict.fromkeys(objects):
                yield FoundClaim(s, pred, o, sent, n)

    def _patient_noun(self, idx: DocIndex, n: Token, sent: Span) -> list[FoundClaim]:
        """"X, a target of Beijing", "X was a victim of the FSB", "Beijing's targets, X and Y"."""
        pred = self.patient_nouns[n.lemma_.lower()]
        actors = [e for c in n.children if c.dep_ == "poss" for e in idx.actor(c)]
        actors += [e for c in n.children if c.dep_ == "prep" and c.lower_ in ("of", "for", "by")
                   for g in c.children if g.dep_ == "pobj" for e in idx.actor(g)]
        patients = idx.patient(n.head) if n.dep_ == "appos" else []
        patients += [e for c in n.children if c.dep_ == "appos" for e in idx.patient(c)]
        if n.dep_ == "attr":  # "X was a victim of the FSB"
            patients += [e for c in n.head.children if c.dep_ in ("nsubj", "nsubjpass")
                         for e in idx.patient(c)]
        if n.dep_ == "nsubj" and n.head.lemma_ in ("be", "include"):  # "Beijing's targets included X"
            patients += [e for c in n.head.children if c.dep_ in ("attr", "dobj") for e in idx.patient(c)]
        claims = [FoundClaim(a, retarget(idx, pred, p), p, sent, n) for a in dict.fromkeys(actors)
                  for p in dict.fromkeys(patients)]
        return [c for c in claims if self._typed(idx, c)]

    def _involved(self, idx: DocIndex, noun: Token) -> list[int]:
        """Whose "involvement in / role in" it is: "India's involvement", "the involvement of X",
        "Moscow denied any involvement" (the subject of the verb that has it, which may deny it)."""
        found = [e for c in noun.children if c.dep_ == "poss" for e in idx.actor(c)]
        found += [e for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "by")
                  for g in c.children if g.dep_ == "pobj" for e in idx.actor(g)]
        verb = noun.head
        if not found and noun.dep_ in ("dobj", "attr") and (verb.lemma_.lower() not in self.speech
                                                             or verb.lemma_.lower() in self.denials):
            found = active_subjects(idx, verb)
        return found

    def _membership(self, idx: DocIndex, n: Token, sent: Span) -> Iterable[FoundClaim]:
        """"X, an agent of Y" / "X was an agent for Y" / "Y's agent X" -> affiliated_with(X, Y)."""
        members: list[int] = []
        if n.dep_ == "appos":
            members = idx.actor(n.head)
        elif n.dep_ == "pobj" and n.head.lower_ == "as" and n.head.head.pos_ in ("VERB", "AUX"):
            members = [e for t in described(n.head.head) for e in idx.actor(t)]
        elif n.dep_ in ("attr", "oprd") and not any(c.dep_ == "expl" for c in n.head.children):
            h: Token = n.head  # but not "there is a station"
            for _ in range(4):
                if h.lemma_.lower() in self.speech and h.dep_ == "ccomp":
                    break  # "X reports that ... is an agent": X is the source, not the agent
                subj = [c for c in h.children if c.dep_ in ("nsubj", "nsubjpass")]
                if subj:
                    members = [e for t in subj for e in idx.actor(t)]
                    break
                if h.head.i == h.i:
                    break
                h = h.head
        if not members:
            return
        bodies: list[int] = []
        for c in n.children:
            if c.dep_ in ("poss", "compound", "nmod"):
                e = idx.entity_at(c)
                if e is not None:
                    bodies.append(e)
            elif c.dep_ == "prep" and c.lower_ in self.obj_preps["affiliated_with"]:
                bodies += [e for g in c.children if g.dep_ == "pobj" for e in idx.patient(g)]
        for m in members:
            for b in bodies:
                yield FoundClaim(m, "affiliated_with", b, sent, n)


def retarget(idx: DocIndex, pred: str, obj: int) -> str:
    """Harassment of a whole state is interference in it (SCHEMA: targets is for people and groups)."""
    if pred == "targets" and idx.ents[obj].type in ("country", "place"):
        return "interferes_in"
    return pred


def person_roles(idx: DocIndex, c: FoundClaim) -> FoundClaim:
    """A person who founds, heads or runs a body holds a role in it (SCHEMA: affiliated_with)."""
    if c.pred == "controls" and idx.ents[c.subj].type == "person" and idx.ents[c.obj].type in (
            "organization", "state_body", "diplomatic_mission", "overseas_station"):
        c.pred = "affiliated_with"
    return c


@Language.factory("frontwatch_claims_v1", default_config={})
def make_claim_extractor(nlp: Language, name: str) -> ClaimExtractor:
    """Extracts claims for the ten SCHEMA predicates from the dependency parse."""
    if not Doc.has_extension("fw_claims"):
        Doc.set_extension("fw_claims", default=None)
    return ClaimExtractor(load_vocabulary())
