"""Pair bags: every sentence where two entities meet, pooled into one example of the claim model.

Distant supervision knows which pairs of a document hold a claim, not which of their sentences states
it. A model of sentences learns from every sentence of a gold pair as if each stated the claim; a model
of pairs (Mintz et al., 2009: the features of all the pair's sentences together) learns from labels
that are exact. A bag is read in the order of the pair's first sentence (its "frame"); a sentence
that names them the other way round has its features turned to that frame ("ta:" becomes "tb:", a
rule's forward vote a reverse one) or, for those that cannot be turned (paths), marked "R:".
"""

from __future__ import annotations

from dataclasses import dataclass

from .candidates import Candidate

# features of one mention that trade places when the pair is read the other way round
_SWAP = {"ta:": "tb:", "tb:": "ta:", "da:": "db:", "db:": "da:", "ha:": "hb:", "hb:": "ha:",
         "prev_a:": "prev_b:", "prev_b:": "prev_a:", "wa:": "wb:", "wb:": "wa:", "wa_tb:": "wb_ta:",
         "wb_ta:": "wa_tb:"}
# features whose value is "x|y" for (first, second): swapped
_PAIRED = ("t:", "k:", "dab:")
# features that say nothing of the order: kept as they are
_FREE = ("bw:", "trig_bw:", "pl:", "pld:", "lca:", "lcapos:", "plen:", "gap:", "nb_ents:", "neg_path",
         "passive_path", "trig:", "states:", "question", "semicolon_between", "rule:any", "nopath",
         "trig_near:")
_TYPED = ("trig_t:", "trig_near_t:", "lca_t:", "states_t:")  # "<x>|<type a>|<type b>": the types are swapped
MAX_SENTENCES = 4  # nsent: how many sentences the pair meets in, capped


@dataclass(slots=True)
class Bag:
    """The candidates of one unordered pair, with their orientation against the bag's frame."""

    first: int  # frame: the first-named entity of the pair's first sentence
    second: int
    members: list[int]  # indexes into the document's candidates
    reversed: list[bool]  # the member names the pair as (second, first)
    features: list[str]


def flip(features: list[str]) -> list[str]:
    """A candidate's features as if its two mentions traded places."""
    out = []
    for f in features:
        head = f[:f.index(":") + 1] if ":" in f else f
        if head in _SWAP:
            out.append(_SWAP[head] + f[len(head):])
        elif head in _PAIRED:
            x, _, y = f[len(head):].partition("|")
            out.append(f"{head}{y}|{x}")
        elif f.startswith("rule:") and f != "rule:any":
            out.append(f[:-3] + ("rev" if f.endswith(":fwd") else "fwd"))
        elif head in _TYPED:
            parts = f[len(head):].split("|")
            out.append(head + "|".join(parts[:-2] + [parts[-1], parts[-2]]) if len(parts) >= 3 else "R:" + f)
        elif f.startswith(_FREE):
            out.append(f)
        else:
            out.append("R:" + f)
    return out


def bags(cands: list[tuple[Candidate, list[str]]], drop: tuple[str, ...] = ()) -> list[Bag]:
    """One bag per unordered pair of entities, in the order the pairs first meet; features starting
    with a prefix of `drop` are left out."""
    found: dict[frozenset[int], Bag] = {}
    for i, (c, feats) in enumerate(cands):
        key = frozenset((c.a.ent, c.b.ent))
        bag = found.get(key)
        if bag is None:
            bag = found[key] = Bag(c.a.ent, c.b.ent, [], [], [])
        rev = c.a.ent != bag.first
        bag.members.append(i)
        bag.reversed.append(rev)
        kept = [f for f in feats if not f.startswith(drop)] if drop else feats
        bag.features.extend(flip(kept) if rev else kept)
    for bag in found.values():
        n = len({cands[i][0].sent.start for i in bag.members})
        bag.features = sorted(set(bag.features)) + [f"nsent:{min(n, MAX_SENTENCES)}"]
    return list(found.values())
