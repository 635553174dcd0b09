"""Missions named together by one plural noun: "Iran's consulates in Frankfurt, Hamburg and Munich" names
three consulates, one in each city, and SCHEMA makes each its own actor ("Iranian consulate in Frankfurt").

The alias linker calls `listed_missions` once it has grouped the names. Each mission it finds is a
DocEntity whose mention is the plural noun ("consulates"), kept apart from the names (`DocEntity.listed`)
so that the noun is never an alias. `doc.user_data["fw_listed"]` says, for each, its own place and the
other places of the list: the claim candidates pair a listed mission with its own place only, and the
structural rules read it as located in its place and belonging to its state.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from ..vocab import Vocabulary
from .aliases import DocEntity, norm
from .name_evidence import POSSESSIVES

# words that may stand between the state and the plural noun: "Iran's three consulates general",
# "all four Chinese consulates", "Russia's two remaining embassies"
BETWEEN = {"three", "four", "five", "six", "two", "all", "several", "its", "the", "diplomatic", "remaining",
           "other", "main", "general"}
LOOK_LEFT = 4  # tokens before the plural noun searched for the state


@dataclass(frozen=True, slots=True)
class Listed:
    """One mission of a list: its entity, the plural noun naming it, its own place and the list's places."""

    ent: int
    start: int  # token offsets of the plural noun ("consulates", "consulates general")
    end: int
    place: int
    places: tuple[int, ...]
    state: str


def listed_missions(doc: Doc, ents: list[DocEntity], tok2ent: list[int], vocab: Vocabulary) -> list[Listed]:
    """Find every "<state> <plural mission noun> in <place>, <place> and <place>" and give each place its
    mission (an entity the document already has, or a new one), appended to `ents`."""
    plurals: dict[str, str] = {str(k): str(v) for k, v in (vocab.types.get("listed_missions") or {}).items()}
    out: list[Listed] = []
    n = len(doc)
    for tok in doc:
        noun = plurals.get(tok.lower_)
        if noun is None:
            continue
        end = tok.i + 1
        if end + 1 < n and doc[end].text in ("-", "–") and doc[end + 1].lower_ == "general":
            end += 1  # "consulates-general"
        if end < n and doc[end].lower_ == "general":
            end += 1
        places = _places(doc, end, ents, tok2ent)
        sid = _state_before(doc, tok.i, ents, tok2ent, vocab)
        if len(places) < 2 or sid is None:
            continue
        word = doc[tok.i:end].text.replace(tok.text, noun.title() if tok.text[0].isupper() else noun)
        for place in places:
            ent = _mission(ents, vocab, sid, word, ents[place].name)
            ent.listed.append(Span(doc, tok.i, end, label="DIPLOMATIC_MISSION"))
            out.append(Listed(ent.idx, tok.i, end, place, tuple(places), sid))
    doc.user_data["fw_listed"] = out
    return out


def _places(doc: Doc, i: int, ents: list[DocEntity], tok2ent: list[int]) -> list[int]:
    """The places of a list after token i: ", in A, B and C" (an optional comma, then "in" or "at"); a
    list ends with the place after "and" ("in Toronto, Ontario" is one place and its province)."""
    n = len(doc)
    if i < n and doc[i].text == ",":
        i += 1
    if i >= n or doc[i].lower_ not in ("in", "at"):
        return []
    i += 1
    found: list[int] = []
    last = False  # the place read follows "and"
    while i < n:
        e = tok2ent[i]
        if e < 0 or ents[e].type != "place" or e in found:
            return []
        found.append(e)
        if last:
            return found
        while i < n and tok2ent[i] == e:
            i += 1
        if i < n and doc[i].text == ",":
            i += 1
        if i < n and doc[i].lower_ == "and":
            i += 1
            last = True
        elif doc[i - 1].text != ",":
            return []
    return []


def _state_before(doc: Doc, i: int, ents: list[DocEntity], tok2ent: list[int],
                  vocab: Vocabulary) -> str | None:
    """The state a plural noun belongs to: a demonym ("Chinese"), a possessor ("Iran's") or a state's name
    used as a modifier ("PRC") at most LOOK_LEFT tokens before it, with only numbers and BETWEEN words
    in between."""
    for j in range(i - 1, max(i - 1 - LOOK_LEFT, -1), -1):
        tok = doc[j]
        if (tok.text in POSSESSIVES or tok.text in ("'", "’")) and j > 0:  # "Iran's", "the Netherlands'"
            continue
        sid = vocab.demonym_state.get(tok.text)
        e = tok2ent[j]
        if sid is None and e >= 0 and ents[e].type == "country":
            sid = ents[e].gid or ents[e].state
        if sid is not None:
            return sid if sid in vocab.states else None
        if not (tok.like_num or tok.lower_ in BETWEEN):
            return None
    return None


def _mission(ents: list[DocEntity], vocab: Vocabulary, sid: str, noun: str, place: str) -> DocEntity:
    """The mission of state `sid` in `place`: the document's, the gazetteer's, or a new one."""
    state = vocab.states[sid]
    forms = [f"{d} {noun} in {place}" for d in state.demonyms[:1]] + [f"{state.name}'s {noun} in {place}"]
    keys = {norm(f) for f in forms}
    known = _gazetteer(vocab)
    entry = next((known[k] for k in map(norm, forms) if k in known), None)
    for ent in ents:
        if ent.type == "diplomatic_mission" and (
                (entry is not None and ent.gid == entry[0]) or norm(ent.name) in keys
                or any(norm(m.text) in keys for m in ent.mentions)):
            return ent
    name, gid = (entry[1], entry[0]) if entry is not None else (forms[0], None)
    ent = DocEntity(len(ents), name, "diplomatic_mission", gid, sid)
    ents.append(ent)
    return ent


_GAZETTEER: dict[int, dict[str, tuple[str, str]]] = {}


def _gazetteer(vocab: Vocabulary) -> dict[str, tuple[str, str]]:
    """Normalised names and aliases of the gazetteer's missions -> (id, name), built once per vocabulary."""
    out = _GAZETTEER.get(id(vocab))
    if out is None:
        out = _GAZETTEER[id(vocab)] = {}
        for e in vocab.entries:
            if e.type == "diplomatic_mission":
                for n in (e.name, *e.aliases):
                    out.setdefault(norm(n), (e.id, e.name))
    return out
