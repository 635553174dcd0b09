"""Pronouns as claim candidates: he, she, it and they resolved to the entity they most likely stand for.

A guess, not a link: the resolved pronoun is a mention the claim model weighs (its features say it is a
pronoun), never an alias. `sent_of` maps each token to the first token of its sentence.
"""

from __future__ import annotations

from .args import DocIndex
from .given_names import PRONOUN_GENDER, gender_of

PERSON_PRONOUNS = {"he", "she", "him", "his", "her", "himself", "herself"}
BODY_PRONOUNS = {"it", "its", "itself"}
GROUP_PRONOUNS = {"they", "them", "their"}
BODIES = {"state_body", "organization", "diplomatic_mission", "overseas_station", "country"}


def resolve_pronouns(idx: DocIndex, sent_of: list[int]) -> dict[int, int]:
    """he/she -> the one person named in this sentence (before it) or the one before, else in the
    sentence before that, whose given name is not of the other sex; none when two people are in play.
    it/its -> the last body; they/their -> the last body, within two sentences (a pronoun guess is a
    feature the model weighs, not a claim)."""
    doc = idx.doc
    out: dict[int, int] = {}
    # (entity, sentence number) of each person mention a pronoun may stand for, by the sex it excludes:
    # kept apart as they come, so that a pronoun reads the last few, never the whole list
    people: dict[str, list[tuple[int, int]]] = {"f": [], "m": []}
    body: tuple[int, int] | None = None
    sents = 0
    prev_start = -1
    for tok in doc:
        if sent_of[tok.i] != prev_start:
            prev_start, sents = sent_of[tok.i], sents + 1
        e = idx.tok2ent[tok.i] if tok.i < len(idx.tok2ent) else -1
        if 0 <= e < len(idx.ents):
            typ = idx.ents[e].type
            if typ == "person":
                sex = gender_of(idx.ents[e].name)
                for excluded, found in people.items():
                    if sex != excluded:
                        found.append((e, sents))
            elif typ in BODIES:
                body = (e, sents)
            continue
        if tok.pos_ != "PRON":
            continue
        word = tok.lower_
        if word in PERSON_PRONOUNS:
            ref = _one_person(people[PRONOUN_GENDER[word]], sents)
            if ref is not None:
                out[tok.i] = ref
        elif word in BODY_PRONOUNS | GROUP_PRONOUNS and body is not None and sents - body[1] <= 2:
            out[tok.i] = body[0]
    return out


def _one_person(people: list[tuple[int, int]], now: int) -> int | None:
    """The only person named in this and the previous sentence, else in the one before them."""
    for window in ((now - 1, now), (now - 2, now - 2)):
        found = {e for e, s in reversed(people[-12:]) if window[0] <= s <= window[1]}
        if len(found) == 1:
            return found.pop()
        if found:
            return None
    return None
