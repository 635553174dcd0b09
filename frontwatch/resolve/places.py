"""Where an actor is and whose it is: the places and states its names mention, for the features
that keep a Toronto consulate apart from a Vancouver one and one state's body apart from another's."""

from __future__ import annotations

from functools import lru_cache

from ..vocab import load_vocabulary
from .candidate import ACRONYM_STOP, Candidate, clean, known_gazetteer_id, norm
from .lexicon import GENERIC_WORDS, MISSION_KINDS, Place, lexicon

PERSON = "person"
COUNTRY = "country"
PLACE = "place"
MISSION = "diplomatic_mission"
STATION = "overseas_station"
LOCATED_TYPES = frozenset({MISSION, STATION, PLACE})  # identified by the place they are in / named by


def split_host(toks: list[str]) -> tuple[list[str], list[str]]:
    """Split "chinese consulate in toronto" into head and host ("in"/"at" tail)."""
    for i in range(len(toks) - 1, 0, -1):
        if toks[i] in ("in", "at") and i < len(toks) - 1:
            return toks[:i], toks[i + 1:]
    return toks, []


def _hit_place(state: str | None, place: Place | None) -> Place | None:
    if place is not None:
        return place
    return Place(f"state:{state}", state, is_state=True) if state else None


@lru_cache(maxsize=4096)
def locations(c: Candidate) -> tuple[frozenset[Place], frozenset[Place]]:
    """(hosts, others): places after " in "/" at " in any form, and places named elsewhere in them.

    For missions, stations and places an unknown word also counts: the host text itself, or else the
    last capitalised word that is neither generic nor a state ("the Toronto consulate" -> Toronto).
    """
    lex = lexicon()
    hosts: set[Place] = set()
    others: set[Place] = set()
    located = c.type in LOCATED_TYPES
    for form in c.forms:
        if c.type == PLACE:
            first = form.split(",")[0]
            others.add(lex.place_of(first) or Place(norm(first), None))
        raw = clean(form, fold=False).split()
        toks = [w.casefold() for w in raw]
        head, tail = split_host(toks)
        tail_hits = [p for h in lex.scan(tail) if (p := _hit_place(h.state, h.place))]
        hosts.update(tail_hits)
        if tail and not tail_hits and located:
            hosts.add(Place(" ".join(tail), None))
        head_hits = lex.scan(head)
        head_places = [h.place for h in head_hits if h.place is not None]
        others.update(head_places)
        if located and c.type != PLACE and not tail and not head_places:
            covered = {i for h in head_hits for i in range(h.start, h.end)}
            for i in range(len(head) - 1, -1, -1):
                word = raw[i]
                if (i not in covered and word[:1].isupper() and not word[:1].isdigit()
                        and head[i] not in GENERIC_WORDS and head[i] not in ACRONYM_STOP):
                    others.add(Place(head[i], None))
                    break
    return frozenset(hosts), frozenset(others)


def compatible(p: Place, q: Place) -> bool:
    """Same place, or a state and a place inside it, or one unknown name contained in the other."""
    if p.key == q.key:
        return True
    if p.is_state and not q.is_state and q.country == p.country:
        return True
    if q.is_state and not p.is_state and p.country == q.country:
        return True
    if p.country is None and q.country is None:
        pt, qt = set(p.key.split()), set(q.key.split())
        return pt <= qt or qt <= pt
    return False


def disjoint(xs: frozenset[Place], ys: frozenset[Place]) -> bool:
    """Each side names a place the other cannot be: Toronto vs Vancouver, but not Canada vs Ottawa."""
    left_x = [x for x in xs if not any(compatible(x, y) for y in ys)]
    left_y = [y for y in ys if not any(compatible(x, y) for x in xs)]
    return bool(left_x) and bool(left_y)


def owner_states(c: Candidate) -> set[str]:
    """States a non-person, non-country form names outside its host clause ("Chinese", "Canada's")."""
    lex = lexicon()
    words: set[str] = set()
    places: set[str] = set()
    for form in c.forms:
        head, _ = split_host(norm(form).split())
        for h in lex.scan(head):
            if h.state:
                words.add(h.state)
            elif h.place is not None and h.place.country:
                places.add(h.place.country)
    if words or c.type in (MISSION, STATION):
        return words  # a mission's or station's place is where it is, not whose it is
    return places


def effective_state(c: Candidate) -> str | None:
    """The candidate's state: given, from its gazetteer id, from the one gazetteer entry one of its
    forms names, or read from the demonyms, state names and places in its forms when unambiguous."""
    if c.state:
        return c.state.upper()
    gid = known_gazetteer_id(c)
    if gid:
        vocab = load_vocabulary()
        if gid in vocab.states:
            return gid
        entry = vocab.entry_by_id.get(gid)
        if entry is not None and entry.state:
            return entry.state
    if c.type == PERSON:
        return None
    if c.type not in (COUNTRY, PLACE):
        known = {s for f in c.forms if (s := lexicon().gazetteer_state(f, c.type))}
        if len(known) == 1:
            return known.pop()
    found: set[str]
    if c.type == COUNTRY:
        found = {s for f in c.forms if (s := lexicon().country_of(f))}
    elif c.type == PLACE:
        found = {p.country for p in locations(c)[1] if p.country}
    else:
        found = owner_states(c)
    return found.pop() if len(found) == 1 else None


def mission_kinds(c: Candidate) -> set[str]:
    kinds: set[str] = set()
    for form in c.forms:
        toks = norm(form).split()
        for n in (2, 1):
            for i in range(len(toks) - n + 1):
                kind = MISSION_KINDS.get(tuple(toks[i:i + n]))
                if kind:
                    kinds.add(kind)
    return kinds
