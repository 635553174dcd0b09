"""Who does what in a clause, read off the dependency parse: a verb's subjects, objects and
prepositional arguments, the subject a verb inherits from the clause it hangs from, and whether it
is only attempted. The v1 rules (claims.py) read claims with these."""

from __future__ import annotations

from spacy.tokens import Token

from .args import DocIndex

RELATIVE = {"which", "that", "who", "whom", "whose"}
ATTEMPT_VERBS = {"attempt", "try", "seek", "aim", "strive", "endeavour", "endeavor", "want", "plan", "hope"}


def described(v: Token) -> list[Token]:
    """Who "act as / serve as / was described as an agent of Y" is about."""
    if v.dep_ in ("acl", "relcl"):  # "Shakeri, an Afghan national described as an asset of"
        head = v.head
        return [head.head] if head.dep_ == "appos" else [head]
    for dep in ("dobj", "nsubjpass", "nsubj"):
        found = [c for c in v.children if c.dep_ == dep]
        if found:
            return found
    return inherited_subject(v)


def attempted(v: Token) -> bool:
    """Whether the act is only attempted or sought: "tried to take over", "seeks to control"."""
    h = v
    for _ in range(3):
        if h.dep_ not in ("xcomp", "pcomp", "prep") or h.head.i == h.i:
            return False
        h = h.head
        if h.lemma_.lower() in ATTEMPT_VERBS:
            return True
    return False


def active_subjects(idx: DocIndex, verb: Token) -> list[int]:
    """The entities acting as the subject of an active verb (none for a passive one)."""
    subj_toks, _, _, passive = verb_roles(verb)
    return [] if passive else [e for t in subj_toks for e in idx.actor(t)]


def verb_roles(v: Token) -> tuple[list[Token], list[Token], list[tuple[str, Token]], bool]:
    """Subject tokens, object tokens, (preposition, object) pairs and voice of a verb."""
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children) or (
        v.dep_ == "acl" and v.tag_ == "VBN")
    subj: list[Token] = []
    obj: list[Token] = []
    preps: list[tuple[str, Token]] = []
    for c in v.children:
        if c.dep_ in ("nsubj", "csubj"):
            subj.append(c)
        elif c.dep_ == "nsubjpass":
            obj.append(c)
        elif c.dep_ == "agent":
            subj += [g for g in c.children if g.dep_ == "pobj"]
        elif c.dep_ in ("dobj", "dative", "oprd") or (c.dep_ == "attr" and not passive):
            obj.append(c)
        elif c.dep_ == "prep":
            preps += [(c.lower_, g) for g in c.children if g.dep_ == "pobj"]
            for pc in c.children:  # "from within the Consulate"
                if pc.dep_ == "prep":
                    preps += [(c.lower_, g) for g in pc.children if g.dep_ == "pobj"]
    if v.dep_ not in ("relcl", "acl") and any(t.lower_ in RELATIVE for t in subj):
        # "Lee, who it said was working with X": the pronoun's clause hangs from a relative clause
        rel = next((a for a in v.ancestors if a.dep_ == "relcl"), None)
        if rel is not None:
            subj = [rel.head if t.lower_ in RELATIVE else t for t in subj]
    if v.dep_ in ("relcl", "acl"):
        # the relative pronoun stands for the noun the clause modifies
        subj = [v.head if t.lower_ in RELATIVE else t for t in subj]
        obj = [v.head if t.lower_ in RELATIVE else t for t in obj]
        if v.dep_ == "acl" and not subj and not passive:
            subj = [v.head] + inherited_subject(v)
        if v.dep_ == "acl" and passive and not obj:
            obj = [v.head]
    if not subj and not passive:
        subj = inherited_subject(v)
    return subj, obj, preps, passive


TIME_PREPS = {"after", "before", "while", "since", "upon", "on", "when", "until", "during", "without"}


def inherited_subject(v: Token) -> list[Token]:
    """The subject a verb shares with the clause it hangs from: "X is targeting and recruiting",
    "X sought to place", "after meeting with Y, X signalled", "an attempt by X to infiltrate"."""
    h = v
    for _ in range(4):
        gerund = h.dep_ == "pobj" and h.pos_ == "VERB"  # "charged with spying for", parsed as a noun
        if h.dep_ not in ("conj", "xcomp", "advcl", "pcomp", "prep", "acl") and not gerund or h.head.i == h.i:
            return []
        if h.dep_ == "acl" and h.tag_ == "VBN" and h.head.pos_ in ("NOUN", "PROPN"):
            return [h.head]  # "men accused of running X": the men run it, not whoever arrested them
        dep, prep, h = h.dep_, h.lower_, h.head
        if dep == "conj" and h.pos_ in ("PROPN", "NOUN") and h.dep_ in ("ROOT", "nsubj"):
            return [h]  # a mis-parse that coordinates the verb with its own subject
        if dep == "acl" and h.pos_ in ("NOUN", "PROPN"):
            # "Beijing's attempts to influence", "an attempt by China to infiltrate"
            actors = [c for c in h.children if c.dep_ in ("poss", "amod", "compound", "nmod")]
            actors += [g for c in h.children if c.dep_ == "prep" and c.lower_ in ("by", "of", "from")
                       for g in c.children if g.dep_ == "pobj"]
            if actors:
                return actors
            if h.dep_ == "dobj":  # "X unsealed an indictment charging Y": X charges
                return [c for c in h.head.children if c.dep_ == "nsubj"]
            return []
        if dep == "prep" and prep not in TIME_PREPS:
            # object control: "charged X with plotting", "X was accused of being"; not "after
            # meeting Y, X signalled its preference": the subject met Y
            controlled = [c for c in h.children if c.dep_ in ("dobj", "nsubjpass")]
            if controlled:
                return controlled
        s = [c for c in h.children if c.dep_ == "nsubj"]
        if s:
            return [h.head if t.lower_ in RELATIVE and h.dep_ == "relcl" else t for t in s]
    return []
