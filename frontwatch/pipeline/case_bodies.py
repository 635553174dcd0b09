"""The prosecuting body of a case, as an unnamed actor of the sentences that report the case's steps.

Court reporting names the prosecutor or the court once ("The case was prosecuted by the Crown
Prosecution Service") and then reports each step without it ("Mensah was found guilty", "the two were
tried in absentia and sentenced", "Reeves pleaded guilty"). SCHEMA gives such a step to "the
prosecuting body where named". A judicial verb (data/coref.yaml, `case_verbs`) whose actor the
sentence does not name gets a mention of the document's case body: a state body whose name holds a
word of `case_bodies`: for an arrest the police, else a prosecutor or court; for the other steps a
prosecutor or court only. The last named before the verb, else the first named after it. The mention
only makes candidates with the people and organisations of its sentence, which the claim model weighs
by their kind ("implicit"); it never becomes a mention or an alias of the entity.
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Token

from .args import DocIndex

PARTNERS = ("person", "organization")  # who is charged, convicted or arrested


def case_mentions(idx: DocIndex, sent_of: list[int], vocab: dict[str, dict],
                  named_in: dict[int, set[int]]) -> list[tuple[int, int]]:
    """(token, entity) of each judicial verb with no named actor and the case body it is given;
    `named_in` holds the entities named in each sentence (by its first token), which are never given."""
    doc = idx.doc
    roles = {e.idx: role for e in idx.ents if e.type == "state_body"
             and (role := _case_role([e.name, *e.forms], vocab["case_bodies"])) is not None}
    if not roles:
        return []
    named: dict[str, list[tuple[int, int]]] = {}  # role -> (token, entity) of each mention, in order
    for e, role in roles.items():
        named.setdefault(role, []).extend((m.start, e) for m in idx.ents[e].mentions
                                          if m.doc is doc and m.start < len(doc))
    for ms in named.values():
        ms.sort()
    out: list[tuple[int, int]] = []
    for tok in doc:
        if not _actorless_step(tok, idx, vocab):
            continue
        # police arrest; prosecutors and courts arrest too, but the police never charge or sentence
        found = named.get("police") or named.get("court") if tok.lemma_.lower() in vocab["police_verbs"] \
            else named.get("court")
        if not found:
            continue
        at = bisect_left(found, (tok.i, -1))  # the first mention at or after the verb
        body = found[at - 1][1] if at else found[0][1]
        if body not in named_in.get(sent_of[tok.i], ()):
            out.append((tok.i, body))
    return out


def _case_role(names: list[str], words: dict[str, str]) -> str | None:
    """"court" for a prosecutor's office, a court or a ministry of justice, "police" for a police force
    or bureau of investigation, by a word of its name; None for any other body."""
    found = None
    for n in names:
        for w in n.lower().replace("'s", " ").replace("'", " ").split():
            role = words.get(w) or (words.get(w[:-1]) if w.endswith("s") else None)
            if role == "court":
                return role
            found = found or role
    return found


def _actorless_step(tok: Token, idx: DocIndex, vocab: dict[str, dict]) -> bool:
    """A judicial verb whose actor is not named: passive with no agent ("was charged"), or active with
    an unnamed subject ("a jury convicted"); a plea ("pleaded guilty") always, its subject is the accused."""
    if tok.pos_ != "VERB":
        return False
    lemma = tok.lemma_.lower()
    if lemma in vocab["plea_verbs"]:
        return any(c.lower_ == "guilty" for c in tok.subtree)
    if lemma in vocab["verdict_verbs"]:  # "found guilty"
        return any(c.lower_ == "guilty" for c in tok.children) and not _named_actor(tok, idx)
    if lemma == "try" and not any(c.dep_ == "nsubjpass" for c in tok.children):
        return False  # "tried to recruit", not "was tried in absentia"
    return lemma in vocab["case_verbs"] and not _named_actor(tok, idx)


def _named_actor(tok: Token, idx: DocIndex) -> bool:
    """The verb's subject or agent ("by the court") is an entity, a pronoun or a conjoined verb's."""
    for c in tok.children:
        if c.dep_ == "nsubj" and (idx.entity_at(c) is not None or c.pos_ == "PRON"):
            return True
        if c.dep_ == "agent":
            return True
    if tok.dep_ == "conj" and tok.head is not tok:
        return _named_actor(tok.head, idx)
    return False
