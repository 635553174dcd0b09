"""Pairwise features for cross-document resolution: small pure functions `(a, b) -> float` in [0, 1].

Match features say how alike two candidates are; conflict features (`*_conflict`) say that two
similar-looking names cannot be one actor (same surname but another given name, another city, another
state, another number). `matcher.decide` combines them; nothing here decides on its own.

Helpers prefixed with `_` are shared by several features; `effective_state` is public for callers
that want the state a candidate was resolved to.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache, lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ..vocab import load_vocabulary
from .candidate import ACRONYM_STOP, Candidate, acronym, acronym_like, as_acronym, clean, full_acronym, norm
from .lexicon import GENERIC_WORDS, MISSION_KINDS, Place, lexicon

PERSON = "person"
COUNTRY = "country"
PLACE = "place"
MISSION = "diplomatic_mission"
STATION = "overseas_station"
LOCATED_TYPES = frozenset({MISSION, STATION, PLACE})  # identified by the place they are in / named by

# Words that precede a person's name without being part of it ("Prime Minister Justin Trudeau").
TITLE_WORDS = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "prof", "professor", "president", "vice", "prime",
    "minister", "pm", "mp", "mpp", "mla", "senator", "sen", "rep", "representative", "congressman",
    "congresswoman", "judge", "justice", "commissioner", "assistant", "deputy", "chief", "attorney",
    "general", "secretary", "home", "foreign", "interior", "pastor", "rev", "reverend", "ambassador",
    "consul", "cg", "director", "spokesperson", "spokesman", "spokeswoman", "chancellor", "mayor",
    "premier", "former", "high", "officer", "agent", "dissident", "activist",
})

# Trailing words of an organisation's name that do not change which organisation it is
# ("NSO Group" ~ "NSO", "Meta Platforms" ~ "Meta", "United Front network" ~ "United Front").
ORG_SUFFIXES = frozenset({
    "group", "inc", "ltd", "llc", "corp", "corporation", "co", "plc", "platforms", "gmbh", "sa", "ag",
    "limited", "holdings", "technologies", "network", "networks", "campaign", "operation",
})

# Leading articles of non-English names ("Der Spiegel" ~ "Spiegel", "Il Foglio" ~ "Foglio"); `norm`
# already drops a leading English "the".
FOREIGN_ARTICLES = frozenset({"der", "die", "das", "le", "la", "les", "il", "lo", "el", "los", "las", "de"})

# Trailing words of a state body's name that do not change which body it is ("Metropolitan Police
# Service" ~ "Metropolitan Police", "Chinese intelligence services" ~ "Chinese intelligence").
BODY_SUFFIXES = frozenset({"service", "services", "force", "forces", "agency", "agencies"})

# Word runs that name the same kind of body: a Chinese city's police is its Public Security Bureau.
SYNONYMS: dict[tuple[str, ...], str] = {
    ("public", "security", "bureau"): "police",
    ("psb",): "police",
}

# Modifiers of a place that do not make another place ("lower Manhattan", "downtown Toronto").
LOCATIVE_WORDS = frozenset({
    "lower", "upper", "downtown", "central", "north", "south", "east", "west", "northern", "southern",
    "eastern", "western", "greater", "metro",
})

_DIGITS = re.compile(r"\d+")
_UNKNOWN_ID_PREFIX = "ambiguous:"


# --- shared helpers ---------------------------------------------------------------------------------

def _is_generic(form: str) -> bool:
    """A form made only of generic words ("the Consulate", "the agency") names no particular actor."""
    toks = norm(form).split()
    return bool(toks) and all(t in GENERIC_WORDS or t in ACRONYM_STOP for t in toks)


def _match_forms(c: Candidate) -> tuple[str, ...]:
    """Forms usable for name matching: the name, and every alias that is not a generic word."""
    return tuple(f for i, f in enumerate(c.forms) if i == 0 or not _is_generic(f))


def _person_tokens(form: str) -> list[str]:
    """A person's name without leading titles and the nationality or body qualifying them ("U.S.
    President Joe Biden", "RCMP Commissioner Mike Duheme")."""
    raw = clean(form, fold=False).split()
    toks = [w.casefold() for w in raw]
    lex = lexicon()
    i = 0
    while i < len(toks) - 1:
        if toks[i] in TITLE_WORDS:
            i += 1
        elif ((toks[i],) in lex.state_words or acronym_like(raw[i])) and toks[i + 1] in TITLE_WORDS:
            i += 1  # "U.S. President ...", but not a given name that happens to be a country
        else:
            break
    return toks[i:]


def _name_key(c: Candidate, form: str) -> str:
    """The string fuzzy matching compares: title-stripped for persons, `norm` otherwise."""
    return " ".join(_person_tokens(form)) if c.type == PERSON else norm(form)


def _pairs(a: Candidate, b: Candidate) -> Iterable[tuple[str, str]]:
    for fa in _match_forms(a):
        for fb in _match_forms(b):
            yield fa, fb


def _gid(c: Candidate) -> str | None:
    gid = c.gazetteer_id
    return None if not gid or gid.startswith(_UNKNOWN_ID_PREFIX) else gid


def _split_host(toks: list[str]) -> tuple[list[str], list[str]]:
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
def _locations(c: Candidate) -> tuple[frozenset[Place], frozenset[Place]]:
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
        head, tail = _split_host(toks)
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


def _compatible(p: Place, q: Place) -> bool:
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


def _disjoint(xs: frozenset[Place], ys: frozenset[Place]) -> bool:
    """Each side names a place the other cannot be: Toronto vs Vancouver, but not Canada vs Ottawa."""
    left_x = [x for x in xs if not any(_compatible(x, y) for y in ys)]
    left_y = [y for y in ys if not any(_compatible(x, y) for x in xs)]
    return bool(left_x) and bool(left_y)


def _owner_states(c: Candidate) -> set[str]:
    """States a non-person, non-country form names outside its host clause ("Chinese", "Canada's")."""
    lex = lexicon()
    words: set[str] = set()
    places: set[str] = set()
    for form in c.forms:
        head, _ = _split_host(norm(form).split())
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
    gid = _gid(c)
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
        found = {p.country for p in _locations(c)[1] if p.country}
    else:
        found = _owner_states(c)
    return found.pop() if len(found) == 1 else None


def _mission_kinds(c: Candidate) -> set[str]:
    kinds: set[str] = set()
    for form in c.forms:
        toks = norm(form).split()
        for n in (2, 1):
            for i in range(len(toks) - n + 1):
                kind = MISSION_KINDS.get(tuple(toks[i:i + n]))
                if kind:
                    kinds.add(kind)
    return kinds


def _given_compatible(x: str, y: str) -> bool:
    """Given names that can be one person's: equal, an initial, a short form, or a spelling variant
    that keeps the first five letters (Dmitry/Dmitri); not Kamalpreet/Karanpreet."""
    if x == y:
        return True
    short, long_ = sorted((x, y), key=len)
    if len(short) == 1:
        return long_.startswith(short)
    if len(short) >= 3 and long_.startswith(short):
        return True
    return len(short) >= 5 and x[:5] == y[:5] and Levenshtein.distance(x, y) <= 1


def _family_compatible(x: str, y: str) -> bool:
    """Family names that can be one person's: equal, truncated (Pannu/Pannun) or a one-letter typo."""
    if x == y:
        return True
    short, long_ = sorted((x, y), key=len)
    if len(short) >= 4 and long_.startswith(short):
        return True
    return len(short) >= 6 and Levenshtein.distance(x, y) <= 1


def _subsequence(short: list[str], long_: list[str]) -> bool:
    it = iter(long_)
    return all(any(t == u for u in it) for t in short)


def _names_conflict(ta: list[str], tb: list[str]) -> bool:
    """Two full names sharing a surname (or, East Asian order, a first token) with incompatible
    other ends: Justin/Pierre Trudeau, Zhao Wei/Zhao Lijian."""
    if len(ta) < 2 or len(tb) < 2 or set(ta) == set(tb):
        return False
    if _subsequence(ta, tb) or _subsequence(tb, ta):
        return False
    if ta[-1] == tb[-1]:
        return not _given_compatible(ta[0], tb[0])
    if ta[0] == tb[0]:
        if ta[-1] in tb or tb[-1] in ta or "".join(ta) == "".join(tb):
            return False
        return not _family_compatible(ta[-1], tb[-1])
    return False


def _person_forms(c: Candidate) -> list[list[str]]:
    return [t for f in c.forms if (t := _person_tokens(f))]


def _surname_only(c: Candidate) -> bool:
    """Every form of the person is one word ("Trudeau", "Duheme")."""
    forms = _person_forms(c)
    return bool(forms) and all(len(t) == 1 for t in forms)


def _core(c: Candidate, form: str, strip_states: bool) -> tuple[str, ...]:
    """A form reduced to what identifies the body: places as gazetteer keys ("Jiangsu Province" ->
    Jiangsu), synonyms folded (PSB -> police), function words and kind suffixes ("Group", "Service")
    dropped and, if asked, the words naming its state dropped."""
    toks = norm(form).split()
    out: list[str] = []
    i = 0
    for hit in [*lexicon().scan(toks), None]:
        end = hit.start if hit is not None else len(toks)
        out.extend(toks[i:end])
        if hit is not None:
            if hit.state is None and hit.place is not None:
                out.append(hit.place.key)
            elif not strip_states:
                out.extend(toks[hit.start:hit.end])
            i = hit.end
    toks = _fold_synonyms([t for t in out if t not in ("of", "the", "and")])
    suffixes = ORG_SUFFIXES if c.type == "organization" else BODY_SUFFIXES
    while len(toks) > 1 and toks[-1] in suffixes:
        toks.pop()
    if c.type == "organization" and len(toks) > 1 and toks[0] in FOREIGN_ARTICLES:
        toks = toks[1:]
    return tuple(toks)


def _fold_synonyms(toks: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(toks):
        for n in (3, 2, 1):
            word = SYNONYMS.get(tuple(toks[i:i + n]))
            if word is not None:
                out.append(word)
                i += n
                break
        else:
            out.append(toks[i])
            i += 1
    return out


def _counterpart(tok: str, others: list[str]) -> bool:
    """A token the other name spells differently (Guard/Guards) or writes split (Globalnews)."""
    if any(fuzz.ratio(tok, o) >= 80 for o in others):
        return True
    joined = "".join(others)
    return len(tok) >= 4 and tok in joined or any(len(o) >= 4 and o in tok for o in others)


def _ignorable(tok: str) -> bool:
    """A word whose presence on one side only does not make another actor ("the", "Canada's",
    "service", "lower" Manhattan)."""
    return (tok in ACRONYM_STOP or tok in GENERIC_WORDS or tok in LOCATIVE_WORDS
            or (tok,) in lexicon().state_words)


def _qualifier(form: str) -> str | None:
    """A leading acronym that qualifies a name by its owner ("CCP United Front Work Department")."""
    raw = clean(form, fold=False).split()
    return raw[0].casefold() if len(raw) >= 2 and acronym_like(raw[0]) else None


# --- features ---------------------------------------------------------------------------------------

def same_gazetteer_id(a: Candidate, b: Candidate) -> float:
    """1 if both have gazetteer ids and they are equal, 0 if both have ids that differ, else 0.5."""
    ga, gb = _gid(a), _gid(b)
    if ga is None or gb is None:
        return 0.5
    return 1.0 if ga == gb else 0.0


def exact_name(a: Candidate, b: Candidate) -> float:
    """1 if a normalised name or (non-generic) alias of one equals one of the other."""
    keys_b = {norm(f) for f in _match_forms(b)}
    return 1.0 if any(norm(f) in keys_b for f in _match_forms(a)) else 0.0


def _abbreviates(short_raw: list[str], long_toks: list[str]) -> bool:
    """Whether `short_raw` is `long_toks` with runs of words written as their initials:
    "Fuzhou PSB" ~ "Fuzhou Public Security Bureau", "CSIS" ~ "Canadian Security Intelligence Service"."""

    @cache
    def go(i: int, j: int) -> bool:
        if i == len(short_raw):
            return j == len(long_toks)
        if j == len(long_toks):
            return False
        word = short_raw[i]
        if word.casefold() == long_toks[j] and go(i + 1, j + 1):
            return True
        if not acronym_like(word):
            return False
        letters = word.casefold()
        for skip_stop in (True, False):
            got = ""
            for k in range(j, len(long_toks)):
                tok = long_toks[k]
                if skip_stop and tok in ACRONYM_STOP:
                    continue
                got += tok[0]
                if got == letters and go(i + 1, k + 1):
                    return True
                if not letters.startswith(got):
                    break
        return False

    return go(0, 0)


def acronym_match(a: Candidate, b: Candidate) -> float:
    """1 if a form of one is the acronym of a form of the other: CSIS, PRC, Fuzhou PSB, B.C. NDP."""
    for x, y in ((a, b), (b, a)):
        for short in _match_forms(x):
            raw = clean(short, fold=False).split()
            if not any(acronym_like(w) for w in raw):
                continue
            # The document that used the acronym may already say what it stands for: then it stands
            # for that, not for whatever else has the same initials (MPS: Ministry of Public
            # Security, not Metropolitan Police Service).
            own = [norm(f) for f in _match_forms(x) if f != short and _expands(short, raw, f)]
            for long_ in _match_forms(y):
                if not _expands(short, raw, long_):
                    continue
                key = norm(long_)
                if own and not any(o == key or fuzz.token_sort_ratio(o, key) >= 90 for o in own):
                    continue
                return 1.0
    return 0.0


def _expands(short: str, raw: list[str], long_: str) -> bool:
    """Whether `long_` (written in words) is what the acronym form `short` abbreviates."""
    toks = norm(long_).split()
    if len(toks) < 2 or as_acronym(long_):
        return False
    letters = as_acronym(short)
    if letters and len(letters) >= 2 and letters in (acronym(long_), full_acronym(long_)):
        return True
    return _abbreviates(raw, toks)


def fuzzy_name(a: Candidate, b: Candidate) -> float:
    """rapidfuzz token_sort_ratio / 100 of the most similar name/alias pair."""
    best = 0.0
    for fa, fb in _pairs(a, b):
        best = max(best, fuzz.token_sort_ratio(_name_key(a, fa), _name_key(b, fb)) / 100.0)
    return best


def distinct_tokens(a: Candidate, b: Candidate) -> float:
    """1 if the closest name pair differs by a whole word (Federal/Central), not a spelling (Guards)."""
    best: tuple[float, str, str, str, str] | None = None
    for fa, fb in _pairs(a, b):
        ka, kb = _name_key(a, fa), _name_key(b, fb)
        score = fuzz.token_sort_ratio(ka, kb)
        if best is None or score > best[0]:
            best = (score, ka, kb, fa, fb)
    if best is None:
        return 0.0
    _, ka, kb, fa, fb = best
    ta, tb = Counter(ka.split()), Counter(kb.split())
    only_a, only_b = list((ta - tb).elements()), list((tb - ta).elements())
    lost_a = [t for t in only_a if not _counterpart(t, only_b) and t != _qualifier(fa)]
    lost_b = [t for t in only_b if not _counterpart(t, only_a) and t != _qualifier(fb)]
    if lost_a and lost_b:
        return 1.0  # a word replaced by another word
    inserted = lost_a or lost_b
    return 1.0 if any(not _ignorable(t) for t in inserted) else 0.0


def same_type(a: Candidate, b: Candidate) -> float:
    """1 if both have the same SCHEMA type, else 0."""
    return 1.0 if a.type == b.type else 0.0


def surname_conflict(a: Candidate, b: Candidate) -> float:
    """Persons: 1 if full names share a surname but not the given name (Karan/Amrit Singh)."""
    if a.type != PERSON or b.type != PERSON:
        return 0.0
    fa, fb = _person_forms(a), _person_forms(b)
    full_a = [t for t in fa if len(t) >= 2]
    full_b = [t for t in fb if len(t) >= 2]
    if any(ta == tb for ta in full_a for tb in full_b):
        return 0.0
    return 1.0 if any(_names_conflict(ta, tb) for ta in full_a for tb in full_b) else 0.0


def given_name_only_compatible(a: Candidate, b: Candidate) -> float:
    """Persons: 1 if one is named by one word the other's full name starts or ends with (Trudeau)."""
    if a.type != PERSON or b.type != PERSON:
        return 0.0
    for x, y in ((a, b), (b, a)):
        if not _surname_only(x) or _surname_only(y):
            continue
        words = {t[0] for t in _person_forms(x)}
        for full in _person_forms(y):
            if len(full) >= 2 and any(_family_compatible(w, full[-1]) or w == full[0] for w in words):
                return 1.0
    return 0.0


def full_name_match(a: Candidate, b: Candidate) -> float:
    """Persons: 1 if one full name is the other minus titles, middle names or a given name's initial."""
    if a.type != PERSON or b.type != PERSON:
        return 0.0
    for ta in _person_forms(a):
        for tb in _person_forms(b):
            if len(ta) < 2 or len(tb) < 2:
                continue
            short, long_ = sorted((ta, tb), key=len)
            if short[-1] != long_[-1] or not _given_compatible(short[0], long_[0]):
                continue
            if short[0] != long_[0] and len(short[0]) > 1:
                continue  # only an initial may stand for a given name here
            if _subsequence(short[1:], long_[1:]):
                return 1.0
    return 0.0


def city_conflict(a: Candidate, b: Candidate) -> float:
    """1 if the names carry places that cannot be one (consulate in Toronto/Vancouver, Fuzhou/Fuqing)."""
    if PERSON in (a.type, b.type) or COUNTRY in (a.type, b.type):
        return 0.0
    ha, oa = _locations(a)
    hb, ob = _locations(b)
    if ha and hb and _disjoint(ha, hb):
        return 1.0
    if oa and ob and _disjoint(oa, ob):
        return 1.0
    ua, ub = ha | oa, hb | ob
    return 1.0 if ua and ub and _disjoint(ua, ub) else 0.0


def state_conflict(a: Candidate, b: Candidate) -> float:
    """1 if both states are known (given, from the gazetteer id, or read from the name) and differ."""
    sa, sb = effective_state(a), effective_state(b)
    return 1.0 if sa and sb and sa != sb else 0.0


def number_conflict(a: Candidate, b: Candidate) -> float:
    """1 if both names carry numbers and share none: CA1/CA3, Unit 61398/Unit 61486, MI5/MI6."""
    na = {n for f in a.forms for n in _DIGITS.findall(norm(f))}
    nb = {n for f in b.forms for n in _DIGITS.findall(norm(f))}
    return 1.0 if na and nb and not na & nb else 0.0


def location_unknown(a: Candidate, b: Candidate) -> float:
    """Missions/stations: 1 if either names no place, so it may be any of that state's missions."""
    if a.type != b.type or a.type not in (MISSION, STATION):
        return 0.0
    return 0.0 if any(_locations(a)) and any(_locations(b)) else 1.0


def single_word_names(a: Candidate, b: Candidate) -> float:
    """Persons: 1 if both are named by one word only ("Singh" and "Singh"), code names aside ("CA3")."""
    if a.type != PERSON or b.type != PERSON or not (_surname_only(a) and _surname_only(b)):
        return 0.0
    return 0.0 if any(ch.isdigit() for ch in a.name + b.name) else 1.0


def same_country(a: Candidate, b: Candidate) -> float:
    """Countries: 1 if both forms stand for the same state (China ~ Beijing ~ the Chinese government)."""
    if a.type != COUNTRY or b.type != COUNTRY:
        return 0.0
    lex = lexicon()
    ca = {s for f in a.forms if (s := lex.country_of(f))}
    cb = {s for f in b.forms if (s := lex.country_of(f))}
    return 1.0 if ca and ca == cb and len(ca) == 1 else 0.0


def same_place(a: Candidate, b: Candidate) -> float:
    """Places: 1 if both name the same gazetteer place ("New York" ~ "NYC", "Prato, Tuscany" ~ "Prato")."""
    if a.type != PLACE or b.type != PLACE:
        return 0.0
    lex = lexicon()
    ka = {p.key for f in a.forms if (p := lex.place_of(f.split(",")[0]))}
    kb = {p.key for f in b.forms if (p := lex.place_of(f.split(",")[0]))}
    return 1.0 if ka & kb else 0.0


def same_mission(a: Candidate, b: Candidate) -> float:
    """Missions: 1 if same state, same kind and same city (an embassy may be named by its host state)."""
    if a.type != MISSION or b.type != MISSION:
        return 0.0
    sa, sb = effective_state(a), effective_state(b)
    kinds = _mission_kinds(a) & _mission_kinds(b)
    if not sa or sa != sb or not kinds:
        return 0.0
    ua, ub = (frozenset().union(*_locations(a)), frozenset().union(*_locations(b)))
    if not ua or not ub:
        return 0.0
    if any(p.key == q.key for p in ua for q in ub):
        return 1.0
    by_country = kinds & {"embassy", "high_commission"}
    return 1.0 if by_country and any(_compatible(p, q) for p in ua for q in ub) else 0.0


def same_station(a: Candidate, b: Candidate) -> float:
    """Stations: 1 if named by the same two or more places (host city and operating police)."""
    if a.type != STATION or b.type != STATION:
        return 0.0
    ka = {p.key for p in frozenset().union(*_locations(a))}
    kb = {p.key for p in frozenset().union(*_locations(b))}
    return 1.0 if len(ka) >= 2 and ka == kb else 0.0


def core_name(a: Candidate, b: Candidate) -> float:
    """1 if names agree without the state both belong to, function words and suffixes (Group, Service)."""
    if a.type != b.type or a.type in (PERSON, COUNTRY, PLACE):
        return 0.0
    sa, sb = effective_state(a), effective_state(b)
    strip = bool(sa and sa == sb)
    cores_b = {k for f in _match_forms(b) if (k := _core(b, f, strip))}
    return 1.0 if any(_core(a, f, strip) in cores_b for f in _match_forms(a)) else 0.0


Feature = Callable[[Candidate, Candidate], float]

FEATURES: dict[str, Feature] = {
    f.__name__: f for f in (
        same_gazetteer_id, exact_name, acronym_match, fuzzy_name, distinct_tokens, same_type,
        surname_conflict, given_name_only_compatible, full_name_match, city_conflict, state_conflict,
        number_conflict, location_unknown, single_word_names, same_country, same_place, same_mission,
        same_station, core_name,
    )
}


def feature_vector(a: Candidate, b: Candidate) -> dict[str, float]:
    """Every feature of the pair, by name (for inspection and benchmarks)."""
    return {name: f(a, b) for name, f in FEATURES.items()}
